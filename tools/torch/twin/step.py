"""One training step's losses (model/train.Trainer.TrainStep before the optimiser): the
autoencoder's three and, in the joint phase, the refiner's flow loss."""

from __future__ import annotations

import dataclasses
from typing import Optional

import torch
from torch import Tensor, nn

from .model import Model
from .refiner import flow_loss
from .sphere import Noise, ae_forward

# The rows of the loss vector Step returns.
RECON, PIXEL, LATENT, FLOW = range(4)
LOSS_NAMES = ("recon", "pixel", "latent", "flow")


@dataclasses.dataclass
class StepNoise:
    """Everything random in a step: the autoencoder's noise and, in the joint phase, the
    refiner's start noise ε: [B, C, H, W] and times t: [B]."""

    ae: Noise
    eps: Optional[Tensor] = None
    t: Optional[Tensor] = None

    def rows(self, r: slice) -> "StepNoise":
        """The noise of the images r of the batch."""
        ae = Noise(self.ae.sigma_small[r], self.ae.sigma_big[r], self.ae.direction[r])
        if self.t is None:
            return StepNoise(ae)
        return StepNoise(ae, self.eps[r], self.t[r])


def losses(model: Model, x: Tensor, noise: StepNoise) -> Tensor:
    """The step's losses [4]: reconstruction, pixel consistency, latent consistency (both
    weighted) and flow (0 when noise has no times: phase 1). Their sum is the loss whose
    gradient the step takes. x: [B, C, H, W] in [-1, 1]."""
    ae = ae_forward(model.enc, model.dec, x, noise.ae)
    flow = torch.zeros((), dtype=ae.recon.dtype, device=x.device)
    if noise.t is not None:
        flow = flow_loss(model.refiner, x, ae.x_small, ae.h_small, ae.v_small, noise.eps, noise.t)
    return torch.stack([ae.recon, ae.pixel, ae.latent, flow])


class Step(nn.Module):
    """The step as a module, so that DistributedDataParallel sees every pass of it as one
    forward call and averages the gradients of the summed loss."""

    def __init__(self, model: Model) -> None:
        super().__init__()
        self.model = model

    def forward(self, x: Tensor, sigma_small: Tensor, sigma_big: Tensor, direction: Tensor,
                eps: Optional[Tensor] = None, t: Optional[Tensor] = None) -> Tensor:
        """See losses; the noise comes as tensors (DDP passes tensors through)."""
        return losses(self.model, x, StepNoise(Noise(sigma_small, sigma_big, direction), eps, t))
