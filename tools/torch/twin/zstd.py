"""zstd through the ``zstandard`` module or the ``zstd`` command, else the twin's own
"stored" frames: valid zstd frames of raw (uncompressed) blocks, which every zstd reader
takes. So files are written on a machine with neither (larger, not compressed), and read
there when they are stored frames."""

from __future__ import annotations

import shutil
import struct
import subprocess
import sys
from typing import Callable, Dict, List

# The compression level of written files: Go's writer uses its "better compression"
# setting, close to this level of the reference library.
LEVEL = 9

MAGIC = 0xFD2FB528
_BLOCK = 128 << 10  # the largest block, and the stored frames' window
_WINDOW_128K = 0x38  # window descriptor of a 128 KiB window: exponent 7, mantissa 0


def _module_compress(raw: bytes) -> bytes:
    import zstandard

    return zstandard.ZstdCompressor(level=LEVEL, write_content_size=True).compress(raw)


def _module_decompress(data: bytes, limit: int) -> bytes:
    import zstandard

    with zstandard.ZstdDecompressor().stream_reader(data, read_across_frames=True) as r:
        out = r.read(limit + 1)
    return _within(out, limit)


def _cli_compress(raw: bytes) -> bytes:
    return subprocess.run(["zstd", "-q", "-c", f"-{LEVEL}"], input=raw, stdout=subprocess.PIPE, check=True).stdout


def _cli_decompress(data: bytes, limit: int) -> bytes:
    p = subprocess.run(["zstd", "-q", "-d", "-c"], input=data, stdout=subprocess.PIPE, stderr=subprocess.PIPE)
    if p.returncode != 0:
        raise ValueError("weights: not a valid zstd stream: " + p.stderr.decode(errors="replace").strip())
    return _within(p.stdout, limit)


def _within(out: bytes, limit: int) -> bytes:
    if len(out) > limit:
        raise ValueError(f"weights: decompressed data exceeds limit of {limit} bytes")
    return out


def _stored_compress(raw: bytes) -> bytes:
    """One zstd frame of raw blocks, with its content size and no checksum."""
    out = [struct.pack("<IBBQ", MAGIC, 0xC0, _WINDOW_128K, len(raw))]
    at = 0
    while True:
        n = min(_BLOCK, len(raw) - at)
        last = at + n == len(raw)
        out.append(struct.pack("<I", int(last) | n << 3)[:3] + raw[at : at + n])
        at += n
        if last:
            return b"".join(out)


def _stored_decompress(data: bytes, limit: int) -> bytes:
    """Reads zstd frames made of raw and RLE blocks; compressed blocks need a real codec."""
    out, at = bytearray(), 0
    while at < len(data):
        if len(data) - at < 5 or struct.unpack_from("<I", data, at)[0] != MAGIC:
            raise ValueError("weights: not zstd-compressed (want a .safetensors.zst file)")
        desc = data[at + 4]
        single, checksum, dict_flag, fcs_flag = desc >> 5 & 1, desc >> 2 & 1, desc & 3, desc >> 6
        at += 5 + (0 if single else 1) + (0, 1, 2, 4)[dict_flag] + (1 if single else 0, 2, 4, 8)[fcs_flag]
        last = False
        while not last:
            if at + 3 > len(data):
                raise ValueError("weights: truncated: the zstd stream ends early")
            head = int.from_bytes(data[at : at + 3], "little")
            last, kind, size = bool(head & 1), head >> 1 & 3, head >> 3
            at += 3
            if kind == 0:
                out += data[at : at + size]
                at += size
            elif kind == 1:
                out += data[at : at + 1] * size
                at += 1
            else:
                raise ValueError("weights: a compressed zstd file needs the zstandard module or the zstd command")
            _within(out, limit)
        at += 4 * checksum
    return bytes(out)


class Codec:
    """One way to run zstd: a name and its two directions."""

    def __init__(self, name: str, compress: Callable[[bytes], bytes], decompress: Callable[[bytes, int], bytes]):
        self.name = name
        self.compress = compress
        self.decompress = decompress


def _has_module() -> bool:
    try:
        import zstandard  # noqa: F401
    except ImportError:
        return False
    return True


_ALL: Dict[str, Callable[[], bool]] = {
    "zstandard": _has_module,
    "zstd-cli": lambda: shutil.which("zstd") is not None,
    "stored": lambda: True,
}
_CODECS: Dict[str, Codec] = {
    "zstandard": Codec("zstandard", _module_compress, _module_decompress),
    "zstd-cli": Codec("zstd-cli", _cli_compress, _cli_decompress),
    "stored": Codec("stored", _stored_compress, _stored_decompress),
}
_warned = False


def available() -> List[Codec]:
    """The codecs this machine has, best first; the stored frames always."""
    return [_CODECS[n] for n, present in _ALL.items() if present()]


def codec() -> Codec:
    """The best codec; says once on stderr when that is the stored frames."""
    global _warned
    best = available()[0]
    if best.name == "stored" and not _warned:
        _warned = True
        print("zstd: neither the zstandard module nor the zstd command: files are written as uncompressed zstd frames", file=sys.stderr)
    return best
