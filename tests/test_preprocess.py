"""Preprocessing of synthetic drawings: polarity, crop, scale, centre, blank detection."""

import io

import numpy as np
import pytest
from PIL import Image, ImageDraw

from lenet.preprocess import ImageReadError, open_image, preprocess_drawing


def canvas(draw, size=280, width=20):
    """A white-on-black RGBA canvas like the app's, with `draw(ImageDraw, width)` applied."""
    img = Image.new("RGBA", (size, size), (0, 0, 0, 255))
    draw(ImageDraw.Draw(img), width)
    return np.array(img)


def bar(x0, y0, x1, y1):
    return lambda d, w: d.line([(x0, y0), (x1, y1)], fill=(255, 255, 255, 255), width=w)


def ring(cx, cy, r):
    return lambda d, w: d.ellipse([cx - r, cy - 1.3 * r, cx + r, cy + 1.3 * r], outline=(255, 255, 255, 255), width=w)


def test_vertical_bar_becomes_a_centred_one():
    prep = preprocess_drawing(canvas(bar(140, 40, 140, 240)))
    assert not prep.blank
    field = prep.steps[3][1]
    assert field.shape == (28, 28)
    rows, cols = np.nonzero(field > 0.3)
    assert rows.max() - rows.min() + 1 in (19, 20, 21)  # 20 px tall, MNIST's box
    assert cols.max() - cols.min() + 1 <= 4  # thin, like an MNIST "1"
    mass = field.sum()
    cy = (np.arange(28)[:, None] * field).sum() / mass
    cx = (np.arange(28)[None, :] * field).sum() / mass
    assert abs(cy - 13.5) <= 0.6 and abs(cx - 13.5) <= 0.6
    assert prep.padded.shape == (32, 32) and prep.padded[:2].sum() == 0


def ring_at(cx, cy, scale):
    return canvas(ring(cx, cy, 70 * scale), width=round(20 * scale))


def bar_at(cx, cy, scale):
    return canvas(bar(cx, cy - 100 * scale, cx, cy + 100 * scale), width=round(20 * scale))


@pytest.mark.parametrize("draw", [ring_at, bar_at])
def test_shifted_and_scaled_drawings_give_nearly_the_same_image(draw):
    reference = preprocess_drawing(draw(140, 140, 1.0)).padded
    shifted = preprocess_drawing(draw(100, 180, 1.0)).padded  # off-centre
    small_corner = preprocess_drawing(draw(60, 70, 0.4)).padded  # small, in the top-left corner
    large = preprocess_drawing(draw(140, 140, 1.3)).padded  # filling the canvas
    for other in (shifted, small_corner, large):
        assert np.abs(other - reference).mean() < 0.05  # a one-pixel shift of the ring gives ~0.07
        assert np.corrcoef(other.ravel(), reference.ravel())[0, 1] > 0.9


def test_dark_on_light_equals_its_inverse():
    light_on_dark = canvas(ring(140, 140, 60))
    grey = light_on_dark[..., 0]
    dark_on_light = np.stack([255 - grey] * 3, axis=-1)  # RGB, black ink on white paper
    a, b = preprocess_drawing(light_on_dark), preprocess_drawing(dark_on_light)
    assert b.inverted and not a.inverted
    np.testing.assert_allclose(a.padded, b.padded, atol=1e-5)


def test_noisy_photo_of_dark_ink():
    rng = np.random.default_rng(0)
    clean = canvas(bar(150, 50, 150, 230), width=16)[..., 0].astype(float)
    photo = 200 - 0.6 * clean + rng.normal(0, 8, clean.shape)  # grey paper, grey ink, sensor noise
    buf = io.BytesIO()
    Image.fromarray(np.clip(photo, 0, 255).astype(np.uint8)).convert("RGB").save(buf, "JPEG", quality=60)
    prep = preprocess_drawing(open_image(buf.getvalue()))
    reference = preprocess_drawing(canvas(bar(150, 50, 150, 230), width=16))
    assert prep.inverted and not prep.blank
    assert np.corrcoef(prep.padded.ravel(), reference.padded.ravel())[0, 1] > 0.9


@pytest.mark.parametrize("image", [
    np.zeros((280, 280, 4), np.uint8),  # untouched canvas
    np.full((100, 100, 3), 255, np.uint8),  # white paper
    np.random.default_rng(1).normal(128, 6, (200, 200)).clip(0, 255).astype(np.uint8),  # grey noise only
])
def test_blank_inputs(image):
    prep = preprocess_drawing(image)
    assert prep.blank and not prep.padded.any()


def test_transparent_png_with_dark_ink_is_not_blank():
    img = Image.new("RGBA", (200, 200), (0, 0, 0, 0))
    ImageDraw.Draw(img).line([(100, 30), (100, 170)], fill=(0, 0, 0, 255), width=14)
    prep = preprocess_drawing(np.asarray(img))
    assert not prep.blank and prep.padded.max() > 0.9


def test_open_image_rejects_non_images_and_truncated_files():
    with pytest.raises(ImageReadError, match="not an image"):
        open_image(b"%PDF-1.4 definitely not a picture")
    buf = io.BytesIO()
    Image.new("RGB", (64, 64), "white").save(buf, "PNG")
    with pytest.raises(ImageReadError):
        open_image(buf.getvalue()[:40])


def test_open_image_refuses_huge_images():
    buf = io.BytesIO()
    Image.new("1", (9000, 9000)).save(buf, "PNG")  # 81 Mpixel, a few KB compressed
    with pytest.raises(ImageReadError, match="allowed"):
        open_image(buf.getvalue())
