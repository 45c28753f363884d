"""The coach's photo: check that an upload is a real image, and make the sizes we serve.

Pure: bytes in, bytes out (Pillow only; no Flask, no database). Every size is re-encoded from
the decoded pixels, so nothing of the upload but its picture survives: no EXIF (camera, place,
time), no ICC profile, no comments, no trailing data.
"""
import hashlib
import io
import warnings

from PIL import Image, ImageOps

MAX_BYTES = 3_000_000  # the uploaded file; under the proxy's 4 MB body limit (deploy/nginx.conf)
MAX_PIXELS = 40_000_000  # width × height; a larger one is a decompression bomb or not a portrait
MIN_SIDE = 64
FORMATS = ("JPEG", "PNG", "WEBP", "GIF")
TOO_LARGE = "That photo is too large: choose one under 3 MB."


class PhotoRefused(ValueError):
    """An upload we won't use; the message says why, for the coach."""


def photo_sizes(data, sizes):
    """{name: (jpeg_bytes, width, height)} for each `sizes` {name: longest side}, and the digest of
    the result. Raises PhotoRefused for anything that is not a usable picture."""
    if len(data) > MAX_BYTES:
        raise PhotoRefused(TOO_LARGE)
    image = _open(data)
    made = {name: _resized(image, side) for name, side in sizes.items()}
    digest = hashlib.sha256(b"".join(made[name][0] for name in sorted(made))).hexdigest()[:32]
    return made, digest


def _open(data):
    not_a_picture = PhotoRefused("That file isn’t a picture we can use: choose a JPEG, PNG, WebP or GIF photo.")
    try:
        with warnings.catch_warnings():
            warnings.simplefilter("error", Image.DecompressionBombWarning)
            image = Image.open(io.BytesIO(data), formats=FORMATS)
            width, height = image.size
            if width * height > MAX_PIXELS:
                raise PhotoRefused(f"That photo has too many pixels ({width} × {height}): choose one under 40 megapixels.")
            image.load()
    except PhotoRefused:
        raise
    except (Image.DecompressionBombError, Image.DecompressionBombWarning):
        raise PhotoRefused("That photo has too many pixels: choose one under 40 megapixels.") from None
    except Exception:  # noqa: BLE001 - Pillow raises many kinds for broken or foreign files
        raise not_a_picture from None
    if min(width, height) < MIN_SIDE:
        raise PhotoRefused(f"That picture is too small ({width} × {height}): choose one at least {MIN_SIDE} pixels wide and high.")
    image = ImageOps.exif_transpose(image)  # a phone's portrait shot stands upright once the tag is gone
    if image.mode in ("RGBA", "LA", "P", "PA"):
        image = image.convert("RGBA")
        flat = Image.new("RGB", image.size, "white")
        flat.paste(image, mask=image.getchannel("A"))
        return flat
    return image.convert("RGB")


def _resized(image, longest):
    copy = image.copy()
    copy.thumbnail((longest, longest), Image.Resampling.LANCZOS)
    out = io.BytesIO()
    copy.save(out, "JPEG", quality=85, optimize=True, progressive=True)  # no exif=, no icc_profile=: stripped
    return out.getvalue(), copy.width, copy.height
