"""The generator: parameter names, fresh-model identities, weight files and generation."""

from __future__ import annotations

import unittest

import numpy as np
import torch

from twin import config, safetensors
from twin.model import Model, open_file
from twin.refiner import sample


def tiny(seed: int = 1) -> Model:
    m = Model(config.preset("tiny"))
    m.init_weights(seed)
    return m


class NamesTest(unittest.TestCase):
    def test_names(self) -> None:
        names = [n for n, _ in tiny().param_list()]
        self.assertEqual(names[:3], ["enc.embed.w", "enc.embed.b", "enc.block0.norm1"])
        self.assertEqual(names[-2:], ["refiner.out.w", "refiner.out.b"])
        # The mixer's layers come before its final norm, as Go declares them.
        self.assertLess(names.index("enc.mixer.0.channel_down.b"), names.index("enc.mixer.norm"))
        self.assertEqual(len(names), len(set(names)))
        self.assertEqual(len(names), len(list(tiny().parameters())))


class FreshTest(unittest.TestCase):
    def test_refiner_starts_at_zero(self) -> None:
        m, c = tiny(), config.preset("tiny")
        x = torch.randn(2, c.channels, c.image, c.image)
        pred = m.refiner(x, torch.rand(2), torch.randn(2, c.tokens, c.width), torch.randn(2, c.L))
        self.assertEqual(pred.abs().max().item(), 0.0)
        # A zero x-prediction makes every sampler step move towards 0.
        out = sample(m.refiner, x, torch.randn(2, c.tokens, c.width), torch.randn(2, c.L), torch.randn_like(x), 3)
        self.assertEqual(out.abs().max().item(), 0.0)


class FileTest(unittest.TestCase):
    def test_round_trip(self) -> None:
        m = tiny()
        m.loops = 7
        f = m.to_file(meta={"dataset": "test", "loops": "1"})
        self.assertEqual(f.metadata["loops"], "7")
        for dtype, tol in (("F32", 0), ("F16", 2e-3)):
            with self.subTest(dtype=dtype):
                back = open_file(safetensors.decode(safetensors.encode(f, dtype)))
                self.assertEqual(back.cfg, m.cfg)
                self.assertEqual(back.loops, 7)
                for (n, a), (_, b) in zip(m.param_list(), back.param_list()):
                    torch.testing.assert_close(b, a, rtol=tol, atol=tol * 1e-2, msg=n)

    def test_prior_carried(self) -> None:
        f = tiny().to_file()
        f.tensors += [safetensors.Tensor("prior.center", np.ones(3, dtype=np.float32)),
                      safetensors.Tensor("prior.weights", np.array([1.0], dtype=np.float32))]
        f.metadata["prior_temperature"] = "0.8"
        back = open_file(f).to_file()
        self.assertEqual(back.metadata["prior_temperature"], "0.8")
        self.assertEqual([t.name for t in back.tensors[-2:]], ["prior.center", "prior.weights"])
        self.assertNotIn("prior_temperature", tiny().to_file(meta={"prior_temperature": "2"}).metadata)

    def test_refuses(self) -> None:
        good = tiny().to_file()
        cases = {
            "not a model": lambda f: f.metadata.pop("format"),
            "missing parameter": lambda f: f.tensors.pop(0),
            "extra tensor": lambda f: f.tensors.append(safetensors.Tensor("x", np.zeros(1, dtype=np.float32))),
            "wrong shape": lambda f: setattr(f.tensors[0], "data", np.zeros((1, 1), dtype=np.float32)),
            "bad loops": lambda f: f.metadata.__setitem__("loops", "-1"),
        }
        for name, spoil in cases.items():
            with self.subTest(name):
                f = safetensors.decode(safetensors.encode(good, "F32"))
                spoil(f)
                with self.assertRaises(ValueError):
                    open_file(f)


if __name__ == "__main__":
    unittest.main()
