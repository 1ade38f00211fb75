"""Trains a flowsphere model with the PyTorch twin, on CPUs or GPUs, in one process or many:

    torchrun --nproc_per_node N tools/torch/train.py --data emoji32|mnist32|DIR \\
        --config small --steps S --batch B --out runs/NAME [--resume] [--init FILE]

--batch is per process: N processes of batch B train as one of batch N·B (same losses and
updates up to rounding). DDP runs on gloo for CPUs and NCCL for GPUs, with bf16 autocast on
GPUs. The schedule, EMA, checkpoints and output files are tools/train's: loss.csv,
checkpoint.safetensors.zst (resumable by either trainer), run.json and the EMA weights as
NAME.safetensors.zst (F16) for tools/sample, tools/eval and the site. A progress bar shows
images/s; a JSON summary line with images/s and model FLOP/s ends the run.
"""

from __future__ import annotations

import argparse
import json
import os
import sys
import time

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))

from twin import cpuenv  # noqa: E402  (before torch: OpenBLAS reads it when it loads)

cpuenv.apply()

import torch  # noqa: E402
import torch.distributed as dist  # noqa: E402

from twin import safetensors  # noqa: E402
from twin.config import preset  # noqa: E402
from twin.data import open_set  # noqa: E402
from twin.flops import step_flops  # noqa: E402
from twin.model import DEFAULT_LOOPS, Model, open_file  # noqa: E402
from twin.optim import Options  # noqa: E402
from twin.progress import Bar  # noqa: E402
from twin.runfiles import LossLog, keep_schedule  # noqa: E402
from twin.trainer import Trainer, resume  # noqa: E402

CHECKPOINT = "checkpoint" + safetensors.EXT


def parse_args(argv: list[str]) -> argparse.Namespace:
    p = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    p.add_argument("--data", default="emoji32", help="emoji32, mnist32, a folder of images or a .fsds cache file")
    p.add_argument("--config", default="small", help="model size: tiny or small")
    p.add_argument("--out", required=True, help="output folder, e.g. runs/NAME; its name names the weight file")
    p.add_argument("--steps", type=int, default=None, help="total optimiser steps (default 2000; on --resume: move the run's end)")
    p.add_argument("--batch", type=int, default=32, help="images per step and process")
    p.add_argument("--ae-warmup", type=int, default=-1, help="autoencoder-only steps (default steps/5)")
    p.add_argument("--lr", type=float, default=0, help="peak learning rate (default 5e-4)")
    p.add_argument("--time", default="", help="refiner time distribution: uniform or logit-normal (default: the config's)")
    p.add_argument("--seed", type=int, default=1, help="seed of weights, data order and noise")
    p.add_argument("--log-every", type=int, default=None, help="steps between loss reports (default 10)")
    p.add_argument("--checkpoint-every", type=int, default=None, help="steps between checkpoints (default 500)")
    p.add_argument("--snapshot-every", type=int, default=None, help="steps between EMA weight snapshots NAME-stepNNNNNN (default none)")
    p.add_argument("--loops", type=int, default=-1, help="encode→decode loops the weight files ask for (-1: the --init file's or the default)")
    p.add_argument("--init", default="", help="start from this weight file (its config; fresh optimiser state)")
    p.add_argument("--resume", action="store_true", help="continue from the checkpoint in --out")
    p.add_argument("--max-seconds", type=float, default=0, help="stop (checkpoint and export) after this wall time (several processes check at reports)")
    p.add_argument("--device", default="auto", help="cpu, cuda or auto (cuda:LOCAL_RANK when there is a GPU)")
    p.add_argument("--fp32", action="store_true", help="no bf16 autocast on GPUs")
    return p.parse_args(argv)


def setup() -> tuple[int, int, int]:
    """Rank, world size and local rank; joins the process group under torchrun."""
    world = int(os.environ.get("WORLD_SIZE", "1"))
    rank, local = int(os.environ.get("RANK", "0")), int(os.environ.get("LOCAL_RANK", "0"))
    if world > 1:
        dist.init_process_group("nccl" if torch.cuda.is_available() else "gloo")
    return rank, world, local


def pick_device(name: str, local: int) -> torch.device:
    if name == "auto":
        name = "cuda" if torch.cuda.is_available() else "cpu"
    if name == "cuda":
        torch.cuda.set_device(local)
        return torch.device("cuda", local)
    return torch.device(name)


def new_trainer(a: argparse.Namespace, data, device: torch.device, rank: int, world: int) -> Trainer:
    """A trainer resumed from --out's checkpoint, or a new one."""
    amp = device.type == "cuda" and not a.fp32
    ckpt = os.path.join(a.out, CHECKPOINT)
    if a.resume:
        if not os.path.isfile(ckpt):
            raise SystemExit(f"--resume: no checkpoint at {ckpt}")
        t = resume(safetensors.read_file(ckpt), data, device, rank, world, amp)
        if a.steps is not None and a.steps != t.opt.steps:
            if a.steps < t.step:
                raise SystemExit(f"--resume --steps {a.steps}: the checkpoint is already at step {t.step}")
            t.opt.steps = a.steps
        return t
    opt = Options.defaults(a.steps if a.steps is not None else 2000)
    opt.batch, opt.seed = a.batch * world, a.seed
    if a.ae_warmup >= 0:
        opt.ae_warmup = a.ae_warmup
    if a.lr > 0:
        opt.lr = a.lr
    if a.init:
        model = open_file(safetensors.read_file(a.init))
        if model.prior:
            # tools/train fits a new prior at every export; the twin has no fit, so a prior
            # of the old weights would only mislead: it goes, with the loop count it came with.
            print(f"--init: {a.init}'s sphere prior fits its own weights, not the trained ones: the exported files have "
                  f"none and ask for {DEFAULT_LOOPS} loops (fit one with go run ./tools/prior)", file=sys.stderr)
            model.prior, model.prior_temperature, model.loops = [], None, DEFAULT_LOOPS
    else:
        model = Model(preset(a.config))
        model.init_weights(a.seed)
    if a.time:
        model.set_time_dist(a.time)
    return Trainer(model, data, opt, device, rank, world, amp)


def out_of_time(limit: float, start: float, world: int, report: bool, device: torch.device) -> bool:
    """Whether the wall time limit (0: none) has passed: after every step in one process;
    with several, at reports, as rank 0's clock says, so that all stop at the same step."""
    if limit <= 0:
        return False
    if world == 1:
        return time.monotonic() - start >= limit
    if not report:
        return False
    flag = torch.tensor([float(time.monotonic() - start >= limit)], device=device)
    dist.broadcast(flag, 0)
    return bool(flag.item())


def main(argv: list[str]) -> None:
    a = parse_args(argv)
    rank, world, local = setup()
    device = pick_device(a.device, local)
    lead = rank == 0
    data = open_set(a.data)
    os.makedirs(a.out, exist_ok=True)
    t = new_trainer(a, data, device, rank, world)
    if a.loops >= 0:
        t.model.loops = a.loops
    sched = keep_schedule(a, t.opt.steps)
    name = os.path.basename(os.path.normpath(a.out))
    log = LossLog(os.path.join(a.out, "loss.csv"), t.step) if lead else None
    if lead:
        print(f"{a.out}: {t.model.count()} parameters, {t.model.cfg.name} config, dataset {data.name} ({len(data.train)} train images), "
              f"step {t.step} of {t.opt.steps}, batch {t.opt.batch} = {world} × {t.local} on {device}"
              f"{', bf16 autocast' if t.amp else ''}", file=sys.stderr)

    def export(path: str) -> None:
        meta = {"dataset": data.name, "steps": str(t.step), "images_seen": str(t.step * t.opt.batch), "weights": "ema"}
        if lead:
            safetensors.write_file(path, t.export(meta), "F16")

    start_step, flops = t.step, 0.0
    bar = Bar("train", t.opt.steps, t.opt.batch, t.step) if lead else None
    start = time.monotonic()
    last = None
    while t.step < t.opt.steps:
        flops += step_flops(t.model.cfg, t.opt.batch, t.joint(t.step))
        t.train_step()
        if bar:
            bar.add()
        step = t.step
        report = step % sched["log_every"] == 0
        stop = step == t.opt.steps or out_of_time(a.max_seconds, start, world, report, device)
        if report or stop:
            last = t.report()
            if log:
                log.add(last)
            if last.skipped > 0 and lead:
                print(f"\nstep {step}: {last.skipped} steps skipped for non-finite gradients; learning rate halved", file=sys.stderr)
        if sched["snapshot_every"] > 0 and step % sched["snapshot_every"] == 0:
            export(os.path.join(a.out, f"{name}-step{step:06d}{safetensors.EXT}"))
        if step % sched["checkpoint_every"] == 0 or stop:
            if lead:
                safetensors.write_file(os.path.join(a.out, CHECKPOINT), t.checkpoint(), "F32")
        if stop:
            break
    if device.type == "cuda":
        torch.cuda.synchronize()
    elapsed = time.monotonic() - start
    if bar:
        bar.finish()
    weights = os.path.join(a.out, name + safetensors.EXT)
    export(weights)
    done = t.step - start_step
    if lead:
        summary = {
            "weights": weights, "config": t.model.cfg.name, "dataset": data.name, "params": t.model.count(),
            "backend": f"torch {torch.__version__}", "device": str(device) + (f" ({torch.cuda.get_device_name(device)})" if device.type == "cuda" else ""),
            "processes": world, "batch": t.opt.batch, "amp": t.amp, "steps": t.step, "steps_this_run": done,
            "images_seen": t.step * t.opt.batch, "seconds": elapsed, "images_per_sec": done * t.opt.batch / elapsed if elapsed else 0,
            "model_flops_per_sec": flops / elapsed if elapsed else 0, "final_loss": last.__dict__ if last else None,
        }
        print(json.dumps(summary))
    if log:
        log.close()
    if world > 1:
        # torch 1.13 can deadlock tearing gloo down at exit (the process group's destructor
        # joins a worker thread that waits for the interpreter lock to free a tensor), so
        # once every process is done the process ends without its destructors.
        dist.barrier()
        sys.stdout.flush()
        sys.stderr.flush()
        os._exit(0)


if __name__ == "__main__":
    main(sys.argv[1:])
