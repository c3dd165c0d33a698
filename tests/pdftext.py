"""The text of a PDF as a reader copies it from Chrome or Acrobat.

Typst writes Thai clusters whose marks the shaper moved (น้ำ, ผึ้ง) as a marked-content span with
/ActualText; its ToUnicode map alone gives such clusters wrongly (typst/typst#4225, #7610), and pypdf's
and poppler's extractors ignore /ActualText. This reads the content stream itself: a span's ActualText
replaces its glyphs, other glyphs go through the font's ToUnicode map, and a new line starts when the
baseline moves.
"""

import re
from io import BytesIO
from typing import Any

from pypdf import PdfReader
from pypdf.generic import ContentStream, DictionaryObject


def _to_unicode(font: Any) -> dict[int, str]:
    cmap = font.get_object()["/ToUnicode"].get_object().get_data().decode("latin-1")
    mapping: dict[int, str] = {}
    for block in re.findall(r"beginbfchar(.*?)endbfchar", cmap, re.S):
        for code, text in re.findall(r"<([0-9A-Fa-f]+)>\s*<([0-9A-Fa-f]*)>", block):
            mapping[int(code, 16)] = bytes.fromhex(text).decode("utf-16-be")
    for block in re.findall(r"beginbfrange(.*?)endbfrange", cmap, re.S):
        for low, high, start in re.findall(r"<([0-9A-Fa-f]+)>\s*<([0-9A-Fa-f]+)>\s*<([0-9A-Fa-f]+)>", block):
            first = int(start, 16)
            for offset, code in enumerate(range(int(low, 16), int(high, 16) + 1)):
                mapping[code] = chr(first + offset)
    return mapping


def _glyphs(data: bytes, mapping: dict[int, str]) -> str:
    return "".join(
        mapping.get(int.from_bytes(data[i : i + 2], "big"), "") for i in range(0, len(data) - 1, 2)
    )


def _bytes(string: Any) -> bytes:
    """pypdf gives a PDF string as text or bytes; the glyph codes are its original bytes."""
    return bytes(getattr(string, "original_bytes", string))


def pdf_text(pdf: bytes) -> str:
    reader = PdfReader(BytesIO(pdf))
    lines: list[str] = []
    for page in reader.pages:
        fonts = {name: _to_unicode(font) for name, font in page["/Resources"]["/Font"].items()}
        mapping: dict[int, str] = {}
        spans: list[bool] = []  # True for a span whose ActualText stands for its glyphs
        line: list[str] = []
        baseline: float | None = None
        for operands, operator in ContentStream(page.get_contents(), reader).operations:
            if operator == b"cm" and abs(float(operands[5]) - (baseline or -1e9)) > 2:
                if line:
                    lines.append("".join(line))
                line, baseline = [], float(operands[5])
            elif operator == b"Tf":
                mapping = fonts[operands[0]]
            elif operator == b"BDC":
                properties = operands[1]
                actual = properties.get("/ActualText") if isinstance(properties, DictionaryObject) else None
                spans.append(actual is not None)
                if actual is not None:
                    line.append(str(actual))
            elif operator == b"BMC":
                spans.append(False)
            elif operator == b"EMC" and spans:
                spans.pop()
            elif operator in (b"Tj", b"TJ") and not any(spans):
                parts = operands[0] if operator == b"TJ" else [operands[0]]
                line.extend(
                    _glyphs(_bytes(part), mapping) for part in parts if not isinstance(part, int | float)
                )
        if line:
            lines.append("".join(line))
    return "\n".join(lines)
