"""The MNIST database, read from the original IDX files shipped in assets/mnist/.

IDX format (LeCun et al.): a big-endian header, magic 2051 for images (then count, rows,
columns) or 2049 for labels (then count), followed by unsigned bytes. Files may be gzipped.
Each file is checked against the SHA-256 of its decompressed bytes listed in SHA256SUMS.
"""

import gzip
import hashlib
import struct
from dataclasses import dataclass
from functools import lru_cache
from pathlib import Path

import numpy as np

MNIST_DIR = Path(__file__).resolve().parent.parent / "assets" / "mnist"
IMAGES_MAGIC, LABELS_MAGIC = 2051, 2049
SPLITS = {
    "train": ("train-images-idx3-ubyte", "train-labels-idx1-ubyte"),
    "test": ("t10k-images-idx3-ubyte", "t10k-labels-idx1-ubyte"),
}


class MnistError(ValueError):
    """A data file that is missing, truncated, altered or not IDX; the message names it."""


@dataclass(frozen=True)
class Digits:
    images: np.ndarray  # (N, 28, 28) uint8, ink = 255
    labels: np.ndarray  # (N,) uint8, 0-9


def read_bytes(path: Path) -> bytes:
    """The decompressed bytes of a plain or gzipped file."""
    try:
        raw = Path(path).read_bytes()
        return gzip.decompress(raw) if raw[:2] == b"\x1f\x8b" else raw
    except FileNotFoundError:
        raise MnistError(f"{path}: file not found") from None
    except (OSError, EOFError, gzip.BadGzipFile) as err:
        raise MnistError(f"{path}: cannot be decompressed ({err})") from None


def parse_idx(data: bytes, name: str = "<bytes>") -> np.ndarray:
    """An IDX image (magic 2051) or label (magic 2049) file as a uint8 array."""
    if len(data) < 8:
        raise MnistError(f"{name}: {len(data)} bytes is too short for an IDX header")
    magic, count = struct.unpack(">II", data[:8])
    if magic == IMAGES_MAGIC:
        if len(data) < 16:
            raise MnistError(f"{name}: {len(data)} bytes is too short for an IDX image header")
        rows, cols = struct.unpack(">II", data[8:16])
        shape, offset = (count, rows, cols), 16
    elif magic == LABELS_MAGIC:
        shape, offset = (count,), 8
    else:
        raise MnistError(f"{name}: magic number {magic}, expected {IMAGES_MAGIC} or {LABELS_MAGIC}")
    expected = offset + int(np.prod(shape))
    if len(data) != expected:
        raise MnistError(f"{name}: {len(data)} bytes, expected {expected} for shape {shape}")
    return np.frombuffer(data, dtype=np.uint8, offset=offset).reshape(shape)


def read_checksums(directory: Path) -> dict[str, str]:
    """SHA256SUMS as {file name: hex digest}."""
    path = Path(directory) / "SHA256SUMS"
    try:
        lines = path.read_text().splitlines()
    except FileNotFoundError:
        raise MnistError(f"{path}: file not found") from None
    return {name.strip(): digest for digest, name in (line.split(maxsplit=1) for line in lines if line.strip())}


def read_idx_file(directory: Path, stem: str, checksums: dict[str, str]) -> np.ndarray:
    """Read `stem` (or `stem`.gz) from `directory`, verify its SHA-256, parse it."""
    directory = Path(directory)
    path = directory / stem if (directory / stem).exists() else directory / f"{stem}.gz"
    data = read_bytes(path)
    expected = checksums.get(stem)
    if expected is None:
        raise MnistError(f"{path}: no checksum for {stem} in {directory / 'SHA256SUMS'}")
    actual = hashlib.sha256(data).hexdigest()
    if actual != expected:
        raise MnistError(f"{path}: SHA-256 of the decompressed data is {actual}, expected {expected}")
    return parse_idx(data, str(path))


@lru_cache(maxsize=4)
def load_mnist(split: str, directory: Path = MNIST_DIR) -> Digits:
    """The 'train' (60,000) or 'test' (10,000) split, checksum-verified. Cached per process."""
    images_stem, labels_stem = SPLITS[split]
    checksums = read_checksums(directory)
    images = read_idx_file(directory, images_stem, checksums)
    labels = read_idx_file(directory, labels_stem, checksums)
    if images.ndim != 3 or len(images) != len(labels):
        raise MnistError(f"{directory}: {split} has {len(images)} images but {len(labels)} labels")
    return Digits(images=images, labels=labels)
