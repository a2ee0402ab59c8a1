"""Tila's Content-Security-Policy (for django-csp), built from a few settings.

Scripts and stylesheets come only from Tila itself (`/static/`, the vendored htmx); no inline
script and no `eval`. Inline `style="…"` attributes stay allowed (`style-src-attr`) because the
staff calendar positions its blocks with them and the Django admin uses a few; `<style>`
elements are not. Images may also come over HTTPS from elsewhere (a resource image can be an
external address). Nothing may frame Tila. This module imports nothing from Django, so the
settings module can call it.
"""

from __future__ import annotations

from typing import Any

SELF = "'self'"
NONE = "'none'"
UNSAFE_INLINE = "'unsafe-inline'"


def policy(
    *, img_sources: list[str] | None = None, connect_sources: list[str] | None = None, report_uri: str = ""
) -> dict[str, Any]:
    """The `CONTENT_SECURITY_POLICY` setting for django-csp 4."""
    directives: dict[str, Any] = {
        "default-src": [SELF],
        "script-src": [SELF],
        "style-src": [SELF],
        "style-src-elem": [SELF],
        "style-src-attr": [UNSAFE_INLINE],
        "img-src": [SELF, "data:", "https:", *(img_sources or [])],
        "font-src": [SELF],
        "connect-src": [SELF, *(connect_sources or [])],
        "object-src": [NONE],
        "base-uri": [SELF],
        "frame-ancestors": [NONE],
        "frame-src": [NONE],
        "worker-src": [SELF],
        "manifest-src": [SELF],
    }
    if report_uri:
        directives["report-uri"] = [report_uri]
    return {"DIRECTIVES": directives}
