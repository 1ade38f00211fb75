"""OpenBLAS's environment, as model/cpu sets it for the Go backend: PyTorch's CPU matmuls
run on the system BLAS (OpenBLAS on Debian), which reads these variables once, when it
loads, so apply() must run before torch is imported.

OPENBLAS_CORETYPE names the kernels for the CPU's vector extensions: OpenBLAS 0.3.21
(Debian 12) does not know newer CPU models and falls back to its SSE3 kernels, several times
slower. OPENBLAS_NUM_THREADS=1 runs each call on the calling thread, as model/cpu runs
OpenBLAS: PyTorch's CPU batched products (attention) are loops of small products, which gain
little from OpenBLAS's threads, and torchrun's processes already fill the cores.
OPENBLAS_THREAD_TIMEOUT=4 lets idle OpenBLAS threads sleep at once instead of spinning for
about 0.1 s after every call. Settings already in the environment win.
"""

from __future__ import annotations

import os
from typing import Dict, Set


def cpu_flags() -> Set[str]:
    """The CPU's feature flags from /proc/cpuinfo (empty where there is none)."""
    try:
        with open("/proc/cpuinfo") as fh:
            for line in fh:
                if line.startswith("flags"):
                    return set(line.split(":", 1)[1].split())
    except OSError:
        pass
    return set()


def openblas_env(flags: Set[str]) -> Dict[str, str]:
    """The variables for a CPU with flags."""
    env = {"OPENBLAS_NUM_THREADS": "1", "OPENBLAS_THREAD_TIMEOUT": "4"}
    if {"avx512f", "avx512bw", "avx512dq", "avx512vl"} <= flags:
        env["OPENBLAS_CORETYPE"] = "SkylakeX"
    elif {"avx2", "fma"} <= flags:
        env["OPENBLAS_CORETYPE"] = "Haswell"
    return env


def apply() -> None:
    """Sets the variables the environment does not set."""
    for k, v in openblas_env(cpu_flags()).items():
        os.environ.setdefault(k, v)
