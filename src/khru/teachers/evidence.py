"""Evidence files: PDF, JPEG or PNG only, told by their first bytes (never by the name), at most 10 MB."""

from khru.core.errors import problem
from khru.core.files import HEAD_BYTES, sniff

MAX_BYTES = 10 * 1024 * 1024


def check(content: bytes) -> tuple[str, str]:
    """The file's type, or a refusal naming the problem in Thai and English."""
    if len(content) > MAX_BYTES:
        raise problem(
            "evidence",
            f"ไฟล์หลักฐานใหญ่เกิน 10 MB ({len(content) / 1024 / 1024:.1f} MB)",
            f"the evidence file is larger than 10 MB ({len(content) / 1024 / 1024:.1f} MB)",
            field_th="ไฟล์หลักฐาน",
        )
    kind = sniff(content[:HEAD_BYTES])
    if kind is None:
        raise problem(
            "evidence",
            "ไฟล์หลักฐานต้องเป็น PDF, JPEG หรือ PNG",
            "the evidence file must be a PDF, JPEG or PNG",
            field_th="ไฟล์หลักฐาน",
        )
    return kind
