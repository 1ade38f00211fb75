"""A one-line progress bar with steps/s, images/s and ETA, like tools/internal/progress."""

from __future__ import annotations

import sys
import time
from typing import TextIO


class Bar:
    """A bar over total steps of batch images each, redrawn at most every 200 ms."""

    WIDTH = 24

    def __init__(self, label: str, total: int, batch: int, done: int = 0, out: TextIO = sys.stderr) -> None:
        self.label, self.total, self.batch, self.out = label, total, batch, out
        self.done = self.base = done
        self.start = self.drawn = time.monotonic()

    def add(self, n: int = 1) -> None:
        """Records n more steps and redraws when due."""
        self.done += n
        now = time.monotonic()
        if now - self.drawn >= 0.2 or self.done >= self.total:
            self.drawn = now
            self.out.write("\r" + self.line(now))
            self.out.flush()

    def finish(self) -> None:
        """Ends the line."""
        self.out.write("\r" + self.line(time.monotonic()) + "\n")
        self.out.flush()

    def rate(self, now: float) -> float:
        """Steps per second of this run so far."""
        elapsed = now - self.start
        return (self.done - self.base) / elapsed if elapsed > 0 else 0.0

    def line(self, now: float) -> str:
        """The bar as of now."""
        frac = min(1.0, self.done / self.total) if self.total > 0 else 0.0
        fill = int(frac * self.WIDTH)
        rate = self.rate(now)
        eta = "?"
        if rate > 0:
            eta = _duration((self.total - self.done) / rate)
        return (f"{self.label} [{'#' * fill}{'.' * (self.WIDTH - fill)}] {self.done}/{self.total} steps  "
                f"{rate:.2f} steps/s  {rate * self.batch:.1f} images/s  ETA {eta} ")


def _duration(seconds: float) -> str:
    s = int(round(seconds))
    h, s = divmod(s, 3600)
    m, s = divmod(s, 60)
    return (f"{h}h" if h else "") + (f"{m}m" if h or m else "") + f"{s}s"
