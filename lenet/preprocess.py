"""Turn a person's drawing or photo into what an MNIST digit looks like.

MNIST's recipe (LeCun et al. 1998, Section III.A): each digit was size-normalised to fit a
20x20 box, keeping its aspect ratio, with anti-aliasing, then centred by its centre of mass
in a 28x28 field. LeNet-5 reads 32x32, so the field is padded by 2 pixels on every side.
Every intermediate image is returned so the app can show what the network really sees.
"""

import io
from dataclasses import dataclass, field

import numpy as np
from PIL import Image, ImageOps, UnidentifiedImageError

BOX = 20  # MNIST's size-normalisation box, in pixels
FIELD = 28  # MNIST's image size
NETWORK = 32  # LeNet-5's input size
MIN_CONTRAST = 0.15  # ink must differ from the background by this much (of full scale)
NOISE_FLOOR = 0.25  # after stretching, values below this are background (JPEG noise, paper grain)
MIN_INK_FRACTION = 0.001  # fewer inked pixels than this fraction of the image: blank
MAX_PIXELS = 40_000_000  # refuse larger images (decompression bombs) with a clear error
LUMA = np.array([0.299, 0.587, 0.114], dtype=np.float32)  # ITU-R 601 grey from RGB


class ImageReadError(ValueError):
    """Input that is not a readable image; the message says why, for a person."""


@dataclass
class Preprocessed:
    """The result of preprocessing: the 32x32 network image and every step on the way."""

    padded: np.ndarray  # (32, 32) float32 in [0, 1], ink = 1: what the network gets, before scaling
    blank: bool  # True when no ink was found; such an input is never classified
    inverted: bool = False  # True when dark ink on a light background was flipped
    steps: list[tuple[str, np.ndarray]] = field(default_factory=list)  # (caption, image in [0, 1])


def open_image(data: bytes) -> np.ndarray:
    """Decode image bytes (PNG, JPEG, BMP, GIF, WebP, ...) to a uint8 array, or ImageReadError."""
    Image.MAX_IMAGE_PIXELS = MAX_PIXELS
    try:
        with Image.open(io.BytesIO(data)) as img:
            width, height = img.size
            if width * height > MAX_PIXELS:
                raise ImageReadError(f"image is {width}x{height} pixels, more than the {MAX_PIXELS:,} allowed")
            img.seek(0)  # first frame of an animated GIF
            img = ImageOps.exif_transpose(img)  # photos from phones carry their rotation in EXIF
            mode = "RGBA" if "A" in img.getbands() or img.mode == "P" else "RGB"
            return np.asarray(img.convert(mode))
    except ImageReadError:
        raise
    except Image.DecompressionBombError:
        raise ImageReadError(f"image has more than the {MAX_PIXELS:,} pixels allowed") from None
    except UnidentifiedImageError:
        raise ImageReadError("not an image this app can read (PNG, JPEG, BMP, GIF or WebP)") from None
    except (OSError, ValueError, SyntaxError) as err:
        raise ImageReadError(f"the image file is damaged or truncated ({err})") from None


def grey_levels(image: np.ndarray) -> np.ndarray:
    """Any uint8 grey, RGB or RGBA array as float32 grey in [0, 1].

    Transparent pixels are laid on a background that contrasts with the visible ink: on black
    for light ink (the canvas), on white for dark ink (a transparent PNG of a pen drawing).
    """
    arr = np.asarray(image)
    if arr.ndim == 2:
        return arr.astype(np.float32) / 255.0
    if arr.ndim != 3 or arr.shape[2] not in (3, 4):
        raise ImageReadError(f"expected a grey, RGB or RGBA image, got an array of shape {arr.shape}")
    grey = (arr[..., :3].astype(np.float32) / 255.0) @ LUMA
    if arr.shape[2] == 3:
        return grey
    alpha = arr[..., 3].astype(np.float32) / 255.0
    visible = alpha > 0.5
    dark_ink = visible.any() and not visible.all() and grey[visible].mean() < 0.5
    return grey * alpha + (1.0 - alpha) if dark_ink else grey * alpha


def border_level(grey: np.ndarray) -> float:
    """The background's grey level: the median of a ring around the image's edge."""
    h, w = grey.shape
    m = max(1, min(h, w) // 20)
    ring = np.concatenate([grey[:m].ravel(), grey[-m:].ravel(), grey[:, :m].ravel(), grey[:, -m:].ravel()])
    return float(np.median(ring))


def ink_only(grey: np.ndarray) -> tuple[np.ndarray | None, bool]:
    """Light-on-dark ink in [0, 1] with the background at 0, and whether it was inverted.

    Returns None for the image when no ink stands out from the background.
    """
    background = border_level(grey)
    inverted = background > 0.5
    if inverted:
        grey, background = 1.0 - grey, 1.0 - background
    brighter = grey[grey > background + MIN_CONTRAST]
    if brighter.size < max(1, MIN_INK_FRACTION * grey.size):
        return None, inverted
    ink_level = float(np.percentile(brighter, 90))
    stretched = np.clip((grey - background) / (ink_level - background), 0.0, 1.0)
    cleaned = np.clip((stretched - NOISE_FLOOR) / (1.0 - NOISE_FLOOR), 0.0, 1.0)
    if np.count_nonzero(cleaned > 0.5) < MIN_INK_FRACTION * grey.size:
        return None, inverted
    return cleaned.astype(np.float32), inverted


def crop_to_ink(ink: np.ndarray) -> np.ndarray:
    """The smallest rectangle holding every inked pixel."""
    rows, cols = np.nonzero(ink > 0)
    return ink[rows.min() : rows.max() + 1, cols.min() : cols.max() + 1]


def scale_to_box(ink: np.ndarray, box: int = BOX) -> np.ndarray:
    """Scale so the longer side is `box` pixels, keeping the aspect ratio, anti-aliased."""
    h, w = ink.shape
    factor = box / max(h, w)
    size = (max(1, round(w * factor)), max(1, round(h * factor)))
    # Shrinking averages every source pixel that falls in a target pixel (anti-aliasing, as
    # MNIST did); growing a tiny input interpolates instead.
    resample = Image.Resampling.BOX if factor < 1 else Image.Resampling.BILINEAR
    scaled = np.asarray(Image.fromarray(ink, mode="F").resize(size, resample))
    return np.clip(scaled, 0.0, 1.0)


def centre_by_mass(ink: np.ndarray, size: int = FIELD) -> np.ndarray:
    """Place `ink` in a size x size field so that its centre of mass is the field's centre.

    The shift is sub-pixel (bilinear): rounding it to whole pixels would make a digit whose
    centre falls on a half pixel jump by one pixel either way between near-identical drawings.
    """
    rows, cols = np.indices(ink.shape)
    mass = ink.sum()
    cy, cx = (rows * ink).sum() / mass, (cols * ink).sum() / mass
    dy, dx = (size - 1) / 2 - cy, (size - 1) / 2 - cx  # shift that moves the centre of mass to the middle
    # PIL's affine transform maps each output pixel (x, y) to the input pixel (x - dx, y - dy).
    moved = Image.fromarray(ink.astype(np.float32), mode="F").transform(
        (size, size), Image.Transform.AFFINE, (1, 0, -dx, 0, 1, -dy), resample=Image.Resampling.BILINEAR
    )
    return np.clip(np.asarray(moved, dtype=np.float32), 0.0, 1.0)


def pad_to_network(field28: np.ndarray) -> np.ndarray:
    """28x28 to LeNet-5's 32x32: two blank pixels on every side."""
    margin = (NETWORK - field28.shape[0]) // 2
    return np.pad(field28, margin).astype(np.float32)


def preprocess_drawing(image: np.ndarray) -> Preprocessed:
    """A drawing, photo or scan of any size (grey, RGB or RGBA uint8) to an MNIST-like 32x32."""
    grey = grey_levels(image)
    ink, inverted = ink_only(grey)
    shown = 1.0 - grey if inverted else grey
    if ink is None:
        return Preprocessed(np.zeros((NETWORK, NETWORK), np.float32), True, inverted, [("input", shown)])
    cropped = crop_to_ink(ink)
    scaled = scale_to_box(cropped)
    centred = centre_by_mass(scaled)
    padded = pad_to_network(centred)
    steps = [
        ("input" + (", inverted" if inverted else ""), shown),
        ("background removed, cropped", cropped),
        (f"scaled to {BOX} px", scaled),
        (f"centred in {FIELD}x{FIELD}", centred),
        (f"padded to {NETWORK}x{NETWORK}", padded),
    ]
    return Preprocessed(padded, False, inverted, steps)


def preprocess_mnist(digit: np.ndarray) -> Preprocessed:
    """An MNIST digit (28x28 uint8) is already normalised: it only needs padding to 32x32."""
    field28 = np.asarray(digit, dtype=np.float32) / 255.0
    padded = pad_to_network(field28)
    return Preprocessed(padded, not field28.any(), False, [("MNIST 28x28", field28), ("padded to 32x32", padded)])
