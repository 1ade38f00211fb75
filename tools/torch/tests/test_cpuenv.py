"""OpenBLAS's environment."""

from __future__ import annotations

import unittest

from twin.cpuenv import openblas_env


class EnvTest(unittest.TestCase):
    def test_coretype(self) -> None:
        cases = {
            frozenset({"avx512f", "avx512bw", "avx512dq", "avx512vl", "avx2", "fma"}): "SkylakeX",
            frozenset({"avx512f", "avx2", "fma"}): "Haswell",  # AVX-512 without BW/DQ/VL
            frozenset({"avx2", "fma"}): "Haswell",
            frozenset({"sse4_2"}): None,
        }
        for flags, want in cases.items():
            env = openblas_env(set(flags))
            self.assertEqual(env.get("OPENBLAS_CORETYPE"), want, sorted(flags))
            self.assertEqual(env["OPENBLAS_NUM_THREADS"], "1")


if __name__ == "__main__":
    unittest.main()
