"""Datasets from tools/data's cache (model/data's "FSDS" cache files): emoji32 and mnist32
by name, a folder of images through ``go run ./tools/data``, or a cache file's path."""

from __future__ import annotations

import dataclasses
import os
import re
import struct
import subprocess
import zlib
from typing import List

import numpy as np

MAGIC = b"FSDS"
VERSION = 1
NAMED = ("emoji32", "mnist32")


@dataclasses.dataclass
class Set:
    """A prepared dataset: square RGB images as planar uint8 [N, 3, size, size] (0 ↔ −1,
    255 ↔ 1), training images first."""

    name: str
    size: int
    train: np.ndarray  # [N, 3, size, size] uint8
    test: np.ndarray  # [M, 3, size, size] uint8
    classes: List[str]
    train_labels: np.ndarray  # [N] int32, −1 where unlabelled


def read_cache(path: str) -> Set:
    """Reads a cache file written by model/data.WriteSet, checking its length and CRC-32."""
    raw = bytearray(os.path.getsize(path))  # writable, so torch can share the pixels
    with open(path, "rb") as fh:
        if fh.readinto(raw) != len(raw):
            raise ValueError(f"{path}: cache file truncated while reading")

    def fail(why: str) -> ValueError:
        return ValueError(f"{path}: {why}")

    if len(raw) < 28 or raw[:4] != MAGIC:
        raise fail(f"not a flowsphere dataset cache (magic {bytes(raw[:4])!r}, want {MAGIC!r})")
    version, size, n_train, n_test, n_classes = struct.unpack_from("<5I", raw, 4)
    if version != VERSION:
        raise fail(f"dataset cache version {version}, the twin reads version {VERSION}")
    pos, strs = 24, []
    for _ in range(1 + n_classes):
        if pos + 2 > len(raw):
            raise fail("cache file truncated")
        (n,) = struct.unpack_from("<H", raw, pos)
        strs.append(raw[pos + 2 : pos + 2 + n].decode())
        pos += 2 + n
    n, plane = n_train + n_test, 3 * size * size
    if pos + 4 * n + n * plane + 4 != len(raw):
        raise fail(f"dataset cache is {len(raw)} bytes, its header implies {pos + 4 * n + n * plane + 4}: truncated or corrupt")
    (stored,) = struct.unpack_from("<I", raw, len(raw) - 4)
    if zlib.crc32(raw[:-4]) != stored:
        raise fail("dataset cache checksum mismatch: the file is corrupt")
    labels = np.frombuffer(raw, "<i4", n, pos)
    pixels = np.frombuffer(raw, np.uint8, n * plane, pos + 4 * n).reshape(n, 3, size, size)
    return Set(strs[0], size, pixels[:n_train], pixels[n_train:], strs[1:], labels[:n_train].copy())


def repo_root() -> str:
    """The repository root: two folders above this package's."""
    return os.path.dirname(os.path.dirname(os.path.dirname(os.path.dirname(os.path.abspath(__file__)))))


def cache_dir() -> str:
    """$FLOWSPHERE_CACHE, else .cache at the repository root (model/data.CacheDir)."""
    return os.environ.get("FLOWSPHERE_CACHE") or os.path.join(repo_root(), ".cache")


def open_set(name: str, size: int = 32) -> Set:
    """The dataset called name: a cache file's path, emoji32 or mnist32 from the cache, or
    anything else (emoji32 or mnist32 without a cache, a folder of images) prepared and
    cached by ``go run ./tools/data``, whose output names the cache file."""
    if name.endswith(".fsds") and os.path.isfile(name):
        return read_cache(name)
    if name in NAMED:
        path = os.path.join(cache_dir(), f"{name}-{size}.fsds")
        if os.path.isfile(path):
            return read_cache(path)
    if os.path.isdir(name):
        name = os.path.abspath(name)  # tools/data runs in the repository root
    out = subprocess.run(["go", "run", "./tools/data", name, "-size", str(size)], cwd=repo_root(),
                         stdout=subprocess.PIPE, check=True, text=True).stdout
    m = re.search(r"(?:loaded from the cache|prepared and cached in) (\S+)", out)
    if not m:
        raise RuntimeError(f"tools/data did not name its cache file:\n{out}")
    return read_cache(m.group(1))
