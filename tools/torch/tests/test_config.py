"""Configurations and their JSON."""

from __future__ import annotations

import unittest

from twin import config


class ConfigTest(unittest.TestCase):
    def test_go_float(self) -> None:
        cases = {(100.0, 64): "100", (0.1, 64): "0.1", (0.1, 32): "0.1", (1e-7, 64): "1e-7",
                 (1e21, 64): "1e+21", (1e-5, 64): "0.00001", (123456789.125, 32): "123456790", (-0.5, 64): "-0.5"}
        for (v, bits), want in cases.items():
            self.assertEqual(config.go_float(v, bits), want, (v, bits))

    def test_presets(self) -> None:
        for name in config.presets():
            c = config.preset(name)
            self.assertEqual(config.parse(c.marshal()), c)
        with self.assertRaises(ValueError):
            config.preset("huge")

    def test_refuses(self) -> None:
        good = config.preset("tiny").marshal()
        for bad in (good.replace('"heads":2', '"heads":3'), good.replace('"ratio":0.75', '"ratio":1.5'),
                    good.replace('"t_eps"', '"new_field":1,"t_eps"')):
            with self.assertRaises(ValueError):
                config.parse(bad)


if __name__ == "__main__":
    unittest.main()
