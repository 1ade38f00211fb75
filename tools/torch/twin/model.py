"""The whole generator (model/gen): autoencoder and refiner under Go's parameter names, its
weight files and generation (AE decode of sphere points, encode→decode loops, refinement)."""

from __future__ import annotations

import dataclasses
from typing import Dict, List, Optional, Tuple

import numpy as np
import torch
from torch import Tensor, nn

from . import safetensors
from .config import Config, parse
from .layers import Module, init_params
from .refiner import Refiner, sample
from .sphere import Decoder, Encoder

# Weight file metadata (model/gen/file.go, prior.go).
FORMAT_KEY, FORMAT = "format", "flowsphere-1"
CONFIG_KEY = "config"
LOOPS_KEY = "loops"
PRIOR_TEMPERATURE_KEY = "prior_temperature"
PRIOR_PREFIX = "prior."
DEFAULT_LOOPS = 24
MAX_LOOPS = 1000


class Model(Module):
    """The generator: enc, dec and refiner, so that parameter names are Go's
    ("enc.embed.w", "refiner.block0.mod.b", …) in Go's order.

    loops is the number of encode→decode loops its generators run (kept in the weight file);
    prior holds a sphere prior read from a file (its tensors and temperature), carried
    through to written files unchanged (the twin draws uniform sphere points; gen.Open reads
    and checks the prior).
    """

    def __init__(self, cfg: Config) -> None:
        super().__init__()
        cfg.validate()
        self.cfg = cfg
        self.enc = Encoder(cfg)
        self.dec = Decoder(cfg)
        self.refiner = Refiner(cfg)
        self.loops = DEFAULT_LOOPS
        self.prior: List[safetensors.Tensor] = []  # the "prior." tensors of the file read
        self.prior_temperature: Optional[str] = None

    def set_time_dist(self, time_dist: str) -> None:
        """Changes the refiner's training time distribution, a training choice that a model
        loaded from a file may change (one of the choices gen.Model.SetTraining changes)."""
        cfg = dataclasses.replace(self.cfg, time_dist=time_dist)
        cfg.validate()
        self.cfg = self.refiner.cfg = cfg

    def param_list(self) -> List[Tuple[str, nn.Parameter]]:
        """Every parameter with its Go name, in Go's order."""
        return self.go_params()

    def count(self) -> int:
        """The number of trainable values."""
        return sum(p.numel() for _, p in self.param_list())

    def init_weights(self, seed: int) -> None:
        """Draws every parameter from its initialisation with a generator seeded by seed (the
        same distributions as Go's, not the same values)."""
        init_params(self, torch.Generator().manual_seed(seed))

    def load_values(self, f: safetensors.File, prefix: str = "") -> None:
        """Copies the file's tensors named prefix + parameter name into the parameters."""
        values = file_values(f, prefix, self.param_list())
        with torch.no_grad():
            for name, p in self.param_list():
                p.copy_(torch.from_numpy(values[name]).to(p.dtype))

    def to_file(self, values: Optional[Dict[str, Tensor]] = None, meta: Optional[Dict[str, str]] = None) -> safetensors.File:
        """A weight file of values (by parameter name; default the parameters themselves,
        else e.g. the EMA) with meta; the model's own keys override meta's, as in Go."""
        md = dict(meta or {})
        md[FORMAT_KEY], md[CONFIG_KEY], md[LOOPS_KEY] = FORMAT, self.cfg.marshal(), str(self.loops)
        md.pop(PRIOR_TEMPERATURE_KEY, None)
        tensors = []
        for name, p in self.param_list():
            v = values[name] if values is not None else p
            tensors.append(safetensors.Tensor(name, v.detach().float().cpu().numpy().reshape(p.shape)))
        if self.prior:
            tensors += self.prior
            md[PRIOR_TEMPERATURE_KEY] = self.prior_temperature or "1"
        return safetensors.File(md, tensors)

    def project(self, v: Tensor, loops: int) -> Tuple[Tensor, Tensor, Tensor]:
        """Decodes sphere points v: [B, L] with loops encode→decode loops v ← E(D(v)) (the
        Sphere Encoder's few-step sampling): (last point [B, L], its decode [B, C, H, W],
        the decoder's hidden tokens [B, T, E])."""
        x0, hidden = self.dec(v)
        for _ in range(loops):
            v = self.enc(x0)
            x0, hidden = self.dec(v)
        return v, x0, hidden

    def generate(self, v: Tensor, eps: Tensor, steps: int, loops: int, euler: bool = False) -> Tuple[Tensor, Tensor]:
        """From sphere points v: [B, L] and refiner noise eps: [B, C, H, W]: the AE decode and
        its refinement in steps steps, both [B, C, H, W] and not clamped."""
        v, x0, hidden = self.project(v, loops)
        return x0, sample(self.refiner, x0, hidden, v, eps, steps, euler)


def file_values(f: safetensors.File, prefix: str, params: List[Tuple[str, nn.Parameter]]) -> Dict[str, np.ndarray]:
    """The file's tensors named prefix + parameter name, by parameter name, checked as
    gen.Model.LoadValues checks them: every parameter present with its shape, and no other
    network tensor (prior tensors aside)."""
    network = {t.name[len(prefix):]: t.data for t in f.tensors if t.name.startswith(prefix) and not t.name[len(prefix):].startswith(PRIOR_PREFIX)}
    for name, p in params:
        if name not in network:
            raise ValueError(f"weight file lacks parameter {prefix}{name}")
        if tuple(network[name].shape) != tuple(p.shape):
            raise ValueError(f"parameter {prefix}{name} has shape {list(network[name].shape)} in the file, the model needs {list(p.shape)}")
    if len(network) != len(params):
        raise ValueError(f"weight file has {len(network)} network tensors, the model has {len(params)} parameters")
    return {name: np.asarray(network[name]) for name, _ in params}


def read_config(f: safetensors.File) -> Config:
    """The configuration a weight file was written with; refuses other files."""
    if f.metadata.get(FORMAT_KEY) != FORMAT:
        raise ValueError(f"not a flowsphere model (metadata {FORMAT_KEY} = {f.metadata.get(FORMAT_KEY)!r}, want {FORMAT!r})")
    return parse(f.metadata[CONFIG_KEY])


def _read_prior(m: Model, f: safetensors.File) -> None:
    """Keeps the file's sphere prior (its "prior." tensors and temperature) to write it back
    unchanged; Go's reader checks it."""
    m.prior = [t for t in f.tensors if t.name.startswith(PRIOR_PREFIX)]
    m.prior_temperature = f.metadata.get(PRIOR_TEMPERATURE_KEY)


def open_file(f: safetensors.File) -> Model:
    """The model a weight file describes, with its values, loop count and prior (gen.Open)."""
    m = Model(read_config(f))
    loops = f.metadata.get(LOOPS_KEY)
    if loops is not None:
        if not loops.isdigit() or int(loops) > MAX_LOOPS:
            raise ValueError(f"flowsphere model with a bad loop count {LOOPS_KEY} = {loops!r} (want 0…{MAX_LOOPS})")
        m.loops = int(loops)
    _read_prior(m, f)
    m.load_values(f)
    return m
