"""Options, schedules, clipping, AdamW and the EMA."""

from __future__ import annotations

import math
import unittest

import torch

from twin.optim import Options, adamw_, clip_scale, ema_


class ScheduleTest(unittest.TestCase):
    def test_lr(self) -> None:
        o = Options.defaults(1000)  # warmup 50, ae_warmup 200
        self.assertEqual((o.warmup, o.ae_warmup), (50, 200))
        self.assertAlmostEqual(o.lr_at(0), o.lr / 50)
        self.assertAlmostEqual(o.lr_at(49), o.lr)
        self.assertAlmostEqual(o.lr_at(50), o.lr)
        self.assertAlmostEqual(o.lr_at(999), o.min_lr)
        self.assertAlmostEqual(o.lr_at(5000), o.min_lr)
        mid = 50 + (949 // 2)
        self.assertAlmostEqual(o.lr_at(mid), o.min_lr + 0.5 * (o.lr - o.min_lr) * (1 + math.cos(math.pi * (mid - 50) / 949)))

    def test_ema(self) -> None:
        o = Options.defaults(10)
        self.assertAlmostEqual(o.ema_at(0), 0.1)
        self.assertEqual(o.ema_at(10**6), o.ema_decay)

    def test_json(self) -> None:
        o = Options.defaults(20)
        o.extra = {"muon_lr": 10}
        back = Options.from_json(o.to_json())
        self.assertEqual(back, o)
        with self.assertRaises(ValueError):
            Options.from_json('{"steps": 5, "optimizer": "muon"}').validate()


class StepTest(unittest.TestCase):
    def test_clip(self) -> None:
        scale, ok = clip_scale(torch.tensor([3.0, 4.0], dtype=torch.float64), 1.0)
        self.assertTrue(ok.item())
        self.assertAlmostEqual(scale.item(), 1 / (5 + 1e-6))
        scale, ok = clip_scale(torch.tensor([0.3, 0.4], dtype=torch.float64), 1.0)
        self.assertEqual(scale.item(), 1.0)
        for bad in (float("nan"), float("inf"), 1e20):
            _, ok = clip_scale(torch.tensor([bad, 1.0]), 1.0)
            self.assertFalse(ok.item(), bad)

    def test_adamw(self) -> None:
        o = Options.defaults(10)
        p = torch.tensor([1.0, -1.0, 0.5], dtype=torch.float64)
        g = torch.tensor([0.2, -0.4, 0.0], dtype=torch.float64)
        m, v = torch.zeros_like(p), torch.zeros_like(p)
        scale, ok = clip_scale(g, 1.0)
        adamw_(p, g, m, v, scale, ok, o, 1e-2, 1)
        # The first step moves each weight by lr against its gradient's sign (0 stays).
        torch.testing.assert_close(p, torch.tensor([1 - 1e-2, -1 + 1e-2, 0.5], dtype=torch.float64), rtol=0, atol=1e-8)
        before = p.clone()
        _, bad = clip_scale(torch.tensor([float("nan")] * 3, dtype=torch.float64), 1.0)
        adamw_(p, torch.full_like(p, float("nan")), m, v, torch.zeros(()), bad, o, 1e-2, 2)
        self.assertTrue(torch.equal(p, before))

    def test_ema(self) -> None:
        e, p = torch.zeros(2, dtype=torch.float64), torch.ones(2, dtype=torch.float64)
        ema_(e, p, 0.75)
        torch.testing.assert_close(e, torch.full((2,), 0.25, dtype=torch.float64))


if __name__ == "__main__":
    unittest.main()
