"""The two LeNet-5s, read like the paper's layer table.

LeCun, Bottou, Bengio, Haffner, "Gradient-Based Learning Applied to Document Recognition",
Proc. IEEE 86(11), 1998, Section II.B. Every model's children are registered in the order
they run, named c1, s2, c3, s4, c5, f6, output, so that `forward` is a loop over them and
activation capture (lenet.activations) can key each output by its layer's name.
"""

from dataclasses import dataclass

import numpy as np
import torch
import torch.nn.functional as F
from torch import nn

from lenet.rbf_bitmaps import rbf_bitmaps

# Table I of the paper: which S2 maps (rows) feed which C3 maps (columns). "X" is connected.
C3_TABLE_TEXT = (
    # C3:  0 1 2 3 4 5 6 7 8 9 0 1 2 3 4 5
    "X . . . X X X . . X X X X . X X",  # S2 map 0
    "X X . . . X X X . . X X X X . X",  # S2 map 1
    "X X X . . . X X X . . X . X X X",  # S2 map 2
    ". X X X . . X X X X . . X . X X",  # S2 map 3
    ". . X X X . . X X X X . X X . X",  # S2 map 4
    ". . . X X X . . X X X X . X X X",  # S2 map 5
)

SQUASH_A = 1.7159  # amplitude A of f(a) = A tanh(S a), paper Appendix A
SQUASH_S = 2.0 / 3.0  # slope S, chosen so that f(1) = 1 and f(-1) = -1
LOSS_J = 1.0  # the paper's positive constant j in its MAP loss (Eq. 9), see PaperLeNet5.loss


def c3_table() -> np.ndarray:
    """The paper's Table I as a (6, 16) boolean array: [s2_map, c3_map] is True if connected."""
    return np.array([[mark == "X" for mark in row.split()] for row in C3_TABLE_TEXT])


@dataclass(frozen=True)
class InputScale:
    """How a 32x32 image with values in [0, 1] (ink = 1) is scaled before the network."""

    background: float  # value given to a blank pixel
    ink: float  # value given to a fully inked pixel

    def apply(self, image):
        return self.background + image * (self.ink - self.background)


class ScaledTanh(nn.Module):
    """The paper's squashing function f(a) = A tanh(S a)."""

    def forward(self, a):
        return SQUASH_A * torch.tanh(SQUASH_S * a)


class Subsampling(nn.Module):
    """S2/S4: each unit adds its 2x2 inputs, times a trainable coefficient, plus a trainable bias."""

    def __init__(self, channels: int, kernel_size: int = 2):
        super().__init__()
        self.kernel_size = kernel_size
        self.weight = nn.Parameter(torch.ones(channels))  # one coefficient per map
        self.bias = nn.Parameter(torch.zeros(channels))  # one bias per map

    def forward(self, x):
        k = self.kernel_size
        summed = F.avg_pool2d(x, k) * (k * k)  # (N, C, H/2, W/2): sum of each 2x2 block
        return summed * self.weight.view(1, -1, 1, 1) + self.bias.view(1, -1, 1, 1)


class SparseConv2d(nn.Module):
    """C3: a convolution whose input maps are chosen per output map by a connection table.

    Only connected kernels exist as parameters, shape (connections, k, k); each forward
    scatters them into a dense (out, in, k, k) kernel that is zero where the table has no
    mark, then runs one ordinary convolution (no Python loop over maps).
    """

    def __init__(self, table: np.ndarray, kernel_size: int = 5):
        super().__init__()
        table = torch.as_tensor(table, dtype=torch.bool)  # (in, out)
        self.in_channels, self.out_channels = table.shape
        self.kernel_size = kernel_size
        out_in = table.t().reshape(-1)  # (out * in,): row-major over (out map, in map)
        self.register_buffer("table", table, persistent=False)
        self.register_buffer("index", out_in.nonzero().squeeze(1), persistent=False)
        self.weight = nn.Parameter(torch.zeros(len(self.index), kernel_size, kernel_size))
        self.bias = nn.Parameter(torch.zeros(self.out_channels))

    def dense_weight(self):
        """The (out, in, k, k) kernel with zeros where Table I has no connection."""
        k = self.kernel_size
        flat = self.weight.new_zeros(self.out_channels * self.in_channels, k, k)
        flat = flat.index_copy(0, self.index, self.weight)
        return flat.view(self.out_channels, self.in_channels, k, k)

    def forward(self, x):
        return F.conv2d(x, self.dense_weight(), self.bias)


class EuclideanRBF(nn.Module):
    """The paper's output layer: y_i = sum_j (x_j - w_ij)^2 against fixed +1/-1 bitmaps."""

    def __init__(self, centres: np.ndarray):
        super().__init__()
        self.register_buffer("centres", torch.as_tensor(centres, dtype=torch.float32))  # (10, 84)
        self.in_features, self.out_features = self.centres.shape[1], self.centres.shape[0]

    def forward(self, x):
        diff = x.unsqueeze(1) - self.centres.unsqueeze(0)  # (N, 10, 84)
        return (diff * diff).sum(dim=2)  # (N, 10): distance of F6 to each bitmap


def squashed(layer: nn.Module) -> nn.Sequential:
    """A layer followed by the paper's squashing function."""
    return nn.Sequential(layer, ScaledTanh())


class LeNet5(nn.Module):
    """What both variants share: run the named children in order."""

    variant: str
    input_scale: InputScale

    def forward(self, x):
        for layer in self.children():
            x = layer(x)
        return x


class PaperLeNet5(LeNet5):
    """LeNet-5 as published in 1998: scaled tanh, trainable subsampling, Table I, RBF output."""

    variant = "paper"
    title = "paper (1998)"
    summary = "LeCun et al. 1998: scaled tanh, trainable subsampling, sparse C3, RBF output."
    input_scale = InputScale(background=-0.1, ink=1.175)  # Section II.B: mean ~0, variance ~1

    def __init__(self):
        super().__init__()
        self.c1 = squashed(nn.Conv2d(1, 6, kernel_size=5))  # (N, 6, 28, 28)
        self.s2 = squashed(Subsampling(6))  # (N, 6, 14, 14)
        self.c3 = squashed(SparseConv2d(c3_table(), kernel_size=5))  # (N, 16, 10, 10)
        self.s4 = squashed(Subsampling(16))  # (N, 16, 5, 5)
        self.c5 = squashed(nn.Sequential(nn.Conv2d(16, 120, kernel_size=5), nn.Flatten()))  # (N, 120)
        self.f6 = squashed(nn.Linear(120, 84))  # (N, 84)
        self.output = EuclideanRBF(rbf_bitmaps().reshape(10, 84))  # (N, 10) distances
        self.reset_parameters()

    @torch.no_grad()
    def reset_parameters(self):
        """Paper, Appendix A: weights and biases uniform in [-2.4/F, 2.4/F], F the fan-in."""
        for layer in (self.c1[0], self.s2[0], self.s4[0], self.c5[0][0], self.f6[0]):
            fan_in = layer.weight[0].numel() if layer.weight.dim() > 1 else layer.kernel_size**2
            bound = 2.4 / fan_in
            nn.init.uniform_(layer.weight, -bound, bound)
            nn.init.uniform_(layer.bias, -bound, bound)
        c3 = self.c3[0]
        fan_in = c3.table.sum(dim=0).float() * c3.kernel_size**2  # (16,): 75, 100 or 150
        bound_per_kernel = 2.4 / fan_in[c3.index // c3.in_channels]  # (60,)
        c3.weight.uniform_(-1, 1).mul_(bound_per_kernel.view(-1, 1, 1))
        c3.bias.uniform_(-1, 1).mul_(2.4 / fan_in)

    @staticmethod
    def probabilities(output):
        """Smaller distance means more likely: softmax(-y)."""
        return torch.softmax(-output, dim=1)

    @staticmethod
    def loss(output, target, j: float = LOSS_J):
        """Paper Eq. 9: mean of y_correct + log(e^-j + sum_i e^-y_i).

        The e^-j term is a "rubbish" class at distance j: once every wrong class is further
        than about j, the loss stops pushing it away and only pulls y_correct down.
        """
        y_correct = output.gather(1, target.view(-1, 1)).squeeze(1)
        rubbish = torch.full_like(y_correct, -j).unsqueeze(1)
        return (y_correct + torch.logsumexp(torch.cat([rubbish, -output], dim=1), dim=1)).mean()


class ModernLeNet5(LeNet5):
    """LeNet-5 as most tutorials write it today: ReLU, max-pool, dense C3, linear + softmax."""

    variant = "modern"
    title = "modern"
    summary = "Today's textbook version: ReLU, max-pool, dense C3, linear output with softmax."
    input_scale = InputScale(background=-0.1307 / 0.3081, ink=(1 - 0.1307) / 0.3081)  # MNIST mean/std

    def __init__(self):
        super().__init__()
        self.c1 = nn.Sequential(nn.Conv2d(1, 6, kernel_size=5), nn.ReLU())  # (N, 6, 28, 28)
        self.s2 = nn.MaxPool2d(kernel_size=2)  # (N, 6, 14, 14)
        self.c3 = nn.Sequential(nn.Conv2d(6, 16, kernel_size=5), nn.ReLU())  # (N, 16, 10, 10)
        self.s4 = nn.MaxPool2d(kernel_size=2)  # (N, 16, 5, 5)
        self.c5 = nn.Sequential(nn.Conv2d(16, 120, kernel_size=5), nn.Flatten(), nn.ReLU())  # (N, 120)
        self.f6 = nn.Sequential(nn.Linear(120, 84), nn.ReLU())  # (N, 84)
        self.output = nn.Linear(84, 10)  # (N, 10) logits

    @staticmethod
    def probabilities(output):
        return torch.softmax(output, dim=1)

    @staticmethod
    def loss(output, target):
        return F.cross_entropy(output, target)


VARIANTS: dict[str, type[LeNet5]] = {"paper": PaperLeNet5, "modern": ModernLeNet5}


class UnknownVariantError(ValueError):
    """A variant name that is neither 'paper' nor 'modern'."""


def variant_class(variant: str) -> type[LeNet5]:
    try:
        return VARIANTS[variant]
    except KeyError:
        names = ", ".join(VARIANTS)
        raise UnknownVariantError(f"unknown variant {variant!r}: choose one of {names}") from None


def build_model(variant: str, seed: int | None = None) -> LeNet5:
    """A freshly initialised model of the named variant ('paper' or 'modern')."""
    cls = variant_class(variant)
    if seed is not None:
        torch.manual_seed(seed)
    return cls()
