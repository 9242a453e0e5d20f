"""The entrance photo staff upload for a place: checked by its bytes, decoded safely and stored
as a resized JPEG without its metadata.

Only PNG, JPEG and WebP are taken, recognised by their first bytes (kohtaamispaikat.core.uploads),
whatever the file is called. The pixel count is read from the header before anything is decoded,
so a small file that would unpack into gigabytes (a decompression bomb) is refused with a message
rather than filling the memory. The stored copy is made anew by Pillow: at most
ENTRANCE_PHOTO_MAX_SIDE pixels on its longer side, turned as the camera's orientation tag says,
and written without EXIF, so a phone's GPS position never reaches the site.
"""

import io
import warnings

from django.conf import settings
from django.core.exceptions import ValidationError
from django.core.files.base import ContentFile
from django.template.defaultfilters import filesizeformat
from django.utils.translation import gettext_lazy as _
from PIL import Image, ImageOps, UnidentifiedImageError

from kohtaamispaikat.core.uploads import JPEG, PNG, WEBP, random_upload_name, sniff

ACCEPTED = (JPEG, PNG, WEBP)
JPEG_QUALITY = 85

EMPTY_MESSAGE = _("The file is empty.")
TOO_LARGE_MESSAGE = _("The photo is %(size)s; at most %(limit)s is accepted.")
NOT_AN_IMAGE_MESSAGE = _("This is not a photo: upload a JPEG, PNG or WebP image.")
TOO_MANY_PIXELS_MESSAGE = _(
    "The photo is %(width)s × %(height)s pixels; at most %(limit)s million pixels are "
    "accepted. Make it smaller and upload it again."
)
BROKEN_MESSAGE = _("The photo could not be read: the file is damaged or incomplete.")


def upload_to(place, filename):
    return random_upload_name("entrances", filename)


def prepare_entrance_photo(upload):
    """The photo to store for ``upload`` (an uploaded file): a resized JPEG ContentFile, or a
    ValidationError saying why not."""
    max_bytes = settings.ENTRANCE_PHOTO_MAX_BYTES
    if upload.size == 0:
        raise ValidationError(EMPTY_MESSAGE, code="empty")
    if upload.size > max_bytes:
        raise ValidationError(
            TOO_LARGE_MESSAGE,
            code="too_large",
            params={"size": filesizeformat(upload.size), "limit": filesizeformat(max_bytes)},
        )
    if sniff(upload) not in ACCEPTED:
        raise ValidationError(NOT_AN_IMAGE_MESSAGE, code="type")
    max_pixels = settings.ENTRANCE_PHOTO_MAX_PIXELS
    try:
        with warnings.catch_warnings():
            # Pillow only warns below twice its own limit; ours is checked first anyway.
            warnings.simplefilter("error", Image.DecompressionBombWarning)
            image = Image.open(upload)
            width, height = image.size
            if width * height > max_pixels:
                raise ValidationError(
                    TOO_MANY_PIXELS_MESSAGE,
                    code="too_many_pixels",
                    params={
                        "width": width,
                        "height": height,
                        "limit": f"{max_pixels / 1_000_000:g}",
                    },
                )
            image.load()
            photo = ImageOps.exif_transpose(image).convert("RGB")
    except (Image.DecompressionBombError, Image.DecompressionBombWarning):
        raise ValidationError(
            TOO_MANY_PIXELS_MESSAGE,
            code="too_many_pixels",
            params={"width": "?", "height": "?", "limit": f"{max_pixels / 1_000_000:g}"},
        ) from None
    except (UnidentifiedImageError, OSError, SyntaxError, ValueError):
        raise ValidationError(BROKEN_MESSAGE, code="broken") from None
    finally:
        upload.seek(0)
    side = settings.ENTRANCE_PHOTO_MAX_SIDE
    photo.thumbnail((side, side), Image.Resampling.LANCZOS)
    output = io.BytesIO()
    photo.save(output, "JPEG", quality=JPEG_QUALITY, optimize=True)
    return ContentFile(output.getvalue(), name="entrance.jpg")
