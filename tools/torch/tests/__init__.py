"""Unit tests of the twin: ``python3 -m unittest discover -s tests -t .`` in tools/torch
(the Go test TestPythonUnitTests runs them)."""

from twin import cpuenv

cpuenv.apply()  # before any test module imports torch
