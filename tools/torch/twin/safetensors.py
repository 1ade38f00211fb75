"""The weight file format of package weights: safetensors (u64 little-endian header length,
JSON header, raw little-endian data) compressed with zstd.

Encode writes what Go's weights.Encode writes, byte for byte: metadata keys sorted, tensors
in file order, the header padded with spaces to a multiple of 8. Decode checks what Go's
Decode checks (header bounds, unique keys, exact fields, tensors tiling the data section,
no NaN or Inf) and names the problem. Values are float32 in memory; F64, which Go does not
read, is for the parity tests' results only.
"""

from __future__ import annotations

import dataclasses
import json
import os
import struct
import tempfile
from typing import Dict, List, Optional, Tuple

import numpy as np

from . import zstd

EXT = ".safetensors.zst"
METADATA_KEY = "__metadata__"

# Bounds of a file Decode accepts, as weights.DefaultLimits.
MAX_BYTES = 256 << 20
MAX_HEADER = 1 << 20
MAX_TENSORS = 4096

_SIZES = {"F32": 4, "F16": 2, "BF16": 2, "F64": 8}


@dataclasses.dataclass
class Tensor:
    """One named array; data is float32 (float64 for F64 files) in row-major order."""

    name: str
    data: np.ndarray


@dataclasses.dataclass
class File:
    """The content of a weight file: metadata and tensors in file order."""

    metadata: Dict[str, str] = dataclasses.field(default_factory=dict)
    tensors: List[Tensor] = dataclasses.field(default_factory=list)

    def lookup(self, name: str) -> Optional[np.ndarray]:
        """The data of the tensor called name, or None."""
        for t in self.tensors:
            if t.name == name:
                return t.data
        return None


def _json_string(s: str) -> str:
    # Go's encoder (HTML escaping off) keeps non-ASCII text and escapes U+2028 and U+2029.
    return json.dumps(s, ensure_ascii=False).replace("\u2028", "\\u2028").replace("\u2029", "\\u2029")


def _to_bf16(x: np.ndarray) -> np.ndarray:
    """float32 to bfloat16 bits, rounding to nearest with ties to even (weights.ToBF16)."""
    b = x.astype(np.float32).view(np.uint32).astype(np.uint64)
    rounded = ((b + 0x7FFF + ((b >> 16) & 1)) >> 16).astype(np.uint16)
    nan = (b & 0x7FFFFFFF) > 0x7F800000
    return np.where(nan, ((b >> 16) | 0x40).astype(np.uint16), rounded)


def _encode_values(t: Tensor, dtype: str) -> bytes:
    data = np.ascontiguousarray(t.data)
    if not np.all(np.isfinite(data)):
        i = int(np.flatnonzero(~np.isfinite(data.reshape(-1)))[0])
        raise ValueError(f"weights: tensor {t.name!r}: value at index {i} is {data.reshape(-1)[i]}")
    if dtype == "F64":
        return data.astype("<f8").tobytes()
    f32 = data.astype(np.float32)
    if dtype == "F32":
        if not np.all(np.isfinite(f32)):
            raise ValueError(f"weights: tensor {t.name!r}: a value does not fit in F32")
        return f32.astype("<f4").tobytes()
    with np.errstate(over="ignore"):
        bits = f32.astype("<f2").view(np.uint16) if dtype == "F16" else _to_bf16(f32)
    inf = 0x7C00 if dtype == "F16" else 0x7F80
    bad = (bits & inf) == inf
    if bad.any():
        i = int(np.flatnonzero(bad.reshape(-1))[0])
        raise ValueError(f"weights: tensor {t.name!r}: value {f32.reshape(-1)[i]} at index {i} does not fit in {dtype}")
    return bits.astype("<u2").tobytes()


def encode(f: File, dtype: str) -> bytes:
    """f as uncompressed safetensors bytes with every tensor stored as dtype."""
    if dtype not in _SIZES:
        raise ValueError(f"weights: unknown dtype {dtype}")
    seen = set()
    for t in f.tensors:
        if not t.name or t.name == METADATA_KEY or t.name in seen:
            raise ValueError(f"weights: empty, reserved or duplicate tensor name {t.name!r}")
        seen.add(t.name)
    parts = []
    if f.metadata:
        meta = ",".join(f"{_json_string(k)}:{_json_string(f.metadata[k])}" for k in sorted(f.metadata))
        parts.append(f"{_json_string(METADATA_KEY)}:{{{meta}}}")
    body = []
    at = 0
    for t in f.tensors:
        raw = _encode_values(t, dtype)
        shape = ",".join(str(d) for d in t.data.shape)
        parts.append(f'{_json_string(t.name)}:{{"dtype":"{dtype}","shape":[{shape}],"data_offsets":[{at},{at + len(raw)}]}}')
        at += len(raw)
        body.append(raw)
    header = ("{" + ",".join(parts) + "}").encode()
    header += b" " * (-len(header) % 8)
    return struct.pack("<Q", len(header)) + header + b"".join(body)


def _unique_object(pairs: List[Tuple[str, object]]) -> Dict[str, object]:
    out: Dict[str, object] = {}
    for k, v in pairs:
        if k in out:
            raise ValueError(f"weights: duplicate key {k!r} in header")
        out[k] = v
    return out


def _entry(name: str, desc: object, body_len: int) -> Tuple[str, str, Tuple[int, ...], int, int]:
    if not name:
        raise ValueError("weights: empty tensor name in header")
    if not isinstance(desc, dict) or set(desc) != {"dtype", "shape", "data_offsets"}:
        raise ValueError(f"weights: tensor {name!r}: want exactly the fields dtype, shape and data_offsets")
    dtype, shape, offsets = desc["dtype"], desc["shape"], desc["data_offsets"]
    if dtype not in _SIZES:
        raise ValueError(f"weights: tensor {name!r}: unknown dtype {dtype!r}")
    if not isinstance(shape, list) or any(type(d) is not int or d < 0 for d in shape):
        raise ValueError(f"weights: tensor {name!r}: bad shape {shape!r}")
    if not isinstance(offsets, list) or len(offsets) != 2 or any(type(o) is not int or o < 0 for o in offsets):
        raise ValueError(f"weights: tensor {name!r}: data_offsets {offsets!r}, want [begin, end]")
    begin, end = offsets
    if begin > end or end > body_len:
        raise ValueError(f"weights: tensor {name!r}: data_offsets [{begin}, {end}] outside the data section of {body_len} bytes")
    if end - begin != int(np.prod(shape, dtype=np.int64)) * _SIZES[dtype]:
        raise ValueError(f"weights: tensor {name!r}: data_offsets [{begin}, {end}] do not hold shape {shape} of {dtype}")
    return name, dtype, tuple(shape), begin, end


def _widen(dtype: str, raw: bytes, shape: Tuple[int, ...]) -> np.ndarray:
    if dtype == "F64":
        return np.frombuffer(raw, "<f8").astype(np.float64).reshape(shape)
    if dtype == "F32":
        return np.frombuffer(raw, "<f4").astype(np.float32).reshape(shape)
    if dtype == "F16":
        return np.frombuffer(raw, "<f2").astype(np.float32).reshape(shape)
    bits = np.frombuffer(raw, "<u2").astype(np.uint32) << 16
    return bits.view(np.float32).reshape(shape).copy()


def decode(data: bytes) -> File:
    """Parses uncompressed safetensors bytes, validating everything first."""
    if len(data) > MAX_BYTES:
        raise ValueError(f"weights: file of {len(data)} bytes exceeds limit of {MAX_BYTES} bytes")
    if len(data) < 8:
        raise ValueError(f"weights: truncated: {len(data)} bytes, need 8 for the header length")
    (n,) = struct.unpack("<Q", data[:8])
    if n > MAX_HEADER or n > len(data) - 8:
        raise ValueError(f"weights: header length {n} exceeds the limit or the {len(data) - 8} bytes after it")
    try:
        header = json.loads(data[8 : 8 + n].decode(), object_pairs_hook=_unique_object)
    except (UnicodeDecodeError, json.JSONDecodeError) as e:
        raise ValueError(f"weights: invalid header JSON: {e}") from None
    if not isinstance(header, dict):
        raise ValueError("weights: invalid header: not an object")
    body = data[8 + n :]
    meta = header.pop(METADATA_KEY, None) or {}
    if not isinstance(meta, dict) or any(not isinstance(v, str) for v in meta.values()):
        raise ValueError("weights: invalid header: metadata is not an object of strings")
    if len(header) > MAX_TENSORS:
        raise ValueError(f"weights: header lists more than {MAX_TENSORS} tensors")
    entries = sorted((_entry(k, v, len(body)) for k, v in header.items()), key=lambda e: (e[3], e[4]))
    at = 0
    for name, _, _, begin, end in entries:
        if begin != at:
            raise ValueError(f"weights: tensor {name!r}: data_offsets [{begin}, {end}] overlap or leave a gap after byte {at}")
        at = end
    if at != len(body):
        raise ValueError(f"weights: data section bytes [{at}, {len(body)}) belong to no tensor (trailing data)")
    tensors = []
    for name, dtype, shape, begin, end in entries:
        values = _widen(dtype, body[begin:end], shape)
        if not np.all(np.isfinite(values)):
            raise ValueError(f"weights: tensor {name!r}: holds NaN or Inf")
        tensors.append(Tensor(name, values))
    return File(dict(meta), tensors)


def read(data: bytes) -> File:
    """Decompresses and decodes a weight file's bytes; uncompressed safetensors (a weight
    file after ``zstd -d``, for a machine without zstd) are decoded as they are."""
    if data[:4] == struct.pack("<I", zstd.MAGIC):
        data = zstd.codec().decompress(data, MAX_BYTES)
    return decode(data)


def write(f: File, dtype: str) -> bytes:
    """Encodes f with every tensor as dtype and compresses it."""
    return zstd.codec().compress(encode(f, dtype))


def read_file(path: str) -> File:
    """Reads a weight file from disk; errors name the file."""
    with open(path, "rb") as fh:
        data = fh.read()
    try:
        return read(data)
    except ValueError as e:
        raise ValueError(f"{path}: {e}") from None


def write_file(path: str, f: File, dtype: str) -> None:
    """Writes f to path atomically (a temporary file in the same folder, then a rename)."""
    write_bytes(path, write(f, dtype))


def write_bytes(path: str, data: bytes) -> None:
    """Writes data to path atomically, readable by all as Go's weight files are."""
    folder = os.path.dirname(os.path.abspath(path))
    fd, tmp = tempfile.mkstemp(prefix="." + os.path.basename(path) + ".tmp", dir=folder)
    try:
        with os.fdopen(fd, "wb") as fh:
            fh.write(data)
            fh.flush()
            os.fsync(fh.fileno())
        os.chmod(tmp, 0o644)
        os.replace(tmp, path)
    except BaseException:
        if os.path.exists(tmp):
            os.remove(tmp)
        raise
