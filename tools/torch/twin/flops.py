"""Model FLOPs of a training step, counted as model/perf.FLOPCounter counts Go's step:
2·M·N·K per matrix product (forward, input gradient where one is needed, weight gradient)
and the attention products (4·B·H·N²·dh forward, 2.5 times that backward). Element-wise,
norm and optimiser work is not counted."""

from __future__ import annotations

from .config import Config


def _linear(rows: int, n_in: int, n_out: int, input_grad: bool) -> float:
    """A linear layer's forward and backward."""
    f = 2.0 * rows * n_in * n_out
    return f * (3 if input_grad else 2)


def _attention(batch: int, tokens: int, heads: int, head_dim: int) -> float:
    f = 4.0 * batch * heads * tokens * tokens * head_dim
    return f * 3.5


def _block(c: Config, batch: int, tokens: int, cond: bool) -> float:
    rows, e = batch * tokens, c.width
    f = 4 * _linear(rows, e, e, True)  # q, k, v, o
    f += _linear(rows, e, 2 * c.hidden, True) + _linear(rows, c.hidden, e, True)
    f += _attention(batch, tokens, c.heads, c.head_dim)
    if cond:
        f += _linear(batch, e, 6 * e, True)
    return f


def _mixer(c: Config, batch: int) -> float:
    rows_t, rows_c = batch * c.width, batch * c.tokens
    per_layer = _linear(rows_t, c.tokens, c.mixer_token_hidden, True) + _linear(rows_t, c.mixer_token_hidden, c.tokens, True)
    per_layer += _linear(rows_c, c.width, c.mixer_channel_hidden, True) + _linear(rows_c, c.mixer_channel_hidden, c.width, True)
    return c.mixer_layers * per_layer


def _encoder(c: Config, batch: int) -> float:
    rows = batch * c.tokens
    f = _linear(rows, c.patch_dim, c.width, False) + _linear(rows, c.width, c.latent, True)
    return f + c.enc_blocks * _block(c, batch, c.tokens, False) + _mixer(c, batch)


def _decoder(c: Config, batch: int) -> float:
    rows = batch * c.tokens
    f = _linear(rows, c.latent, c.width, True) + _linear(rows, c.width, c.patch_dim, True)
    return f + c.dec_blocks * _block(c, batch, c.tokens, False) + _mixer(c, batch)


def _refiner(c: Config, batch: int) -> float:
    rows, e = batch * c.tokens, c.width
    f = _linear(batch, c.time_dim, e, False) + _linear(batch, e, e, True)  # time MLP
    f += _linear(rows, c.latent, e, True) + _linear(rows, e, e, False) + _linear(rows, c.patch_dim, e, False)  # segments
    f += c.ref_blocks * _block(c, batch, 3 * c.tokens, True)
    return f + _linear(batch, e, 2 * e, True) + _linear(rows, e, c.patch_dim, True)


def step_flops(c: Config, batch: int, joint: bool) -> float:
    """The model FLOPs of one training step of batch images: two encoder and two decoder
    passes forward and backward, and the refiner's in the joint phase."""
    f = 2 * _encoder(c, batch) + 2 * _decoder(c, batch)
    return f + (_refiner(c, batch) if joint else 0.0)
