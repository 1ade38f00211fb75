"""Training options, the learning-rate and EMA schedules, gradient clipping, AdamW and the
EMA over flat parameter arenas (model/train and model/cpu's optimiser kernels)."""

from __future__ import annotations

import dataclasses
import json
import math
from typing import Any, Dict, List, Tuple

import numpy as np
import torch
from torch import Tensor, nn

# The optimiser the twin implements; Go's trainer also offers Muon.
ADAMW = "adamw"
# GradClip's epsilon and the largest finite float32, its test of a finite norm.
GRAD_CLIP_EPS = 1e-6
FLOAT32_MAX = 3.4028234663852886e38


@dataclasses.dataclass
class Options:
    """The training hyperparameters under Go's JSON names (train.Options); saved in
    checkpoints. Options the twin does not implement are kept in extra and written back."""

    steps: int
    batch: int = 32  # images per step, over all processes
    ae_warmup: int = 0
    lr: float = 5e-4
    min_lr: float = 1e-5
    warmup: int = 0
    beta1: float = 0.9
    beta2: float = 0.95
    eps: float = 1e-8
    wd: float = 0.0
    clip_norm: float = 1.0
    ema_decay: float = 0.999
    seed: int = 1
    optimizer: str = ADAMW
    extra: Dict[str, Any] = dataclasses.field(default_factory=dict)

    @classmethod
    def defaults(cls, steps: int) -> "Options":
        """DESIGN §3's settings for a run of steps steps (train.DefaultOptions)."""
        return cls(steps=steps, ae_warmup=steps // 5, warmup=min(500, steps // 20))

    def validate(self) -> None:
        """Raises ValueError with what is wrong."""
        if self.steps <= 0 or self.batch <= 0:
            raise ValueError(f"train: steps {self.steps} and batch {self.batch} must be positive")
        if self.lr <= 0 or self.min_lr < 0 or self.min_lr > self.lr:
            raise ValueError(f"train: learning rates {self.lr} (peak) and {self.min_lr} (min) are not 0 ≤ min ≤ peak, peak > 0")
        if self.warmup < 0 or self.ae_warmup < 0:
            raise ValueError("train: negative warmup")
        if self.clip_norm <= 0 or not 0 <= self.ema_decay < 1:
            raise ValueError(f"train: clip norm {self.clip_norm} must be positive and EMA decay {self.ema_decay} in [0, 1)")
        if self.optimizer not in ("", ADAMW):
            raise ValueError(f"train: optimizer {self.optimizer!r}: the twin trains with {ADAMW} only")

    def to_json(self) -> str:
        """The JSON Go's trainer reads back."""
        d = {f.name: getattr(self, f.name) for f in dataclasses.fields(self) if f.name != "extra"}
        d.update(self.extra)
        return json.dumps(d, separators=(",", ":"))

    @classmethod
    def from_json(cls, text: str) -> "Options":
        """Options from Go's or the twin's JSON; unknown keys go to extra."""
        raw = json.loads(text)
        names = {f.name for f in dataclasses.fields(cls)} - {"extra"}
        o = cls(**{k: v for k, v in raw.items() if k in names})
        o.extra = {k: v for k, v in raw.items() if k not in names}
        return o

    def lr_at(self, step: int) -> float:
        """The learning rate of step (from 0): linear warmup, then cosine decay from lr to
        min_lr at the last step."""
        if step < self.warmup:
            return self.lr * (step + 1) / self.warmup
        span = self.steps - self.warmup
        if span <= 1:
            return self.lr
        progress = min(1.0, (step - self.warmup) / (span - 1))
        return self.min_lr + 0.5 * (self.lr - self.min_lr) * (1 + math.cos(math.pi * progress))

    def ema_at(self, step: int) -> float:
        """The EMA decay at step, ramped up from 0 so the average forgets the random start."""
        return min(self.ema_decay, (1 + step) / (10 + step))


class Arena:
    """Parameters as views into one flat buffer, like Go's ParamSet arena, so that clipping,
    AdamW and the EMA each run as a few ops over the whole model. Build it after the model
    has its device and dtype."""

    def __init__(self, params: List[Tuple[str, nn.Parameter]]) -> None:
        self.names = [n for n, _ in params]
        self.params = [p for _, p in params]
        self.values = torch.cat([p.detach().reshape(-1) for p in self.params])
        self.offsets: List[Tuple[int, int]] = []
        at = 0
        for p in self.params:
            n = p.numel()
            p.data = self.values[at : at + n].view(p.shape)
            self.offsets.append((at, n))
            at += n

    def grads(self) -> Tensor:
        """The gradients as one flat tensor (zeros for parameters without one)."""
        return torch.cat([p.grad.reshape(-1) if p.grad is not None else torch.zeros_like(p).reshape(-1) for p in self.params])

    def split(self, flat: Tensor) -> Dict[str, Tensor]:
        """Views of a flat arena per parameter name, shaped like the parameters."""
        return {n: flat[o : o + k].view(p.shape) for n, (o, k), p in zip(self.names, self.offsets, self.params)}


def clip_scale(g: Tensor, max_norm: float) -> Tuple[Tensor, Tensor]:
    """GradClip: (scale, ok) with scale = min(1, max_norm/(‖g‖ + 1e-6)) and ok true when
    ‖g‖² is finite in float32; else scale 0 and ok false. Both stay on g's device."""
    sumsq = g.double().pow(2).sum()
    ok = sumsq <= FLOAT32_MAX  # false for NaN too
    scale = torch.clamp(max_norm / (torch.sqrt(sumsq) + GRAD_CLIP_EPS), max=1.0)
    return torch.where(ok, scale, torch.zeros_like(scale)).to(g.dtype), ok


def adamw_(p: Tensor, g: Tensor, m: Tensor, v: Tensor, scale: Tensor, ok: Tensor, o: Options, lr: float, step: int) -> None:
    """One AdamW step in place with decoupled weight decay, ĝ = scale·g (model/cpu adamW):
    m ← β1·m + (1−β1)·ĝ, v ← β2·v + (1−β2)·ĝ², p ← p − lr·(m̂/(sqrt(v̂)+eps) + wd·p). step
    counts from 1. Nothing changes where ok is false. The scalars are float32, as Go's
    backends take them."""
    lr, b1, b2, eps, wd = (f32(x) for x in (lr, o.beta1, o.beta2, o.eps, o.wd))
    gs = g * scale
    m_new = b1 * m + (1 - b1) * gs
    v_new = b2 * v + (1 - b2) * gs * gs
    bc1, bc2 = 1 / (1 - b1**step), 1 / (1 - b2**step)
    p_new = p - lr * (m_new * bc1 / (torch.sqrt(v_new * bc2) + eps) + wd * p)
    p.copy_(torch.where(ok, p_new, p))
    m.copy_(torch.where(ok, m_new, m))
    v.copy_(torch.where(ok, v_new, v))


def ema_(ema: Tensor, p: Tensor, decay: float) -> None:
    """ema ← decay·ema + (1 − decay)·p in place, both coefficients float32 as in Go."""
    ema.mul_(f32(decay)).add_(p, alpha=f32(1 - decay))


def f32(x: float) -> float:
    """x rounded to float32: the optimiser's scalars cross Go's backend interface so."""
    return float(np.float32(x))
