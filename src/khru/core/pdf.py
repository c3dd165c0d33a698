"""PDFs through Typst with the Sarabun font: the one place that knows how to call the compiler.

A template is a `.typ` file shipped as package data. It reads its data with
`#let data = json(bytes(sys.inputs.data))`, so no value is ever spliced into Typst source text.
Only the bundled Sarabun font is used (never the machine's fonts), so a PDF looks the same everywhere.
"""

import json
from pathlib import Path
from typing import Any

import fontpkg_sarabun
import typst

FONT_DIR = str(fontpkg_sarabun.ROOT / "files")


def render_pdf(template: Path, *, data: Any) -> bytes:
    """Compile `template` with `data` (anything json can write; dates as strings) into PDF bytes."""
    return typst.compile(
        str(template),
        root=str(template.parent),
        font_paths=[FONT_DIR],
        ignore_system_fonts=True,
        sys_inputs={"data": json.dumps(data, ensure_ascii=False, default=str)},
    )
