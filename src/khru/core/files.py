"""Stored files: what an upload really is (told by its first bytes, never by its name or declared type), and
serving a stored file privately once the caller has checked the reader's scope (never a public /media/ URL).

Views call a selector first (it raises ``NotAllowed`` for a reader out of scope), then hand the file here.
"""

from collections.abc import Iterable
from typing import Any

from django.core.files.uploadedfile import UploadedFile
from django.http import FileResponse, Http404

from khru.core.errors import KhruError, problem

MB = 1024 * 1024
# What each kind of upload may weigh: the one place for these limits. Views read at most one byte past the
# limit (read_capped) and the service refuses with `too_big`, so an oversized file is never held nor kept.
TABLE_MAX_BYTES = 10 * MB
"""A roster, training-completion or test-result file (CSV or XLSX)."""
XLSX_MAX_UNPACKED_BYTES = 100 * MB
"""What an XLSX (a zip) may unpack to: checked from the zip directory and while unpacking, before parsing."""
PHOTO_MAX_BYTES = 5 * MB
"""A home-visit photo."""
EVIDENCE_MAX_BYTES = 10 * MB
"""Evidence of a teacher's development activity."""
ATTACHMENT_MAX_BYTES = 5 * MB
"""A licence's supporting document."""

PDF = ("application/pdf", "pdf")
JPEG = ("image/jpeg", "jpg")
PNG = ("image/png", "png")
WEBP = ("image/webp", "webp")
DOCUMENTS = (PDF, JPEG, PNG)
"""PDF, JPEG or PNG: what evidence of a development activity may be."""
DOCUMENTS_AND_WEBP = (PDF, PNG, JPEG, WEBP)

_SIGNATURES = {
    b"%PDF-": PDF,
    b"\xff\xd8\xff": JPEG,
    b"\x89PNG\r\n\x1a\n": PNG,
}
HEAD_BYTES = 16
"""How many first bytes ``sniff`` needs."""


def sniff(head: bytes, accept: Iterable[tuple[str, str]] = DOCUMENTS) -> tuple[str, str] | None:
    """(content type, extension) of a file from its first bytes, if it is one of ``accept``; else None."""
    if head[:4] == b"RIFF" and head[8:12] == b"WEBP":
        kind: tuple[str, str] | None = WEBP
    else:
        kind = next((k for signature, k in _SIGNATURES.items() if head.startswith(signature)), None)
    return kind if kind in tuple(accept) else None


def read_capped(upload: UploadedFile, max_bytes: int) -> bytes:
    """An upload's bytes, but at most one byte past the limit: enough for the service to refuse a file that
    is too big without holding all of it."""
    return upload.read(max_bytes + 1)


def too_big(
    max_bytes: int, *, field: str, field_th: str, name: str = "", row: int | None = None
) -> KhruError:
    """The refusal of a file over ``max_bytes``, naming the file and the limit in Thai and English."""
    limit = f"{max_bytes / MB:g} MB"
    named_th, named_en = (f"ไฟล์ {name} ", f"the file {name}") if name else ("ไฟล์", "the file")
    return problem(
        field, f"{named_th}ใหญ่เกิน {limit}", f"{named_en} is larger than {limit}", row=row, field_th=field_th
    )


def private_response(handle: Any, content_type: str, *, filename: str = "") -> FileResponse:
    """An open stored file as a response that no shared cache keeps and no browser re-sniffs."""
    response = FileResponse(handle, content_type=content_type)
    if filename:
        response["Content-Disposition"] = f'inline; filename="{filename}"'
    response["X-Content-Type-Options"] = "nosniff"
    response["Cache-Control"] = "private, no-store"
    return response


def serve_sniffed(stored: Any, *, name: str, accept: Iterable[tuple[str, str]] = DOCUMENTS) -> FileResponse:
    """A stored file (a FieldFile) served with the type its first bytes show, named ``name.<extension>``;
    a file that is none of ``accept`` is not served (404), so nothing is ever sent as HTML."""
    handle = stored.open("rb")
    kind = sniff(handle.read(HEAD_BYTES), accept)
    handle.seek(0)
    if kind is None:
        handle.close()
        raise Http404
    return private_response(handle, kind[0], filename=f"{name}.{kind[1]}")
