"""Text of a PDF as a reader copies it, with pypdf.

Typst marks each Thai cluster (a consonant with its vowels and tone marks, shaped into several glyphs) with
/ActualText, the PDF standard's way to say "this run of glyphs reads as this text"; PDF viewers copy that.
pypdf's extract_text() ignores /ActualText, so this reads the content stream with pypdf and honours it:
glyphs inside a marked span are replaced by the span's text, the rest decode through the font's ToUnicode.
"""

import io
import re

from pypdf import PdfReader
from pypdf.generic import ContentStream

_BFCHAR = re.compile(rb"<([0-9A-Fa-f]+)>\s*<([0-9A-Fa-f]+)>")


def _cmap(font) -> dict[int, str]:
    stream = font.get("/ToUnicode")
    if stream is None:
        return {}
    mapping = {}
    for source, target in _BFCHAR.findall(stream.get_object().get_data()):
        if len(source) <= 4:
            mapping[int(source, 16)] = bytes.fromhex(target.decode()).decode("utf-16-be")
    return mapping


def _decode(data: bytes, cmap: dict[int, str]) -> str:
    return "".join(cmap.get(int.from_bytes(data[i : i + 2], "big"), "") for i in range(0, len(data), 2))


def page_texts(pdf: bytes) -> list[str]:
    reader = PdfReader(io.BytesIO(pdf))
    pages = []
    for page in reader.pages:
        fonts = {name: _cmap(font.get_object()) for name, font in page["/Resources"]["/Font"].items()}
        cmap: dict[int, str] = {}
        out: list[str] = []
        actual: list[str | None] = []  # a stack of marked spans; a string when the span carries ActualText
        # Typst may draw a stacked mark of a cluster in a run of its own after the span; its glyph maps to the
        # whole cluster, which the span already gave.
        last_actual: str | None = None
        for operands, operator in ContentStream(page.get_contents(), reader).operations:
            if operator == b"Tf":
                cmap = fonts.get(operands[0], {})
            elif operator in (b"BDC", b"BMC"):
                props = operands[1] if operator == b"BDC" and len(operands) > 1 else None
                text = props.get("/ActualText") if hasattr(props, "get") else None
                actual.append(str(text) if text is not None else None)
                if text is not None:
                    out.append(str(text))
                    last_actual = str(text)
            elif operator == b"EMC":
                if actual:
                    actual.pop()
            elif operator in (b"Tj", b"TJ"):
                if any(a is not None for a in actual):
                    continue
                parts = operands[0] if operator == b"TJ" else [operands[0]]
                for part in parts:
                    if isinstance(part, bytes | str) and not isinstance(part, int | float):
                        data = part if isinstance(part, bytes) else part.original_bytes  # type: ignore[union-attr]
                        decoded = _decode(data, cmap)
                        if len(decoded) > 1 and decoded == last_actual:
                            continue
                        last_actual = None
                        out.append(decoded)
            elif operator == b"ET":
                out.append("\n")
        pages.append("".join(out))
    return pages


def pdf_text(pdf: bytes) -> str:
    """All pages, with the line breaks between text runs removed (a Thai word may span two runs)."""
    return "".join(page_texts(pdf)).replace("\n", "")
