"""MNIST IDX reading and checksums, against tiny files written here and the real files."""

import gzip
import hashlib
import shutil
import struct

import numpy as np
import pytest

from lenet.mnist import MNIST_DIR, MnistError, load_mnist, parse_idx, read_idx_file


def idx_images(images: np.ndarray) -> bytes:
    n, rows, cols = images.shape
    return struct.pack(">IIII", 2051, n, rows, cols) + images.astype(np.uint8).tobytes()


def idx_labels(labels: np.ndarray) -> bytes:
    return struct.pack(">II", 2049, len(labels)) + labels.astype(np.uint8).tobytes()


def write_split(tmp_path, images, labels, corrupt=None):
    """Write a tiny 'test' split (gzipped IDX + SHA256SUMS) as the real assets are laid out."""
    files = {"t10k-images-idx3-ubyte": idx_images(images), "t10k-labels-idx1-ubyte": idx_labels(labels)}
    sums = []
    for name, data in files.items():
        sums.append(f"{hashlib.sha256(data).hexdigest()}  {name}")
        if name == corrupt:
            data = data[:-1] + bytes([data[-1] ^ 0xFF])
        (tmp_path / f"{name}.gz").write_bytes(gzip.compress(data))
    (tmp_path / "SHA256SUMS").write_text("\n".join(sums) + "\n")


def test_tiny_idx_round_trip(tmp_path):
    images = np.arange(3 * 4 * 5, dtype=np.uint8).reshape(3, 4, 5)
    labels = np.array([7, 0, 9], dtype=np.uint8)
    write_split(tmp_path, images, labels)
    digits = load_mnist("test", tmp_path)
    np.testing.assert_array_equal(digits.images, images)
    np.testing.assert_array_equal(digits.labels, labels)


def test_header_is_big_endian():
    data = struct.pack(">IIII", 2051, 1, 2, 3) + bytes(range(6))
    assert parse_idx(data).shape == (1, 2, 3)
    with pytest.raises(MnistError, match="magic number"):
        parse_idx(struct.pack("<IIII", 2051, 1, 2, 3) + bytes(6))


def test_truncated_file_names_sizes():
    data = idx_labels(np.zeros(10))[:-3]
    with pytest.raises(MnistError, match=r"15 bytes, expected 18"):
        parse_idx(data, "labels")


def test_checksum_failure_names_file_and_expected(tmp_path):
    write_split(tmp_path, np.zeros((2, 3, 3)), np.array([1, 2]), corrupt="t10k-labels-idx1-ubyte")
    with pytest.raises(MnistError, match=r"t10k-labels-idx1-ubyte\.gz.*expected [0-9a-f]{64}"):
        load_mnist("test", tmp_path)


def test_missing_file_is_named(tmp_path):
    write_split(tmp_path, np.zeros((2, 3, 3)), np.array([1, 2]))
    (tmp_path / "t10k-images-idx3-ubyte.gz").unlink()
    with pytest.raises(MnistError, match=r"t10k-images-idx3-ubyte\.gz: file not found"):
        load_mnist("test", tmp_path)


def test_not_gzip_garbage_is_reported(tmp_path):
    shutil.copy(MNIST_DIR / "SHA256SUMS", tmp_path / "SHA256SUMS")
    (tmp_path / "t10k-labels-idx1-ubyte.gz").write_bytes(b"\x1f\x8b" + b"not really gzip")
    with pytest.raises(MnistError, match="cannot be decompressed"):
        read_idx_file(tmp_path, "t10k-labels-idx1-ubyte", {"t10k-labels-idx1-ubyte": "0" * 64})


def test_real_mnist_files():
    test, train = load_mnist("test"), load_mnist("train")
    assert test.images.shape == (10_000, 28, 28) and train.images.shape == (60_000, 28, 28)
    assert test.images.dtype == np.uint8
    assert np.bincount(test.labels).tolist() == [980, 1135, 1032, 1010, 982, 892, 958, 1028, 974, 1009]
    assert test.labels[:5].tolist() == [7, 2, 1, 0, 4]
