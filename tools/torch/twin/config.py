"""Model configurations: the presets of model/config and their JSON form in weight files."""

from __future__ import annotations

import dataclasses
import json
import math
import re
from typing import Any, Dict

import numpy as np


@dataclasses.dataclass(frozen=True)
class Config:
    """Sizes and training constants of a model, field for field model/config.Config.

    Images are channels×image×image in [-1, 1], cut into patch×patch patches: a grid×grid
    token grid of tokens tokens.
    """

    name: str = ""
    image: int = 32
    channels: int = 3
    patch: int = 4
    width: int = 128
    heads: int = 4
    hidden: int = 344
    rope_base: float = 100.0  # float32 in Go
    enc_blocks: int = 4
    dec_blocks: int = 4
    mixer_layers: int = 2
    mixer_token_hidden: int = 256
    mixer_channel_hidden: int = 256
    latent: int = 2
    alpha_max: float = 80.0
    alpha_mix_max: float = 85.0
    mix_prob: float = 0.1
    small_noise: float = 0.5
    pixel_weight: float = 1.0
    latent_weight: float = 0.1
    ref_blocks: int = 6
    time_dim: int = 64
    ratio: float = 0.75
    time_dist: str = "uniform"
    t_eps: float = 0.05

    @property
    def grid(self) -> int:
        """Tokens along each side."""
        return self.image // self.patch

    @property
    def tokens(self) -> int:
        """Image tokens T."""
        return self.grid * self.grid

    @property
    def patch_dim(self) -> int:
        """Values in one patch, channels·patch²."""
        return self.channels * self.patch * self.patch

    @property
    def pixels(self) -> int:
        """Values in one image."""
        return self.channels * self.image * self.image

    @property
    def L(self) -> int:  # noqa: N802 - the design's name for the flat latent length
        """Flat latent length tokens·latent; sphere points have norm sqrt(L)."""
        return self.tokens * self.latent

    @property
    def head_dim(self) -> int:
        """width/heads."""
        return self.width // self.heads

    def validate(self) -> None:
        """Raises ValueError with what is wrong, as Config.Validate does in Go."""
        c = self
        if c.image <= 0 or c.patch <= 0 or c.image % c.patch:
            raise ValueError(f"config {c.name!r}: image {c.image} is not a positive multiple of patch {c.patch}")
        if c.channels <= 0:
            raise ValueError(f"config {c.name!r}: channels {c.channels}")
        if c.width <= 0 or c.heads <= 0 or c.width % c.heads or c.head_dim % 4 or c.head_dim > 64:
            raise ValueError(f"config {c.name!r}: width {c.width} with {c.heads} heads needs a head dim that is a multiple of 4 and at most 64")
        if min(c.hidden, c.mixer_token_hidden, c.mixer_channel_hidden, c.latent, c.time_dim) <= 0 or c.time_dim % 2:
            raise ValueError(f"config {c.name!r}: hidden, mixer, latent and (even) time sizes must be positive")
        if min(c.enc_blocks, c.dec_blocks, c.ref_blocks, c.mixer_layers) < 0:
            raise ValueError(f"config {c.name!r}: negative block count")
        if not 0 <= c.ratio <= 1:
            raise ValueError(f"config {c.name!r}: ratio {c.ratio} outside [0, 1]")
        if c.time_dist not in ("uniform", "logit-normal"):
            raise ValueError(f"config {c.name!r}: time distribution {c.time_dist!r} (want uniform or logit-normal)")
        if not 0 < c.t_eps < 1:
            raise ValueError(f"config {c.name!r}: t_eps {c.t_eps} outside (0, 1)")
        if not 0 < c.alpha_max <= c.alpha_mix_max < 90:
            raise ValueError(f"config {c.name!r}: angles {c.alpha_max}° and {c.alpha_mix_max}° must satisfy 0 < max ≤ mix max < 90")

    def marshal(self) -> str:
        """The JSON stored in weight files, byte for byte what Go's json.Marshal writes."""
        parts = []
        for f in dataclasses.fields(self):
            v = getattr(self, f.name)
            if isinstance(v, str):
                text = json.dumps(v, ensure_ascii=False)
            elif f.name == "rope_base":
                text = go_float(v, bits=32)
            elif isinstance(v, float):
                text = go_float(v)
            else:
                text = str(v)
            parts.append(f'"{f.name}":{text}')
        return "{" + ",".join(parts) + "}"


def go_float(v: float, bits: int = 64) -> str:
    """Formats v as Go's encoding/json does: the shortest digits that read back as the same
    float64 (float32 for bits = 32), in exponent form only below 1e-6 or from 1e21, with a
    one-digit negative exponent written without its leading zero ("1e-7")."""
    if not math.isfinite(v):
        raise ValueError(f"JSON has no {v}")
    x = np.float32(v) if bits == 32 else np.float64(v)
    a = abs(float(x))
    if a != 0 and (a < 1e-6 or a >= 1e21):
        text = np.format_float_scientific(x, unique=True, trim="-", exp_digits=2)
        return re.sub(r"e-0(\d)$", r"e-\1", text)
    return np.format_float_positional(x, unique=True, trim="-")


# The seed's training settings shared by every preset (model/config's defaults).
_DEFAULTS: Dict[str, Any] = dict(
    image=32, channels=3, rope_base=100.0, alpha_max=80.0, alpha_mix_max=85.0, mix_prob=0.1,
    small_noise=0.5, pixel_weight=1.0, latent_weight=0.1, ratio=0.75, time_dist="uniform", t_eps=0.05,
)

# The named sizes: tiny for tests, mini for ablations, small for the browser.
_PRESETS: Dict[str, Dict[str, Any]] = {
    "tiny": dict(patch=8, width=16, heads=2, hidden=24, enc_blocks=1, dec_blocks=1, ref_blocks=1,
                 mixer_layers=1, mixer_token_hidden=32, mixer_channel_hidden=32, latent=2, time_dim=16),
    "mini": dict(patch=4, width=64, heads=2, hidden=172, enc_blocks=2, dec_blocks=2, ref_blocks=2,
                 mixer_layers=1, mixer_token_hidden=128, mixer_channel_hidden=128, latent=2, time_dim=32),
    "small": dict(patch=4, width=128, heads=4, hidden=344, enc_blocks=4, dec_blocks=4, ref_blocks=6,
                  mixer_layers=2, mixer_token_hidden=256, mixer_channel_hidden=256, latent=2, time_dim=64),
}


def presets() -> list[str]:
    """The preset names, sorted."""
    return sorted(_PRESETS)


def preset(name: str) -> Config:
    """The named configuration."""
    if name not in _PRESETS:
        raise ValueError(f"unknown config {name!r} (want one of {presets()})")
    c = Config(name=name, **_DEFAULTS, **_PRESETS[name])
    c.validate()
    return c


def parse(text: str) -> Config:
    """Reads a configuration written by Config.marshal (or Go) and validates it. Keys the
    twin does not know are refused: the model would not be the one the file describes."""
    raw = json.loads(text)
    known = {f.name: f for f in dataclasses.fields(Config)}
    unknown = sorted(set(raw) - set(known))
    if unknown:
        raise ValueError(f"config: unknown fields {unknown}")
    kwargs = {}
    for k, v in raw.items():
        kind = known[k].type
        kwargs[k] = float(v) if kind == "float" else v
    c = Config(**kwargs)
    c.validate()
    return c
