"""Checks for uploaded images: a real image (Pillow opens and verifies it), an allowed format,
within a size limit in bytes and in pixels. The file's name and its claimed content type are not
trusted."""

from __future__ import annotations

from typing import Any

from django.conf import settings
from django.core.exceptions import ValidationError
from django.utils.translation import gettext_lazy as _
from PIL import Image, UnidentifiedImageError

ALLOWED_FORMATS = {"JPEG", "PNG", "WEBP", "GIF"}
DEFAULT_MAX_BYTES = 5 * 1024 * 1024
MAX_PIXELS = 40_000_000


def max_upload_bytes() -> int:
    return int(getattr(settings, "TILA_MAX_IMAGE_BYTES", DEFAULT_MAX_BYTES))


def _open_and_verify(upload: Any) -> str:
    position = upload.tell() if hasattr(upload, "tell") else 0
    try:
        upload.seek(0)
        with Image.open(upload) as image:
            fmt = str(image.format or "")
            width, height = image.size
            image.verify()
    except (UnidentifiedImageError, OSError, SyntaxError, ValueError, Image.DecompressionBombError) as exc:
        raise ValidationError(_("The file is not an image that can be shown."), code="invalid_image") from exc
    finally:
        upload.seek(position)
    if width * height > MAX_PIXELS:
        raise ValidationError(_("The image has too many pixels."), code="image_too_large")
    return fmt


def validate_image_upload(upload: Any) -> None:
    """Raise ValidationError unless `upload` is a JPEG, PNG, WebP or GIF image within the limits."""
    if upload is None or not hasattr(upload, "read"):
        return
    limit = max_upload_bytes()
    if (getattr(upload, "size", 0) or 0) > limit:
        raise ValidationError(
            _("The image is too large: at most %(megabytes)s MB."),
            code="file_too_large",
            params={"megabytes": limit // (1024 * 1024)},
        )
    fmt = _open_and_verify(upload)
    if fmt not in ALLOWED_FORMATS:
        raise ValidationError(_("Upload a JPEG, PNG, WebP or GIF image."), code="invalid_image_type")
