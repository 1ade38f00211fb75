"""The layers: patch order, RoPE, norms, the position table and the zero-init identities."""

from __future__ import annotations

import math
import unittest

import torch

from twin import layers
from twin.config import preset
from twin.sphere import block_config


class PatchTest(unittest.TestCase):
    def test_order_and_inverse(self) -> None:
        x = torch.arange(2 * 3 * 8 * 8, dtype=torch.float64).reshape(2, 3, 8, 8)
        tok = layers.patchify(x, 4)
        self.assertEqual(tuple(tok.shape), (2, 4, 48))
        # Pixel (c, py·p+ky, px·p+kx) is element c·p·p + ky·p + kx of token py·(W/p)+px.
        b, c, py, ky, px, kx = 1, 2, 1, 3, 0, 2
        self.assertEqual(tok[b, py * 2 + px, c * 16 + ky * 4 + kx], x[b, c, py * 4 + ky, px * 4 + kx])
        self.assertTrue(torch.equal(layers.unpatchify(tok, 4, 3, 8), x))


class RopeTest(unittest.TestCase):
    def test_rotation(self) -> None:
        rope = layers.Rope(2, 3, 8, 100.0).double()
        x = torch.randn(1, 12, 2, 8, dtype=torch.float64)
        y = rope(x)
        # A rotation keeps every pair's length.
        pairs = lambda t: t.reshape(*t.shape[:-1], 4, 2).norm(dim=-1)  # noqa: E731
        torch.testing.assert_close(pairs(y), pairs(x))
        # Token 0 sits at (0, 0): unrotated; token n and n + cells share a position.
        torch.testing.assert_close(y[:, 0], x[:, 0])
        torch.testing.assert_close(rope(x[:, 6:])[:, :6], y[:, 6:])
        # Token 1 sits at row 0, column 1: the row pairs (first quarter of dh/2 = 2) stay.
        torch.testing.assert_close(y[:, 1, :, :4], x[:, 1, :, :4])
        angle = 1.0  # column 1, first column pair: frequency 100^0
        x0, x1 = x[0, 1, 0, 4], x[0, 1, 0, 5]
        torch.testing.assert_close(y[0, 1, 0, 4], x0 * math.cos(angle) - x1 * math.sin(angle))


class NormTest(unittest.TestCase):
    def test_spherify(self) -> None:
        z = torch.randn(3, 64, dtype=torch.float64) * 5
        v = layers.spherify(z)
        torch.testing.assert_close(v.norm(dim=-1), torch.full((3,), 8.0, dtype=torch.float64))

    def test_rms_norm_half(self) -> None:
        x = torch.randn(4, 16, dtype=torch.bfloat16) * 100
        y = layers.rms_norm(x, None)
        self.assertEqual(y.dtype, torch.bfloat16)
        torch.testing.assert_close(y.float().pow(2).mean(-1), torch.ones(4), atol=0.02, rtol=0)


class TableTest(unittest.TestCase):
    def test_sincos(self) -> None:
        t = layers.sincos_2d(4, 8)
        self.assertEqual(tuple(t.shape), (16, 8))
        # Token 6 is row 1, column 2; quarter 2, so ω = (1, 0.01).
        row, col = 1.0, 2.0
        want = [math.sin(row), math.sin(row * 0.01), math.cos(row), math.cos(row * 0.01),
                math.sin(col), math.sin(col * 0.01), math.cos(col), math.cos(col * 0.01)]
        torch.testing.assert_close(t[6], torch.tensor(want, dtype=torch.float32))


class IdentityTest(unittest.TestCase):
    """A fresh block is the identity: zero output layers without adaLN, zero gates with it."""

    def test_fresh_blocks(self) -> None:
        c = preset("tiny")
        x = torch.randn(2, c.tokens, c.width)
        for cond in (0, c.width):
            with self.subTest(adaln=cond > 0):
                blk = layers.Block(block_config(c, cond))
                layers.init_params(blk, torch.Generator().manual_seed(1))
                torch.testing.assert_close(blk(x, torch.randn(2, c.width) if cond else None), x)
                # Their other parameters are drawn, so the identity is the zero init's doing.
                self.assertGreater(blk.q.w.abs().sum().item(), 0)


if __name__ == "__main__":
    unittest.main()
