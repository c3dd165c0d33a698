"""The shared file helpers: an upload is told by its first bytes, and a stored file is served privately."""

import io

import pytest
from django.core.files.base import ContentFile
from django.core.files.uploadedfile import SimpleUploadedFile
from django.http import Http404

from khru.core import files

PDF = b"%PDF-1.4\n..."
PNG = b"\x89PNG\r\n\x1a\n" + b"\0" * 8
JPEG = b"\xff\xd8\xff\xe0" + b"\0" * 12
WEBP = b"RIFF\0\0\0\0WEBPVP8 "
HTML = b"<!doctype html><script>"


def test_sniff_tells_the_type_by_the_first_bytes_within_what_is_accepted() -> None:
    assert files.sniff(PDF) == ("application/pdf", "pdf")
    assert files.sniff(PNG) == ("image/png", "png")
    assert files.sniff(JPEG) == ("image/jpeg", "jpg")
    assert files.sniff(WEBP) is None  # evidence: PDF, JPEG or PNG only
    assert files.sniff(WEBP, files.DOCUMENTS_AND_WEBP) == ("image/webp", "webp")
    assert files.sniff(HTML, files.DOCUMENTS_AND_WEBP) is None
    assert files.sniff(b"") is None


def test_read_capped_reads_one_byte_past_the_limit_only() -> None:
    upload = SimpleUploadedFile("big.pdf", PDF + b"0" * 100)
    assert len(files.read_capped(upload, 20)) == 21
    assert files.read_capped(SimpleUploadedFile("small.pdf", PDF), 100) == PDF


class _Stored:
    """A stand-in for a FieldFile: what serve_sniffed needs is open("rb")."""

    def __init__(self, content: bytes) -> None:
        self.content = content

    def open(self, mode: str) -> io.BytesIO:
        return io.BytesIO(self.content)


def test_serve_sniffed_names_the_file_and_keeps_it_out_of_caches() -> None:
    response = files.serve_sniffed(_Stored(PNG), name="evidence-1")
    assert response["Content-Type"] == "image/png"
    assert response["Content-Disposition"] == 'inline; filename="evidence-1.png"'
    assert response["X-Content-Type-Options"] == "nosniff"
    assert response["Cache-Control"] == "private, no-store"
    assert b"".join(response.streaming_content) == PNG


def test_serve_sniffed_refuses_what_is_not_accepted() -> None:
    with pytest.raises(Http404):
        files.serve_sniffed(_Stored(HTML), name="x")
    with pytest.raises(Http404):
        files.serve_sniffed(_Stored(WEBP), name="x")
    assert files.serve_sniffed(_Stored(WEBP), name="x", accept=files.DOCUMENTS_AND_WEBP)["Content-Type"] == (
        "image/webp"
    )


def test_private_response_without_a_name_sets_no_disposition() -> None:
    response = files.private_response(ContentFile(JPEG).open("rb"), "image/jpeg")
    assert "Content-Disposition" not in response
    assert response["Cache-Control"] == "private, no-store"
