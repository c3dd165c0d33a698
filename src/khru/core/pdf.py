"""PDFs through Typst with the Sarabun font: the one place that knows how to call the compiler.

A template is a `.typ` file shipped as package data under `src/khru/`. It reads its data with
`#let data = json(bytes(sys.inputs.data))`, so no value is ever spliced into Typst source text. Only the
bundled Sarabun font is used (never the machine's fonts), so a PDF looks the same everywhere.

Every template is compiled inside a wrapper that sets the text defaults. OpenType mark positioning is
switched off there: with it, Typst draws a repositioned Thai tone mark as a separate glyph run whose
Unicode mapping is its whole cluster, so copying "ผึ้ง" from the PDF gives "ผึ้ผึ้ง" (typst/typst#4225,
#7610). Sarabun stacks its marks through glyph substitution, so the page looks the same without it.
"""

import json
from pathlib import Path
from typing import Any

import fontpkg_sarabun
import typst

FONT_DIR = str(fontpkg_sarabun.ROOT / "files")
PACKAGE_ROOT = Path(__file__).resolve().parent.parent  # src/khru: templates may import across apps

_WRAPPER = """#set text(font: "Sarabun", lang: "th", features: (mark: 0, mkmk: 0))
#include "/{template}"
"""


def render_pdf(template: Path, *, data: Any) -> bytes:
    """Compile `template` with `data` (anything json can write; dates as strings) into PDF bytes."""
    relative = template.resolve().relative_to(PACKAGE_ROOT).as_posix()
    wrapper: bytes = _WRAPPER.format(template=relative).encode()
    pdf: bytes = typst.compile(  # type: ignore[misc]  # the stub cannot infer its Input type var
        wrapper,
        root=str(PACKAGE_ROOT),
        font_paths=[FONT_DIR],
        ignore_system_fonts=True,
        sys_inputs={"data": json.dumps(data, ensure_ascii=False, default=str)},
    )
    return pdf
