"""Stored files: what an upload really is (told by its first bytes, never by its name or declared type), and
serving a stored file privately once the caller has checked the reader's scope (never a public /media/ URL).

Views call a selector first (it raises ``NotAllowed`` for a reader out of scope), then hand the file here.
"""

from collections.abc import Iterable
from typing import Any

from django.core.files.uploadedfile import UploadedFile
from django.http import FileResponse, Http404

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
