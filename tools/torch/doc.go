// Package torch is the Go side of the PyTorch twin in this folder: the same generator in
// PyTorch (twin/, Python), its trainer for torchrun (train.py) and a script for one GPU
// machine (device.sh). The package's tests keep the twin in lock-step with the Go model:
// they build fixtures with the float64 reference backend, run the twin on them and compare
// losses, every parameter gradient, sampled images, optimiser steps and weight files; they
// also run the twin's own unit tests and a two-process data-parallel run whose weights they
// open as tools/sample and the app's engine do.
//
// The tests need a Python 3 with torch, numpy and zstd (the zstandard module or the zstd
// command): $FLOWSPHERE_PYTHON, else /usr/bin/python3 where it exists (Debian's
// python3-torch), else python3 on the PATH. Without one they skip, unless
// FLOWSPHERE_REQUIRE_TORCH=1 (set by ./build.sh test) makes that a failure.
//
// It imports nothing of ours. Its tests import model/config, model/cpu, model/data,
// model/gen, model/perf, model/prior, model/sphere, model/tensor, model/train, ui/engine
// and weights.
package torch
