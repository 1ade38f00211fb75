"""The files a training run keeps in its output folder besides weights: loss.csv and
run.json, in tools/train's formats, so that either trainer can resume the other's run."""

from __future__ import annotations

import argparse
import csv
import json
import os
from typing import Dict, List

from .trainer import Report

HEADER = ["step", "recon", "pixel", "latent", "flow", "total", "skipped", "lr"]
SCHEDULE = "run.json"
# The intervals of a run and their defaults (tools/train's flags); sample_every is kept for
# tools/train, which writes sample grids at that interval; the twin writes none.
DEFAULTS = {"log_every": 10, "checkpoint_every": 500, "snapshot_every": 0}


def keep_schedule(a: argparse.Namespace, steps: int) -> Dict[str, int]:
    """The run's intervals: those on the command line, else (on --resume) those in run.json,
    else the defaults; written back to run.json."""
    path = os.path.join(a.out, SCHEDULE)
    saved: Dict[str, int] = {}
    if a.resume and os.path.isfile(path):
        with open(path) as fh:
            saved = json.load(fh)
    s = {"log_every": 0, "sample_every": saved.get("sample_every", max(1, steps // 10)), "checkpoint_every": 0, "snapshot_every": 0}
    for key, default in DEFAULTS.items():
        given = getattr(a, key)
        s[key] = given if given is not None else saved.get(key, default)
    if s["log_every"] <= 0 or s["checkpoint_every"] <= 0 or s["snapshot_every"] < 0:
        raise SystemExit(f"intervals {s} are not positive")
    with open(path, "w") as fh:
        json.dump(s, fh, indent=2)
        fh.write("\n")
    return s


class LossLog:
    """loss.csv: rows logged after the checkpoint a run resumes from are dropped, since the
    resumed run logs those steps again."""

    def __init__(self, path: str, step: int) -> None:
        kept: List[List[str]] = []
        if step > 0 and os.path.isfile(path):
            with open(path, newline="") as fh:
                kept = [row for row in list(csv.reader(fh))[1:] if int(float(row[0])) <= step]
        self.fh = open(path, "w", newline="")
        self.w = csv.writer(self.fh)
        self.w.writerow(HEADER)
        self.w.writerows(kept)
        self.fh.flush()

    def add(self, r: Report) -> None:
        """Appends one report and flushes it."""
        g = lambda v: format(v, ".9g")  # noqa: E731
        self.w.writerow([r.step, g(r.recon), g(r.pixel), g(r.latent), g(r.flow), g(r.total), r.skipped, g(r.lr)])
        self.fh.flush()

    def close(self) -> None:
        self.fh.close()
