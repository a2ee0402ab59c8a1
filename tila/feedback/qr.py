"""QR codes of public feedback links, as SVG (segno)."""

from __future__ import annotations

import io

import segno
from django.conf import settings
from django.urls import reverse
from django.utils import translation


def public_path(unit_id: str, language: str | None = None, resource_id: str = "") -> str:
    with translation.override(language or translation.get_language() or settings.LANGUAGE_CODE):
        path = reverse("feedback:public", kwargs={"unit_id": unit_id})
    return f"{path}?resource={resource_id}" if resource_id else path


def public_url(unit_id: str, language: str | None = None, resource_id: str = "") -> str:
    return f"{settings.SITE_URL}{public_path(unit_id, language, resource_id)}"


def qr_svg(data: str, *, title: str = "", scale: int = 6) -> str:
    """An SVG QR code of `data` (error correction M, quiet zone included), black on white."""
    code = segno.make(data, error="m", micro=False)
    out = io.BytesIO()
    code.save(out, kind="svg", scale=scale, light="#fff", xmldecl=False, svgns=True, title=title or None, nl=False)
    return out.getvalue().decode()
