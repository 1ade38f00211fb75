"""The trainer: data order, noise, resuming exactly from a checkpoint, the loss log."""

from __future__ import annotations

import unittest

import numpy as np
import torch

from twin import config, safetensors
from twin.data import Set
from twin.model import Model
from twin.optim import Options
from twin.trainer import Trainer, resume, step_noise


def dataset(n: int = 10) -> Set:
    rng = np.random.default_rng(2)
    return Set("dots", 32, rng.integers(0, 256, (n, 3, 32, 32), dtype=np.uint8), np.zeros((0, 3, 32, 32), np.uint8), [], np.full(n, -1, np.int32))


def trainer(steps: int = 4) -> Trainer:
    m = Model(config.preset("tiny"))
    m.init_weights(3)
    o = Options.defaults(steps)
    o.batch, o.ae_warmup, o.warmup = 3, 1, 1
    return Trainer(m, dataset(), o, torch.device("cpu"))


class OrderTest(unittest.TestCase):
    def test_epochs(self) -> None:
        t = trainer()
        seen = torch.cat([t.batch_indices(s) for s in range(10)]).numpy()  # 30 = 3 epochs of 10
        for e in range(3):
            self.assertEqual(sorted(seen[10 * e : 10 * e + 10]), list(range(10)))
        self.assertFalse(np.array_equal(seen[:10], seen[10:20]))

    def test_noise(self) -> None:
        c, cpu = config.preset("tiny"), torch.device("cpu")
        a = step_noise(c, 1, 5, 4, True, cpu)
        b = step_noise(c, 1, 5, 4, True, cpu)
        other = step_noise(c, 1, 6, 4, True, cpu)
        self.assertTrue(torch.equal(a.ae.direction, b.ae.direction) and torch.equal(a.t, b.t))
        self.assertFalse(torch.equal(a.ae.direction, other.ae.direction))
        self.assertTrue(torch.all(a.ae.sigma_small <= 0.5 * a.ae.sigma_big))
        self.assertTrue(torch.equal(a.rows(slice(2, 4)).eps, a.eps[2:4]))
        self.assertIsNone(step_noise(c, 1, 5, 4, False, cpu).t)


class ResumeTest(unittest.TestCase):
    def test_exact(self) -> None:
        straight = trainer()
        for _ in range(4):
            straight.train_step()
        first = trainer()
        for _ in range(2):
            first.train_step()
        saved = safetensors.decode(safetensors.encode(first.checkpoint(), "F32"))
        second = resume(saved, dataset(), torch.device("cpu"))
        self.assertEqual(second.step, 2)
        for _ in range(2):
            second.train_step()
        for a, b in ((straight.arena.values, second.arena.values), (straight.ema, second.ema), (straight.v, second.v)):
            self.assertTrue(torch.equal(a, b))
        r = second.report()
        self.assertEqual((r.step, r.steps, r.skipped), (4, 2, 0))
        self.assertGreater(r.flow, 0)  # step 3 is in the joint phase

    def test_wrong_dataset(self) -> None:
        saved = trainer().checkpoint()
        other = dataset()
        other.name = "other"
        with self.assertRaises(ValueError):
            resume(saved, other, torch.device("cpu"))


if __name__ == "__main__":
    unittest.main()
