"""The JiT flow refiner (model/refiner): a DiT over [latent ‖ decoder ‖ image] tokens with
adaLN-Zero on the time, its flow loss with the seed's coupling, and the Heun/Euler sampler."""

from __future__ import annotations

import math
from typing import List

import torch
import torch.nn.functional as F
from torch import Tensor

from .config import Config
from .layers import Block, Linear, Module, ZEROS, Init, init_linear, modulate, patchify, rms_norm, unpatchify
from .sphere import add_blocks, wide

# Time embedding constants (model/refiner/time.go): t is scaled by 1000 before sinusoids of
# periods up to 10000, as DiT feeds its timesteps.
TIME_SCALE = 1000.0
TIME_MAX_PERIOD = 10000.0
# JiT's logit-normal times t = sigmoid(N(−0.8, 0.8²)).
LOGIT_MEAN, LOGIT_STD = -0.8, 0.8


def time_embedding(t: Tensor, dim: int) -> Tensor:
    """DiT's sinusoidal features of t: [B] → [B, dim] = [cos(s·f_i) ‖ sin(s·f_i)] with
    s = 1000·t, f_i = 10000^(−i/(dim/2)); computed in float64 and rounded to float32, as
    Go computes it on the host."""
    half = dim // 2
    freqs = torch.exp(-math.log(TIME_MAX_PERIOD) * torch.arange(half, dtype=torch.float64, device=t.device) / half)
    arg = TIME_SCALE * t.double()[:, None] * freqs[None]
    return torch.cat([torch.cos(arg), torch.sin(arg)], dim=1).float()


class Segment(Module):
    """One input embedded as T tokens: a linear map to E plus a learned segment embedding."""

    def __init__(self, n_in: int, width: int) -> None:
        super().__init__()
        self.w = self.declare("w", init_linear(n_in), width, n_in)
        self.b = self.declare("b", ZEROS, width)
        self.seg = self.declare("seg", Init("normal", 0.02), width)

    def forward(self, x: Tensor) -> Tensor:
        """x: [B, T, In] → [B, T, E]."""
        return F.linear(x, self.w, self.b) + self.seg


class Refiner(Module):
    """x̂ = R(x_t, t | hidden, latent): time MLP cond = SiLU(time2(SiLU(time1(emb(t))))),
    the sequence [latent ‖ decoder ‖ image] of three T-token segments at the same grid
    positions, adaLN-Zero blocks, and on the image tokens RMSNorm → adaLN (shift, scale) →
    linear E→PatchDim (zero-initialised) → unpatchify."""

    def __init__(self, cfg: Config) -> None:
        super().__init__()
        e = cfg.width
        self.cfg = cfg
        self.time1 = Linear(cfg.time_dim, e, True, init_linear(cfg.time_dim))
        self.time2 = Linear(e, e, True, init_linear(e))
        self.latent = Segment(cfg.latent, e)
        self.decoder = Segment(e, e)
        self.image = Segment(cfg.patch_dim, e)
        self.blocks: List[Block] = add_blocks(self, cfg, cfg.ref_blocks, e)
        self.final_mod = Linear(e, 2 * e, True, ZEROS)
        self.out = Linear(e, cfg.patch_dim, True, ZEROS)

    def forward(self, xt: Tensor, t: Tensor, hidden: Tensor, latent: Tensor) -> Tensor:
        """xt: [B, C, H, W]; t: [B]; hidden: [B, T, E] (detached by the caller); latent:
        [B, L] → the x-prediction [B, C, H, W]."""
        c = self.cfg
        tk = c.tokens
        temb = time_embedding(t, c.time_dim).to(self.time1.w.dtype)
        cond = F.silu(self.time2(F.silu(self.time1(temb))))
        seq = torch.cat([
            self.latent(latent.reshape(latent.shape[0], tk, c.latent)),
            self.decoder(hidden),
            self.image(patchify(xt, c.patch)),
        ], dim=1)
        for blk in self.blocks:
            seq = blk(seq, cond)
        shift, scale = self.final_mod(cond).chunk(2, dim=-1)
        img = modulate(rms_norm(seq[:, 2 * tk:], None), shift, scale)
        return unpatchify(self.out(img), c.patch, c.channels, c.image)


def draw_times(cfg: Config, batch: int, gen: torch.Generator, device: torch.device) -> Tensor:
    """Training times t ∈ [0, 1): uniform, or logit-normal when cfg.time_dist says so. [B]."""
    if cfg.time_dist == "logit-normal":
        n = torch.randn(batch, generator=gen, device=device, dtype=torch.float64)
        return torch.sigmoid(LOGIT_MEAN + LOGIT_STD * n).float()
    return torch.rand(batch, generator=gen, device=device, dtype=torch.float64).float()


def flow_loss(ref: Refiner, x: Tensor, x_dec: Tensor, hidden: Tensor, latent: Tensor, eps: Tensor, t: Tensor) -> Tensor:
    """The flow loss of the seed's coupling (refiner.FlowForward):

        x_start = r·ε + (1−r)·x_dec,  x_t = (1−t)·x_start + t·x,  x̂ = R(x_t, t),
        loss = mean over batch and pixels of ((x̂ − x_t) − (x − x_t))² / max(1−t, TEps)²,

    the v-loss on an x-prediction. x, x_dec (detached), eps: [B, C, H, W]; hidden: [B, T, E]
    (detached); latent: [B, L] (its gradient reaches the autoencoder); t: [B].
    """
    c = ref.cfg
    t = t.to(x.dtype)
    tb = t[:, None, None, None]
    x_start = c.ratio * eps.to(x.dtype) + (1 - c.ratio) * x_dec
    xt = (1 - tb) * x_start + tb * x
    pred = wide(ref(xt, t, hidden, latent))
    clamp = torch.clamp(1 - t, min=c.t_eps)
    per_row = (pred - x).pow(2).flatten(1).sum(1) / clamp.pow(2)
    return per_row.sum() / (x.shape[0] * c.pixels)


def sample(ref: Refiner, x0: Tensor, hidden: Tensor, latent: Tensor, eps: Tensor, steps: int, euler: bool = False) -> Tensor:
    """Integrates the flow from x_start = r·ε + (1−r)·x0 at t = 0 (refiner.Sampler): with
    V(x, t) = (R(x, t) − x)/max(1−t, TEps) and dt = 1/steps, steps−1 Heun (or Euler) steps,
    then the x-prediction at t = (steps−1)/steps. steps = 0 returns x0. Not clamped.
    x0, eps: [B, C, H, W]; hidden: [B, T, E]; latent: [B, L]."""
    if steps <= 0:
        return x0
    c = ref.cfg
    bsz = x0.shape[0]

    def call(x: Tensor, t: float) -> Tensor:
        # Every sample at the same time, a float32 as in Go's sampler.
        return ref(x, torch.full((bsz,), t, dtype=torch.float32, device=x.device), hidden, latent)

    def velocity(x: Tensor, t: float) -> Tensor:
        return (call(x, t) - x) / max(1 - t, c.t_eps)

    x = c.ratio * eps + (1 - c.ratio) * x0
    dt = 1 / steps
    for k in range(steps - 1):
        t0, t1 = k / steps, (k + 1) / steps
        k1 = velocity(x, t0)
        if euler:
            x = x + dt * k1
            continue
        k2 = velocity(x + dt * k1, t1)
        x = x + dt / 2 * (k1 + k2)
    return call(x, (steps - 1) / steps)
