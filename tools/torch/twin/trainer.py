"""Training (model/train): phase 1 the autoencoder alone, phase 2 jointly with the refiner;
AdamW with warmup and cosine decay, global gradient-norm clipping, an EMA of the weights,
non-finite steps skipped and the learning rate halved after a report that saw one, and
checkpoints in Go's format that resume exactly (in the twin or in tools/train).

Data parallel: every process of a torchrun job takes its share of each step's batch and of
its noise, both drawn for the whole batch from (seed, step) alone, and DDP averages the
gradients; so N processes of batch B give the losses and updates of one process of batch
N·B, up to rounding.
"""

from __future__ import annotations

import dataclasses
import math
from typing import Dict, List

import numpy as np
import torch
import torch.distributed as dist
from torch import Tensor

from . import safetensors
from .config import Config, parse
from .data import Set
from .model import CONFIG_KEY, Model, file_values
from .optim import Arena, Options, adamw_, clip_scale, ema_
from .refiner import draw_times
from .sphere import Noise
from .step import LOSS_NAMES, Step, StepNoise

# Checkpoint metadata (model/train/checkpoint.go).
CHECKPOINT_FORMAT = "flowsphere-checkpoint-1"
OPTIONS_KEY, STEP_KEY, LR_SCALE_KEY, DATASET_KEY = "options", "step", "lr_scale", "dataset"
FORMAT_KEY = "format"

# Noise streams of a step's generator seed.
AE_STREAM, FLOW_STREAM = 0, 1


@dataclasses.dataclass
class Report:
    """The mean losses over the steps since the previous report (train.Report)."""

    step: int
    steps: int
    recon: float = 0.0
    pixel: float = 0.0
    latent: float = 0.0
    flow: float = 0.0
    total: float = 0.0
    skipped: int = 0
    lr: float = 0.0


def _splitmix64(x: int) -> int:
    x = (x + 0x9E3779B97F4A7C15) & 0xFFFFFFFFFFFFFFFF
    x = ((x ^ (x >> 30)) * 0xBF58476D1CE4E5B9) & 0xFFFFFFFFFFFFFFFF
    x = ((x ^ (x >> 27)) * 0x94D049BB133111EB) & 0xFFFFFFFFFFFFFFFF
    return x ^ (x >> 31)


def stream_seed(seed: int, step: int, stream: int) -> int:
    """The generator seed of one noise stream of a step."""
    return _splitmix64(_splitmix64(_splitmix64(seed) ^ step) ^ stream)


def step_noise(c: Config, seed: int, step: int, batch: int, joint: bool, device: torch.device) -> StepNoise:
    """The noise of a whole step of batch images, from (seed, step) alone: sphere.DrawNoise's
    angles and scales, the direction e, and in the joint phase refiner.DrawTimes' times and
    the start noise ε (the same distributions as Go's, not the same numbers)."""
    g = torch.Generator(device=device)
    g.manual_seed(stream_seed(seed, step, AE_STREAM))
    u = torch.rand(4, batch, generator=g, device=device, dtype=torch.float64)
    alpha = torch.where(u[1] < c.mix_prob, c.alpha_max + u[2] * (c.alpha_mix_max - c.alpha_max), u[0] * c.alpha_max)
    sigma = torch.tan(alpha * math.pi / 180)
    direction = torch.randn(batch, c.L, generator=g, device=device)
    ae = Noise((u[3] * c.small_noise * sigma).float(), sigma.float(), direction)
    if not joint:
        return StepNoise(ae)
    g.manual_seed(stream_seed(seed, step, FLOW_STREAM))
    t = draw_times(c, batch, g, device)
    return StepNoise(ae, torch.randn(batch, c.channels, c.image, c.image, generator=g, device=device), t)


class Trainer:
    """Trains model on data with options opt, as process rank of world (DDP when world > 1,
    which needs an initialised process group), on device, with bf16 autocast when amp."""

    def __init__(self, model: Model, data: Set, opt: Options, device: torch.device,
                 rank: int = 0, world: int = 1, amp: bool = False) -> None:
        opt.validate()
        if opt.batch % world:
            raise ValueError(f"train: batch {opt.batch} does not split over {world} processes")
        if data.size != model.cfg.image or len(data.train) == 0:
            raise ValueError(f"train: dataset {data.name} has {len(data.train)} training images of {data.size} pixels, the model wants {model.cfg.image}")
        self.model = model.to(device=device, dtype=torch.float32)
        self.data, self.opt, self.device = data, opt, device
        self.rank, self.world, self.amp = rank, world, amp
        self.local = opt.batch // world
        self.arena = Arena(self.model.param_list())
        self.m = torch.zeros_like(self.arena.values)
        self.v = torch.zeros_like(self.arena.values)
        self.ema = self.arena.values.clone()
        self.step, self.lr_scale = 0, 1.0
        self.images = torch.from_numpy(data.train).to(device)
        self.step_module: torch.nn.Module = Step(self.model)
        if world > 1:
            self.step_module = torch.nn.parallel.DistributedDataParallel(
                self.step_module, device_ids=[device] if device.type == "cuda" else None,
                find_unused_parameters=True, broadcast_buffers=False)
        self.sums = torch.zeros(len(LOSS_NAMES), device=device, dtype=torch.float64)
        self.ok_sum = torch.zeros((), device=device, dtype=torch.float64)
        self.pending = 0
        self._perms: Dict[int, Tensor] = {}  # the data order of the current epochs

    def joint(self, step: int) -> bool:
        """Whether step trains the refiner too (phase 2)."""
        return step >= self.opt.ae_warmup

    def batch_indices(self, step: int) -> Tensor:
        """The training images of step, the whole batch, on the device: epochs walk a
        permutation seeded by (seed, epoch), so the order depends on (seed, step) only. Each
        epoch's permutation is uploaded once; a step costs no transfer."""
        n, bsz = len(self.data.train), self.opt.batch
        j = torch.arange(step * bsz, (step + 1) * bsz, device=self.device)
        idx = torch.empty_like(j)
        for epoch in range(step * bsz // n, ((step + 1) * bsz - 1) // n + 1):
            if epoch not in self._perms:
                perm = np.random.default_rng([self.opt.seed, epoch]).permutation(n)
                self._perms = {e: p for e, p in self._perms.items() if e >= epoch - 1}
                self._perms[epoch] = torch.from_numpy(perm).to(self.device)
            here = j // n == epoch
            idx[here] = self._perms[epoch][j[here] % n]
        return idx

    def noise(self, step: int) -> StepNoise:
        """This process's rows of step's noise."""
        whole = step_noise(self.model.cfg, self.opt.seed, step, self.opt.batch, self.joint(step), self.device)
        return whole.rows(slice(self.rank * self.local, (self.rank + 1) * self.local))

    def train_step(self) -> None:
        """Takes one optimiser step."""
        o, step = self.opt, self.step
        idx = self.batch_indices(step)[self.rank * self.local : (self.rank + 1) * self.local]
        x = self.images[idx].float() / 127.5 - 1
        noise = self.noise(step)
        for p in self.arena.params:
            p.grad = None
        with torch.autocast(device_type=self.device.type, dtype=torch.bfloat16, enabled=self.amp):
            losses = self.step_module(x, noise.ae.sigma_small, noise.ae.sigma_big, noise.ae.direction, noise.eps, noise.t)
        losses.float().sum().backward()
        with torch.no_grad():
            grads = self.arena.grads()
            scale, ok = clip_scale(grads, o.clip_norm)
            adamw_(self.arena.values, grads, self.m, self.v, scale, ok, o, o.lr_at(step) * self.lr_scale, step + 1)
            ema_(self.ema, self.arena.values, o.ema_at(step))
            self.sums += losses.detach().double()
            self.ok_sum += ok.double()
        self.step += 1
        self.pending += 1

    def report(self) -> Report:
        """The mean losses over all processes since the last report; halves the learning
        rate from now on when a step was skipped or the loss is not finite."""
        r = Report(step=self.step, steps=self.pending, lr=self.opt.lr_at(max(0, self.step - 1)) * self.lr_scale)
        if self.pending == 0:
            return r
        sums = self.sums.clone()
        if self.world > 1:
            dist.all_reduce(sums)
            sums /= self.world
        means = (sums / self.pending).tolist()
        r.recon, r.pixel, r.latent, r.flow = means
        r.total = sum(means)
        r.skipped = self.pending - int(round(self.ok_sum.item()))
        if r.skipped > 0 or not math.isfinite(r.total):
            self.lr_scale /= 2
        self.sums.zero_()
        self.ok_sum.zero_()
        self.pending = 0
        return r

    def _arenas(self) -> List[tuple]:
        return [("param", self.arena.values), ("ema", self.ema), ("adam_m", self.m), ("adam_v", self.v)]

    def checkpoint(self) -> safetensors.File:
        """The whole training state in Go's checkpoint layout (train.Trainer.Save): every
        arena per parameter under "<arena>/<name>", options, step and learning-rate scale."""
        md = {FORMAT_KEY: CHECKPOINT_FORMAT, CONFIG_KEY: self.model.cfg.marshal(), OPTIONS_KEY: self.opt.to_json(),
              STEP_KEY: str(self.step), LR_SCALE_KEY: repr(float(self.lr_scale)), DATASET_KEY: self.data.name}
        tensors = []
        for prefix, flat in self._arenas():
            for name, view in self.arena.split(flat).items():
                tensors.append(safetensors.Tensor(f"{prefix}/{name}", view.detach().float().cpu().numpy()))
        return safetensors.File(md, tensors)

    def export(self, meta: Dict[str, str]) -> safetensors.File:
        """The EMA weights as a model weight file with the training facts in meta."""
        return self.model.to_file(self.arena.split(self.ema), meta)


def resume(f: safetensors.File, data: Set, device: torch.device, rank: int = 0, world: int = 1, amp: bool = False) -> Trainer:
    """A trainer rebuilt from a checkpoint (the twin's or Go's) on the same dataset; it
    continues exactly where the checkpoint stopped."""
    if f.metadata.get(FORMAT_KEY) != CHECKPOINT_FORMAT:
        raise ValueError("not a flowsphere checkpoint")
    if f.metadata.get(DATASET_KEY) != data.name:
        raise ValueError(f"the checkpoint was trained on {f.metadata.get(DATASET_KEY)}, not {data.name}")
    opt = Options.from_json(f.metadata[OPTIONS_KEY])
    t = Trainer(Model(parse(f.metadata[CONFIG_KEY])), data, opt, device, rank, world, amp)
    t.step, t.lr_scale = int(f.metadata[STEP_KEY]), float(f.metadata[LR_SCALE_KEY])
    params = t.model.param_list()
    with torch.no_grad():
        for prefix, flat in t._arenas():
            values = file_values(f, prefix + "/", params)
            for name, view in t.arena.split(flat).items():
                view.copy_(torch.from_numpy(values[name]))
    return t
