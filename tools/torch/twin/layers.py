"""The layers of model/nn: linear maps, RMSNorm, 2-D RoPE, attention, the transformer block
(plain and adaLN-Zero), the MLP-Mixer, the sin-cos position table and patchify.

Parameters carry model/nn's names (``w``, ``b``, ``norm1``, ``qnorm`` …) and are registered
in the order Go declares them, so a model's state_dict keys and order are its ParamSet's.
Each parameter records how it starts (``inits``); ``twin.model`` draws the values.
"""

from __future__ import annotations

import dataclasses
import math
from typing import Dict, List, Optional, Tuple

import numpy as np
import torch
import torch.nn.functional as F
from torch import Tensor, nn

# The epsilon of every RMSNorm in blocks, mixers and the refiner's final layer.
NORM_EPS = 1e-6


@dataclasses.dataclass(frozen=True)
class Init:
    """How a parameter starts: zeros, ones, normal (std scale) or uniform (bound scale)."""

    kind: str
    scale: float = 0.0


ZEROS, ONES = Init("zeros"), Init("ones")


def init_linear(fan_in: int) -> Init:
    """PyTorch's default for a weight with fan_in inputs: U(±1/sqrt(fan_in))."""
    return Init("uniform", 1 / math.sqrt(fan_in))


class Module(nn.Module):
    """A module whose parameters remember their initialisation and whose parameters and
    children remember the order they were registered in: Go's declaration order, which
    go_params follows (PyTorch's named_parameters lists a module's own parameters before its
    children's)."""

    def __init__(self) -> None:
        super().__init__()
        self.inits: Dict[str, Init] = {}

    def __setattr__(self, name: str, value: object) -> None:
        super().__setattr__(name, value)
        if isinstance(value, (nn.Parameter, nn.Module)):
            self._note(name)

    def add_module(self, name: str, module: Optional[nn.Module]) -> None:
        """Registers a child module, in order."""
        super().add_module(name, module)
        self._note(name)

    def _note(self, name: str) -> None:
        order = self.__dict__.setdefault("_go_order", [])
        if name not in order:
            order.append(name)

    def go_params(self, prefix: str = "") -> List[Tuple[str, nn.Parameter]]:
        """Every parameter under its Go name, in Go's declaration order."""
        out: List[Tuple[str, nn.Parameter]] = []
        for name in self.__dict__.get("_go_order", []):
            if name in self._parameters:
                out.append((prefix + name, self._parameters[name]))
            elif isinstance(self._modules.get(name), Module):
                out += self._modules[name].go_params(prefix + name + ".")
        return out

    def declare(self, name: str, init: Init, *shape: int) -> nn.Parameter:
        """Registers a parameter of shape under name."""
        p = nn.Parameter(torch.zeros(*shape))
        self.register_parameter(name, p)
        self.inits[name] = init
        return p


def init_params(root: nn.Module, gen: torch.Generator) -> None:
    """Draws every parameter under root from its initialisation (Module.inits) with gen."""
    with torch.no_grad():
        for mod in root.modules():
            if not isinstance(mod, Module):
                continue
            for name, init in mod.inits.items():
                p = getattr(mod, name)
                if init.kind == "zeros":
                    draw = torch.zeros(p.shape, dtype=torch.float64)
                elif init.kind == "ones":
                    draw = torch.ones(p.shape, dtype=torch.float64)
                elif init.kind == "normal":
                    draw = torch.randn(p.shape, generator=gen, dtype=torch.float64) * init.scale
                else:
                    draw = (2 * torch.rand(p.shape, generator=gen, dtype=torch.float64) - 1) * init.scale
                p.copy_(draw)


class Linear(Module):
    """y = x·Wᵀ + b on the last dimension. w: [out, in]; b: [out] or absent."""

    def __init__(self, n_in: int, n_out: int, bias: bool, init: Init) -> None:
        super().__init__()
        self.n_in, self.n_out = n_in, n_out
        self.w = self.declare("w", init, n_out, n_in)
        self.b: Optional[nn.Parameter] = self.declare("b", ZEROS, n_out) if bias else None

    def forward(self, x: Tensor) -> Tensor:
        """x: [..., in] → [..., out]."""
        return F.linear(x, self.w, self.b)


def rms_norm(x: Tensor, gain: Optional[Tensor], eps: float = NORM_EPS) -> Tensor:
    """x·rstd·gain over the last dimension, rstd = 1/sqrt(mean(x²) + eps), computed in at
    least float32 (half-precision inputs under autocast are normalised in float32)."""
    xf = x.float() if x.dtype in (torch.float16, torch.bfloat16) else x
    y = xf * torch.rsqrt(xf.pow(2).mean(-1, keepdim=True) + eps)
    if gain is not None:
        y = y * gain
    return y.to(x.dtype)


# spherify's epsilon: the smooth form of the seed's z / max(rms, 1e-6) (model/cpu).
SPHERIFY_EPS = 1e-12


def spherify(z: Tensor) -> Tensor:
    """Per-row RMS normalisation over the last dimension, so that |v| = sqrt(L)."""
    return rms_norm(z, None, SPHERIFY_EPS)


def modulate(x: Tensor, shift: Tensor, scale: Tensor) -> Tensor:
    """x·(1 + scale) + shift. x: [B, N, E]; shift, scale: [B, E]."""
    return x * (1 + scale[:, None]) + shift[:, None]


def gelu(x: Tensor) -> Tensor:
    """GELU's tanh approximation, as model/cpu computes it."""
    return F.gelu(x, approximate="tanh")


class Rope(nn.Module):
    """2-D rotary position embedding over a gridH×gridW token grid (model/cpu rope2D).

    Pairs (2p, 2p+1) of each head vector rotate by the token's grid row for p < dh/4 and by
    its column otherwise, pair i of each half with frequency base^(−i/(dh/4)). Token n sits
    at cell n mod (gridH·gridW), so the refiner's three segments share the grid positions.
    """

    def __init__(self, grid_h: int, grid_w: int, head_dim: int, base: float) -> None:
        super().__init__()
        quarter, cells = head_dim // 4, grid_h * grid_w
        cell = np.arange(cells)
        pos = np.stack([cell // grid_w, cell % grid_w])  # [2, cells]
        p = np.arange(head_dim // 2)
        theta = pos[p // quarter].T * np.power(float(np.float32(base)), -(p % quarter) / quarter)  # [cells, dh/2]
        self.cells = cells
        self.register_buffer("cos", torch.from_numpy(np.cos(theta)), persistent=False)
        self.register_buffer("sin", torch.from_numpy(np.sin(theta)), persistent=False)

    def forward(self, x: Tensor) -> Tensor:
        """x: [B, N, H, dh] with N a multiple of the grid's cells → the rotated x."""
        n = x.shape[1]
        reps = n // self.cells
        cos = self.cos.to(x.dtype).repeat(reps, 1)[None, :, None]  # [1, N, 1, dh/2]
        sin = self.sin.to(x.dtype).repeat(reps, 1)[None, :, None]
        x0, x1 = x[..., 0::2], x[..., 1::2]
        return torch.stack([x0 * cos - x1 * sin, x0 * sin + x1 * cos], dim=-1).flatten(-2)


def attention(q: Tensor, k: Tensor, v: Tensor) -> Tensor:
    """Full softmax attention with scale 1/sqrt(dh). q, k, v: [B, H, N, dh] → [B, H, N, dh].
    Uses PyTorch's fused kernel where it has one (2.0 on)."""
    sdpa = getattr(F, "scaled_dot_product_attention", None)
    if sdpa is not None:
        return sdpa(q, k, v)
    scores = torch.matmul(q, k.transpose(-1, -2)) * (1 / math.sqrt(q.shape[-1]))
    return torch.matmul(scores.softmax(-1), v)


@dataclasses.dataclass(frozen=True)
class BlockConfig:
    """Sizes a transformer block (model/nn.BlockConfig)."""

    width: int
    heads: int
    hidden: int
    grid_h: int
    grid_w: int
    cond: int  # width of the adaLN conditioning vector; 0 disables adaLN
    base: float


class Block(Module):
    """The shared transformer block: RMSNorm pre-norm → attention with QK-norm and 2-D RoPE
    → residual; RMSNorm → SwiGLU MLP → residual. With cond > 0 an adaLN-Zero block: a
    zero-initialised map of the conditioning vector gives shift, scale and gate of both
    branches, and the output layers take their default init (model/nn.Block says why)."""

    def __init__(self, c: BlockConfig) -> None:
        super().__init__()
        e, dh = c.width, c.width // c.heads
        self.cfg = c
        if c.cond == 0:
            self.norm1 = self.declare("norm1", ONES, e)
            self.norm2 = self.declare("norm2", ONES, e)
        self.qnorm = self.declare("qnorm", ONES, dh)
        self.knorm = self.declare("knorm", ONES, dh)
        self.q = Linear(e, e, False, init_linear(e))
        self.k = Linear(e, e, False, init_linear(e))
        self.v = Linear(e, e, False, init_linear(e))
        adaln = c.cond > 0
        self.o = Linear(e, e, False, init_linear(e) if adaln else ZEROS)
        self.up = Linear(e, 2 * c.hidden, True, init_linear(e))
        self.down = Linear(c.hidden, e, True, init_linear(c.hidden) if adaln else ZEROS)
        self.mod: Optional[Linear] = Linear(c.cond, 6 * e, True, ZEROS) if adaln else None
        self.rope = Rope(c.grid_h, c.grid_w, dh, c.base)

    def forward(self, x: Tensor, cond: Optional[Tensor] = None) -> Tensor:
        """x: [B, N, E]; cond: [B, Cond], already activated (None without adaLN)."""
        c = self.cfg
        bsz, n, e = x.shape
        dh = e // c.heads
        if self.mod is not None:
            shift1, scale1, gate1, shift2, scale2, gate2 = self.mod(cond).chunk(6, dim=-1)
            h = modulate(rms_norm(x, None), shift1, scale1)
        else:
            h = rms_norm(x, self.norm1)
        q = self.rope(rms_norm(self.q(h).view(bsz, n, c.heads, dh), self.qnorm))
        k = self.rope(rms_norm(self.k(h).view(bsz, n, c.heads, dh), self.knorm))
        v = self.v(h).view(bsz, n, c.heads, dh)
        att = attention(q.transpose(1, 2), k.transpose(1, 2), v.transpose(1, 2)).transpose(1, 2).reshape(bsz, n, e)
        o = self.o(att)
        x = x + (gate1[:, None] * o if self.mod is not None else o)

        h = modulate(rms_norm(x, None), shift2, scale2) if self.mod is not None else rms_norm(x, self.norm2)
        a, b = self.up(h).chunk(2, dim=-1)
        y = self.down(F.silu(a) * b)
        return x + (gate2[:, None] * y if self.mod is not None else y)


@dataclasses.dataclass(frozen=True)
class MixerConfig:
    """Sizes an MLP-Mixer (model/nn.MixerConfig)."""

    width: int
    tokens: int
    token_hidden: int
    channel_hidden: int
    layers: int


class MixerLayer(Module):
    """One token-mixing and one channel-mixing residual branch."""

    def __init__(self, c: MixerConfig) -> None:
        super().__init__()
        self.token_norm = self.declare("token_norm", ONES, c.width)
        self.token_up = Linear(c.tokens, c.token_hidden, True, init_linear(c.tokens))
        self.token_down = Linear(c.token_hidden, c.tokens, True, ZEROS)
        self.channel_norm = self.declare("channel_norm", ONES, c.width)
        self.channel_up = Linear(c.width, c.channel_hidden, True, init_linear(c.width))
        self.channel_down = Linear(c.channel_hidden, c.width, True, ZEROS)

    def forward(self, x: Tensor) -> Tensor:
        """x: [B, T, E] → [B, T, E]."""
        t = rms_norm(x, self.token_norm).transpose(1, 2)  # [B, E, T]
        x = x + self.token_down(gelu(self.token_up(t))).transpose(1, 2)
        return x + self.channel_down(gelu(self.channel_up(rms_norm(x, self.channel_norm))))


class Mixer(Module):
    """The MLP-Mixer (model/nn.Mixer): layers of token and channel mixing, then a final
    RMSNorm with gain. Its layers are named 0, 1, … as in Go."""

    def __init__(self, c: MixerConfig) -> None:
        super().__init__()
        self.layers: List[MixerLayer] = []
        for i in range(c.layers):
            layer = MixerLayer(c)
            self.add_module(str(i), layer)
            self.layers.append(layer)
        self.norm = self.declare("norm", ONES, c.width)

    def forward(self, x: Tensor) -> Tensor:
        """x: [B, T, E] → [B, T, E]."""
        for layer in self.layers:
            x = layer(x)
        return rms_norm(x, self.norm)


def sincos_2d(grid: int, width: int) -> Tensor:
    """The fixed 2-D sin-cos position table [grid², width] (nn.SinCos2D), in float32 as Go
    uploads it: the first half of the channels encodes the row, the second the column, each
    as [sin(p·ω_i) ‖ cos(p·ω_i)] with ω_i = 10000^(−i/(width/4))."""
    quarter = width // 4
    omega = np.power(10000.0, -np.arange(quarter) / quarter)
    cell = np.arange(grid * grid)

    def half(pos: np.ndarray) -> np.ndarray:
        angle = pos[:, None] * omega[None]
        return np.concatenate([np.sin(angle), np.cos(angle)], axis=1)

    table = np.concatenate([half(cell // grid), half(cell % grid)], axis=1)
    return torch.from_numpy(table.astype(np.float32))


def patchify(x: Tensor, patch: int) -> Tensor:
    """Images [B, C, H, W] → tokens [B, (H/p)·(W/p), C·p·p]: pixel (c, py·p+ky, px·p+kx) is
    element c·p·p + ky·p + kx of token py·(W/p) + px."""
    bsz, ch, h, w = x.shape
    x = x.reshape(bsz, ch, h // patch, patch, w // patch, patch)
    return x.permute(0, 2, 4, 1, 3, 5).reshape(bsz, (h // patch) * (w // patch), ch * patch * patch)


def unpatchify(tok: Tensor, patch: int, channels: int, image: int) -> Tensor:
    """The inverse of patchify: tokens [B, T, C·p·p] → images [B, C, H, W]."""
    bsz, g = tok.shape[0], image // patch
    x = tok.reshape(bsz, g, g, channels, patch, patch).permute(0, 3, 1, 4, 2, 5)
    return x.reshape(bsz, channels, image, image)
