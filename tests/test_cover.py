import io

import pytest
from PIL import Image

from narrate.errors import InputError
from narrate.publish.cover import draw_cover, fit_cover


def _open(data: bytes) -> Image.Image:
    image = Image.open(io.BytesIO(data))
    image.load()
    return image


def test_drawn_cover_is_a_square_rgb_jpeg():
    image = _open(draw_cover("Night Tales", "A Very Long Title " * 6))
    assert image.format == "JPEG" and image.mode == "RGB"
    assert image.size == (1400, 1400)


def test_drawn_cover_is_deterministic_and_differs_by_title():
    a = draw_cover("Show", "One")
    assert a == draw_cover("Show", "One")
    assert a != draw_cover("Show", "Two")


def test_drawn_cover_has_text():
    plain = _open(draw_cover("S", "")).convert("L")
    lit = _open(draw_cover("S", "Words on the cover")).convert("L")
    assert sum(lit.histogram()[240:]) > sum(plain.histogram()[240:])  # white lettering


@pytest.mark.parametrize(("size", "expected"), [((800, 600), 1400), ((4000, 3000), 3000),
                                                ((2000, 2100), 2000)])
def test_user_cover_fitted(tmp_path, size, expected):
    path = tmp_path / "c.png"
    Image.new("RGBA", size, (10, 200, 30, 255)).save(path)
    image = _open(fit_cover(path))
    assert image.format == "JPEG" and image.mode == "RGB"
    assert image.size == (expected, expected)


def test_user_cover_not_an_image(tmp_path):
    path = tmp_path / "c.jpg"
    path.write_text("not a picture")
    with pytest.raises(InputError, match="cannot read cover image"):
        fit_cover(path)


def test_a_huge_cover_is_refused_for_its_size_not_its_format(tmp_path):
    """20000x20000 px was refused with "use a JPEG or PNG file" (issue 15.12)."""
    huge = tmp_path / "huge.png"
    Image.new("1", (20000, 20000)).save(huge)
    with pytest.raises(InputError, match=r"20000x20000 px.*at most 3000x3000") as caught:
        fit_cover(huge)
    assert "JPEG or PNG" not in str(caught.value)
