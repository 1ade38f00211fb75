"""Runs the twin in float64 on a fixture the Go parity test wrote (tools/torch/parity_test.go)
and writes what it computed for the Go test to compare:

    python3 tools/torch/parity.py DIR

DIR holds model.safetensors.zst (weights, loops and a sphere prior, from Go),
inputs.safetensors.zst (a batch with its noise and times, sampler starts and training
options) and grads.safetensors (Go's gradients of that step, F64, for the optimiser steps). The twin writes DIR/out.safetensors (F64: the four losses, every
parameter gradient, sampled images, the parameters and EMA after two optimiser steps; its
FLOP count, presets, default options and schedules in the metadata) and
DIR/back.safetensors.zst (the model it loaded, written back in F32).
"""

from __future__ import annotations

import json
import os
import sys
from typing import Dict, List

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))

from twin import cpuenv  # noqa: E402  (before torch: OpenBLAS reads it when it loads)

cpuenv.apply()

import numpy as np  # noqa: E402
import torch  # noqa: E402

from twin import config, safetensors  # noqa: E402
from twin.flops import step_flops  # noqa: E402
from twin.model import Model, open_file  # noqa: E402
from twin.optim import Arena, Options, adamw_, clip_scale, ema_  # noqa: E402
from twin.sphere import Noise  # noqa: E402
from twin.step import StepNoise, losses  # noqa: E402


def tensor(f: safetensors.File, name: str) -> torch.Tensor:
    data = f.lookup(name)
    if data is None:
        raise ValueError(f"inputs lack {name}")
    return torch.from_numpy(np.array(data, dtype=np.float64))


def gradients(m: Model, inp: safetensors.File) -> List[safetensors.Tensor]:
    """The losses of the fixture's step and the gradient of their sum."""
    noise = StepNoise(Noise(tensor(inp, "sigma_small"), tensor(inp, "sigma_big"), tensor(inp, "direction")),
                      tensor(inp, "eps"), tensor(inp, "t"))
    loss = losses(m, tensor(inp, "x"), noise)
    loss.sum().backward()
    out = [safetensors.Tensor("loss", loss.detach().numpy())]
    return out + [safetensors.Tensor("grad/" + n, p.grad.numpy().copy()) for n, p in m.param_list()]


def samples(m: Model, inp: safetensors.File) -> List[safetensors.Tensor]:
    """The generator's images from the fixture's sphere points and noise, clamped as
    gen.Generator returns them, for Heun and Euler."""
    steps = int(inp.metadata["sample_steps"])
    out = []
    with torch.no_grad():
        for name, euler in (("heun", False), ("euler", True)):
            x0, x = m.generate(tensor(inp, "sample_v"), tensor(inp, "sample_eps"), steps, m.loops, euler)
            out += [safetensors.Tensor(f"sample/{name}/decoded", x0.clamp(-1, 1).numpy()),
                    safetensors.Tensor(f"sample/{name}/refined", x.clamp(-1, 1).numpy())]
    return out


def optimiser(m: Model, inp: safetensors.File, grads: safetensors.File) -> List[safetensors.Tensor]:
    """Two optimiser steps (clip, AdamW, EMA) with Go's gradients of the step, at the
    fixture's step numbers, from fresh moments and an EMA equal to the weights."""
    o = Options.from_json(inp.metadata["options"])
    arena = Arena(m.param_list())
    g = torch.cat([tensor(grads, n).reshape(-1) for n in arena.names])
    mom, var, ema = torch.zeros_like(g), torch.zeros_like(g), arena.values.clone()
    with torch.no_grad():
        for step in json.loads(inp.metadata["optimiser_steps"]):
            scale, ok = clip_scale(g, o.clip_norm)
            adamw_(arena.values, g, mom, var, scale, ok, o, o.lr_at(step), step + 1)
            ema_(ema, arena.values, o.ema_at(step))
    out = [safetensors.Tensor("opt/param/" + n, v.numpy().copy()) for n, v in arena.split(arena.values).items()]
    return out + [safetensors.Tensor("opt/ema/" + n, v.numpy().copy()) for n, v in arena.split(ema).items()]


def facts(m: Model, inp: safetensors.File, batch: int) -> Dict[str, str]:
    """What Go compares besides tensors: the FLOP count of the step, the presets' JSON, the
    default options and the schedules of the fixture's options."""
    o = Options.from_json(inp.metadata["options"])
    horizon = range(o.steps + 3)
    return {
        "flops": repr(step_flops(m.cfg, batch, True)),
        "presets": json.dumps({n: config.preset(n).marshal() for n in config.presets()}),
        "defaults": Options.defaults(o.steps).to_json(),
        "lr": json.dumps([o.lr_at(s) for s in horizon]),
        "ema": json.dumps([o.ema_at(s) for s in horizon]),
    }


def main(folder: str) -> None:
    torch.set_default_dtype(torch.float64)
    src = safetensors.read_file(os.path.join(folder, "model" + safetensors.EXT))
    m = open_file(src).double()
    safetensors.write_file(os.path.join(folder, "back" + safetensors.EXT), m.to_file(meta=src.metadata), "F32")
    inp = safetensors.read_file(os.path.join(folder, "inputs" + safetensors.EXT))
    batch = inp.lookup("x").shape[0]
    with open(os.path.join(folder, "grads.safetensors"), "rb") as fh:
        grads = safetensors.decode(fh.read())
    tensors = gradients(m, inp) + samples(m, inp) + optimiser(m, inp, grads)
    out = safetensors.File(facts(m, inp, batch), tensors)
    with open(os.path.join(folder, "out.safetensors"), "wb") as fh:
        fh.write(safetensors.encode(out, "F64"))


if __name__ == "__main__":
    if len(sys.argv) != 2:
        sys.exit(__doc__)
    main(sys.argv[1])
