"""Reading tools/data's cache files."""

from __future__ import annotations

import os
import struct
import tempfile
import unittest
import zlib

import numpy as np

from twin.data import read_cache


def cache_bytes(name: str, size: int, train: np.ndarray, test: np.ndarray, classes: list[str], labels: list[int]) -> bytes:
    """A cache file as model/data.WriteSet writes it."""
    head = b"FSDS" + struct.pack("<5I", 1, size, len(train), len(test), len(classes))
    for s in [name] + classes:
        head += struct.pack("<H", len(s.encode())) + s.encode()
    head += struct.pack(f"<{len(labels)}i", *labels)
    body = head + train.tobytes() + test.tobytes()
    return body + struct.pack("<I", zlib.crc32(body))


class CacheTest(unittest.TestCase):
    def setUp(self) -> None:
        rng = np.random.default_rng(1)
        self.train = rng.integers(0, 256, (3, 3, 4, 4), dtype=np.uint8)
        self.test = rng.integers(0, 256, (1, 3, 4, 4), dtype=np.uint8)
        self.raw = cache_bytes("dots", 4, self.train, self.test, ["a", "b"], [0, 1, -1, 1])
        self.dir = tempfile.TemporaryDirectory()

    def tearDown(self) -> None:
        self.dir.cleanup()

    def write(self, raw: bytes) -> str:
        path = os.path.join(self.dir.name, "x.fsds")
        with open(path, "wb") as fh:
            fh.write(raw)
        return path

    def test_read(self) -> None:
        s = read_cache(self.write(self.raw))
        self.assertEqual((s.name, s.size, s.classes), ("dots", 4, ["a", "b"]))
        np.testing.assert_array_equal(s.train, self.train)
        np.testing.assert_array_equal(s.test, self.test)
        np.testing.assert_array_equal(s.train_labels, [0, 1, -1])

    def test_refuses(self) -> None:
        flipped = bytearray(self.raw)
        flipped[-10] ^= 1
        for name, raw in {"truncated": self.raw[:-1], "checksum": bytes(flipped), "magic": b"XXXX" + self.raw[4:]}.items():
            with self.subTest(name):
                with self.assertRaises(ValueError):
                    read_cache(self.write(raw))


if __name__ == "__main__":
    unittest.main()
