"""One unit of one layer, taken apart: its receptive field, its inputs, weights and sum.

This is what the Feature maps page shows when a student picks a unit: the numbers that
went into it, recomputed in numpy from the captured activations and the layer's weights,
so the page can show that inputs x weights + bias, squashed, is the value in the map.
"""

import itertools
from dataclasses import dataclass

import numpy as np
import torch
import torch.nn.functional as F
from torch import nn

from lenet.activations import LAYER_NAMES, run_with_activations
from lenet.layer_table import connection_table, core_layer, dense_kernel, input_table
from lenet.model import SQUASH_A, SQUASH_S, EuclideanRBF, LeNet5, ScaledTanh, SparseConv2d, Subsampling

PREVIOUS = dict(zip(LAYER_NAMES, ("INPUT", *LAYER_NAMES[:-1]), strict=True))


@dataclass
class UnitArithmetic:
    layer: str  # C1 ... OUTPUT
    unit: tuple[int, ...]  # (map, row, col) for maps, (index,) for vectors
    input_maps: list[int]  # which maps of the previous layer feed it (C3: from Table I)
    inputs: np.ndarray  # the values it reads, (maps, k, k) or (n,)
    weights: np.ndarray | None  # same shape as inputs (None for max-pool)
    bias: float
    pre_activation: float  # the weighted sum plus bias (RBF: the squared distance)
    activation: str  # "A tanh(S a)", "ReLU", "max", "none"
    value: float  # pre_activation through the activation: what the unit outputs
    formula: str  # the sum in words, for the page


def kernel_side(layer: nn.Module) -> int:
    """The side k of a k x k kernel or pooling window (torch keeps some as ints, some as pairs)."""
    k = layer.kernel_size
    return k if isinstance(k, int) else k[0]


def receptive_field(model: LeNet5, layer: str, row: int = 0, col: int = 0) -> tuple[int, int, int]:
    """(top, left, size) of the square of the 32x32 input that can reach unit (row, col)."""
    size, jump, top, left = 1, 1, 0, 0
    for name, child in zip(LAYER_NAMES, model.children(), strict=True):
        core = core_layer(child)
        if isinstance(core, (nn.Linear, EuclideanRBF)):
            return 0, 0, 32  # fully connected: every pixel
        k = kernel_side(core)
        stride = k if isinstance(core, (Subsampling, nn.MaxPool2d)) else 1
        size += (k - 1) * jump
        jump *= stride
        if name == layer:
            break
    top, left = row * jump, col * jump
    return min(top, 32 - size), min(left, 32 - size), min(size, 32)


def squash(a: float) -> float:
    return float(SQUASH_A * np.tanh(SQUASH_S * a))


def activation_of(layer: nn.Module) -> tuple[str, callable]:
    """The activation a layer applies after its weighted sum, by name and as a function."""
    kinds = {type(m) for m in layer.modules()}
    if ScaledTanh in kinds:
        return "A tanh(S a)", squash
    if nn.ReLU in kinds:
        return "ReLU", lambda a: max(0.0, a)
    return "none", float


def unit_arithmetic(model: LeNet5, acts: dict[str, np.ndarray], layer: str, unit: tuple[int, ...]) -> UnitArithmetic:
    """Recompute one unit of `layer` from the previous layer's activation and the weights.

    `acts` is one sample's activations (no batch dimension), as in lenet.Prediction.
    """
    child = getattr(model, {"OUTPUT": "output"}.get(layer, layer.lower()))
    core = core_layer(child)
    prev = acts[PREVIOUS[layer]]
    act_name, act = activation_of(child)
    if isinstance(core, (nn.Conv2d, SparseConv2d)) and layer != "C5":
        return _convolution_unit(core, prev, layer, unit, act_name, act)
    if isinstance(core, (Subsampling, nn.MaxPool2d)):
        m, r, c = unit
        k = kernel_side(core)
        window = prev[m, r * k : (r + 1) * k, c * k : (c + 1) * k]  # the k x k block this unit pools
        if isinstance(core, nn.MaxPool2d):
            pre = float(window.max())
            return UnitArithmetic(layer, unit, [m], window[None], None, 0.0, pre, "max", pre, f"max of {k}x{k} = {pre:.4f}")
        coef, bias = float(core.weight.detach()[m]), float(core.bias.detach()[m])
        pre = coef * float(window.sum()) + bias
        formula = f"{coef:.4f} x (sum of {k}x{k} = {window.sum():.4f}) + {bias:.4f} = {pre:.4f}"
        return UnitArithmetic(layer, unit, [m], window[None], np.full((1, k, k), coef), bias, pre, act_name, act(pre), formula)
    if isinstance(core, EuclideanRBF):
        (i,) = unit
        centre = core.centres[i].numpy()
        pre = float(((prev - centre) ** 2).sum())
        formula = f"sum over 84 of (F6_j - bitmap_{i}_j)^2 = {pre:.4f}"
        return UnitArithmetic(layer, unit, [], prev, centre, 0.0, pre, "none", pre, formula)
    # C5 (a 5x5 convolution over all of S4, so one dot product per unit), F6 and modern OUTPUT
    (i,) = unit
    weight = core.weight.detach().numpy()[i]
    flat_in = prev.reshape(weight.shape) if weight.ndim == 3 else prev.reshape(-1)
    bias = float(core.bias.detach()[i])
    pre = float((weight * flat_in).sum()) + bias
    formula = f"{weight.size} inputs x weights = {pre - bias:.4f}, + bias {bias:.4f} = {pre:.4f}"
    return UnitArithmetic(layer, unit, list(range(len(prev))) if prev.ndim == 3 else [], flat_in, weight, bias, pre,
                          act_name, act(pre), formula)


def _convolution_unit(core, prev, layer, unit, act_name, act) -> UnitArithmetic:
    m, r, c = unit
    k = kernel_side(core)
    maps = np.flatnonzero(input_table(core)[:, m]).tolist()  # C3: the S2 maps Table I connects
    inputs = prev[maps, r : r + k, c : c + k]  # (maps, k, k)
    weights = dense_kernel(core)[m, maps]  # (maps, k, k)
    bias = float(core.bias.detach()[m])
    per_map = (inputs * weights).sum(axis=(1, 2))
    pre = float(per_map.sum()) + bias
    terms = " + ".join(f"{v:.3f}" for v in per_map)
    formula = f"sum over maps {maps} of inputs x kernel = {terms}; + bias {bias:.4f} = {pre:.4f}"
    return UnitArithmetic(layer, unit, maps, inputs, weights, bias, pre, act_name, act(pre), formula)


def fully_connected_equivalent(model: LeNet5) -> list[tuple[str, int, int]]:
    """(layer, units, parameters) if every layer were fully connected to the previous one.

    Same layer sizes as LeNet-5 (1024 inputs, 4,704 C1 units, ...), no weight sharing:
    each unit gets its own weight for every unit of the layer below, plus a bias.
    """
    acts = run_with_activations(model, np.zeros((1, 32, 32)))
    sizes = [(name, int(np.prod(acts[name].shape[1:]))) for name in ("INPUT", *LAYER_NAMES)]
    return [(name, n, (prev_n + 1) * n) for (_, prev_n), (name, n) in itertools.pairwise(sizes)]


@dataclass
class C3Contributions:
    c3_map: int
    s2_maps: list[int]  # the S2 maps that feed this C3 map (all six for the modern variant)
    kernels: np.ndarray  # (len(s2_maps), 5, 5)
    partial_sums: np.ndarray  # (len(s2_maps), 10, 10): each S2 map convolved with its kernel
    bias: float
    pre_activation: np.ndarray  # (10, 10): sum of the partial sums + bias
    output: np.ndarray  # (10, 10): after the activation function, equal to the model's C3 map


@torch.inference_mode()
def c3_contributions(model: LeNet5, s2: np.ndarray, c3_map: int) -> C3Contributions:
    """Split one C3 map into what each connected S2 map adds to it (s2: one sample, (6, 14, 14))."""
    core = core_layer(model.c3)
    maps = np.flatnonzero(connection_table(model)[:, c3_map]).tolist()
    kernels = dense_kernel(core)[c3_map, maps]  # (k, 5, 5)
    inputs = torch.as_tensor(s2[maps]).unsqueeze(0)  # (1, k, 14, 14)
    weights = torch.as_tensor(kernels).unsqueeze(1)  # (k, 1, 5, 5)
    partial = F.conv2d(inputs, weights, groups=len(maps))[0]  # (k, 10, 10): map i with its own kernel
    bias = float(core.bias[c3_map])
    pre = partial.sum(0) + bias
    output = model.c3[1](pre)  # the layer's own activation function
    return C3Contributions(c3_map, maps, kernels, partial.numpy(), bias, pre.numpy(), output.numpy())


def c3_kernel_grid(model: LeNet5) -> np.ndarray:
    """C3's kernels as (6 S2 maps, 16 C3 maps, 5, 5), NaN where Table I has no connection."""
    dense = dense_kernel(core_layer(model.c3))  # (16, 6, 5, 5)
    connected = connection_table(model)[:, :, None, None]  # (6, 16, 1, 1)
    return np.where(connected, dense.transpose(1, 0, 2, 3), np.nan)
