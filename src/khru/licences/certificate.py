"""The licence as a PDF (Typst), with a QR code to its public verification page."""

from pathlib import Path

import segno

from khru.core.dates import format_be
from khru.core.pdf import render_pdf
from khru.licences.models import Licence

TEMPLATE = Path(__file__).resolve().parent / "typst" / "licence.typ"


def licence_pdf(licence: Licence, *, verify_url: str) -> bytes:
    """`verify_url` is absolute (the QR code leaves the building); the caller checked access to the licence."""
    qr = segno.make(verify_url, error="m")
    data = {
        "number": licence.number,
        "name_th": licence.person.full_name,
        "name_en": licence.person.full_name_en,
        "type_th": licence.licence_type.name_th,
        "type_en": licence.licence_type.name_en,
        "tier": licence.tier.name_th if licence.tier else "–",
        "issued_on": licence.issued_on.isoformat(),
        "expires_on": licence.expires_on.isoformat(),
        "issued_th": format_be(licence.issued_on, style="long"),
        "expires_th": format_be(licence.expires_on, style="long"),
        "qr_svg": qr.svg_inline(scale=4),
        "verify_url": verify_url,
    }
    return render_pdf(TEMPLATE, data=data)
