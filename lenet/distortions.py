"""The paper's training distortions, done on whole batches in torch.

Section III.A / V.B: "planar affine transformations ... horizontal and vertical translations,
scaling, squeezing (simultaneous horizontal compression and vertical elongation, or the
reverse) and horizontal shearing". A small rotation is added, as most reproductions do.
"""

import math
from dataclasses import dataclass

import torch
import torch.nn.functional as F


@dataclass(frozen=True)
class DistortionRanges:
    shift_px: float = 2.0  # translation, up to this many pixels each way
    scale: float = 0.12  # overall size changes by up to +-12%
    squeeze: float = 0.12  # horizontal/vertical aspect changes by up to +-12%
    shear: float = 0.25  # horizontal shear factor, up to +-0.25
    rotate_deg: float = 10.0  # rotation, up to +-10 degrees


def random_affine(images: torch.Tensor, generator: torch.Generator, ranges: DistortionRanges = DistortionRanges()):
    """Each image of (N, 1, H, W), ink = 1 and background = 0, under its own random affine map."""
    n, _, h, _ = images.shape

    def uniform(limit):  # (N,) uniform in [-limit, limit]
        return (torch.rand(n, generator=generator) * 2 - 1) * limit

    scale = 1 + uniform(ranges.scale)
    squeeze = 1 + uniform(ranges.squeeze)
    shear = uniform(ranges.shear)
    angle = uniform(math.radians(ranges.rotate_deg))
    cos, sin = torch.cos(angle), torch.sin(angle)
    sx, sy = scale * squeeze, scale / squeeze
    # theta maps output coordinates to input coordinates: rotation @ shear @ diag(sx, sy).
    theta = torch.zeros(n, 2, 3)
    theta[:, 0, 0] = cos * sx
    theta[:, 0, 1] = (cos * shear - sin) * sy
    theta[:, 1, 0] = sin * sx
    theta[:, 1, 1] = (sin * shear + cos) * sy
    theta[:, :, 2] = torch.stack([uniform(1.0), uniform(1.0)], dim=1) * (2 * ranges.shift_px / h)
    grid = F.affine_grid(theta, list(images.shape), align_corners=False)  # (N, H, W, 2)
    return F.grid_sample(images, grid, mode="bilinear", padding_mode="zeros", align_corners=False)
