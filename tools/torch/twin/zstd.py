"""zstd compression through the ``zstandard`` module or, without it, the ``zstd`` command."""

from __future__ import annotations

import shutil
import subprocess
from typing import Callable, Dict, List

# The compression level of written files: Go's writer uses its "better compression"
# setting, close to this level of the reference library.
LEVEL = 9


def _module_compress(raw: bytes) -> bytes:
    import zstandard

    return zstandard.ZstdCompressor(level=LEVEL, write_content_size=True).compress(raw)


def _module_decompress(data: bytes, limit: int) -> bytes:
    import zstandard

    with zstandard.ZstdDecompressor().stream_reader(data, read_across_frames=True) as r:
        out = r.read(limit + 1)
    if len(out) > limit:
        raise ValueError(f"weights: decompressed data exceeds limit of {limit} bytes")
    return out


def _cli_compress(raw: bytes) -> bytes:
    return subprocess.run(["zstd", "-q", "-c", f"-{LEVEL}"], input=raw, stdout=subprocess.PIPE, check=True).stdout


def _cli_decompress(data: bytes, limit: int) -> bytes:
    p = subprocess.run(["zstd", "-q", "-d", "-c"], input=data, stdout=subprocess.PIPE, stderr=subprocess.PIPE)
    if p.returncode != 0:
        raise ValueError("weights: not a valid zstd stream: " + p.stderr.decode(errors="replace").strip())
    if len(p.stdout) > limit:
        raise ValueError(f"weights: decompressed data exceeds limit of {limit} bytes")
    return p.stdout


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
}
_CODECS: Dict[str, Codec] = {
    "zstandard": Codec("zstandard", _module_compress, _module_decompress),
    "zstd-cli": Codec("zstd-cli", _cli_compress, _cli_decompress),
}


def available() -> List[Codec]:
    """The codecs this machine has, the module first."""
    return [_CODECS[n] for n, present in _ALL.items() if present()]


def codec() -> Codec:
    """The preferred codec, or an error that says what to install."""
    have = available()
    if not have:
        raise RuntimeError("no zstd: install the Python module zstandard (Debian: python3-zstandard) or the zstd command")
    return have[0]
