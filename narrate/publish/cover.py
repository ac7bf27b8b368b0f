"""Cover art: a square JPEG drawn from the show and episode title, or the user's image fitted.

Apple asks for 1400-3000 px square JPEG or PNG in RGB; every cover narrate writes is one.
"""

from __future__ import annotations

import colorsys
import hashlib
import io
from pathlib import Path

from PIL import Image, ImageDraw, ImageFont, UnidentifiedImageError

from narrate.errors import InputError

COVER_PX = 1400
MIN_PX, MAX_PX = 1400, 3000
JPEG_QUALITY = 90
_FONT_DIRS = ("/usr/share/fonts/truetype/dejavu", "/usr/share/fonts/dejavu",
              "/Library/Fonts", "C:/Windows/Fonts")
_FONT_FILES = ("DejaVuSans-Bold.ttf", "Arial Bold.ttf", "arialbd.ttf")


def _font(size: int) -> ImageFont.FreeTypeFont | ImageFont.ImageFont:
    for folder in _FONT_DIRS:
        for name in _FONT_FILES:
            path = Path(folder) / name
            if path.is_file():
                return ImageFont.truetype(str(path), size)
    return ImageFont.load_default(size)  # Pillow >= 10.1 ships a scalable font


def _palette(show: str) -> tuple[tuple[int, int, int], tuple[int, int, int]]:
    h = int.from_bytes(hashlib.sha256(show.encode("utf-8")).digest()[:4], "big") / 2**32
    top = colorsys.hsv_to_rgb(h, 0.55, 0.55)
    bottom = colorsys.hsv_to_rgb((h + 0.12) % 1.0, 0.75, 0.18)
    return (tuple(int(c * 255) for c in top),  # type: ignore[return-value]
            tuple(int(c * 255) for c in bottom))


def _wrap(draw: ImageDraw.ImageDraw, text: str, font: ImageFont.FreeTypeFont | ImageFont.ImageFont,
          width: int) -> list[str]:
    """Greedy word wrap by rendered width."""
    lines: list[str] = []
    for word in text.split():
        if lines and draw.textlength(f"{lines[-1]} {word}", font=font) <= width:
            lines[-1] = f"{lines[-1]} {word}"
        else:
            lines.append(word)
    return lines or [""]


def _fit_lines(draw: ImageDraw.ImageDraw, text: str, width: int,
               sizes: range) -> tuple[list[str], ImageFont.FreeTypeFont | ImageFont.ImageFont]:
    """The largest font size at which ``text`` wraps into at most 5 lines of ``width`` px."""
    for size in sizes:
        font = _font(size)
        lines = _wrap(draw, text, font, width)
        if len(lines) <= 5 and all(draw.textlength(line, font=font) <= width for line in lines):
            return lines, font
    lines = _wrap(draw, text, font, width)
    return lines[:5], font


def draw_cover(show: str, title: str, *, size: int = COVER_PX) -> bytes:
    """A gradient square with the show name above the episode title; same input, same image."""
    top, bottom = _palette(show)
    image = Image.new("RGB", (size, size))
    draw = ImageDraw.Draw(image)
    for y in range(size):  # vertical gradient
        t = y / (size - 1)
        draw.line([(0, y), (size, y)],
                  fill=tuple(round(a + (b - a) * t) for a, b in zip(top, bottom, strict=True)))
    margin = size // 12
    draw.rectangle([margin // 2, margin // 2, size - margin // 2, size - margin // 2],
                   outline=(255, 255, 255), width=max(2, size // 200))
    show_font = _font(size // 16)
    draw.text((margin, margin), show.upper(), font=show_font, fill=(255, 255, 255))
    lines, font = _fit_lines(draw, title.strip() or show, size - 2 * margin,
                             range(size // 9, size // 30, -4))
    line_h = int(font.size * 1.2) if hasattr(font, "size") else size // 12
    y = size - margin - line_h * len(lines)
    for line in lines:
        draw.text((margin + 3, y + 3), line, font=font, fill=(0, 0, 0))  # soft shadow
        draw.text((margin, y), line, font=font, fill=(255, 255, 255))
        y += line_h
    return _jpeg(image)


def fit_cover(image_file: str | Path | bytes) -> bytes:
    """The user's image (a file, or its bytes: an EPUB's cover) as a square RGB JPEG of
    1400-3000 px (centre-cropped, scaled)."""
    name = "" if isinstance(image_file, bytes) else f" {image_file}"
    source = io.BytesIO(image_file) if isinstance(image_file, bytes) else Path(image_file)
    try:
        with Image.open(source) as img:
            img.load()
            image = img.convert("RGB")
    except Image.DecompressionBombError as e:
        raise InputError(f"cover image{name} is {_size_of(source)} px, too large to read "
                         f"safely; use one of at most {MAX_PX}x{MAX_PX} px") from e
    except (OSError, UnidentifiedImageError) as e:
        raise InputError(f"cannot read cover image{name}: use a JPEG or PNG file") from e
    side = min(image.size)
    left, top = (image.width - side) // 2, (image.height - side) // 2
    image = image.crop((left, top, left + side, top + side))
    target = max(MIN_PX, min(MAX_PX, side))
    if target != side:
        image = image.resize((target, target), Image.Resampling.LANCZOS)
    return _jpeg(image)


def _size_of(source: io.BytesIO | Path) -> str:
    """``WxH`` from the image's header alone (Pillow refuses to open it past its pixel limit;
    the header says the size without decoding anything)."""
    limit = Image.MAX_IMAGE_PIXELS
    try:
        Image.MAX_IMAGE_PIXELS = None  # only the header is read below
        if isinstance(source, io.BytesIO):
            source.seek(0)
        with Image.open(source) as img:
            return f"{img.width}x{img.height}"
    except (OSError, UnidentifiedImageError):
        return "over the pixel limit"
    finally:
        Image.MAX_IMAGE_PIXELS = limit


def _jpeg(image: Image.Image) -> bytes:
    buf = io.BytesIO()
    image.save(buf, "JPEG", quality=JPEG_QUALITY, optimize=True)
    return buf.getvalue()
