"""Photo uploads: checked by content (not by name or declared type), size-limited, re-encoded
so that every bit of metadata (EXIF location, camera serials) is dropped."""

from __future__ import annotations

import io
from dataclasses import dataclass

from django.conf import settings
from django.core.exceptions import ValidationError
from django.utils.translation import gettext as _
from PIL import Image, ImageOps, UnidentifiedImageError

ALLOWED_FORMATS = {"JPEG": "image/jpeg", "PNG": "image/png", "WEBP": "image/webp"}
MAX_PIXELS = 40_000_000
MAX_SIDE = 2560


@dataclass(frozen=True)
class CleanPhoto:
    content: bytes
    content_type: str
    width: int
    height: int


def clean_photo(upload) -> CleanPhoto:
    """Validate one uploaded file and return a metadata-free re-encoding of it."""
    name = getattr(upload, "name", "foto")
    if upload.size > settings.MAX_PHOTO_BYTES:
        raise ValidationError(
            _("%(name)s is te groot (maximaal %(max)s MB).")
            % {"name": name, "max": settings.MAX_PHOTO_BYTES // (1024 * 1024)},
            code="photo_size",
        )
    data = upload.read()
    try:
        with Image.open(io.BytesIO(data)) as probe:
            fmt = probe.format
            probe.verify()
        if fmt not in ALLOWED_FORMATS:
            raise ValidationError(
                _("%(name)s is geen foto (alleen JPEG, PNG of WebP).") % {"name": name}, code="photo_type"
            )
        with Image.open(io.BytesIO(data)) as image:
            if image.width * image.height > MAX_PIXELS:
                raise ValidationError(_("%(name)s heeft te veel pixels.") % {"name": name}, code="photo_pixels")
            image = ImageOps.exif_transpose(image)
            image.thumbnail((MAX_SIDE, MAX_SIDE))
            out = io.BytesIO()
            if fmt == "JPEG":
                image.convert("RGB").save(out, "JPEG", quality=85, optimize=True)
            elif fmt == "PNG":
                # convert() builds a new image (no text chunks, no palette lost as with paste into P)
                image.convert("RGBA" if image.has_transparency_data else "RGB").save(out, "PNG", optimize=True)
            else:
                image.save(out, "WEBP", quality=85)
            return CleanPhoto(out.getvalue(), ALLOWED_FORMATS[fmt], image.width, image.height)
    except ValidationError:
        raise
    except (UnidentifiedImageError, OSError, SyntaxError, ValueError, Image.DecompressionBombError) as exc:
        raise ValidationError(
            _("%(name)s is geen geldige foto (alleen JPEG, PNG of WebP).") % {"name": name}, code="photo_type"
        ) from exc


def clean_photos(uploads) -> list[CleanPhoto]:
    uploads = [u for u in uploads if u]
    if len(uploads) > settings.MAX_PHOTOS:
        raise ValidationError(
            _("U kunt maximaal %(max)s foto's meesturen.") % {"max": settings.MAX_PHOTOS}, code="photo_count"
        )
    return [clean_photo(u) for u in uploads]
