"""What a commitment's evidence may be: a document or an image, told from its bytes, never from its name.

Evidence is downloaded by people who verify progress, so a file is accepted only when its content is a
document Concord reads (PDF, Word DOCX, plain text or Markdown: the checks of
:func:`concord.engine.intake.check_upload`) or an image (PNG, JPEG, GIF or WebP) that opens as one.
HTML pages and SVG images are refused, since they can carry scripts; so are programs, archives and
anything else. A refusal is an :class:`~.errors.ExtractionError` with the library's codes (E101–E114), and
``params["why"] == "evidence"`` on an E103 so that the message can name what evidence may be, or E115 for
an image that does not open.
"""

from __future__ import annotations

import io
import warnings

from .constants import DEFAULT_MAX_BYTES
from .errors import CorruptImageError, TypeMismatchError, UnsupportedTypeError
from .extract import _ALIASES, HTML, sniff
from .intake import check_upload

PNG = "image/png"
JPEG = "image/jpeg"
GIF = "image/gif"
WEBP = "image/webp"
IMAGE_NAMES = {PNG: "a PNG image", JPEG: "a JPEG image", GIF: "a GIF image", WEBP: "a WebP image"}
# The names and declared types that claim an image; a claim that disagrees with the bytes is refused (E104).
_IMAGE_CLAIMS = {
    "png": PNG,
    "image/png": PNG,
    "jpg": JPEG,
    "jpeg": JPEG,
    "jpe": JPEG,
    "image/jpeg": JPEG,
    "image/pjpeg": JPEG,
    "gif": GIF,
    "image/gif": GIF,
    "webp": WEBP,
    "image/webp": WEBP,
}
# Pillow's decompression-bomb guard: an image over this many pixels is refused, not decoded.
MAX_IMAGE_PIXELS = 80_000_000


def image_type(data: bytes) -> str | None:
    """The image type of ``data`` from its magic number, or None when it is not an accepted image."""
    if data.startswith(b"\x89PNG\r\n\x1a\n"):
        return PNG
    if data.startswith(b"\xff\xd8\xff"):
        return JPEG
    if data.startswith((b"GIF87a", b"GIF89a")):
        return GIF
    if data[:4] == b"RIFF" and data[8:12] == b"WEBP":
        return WEBP
    return None


def check_evidence(
    data: bytes,
    *,
    filename: str | None = None,
    declared_type: str | None = None,
    max_bytes: int = DEFAULT_MAX_BYTES,
) -> str:
    """The media type of an evidence file; raises an ``ExtractionError`` naming the problem otherwise."""
    image = image_type(data)
    if image is None:
        sniffed = sniff(data)
        if data.strip() and sniffed.media_type is None:  # a program, an archive, another image type...
            raise _not_evidence(sniffed.description)
        try:
            media_type = check_upload(
                data, filename=filename, declared_type=declared_type, max_bytes=max_bytes
            )
        except UnsupportedTypeError as exc:
            what = exc.params.get("what") or sniffed.description
            raise _not_evidence(what) from None
        if media_type == HTML:
            raise _not_evidence("an HTML page")
        return media_type
    if len(data) > max_bytes:
        check_upload(data, max_bytes=max_bytes)  # raises the library's E101
    _check_image_claim(image, filename, declared_type)
    _check_image_opens(data, image)
    return image


def _not_evidence(what: str) -> UnsupportedTypeError:
    return UnsupportedTypeError(
        f"The file is {what}, which is not accepted as evidence. Attach a document (PDF, Word DOCX, plain "
        "text or Markdown) or an image (PNG, JPEG, GIF or WebP).",
        params={"why": "evidence", "what": what},
    )


def _check_image_claim(image: str, filename: str | None, declared_type: str | None) -> None:
    claims = []
    key = (declared_type or "").split(";")[0].strip().lower()
    if key and key not in ("application/octet-stream", "binary/octet-stream"):
        claims.append((key, f"declared as {declared_type}"))
    if filename and "." in filename:
        extension = filename.rsplit(".", 1)[1].lower()
        claims.append((extension, f"named {filename!r}"))
    for claim, source in claims:
        claimed = _IMAGE_CLAIMS.get(claim) or _ALIASES.get(claim)
        if claimed is not None and claimed != image:
            what = IMAGE_NAMES.get(claimed) or {"application/pdf": "a PDF"}.get(claimed, claimed)
            raise TypeMismatchError(
                f"The file is {source}, so it should be {what}, but its content is {IMAGE_NAMES[image]}. "
                "Upload the right file, or give it the name or type that matches its content.",
                params={"claimed": what, "what": IMAGE_NAMES[image]},
            )


def _check_image_opens(data: bytes, image: str) -> None:
    from PIL import Image  # Pillow comes with WeasyPrint; imported here so the engine loads without it

    try:
        with warnings.catch_warnings():
            warnings.simplefilter("ignore", Image.DecompressionBombWarning)
            with Image.open(io.BytesIO(data)) as picture:
                width, height = picture.size
                if width * height > MAX_IMAGE_PIXELS:
                    raise CorruptImageError(
                        f"The image is {width} × {height} pixels, more than {MAX_IMAGE_PIXELS:,} pixels, "
                        "so it was not opened. Attach a smaller image.",
                        params={"why": "pixels", "what": IMAGE_NAMES[image]},
                    )
                picture.verify()
    except CorruptImageError:
        raise
    except Exception as exc:  # noqa: BLE001 - Pillow raises many types for a damaged file
        raise CorruptImageError(
            f"The file looks like {IMAGE_NAMES[image]} but cannot be opened: it is damaged or truncated "
            f"({exc}). Save the image again and attach the new file.",
            params={"what": IMAGE_NAMES[image]},
        ) from None
