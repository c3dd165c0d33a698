"""Errors users see: always in Thai and English, naming the row (if any) and the field."""

from dataclasses import dataclass


@dataclass(frozen=True)
class Problem:
    field: str
    th: str
    en: str
    row: int | None = None
    field_th: str = ""

    def __str__(self) -> str:
        where_th = f"แถว {self.row} " if self.row else ""
        where_en = f"row {self.row} " if self.row else ""
        return f"{where_th}ช่อง {self.field_th or self.field}: {self.th} / {where_en}field {self.field}: {self.en}"


class KhruError(Exception):
    """A refused request: carries one or more problems, each in Thai and English."""

    def __init__(self, *problems: Problem) -> None:
        self.problems = list(problems)
        super().__init__("; ".join(str(p) for p in problems))


class NotAllowed(KhruError):
    def __init__(self) -> None:
        super().__init__(Problem("access", "ไม่มีสิทธิ์ทำรายการนี้", "you may not do this"))


def problem(field: str, th: str, en: str, *, row: int | None = None, field_th: str = "") -> KhruError:
    return KhruError(Problem(field=field, th=th, en=en, row=row, field_th=field_th))
