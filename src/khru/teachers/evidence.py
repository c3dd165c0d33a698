"""Evidence files: PDF, JPEG or PNG only, told by their first bytes (never by the name), at most 10 MB."""

from khru.core.errors import problem
from khru.core.files import EVIDENCE_MAX_BYTES, HEAD_BYTES, sniff, too_big


def check(content: bytes) -> tuple[str, str]:
    """The file's type, or a refusal naming the problem in Thai and English."""
    if len(content) > EVIDENCE_MAX_BYTES:
        raise too_big(EVIDENCE_MAX_BYTES, field="evidence", field_th="ไฟล์หลักฐาน")
    kind = sniff(content[:HEAD_BYTES])
    if kind is None:
        raise problem(
            "evidence",
            "ไฟล์หลักฐานต้องเป็น PDF, JPEG หรือ PNG",
            "the evidence file must be a PDF, JPEG or PNG",
            field_th="ไฟล์หลักฐาน",
        )
    return kind
