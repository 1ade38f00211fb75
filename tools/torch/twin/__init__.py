"""The PyTorch twin of flowsphere's generator.

The same spherical autoencoder and JiT flow refiner as the Go packages model/sphere,
model/refiner and model/nn, with the same parameter names and shapes, the same training
losses, optimiser, schedule, EMA and checkpoints as model/train, reading and writing the
project's own ``.safetensors.zst`` weight files. The Go tests in tools/torch keep the two in
lock-step: they compare losses, every parameter gradient and sampled images in float64.
"""
