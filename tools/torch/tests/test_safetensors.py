"""The weight file format: encoding, validation, half-precision rounding and zstd."""

from __future__ import annotations

import struct
import unittest

import numpy as np

from twin import safetensors as st
from twin import zstd


def sample_file() -> st.File:
    return st.File({"b": "2", "a": "ä"}, [
        st.Tensor("w", np.arange(6, dtype=np.float32).reshape(2, 3) / 7),
        st.Tensor("s", np.array([1.5], dtype=np.float32)),
        st.Tensor("empty", np.zeros((0, 4), dtype=np.float32)),
    ])


class FormatTest(unittest.TestCase):
    def test_round_trip(self) -> None:
        f = sample_file()
        for dtype, tol in (("F32", 0), ("F16", 1e-3), ("BF16", 1e-2), ("F64", 0)):
            with self.subTest(dtype=dtype):
                back = st.decode(st.encode(f, dtype))
                self.assertEqual(back.metadata, f.metadata)
                self.assertEqual([t.name for t in back.tensors], [t.name for t in f.tensors])
                for a, b in zip(f.tensors, back.tensors):
                    self.assertEqual(a.data.shape, b.data.shape)
                    np.testing.assert_allclose(b.data, a.data, rtol=tol, atol=0)

    def test_header(self) -> None:
        raw = st.encode(sample_file(), "F32")
        (n,) = struct.unpack("<Q", raw[:8])
        self.assertEqual(n % 8, 0)
        header = raw[8 : 8 + n].decode()
        self.assertTrue(header.startswith('{"__metadata__":{"a":"ä","b":"2"},"w":{"dtype":"F32","shape":[2,3],"data_offsets":[0,24]}'))

    def test_refuses(self) -> None:
        good = st.encode(sample_file(), "F32")
        (n,) = struct.unpack("<Q", good[:8])
        cases = {
            "truncated": good[:5],
            "header past the end": struct.pack("<Q", 1 << 30) + good[8:],
            "trailing data": good + b"\0\0\0\0",
            "duplicate key": struct.pack("<Q", 16) + b'{"a":1, "a":2} ',
        }
        for name, raw in cases.items():
            with self.subTest(name):
                with self.assertRaises(ValueError):
                    st.decode(raw)
        nan = bytearray(good)
        nan[8 + n : 8 + n + 4] = struct.pack("<f", float("nan"))
        with self.assertRaises(ValueError):
            st.decode(bytes(nan))
        with self.assertRaises(ValueError):
            st.encode(st.File({}, [st.Tensor("x", np.array([np.inf], dtype=np.float32))]), "F32")
        with self.assertRaises(ValueError):
            st.encode(st.File({}, [st.Tensor("x", np.array([70000.0], dtype=np.float32))]), "F16")

    def test_read_uncompressed(self) -> None:
        f = sample_file()
        self.assertEqual(st.read(st.encode(f, "F32")).metadata, f.metadata)
        self.assertEqual(st.read(st.write(f, "F32")).metadata, f.metadata)

    def test_bf16_rounding(self) -> None:
        # Ties go to even: 1 + 2^-8 is halfway between 1 and 1 + 2^-7.
        x = np.array([1 + 2**-8, 1 + 3 * 2**-8, -2.0, 1e-40], dtype=np.float32)
        back = st.decode(st.encode(st.File({}, [st.Tensor("x", x)]), "BF16")).tensors[0].data
        np.testing.assert_array_equal(back[:3], np.array([1.0, 1 + 2**-6, -2.0], dtype=np.float32))


class ZstdTest(unittest.TestCase):
    def test_codecs(self) -> None:
        have = zstd.available()
        stored = have[-1]
        self.assertEqual(stored.name, "stored")
        # Several blocks, a partial last one, and the empty input.
        for raw in (st.encode(sample_file(), "F32") * 3000, b""):
            for enc in have:
                for dec in have:
                    if dec is stored and enc is not stored:
                        continue  # real compressors write compressed blocks
                    with self.subTest(enc=enc.name, dec=dec.name, n=len(raw)):
                        self.assertEqual(dec.decompress(enc.compress(raw), len(raw)), raw)
        for c in have:
            with self.assertRaises(ValueError):
                c.decompress(c.compress(b"x" * 1000), 999)
        if len(have) > 1:
            with self.assertRaises(ValueError):
                stored.decompress(have[0].compress(b"abc" * 1000), 1 << 20)


if __name__ == "__main__":
    unittest.main()
