"""QR codes drawn on the server as SVG: no outside service sees the secret, no script runs."""

from __future__ import annotations

import qrcode
import qrcode.image.svg


def qr_svg(text: str) -> str:
    image = qrcode.make(text, image_factory=qrcode.image.svg.SvgPathImage, box_size=8, border=2)
    svg: bytes = image.to_string(encoding="utf-8")
    # No XML declaration inside HTML; the size comes from CSS, the label from the page.
    body = svg.decode().split("?>", 1)[-1].strip()
    return body.replace("<svg ", '<svg role="img" class="qr-code" ', 1)
