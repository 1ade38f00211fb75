"""The spherical autoencoder (model/sphere): encoder, decoder, training noise and the three
losses with the same stop-gradients."""

from __future__ import annotations

import dataclasses
from typing import List, Tuple

import torch
import torch.nn.functional as F
from torch import Tensor

from .config import Config
from .layers import Block, BlockConfig, Linear, Mixer, MixerConfig, Module, init_linear, patchify, sincos_2d, spherify, unpatchify

# The cosine's smallest norm (model/cpu cosineEps): a shorter row counts as this long.
COSINE_EPS = 1e-8


def block_config(cfg: Config, cond: int) -> BlockConfig:
    """The blocks' sizes for cfg, with adaLN on a cond-wide vector (0: none)."""
    return BlockConfig(cfg.width, cfg.heads, cfg.hidden, cfg.grid, cfg.grid, cond, cfg.rope_base)


def add_blocks(owner: Module, cfg: Config, n: int, cond: int) -> List[Block]:
    """Registers n blocks on owner as block0, block1, … and returns them."""
    blocks = []
    for i in range(n):
        blk = Block(block_config(cfg, cond))
        owner.add_module(f"block{i}", blk)
        blocks.append(blk)
    return blocks


def mixer(cfg: Config) -> Mixer:
    """An MLP-Mixer at width E over the image tokens."""
    return Mixer(MixerConfig(cfg.width, cfg.tokens, cfg.mixer_token_hidden, cfg.mixer_channel_hidden, cfg.mixer_layers))


class Encoder(Module):
    """Images [B, C, H, W] → sphere points [B, L]: patchify → linear PatchDim→E + the 2-D
    sin-cos table → blocks → mixer → linear E→Latent per token → spherify."""

    def __init__(self, cfg: Config) -> None:
        super().__init__()
        self.cfg = cfg
        self.embed = Linear(cfg.patch_dim, cfg.width, True, init_linear(cfg.patch_dim))
        self.blocks = add_blocks(self, cfg, cfg.enc_blocks, 0)
        self.mixer = mixer(cfg)
        self.head = Linear(cfg.width, cfg.latent, False, init_linear(cfg.width))
        self.register_buffer("pos", sincos_2d(cfg.grid, cfg.width), persistent=False)

    def forward(self, x: Tensor) -> Tensor:
        """x: [B, C, H, W] in [-1, 1] → v: [B, L] with |v| = sqrt(L), in float32 at least
        (under autocast too: the sphere point and its noise keep their precision)."""
        h = self.embed(patchify(x, self.cfg.patch)) + self.pos.to(x.dtype)
        for blk in self.blocks:
            h = blk(h)
        z = self.head(self.mixer(h))  # [B, T, Latent], token-major
        return spherify(wide(z.flatten(1)))


class Decoder(Module):
    """Sphere points [B, L] → images: v as [B, T, Latent] → linear Latent→E → mixer →
    blocks → hidden tokens → linear E→PatchDim → unpatchify."""

    def __init__(self, cfg: Config) -> None:
        super().__init__()
        self.cfg = cfg
        self.embed = Linear(cfg.latent, cfg.width, True, init_linear(cfg.latent))
        self.mixer = mixer(cfg)
        self.blocks = add_blocks(self, cfg, cfg.dec_blocks, 0)
        self.head = Linear(cfg.width, cfg.patch_dim, True, init_linear(cfg.width))

    def forward(self, v: Tensor) -> Tuple[Tensor, Tensor]:
        """v: [B, L] → (image [B, C, H, W], not clamped; hidden tokens [B, T, E])."""
        c = self.cfg
        h = self.mixer(self.embed(v.reshape(v.shape[0], c.tokens, c.latent)))
        for blk in self.blocks:
            h = blk(h)
        return unpatchify(self.head(h), c.patch, c.channels, c.image), h


@dataclasses.dataclass
class Noise:
    """One step's autoencoder noise: per-sample scales and the shared direction."""

    sigma_small: Tensor  # [B] σ_small = U[0, SmallNoise]·σ
    sigma_big: Tensor  # [B] σ = tan α
    direction: Tensor  # [B, L] e ~ N(0, I)


@dataclasses.dataclass
class AEOut:
    """What a training step's autoencoder passes leave for the losses and the refiner."""

    recon: Tensor  # SmoothL1(D(v_small), x)
    pixel: Tensor  # PixelWeight·SmoothL1(D(v_big), sg(D(v_small)))
    latent: Tensor  # LatentWeight·mean(1 − cos(E(sg(D(v_big))), v))
    v_small: Tensor  # [B, L] the refiner's latent (gradient flows back through it)
    x_small: Tensor  # [B, C, H, W] D(v_small), detached
    h_small: Tensor  # [B, T, E] the decoder's hidden tokens of D(v_small), detached


def wide(t: Tensor) -> Tensor:
    """t in float32 when it is half precision (autocast's outputs), else t: the losses and
    the sphere's noise are computed at least in float32."""
    return t.float() if t.dtype in (torch.float16, torch.bfloat16) else t


def cosine_loss(a: Tensor, b: Tensor) -> Tensor:
    """1 − cos(a, b) per row, each norm clamped below at COSINE_EPS. a, b: [B, L] → [B]."""
    na = a.norm(dim=-1).clamp_min(COSINE_EPS)
    nb = b.norm(dim=-1).clamp_min(COSINE_EPS)
    return 1 - (a * b).sum(-1) / (na * nb)


def ae_forward(enc: Encoder, dec: Decoder, x: Tensor, noise: Noise) -> AEOut:
    """The four passes of a training step and the three losses (sphere.AE.Forward).

    v = E(x); v_n = spherify(v + σ_n·e) for the small and the big noise, both decoded in one
    batch; the reconstruction compares D(v_small) with x, pixel consistency D(v_big) with the
    detached D(v_small), latent consistency E(sg(D(v_big))) with v — not detached, so its
    gradient reaches the first encoder pass too, as in the seed.
    """
    cfg = enc.cfg
    bsz = x.shape[0]
    v = enc(x)
    e = noise.direction.to(v.dtype)
    v_small = spherify(v + noise.sigma_small.to(v.dtype)[:, None] * e)
    v_big = spherify(v + noise.sigma_big.to(v.dtype)[:, None] * e)
    imgs, hidden = dec(torch.cat([v_small, v_big]))
    x_small, x_big = wide(imgs[:bsz]), wide(imgs[bsz:])
    recon = F.smooth_l1_loss(x_small, x, beta=1.0)
    pixel = cfg.pixel_weight * F.smooth_l1_loss(x_big, x_small.detach(), beta=1.0)
    v_re = enc(x_big.detach())
    latent = cfg.latent_weight * cosine_loss(v_re, v).mean()
    return AEOut(recon, pixel, latent, v_small, x_small.detach(), hidden[:bsz].detach())
