"""The layer table of a variant (shapes, parameters, connections), read off the live model.

Nothing here is typed in: output shapes come from running a blank input, parameter counts
from the tensors, and connections from shapes times each unit's inputs. A "connection" is,
as in the paper, one multiply-add feeding one unit (a bias counts as one).
"""

from dataclasses import asdict, dataclass

import numpy as np
from torch import nn

from lenet.activations import LAYER_NAMES, run_with_activations
from lenet.model import EuclideanRBF, LeNet5, SparseConv2d, Subsampling


@dataclass(frozen=True)
class LayerRow:
    name: str  # C1 ... OUTPUT
    kind: str  # what the layer computes, in words
    output_shape: tuple[int, ...]  # per sample, e.g. (6, 28, 28)
    weights: int  # trainable weights (or fixed RBF weights for the paper's output)
    biases: int  # trainable biases
    trainable_params: int
    fixed_params: int  # non-trainable weights (the RBF bitmaps)
    connections: int
    formula: str  # e.g. "(5x5x1)x6 + 6 = 156"

    def as_json(self) -> dict:
        row = asdict(self)
        row["output_shape"] = list(self.output_shape)
        return row


def core_layer(layer: nn.Module) -> nn.Module:
    """The module that holds a layer's weights, under its activation function."""
    while isinstance(layer, nn.Sequential):
        layer = layer[0]
    return layer


def _describe(core: nn.Module, shape: tuple[int, ...]) -> tuple[str, int, int, int, int, str]:
    """(kind, weights, biases, fixed, connections, formula) for one layer's core module."""
    units = int(np.prod(shape))
    spatial = int(np.prod(shape[1:])) if len(shape) == 3 else 1  # positions sharing weights
    if isinstance(core, SparseConv2d):
        w, b, k = core.weight.numel(), core.bias.numel(), core.kernel_size
        formula = f"{core.weight.shape[0]} kernels x ({k}x{k}) + {b} = {w + b:,}"
        return "convolution, sparse (Table I)", w, b, 0, spatial * (w + b), formula
    if isinstance(core, nn.Conv2d):
        w, b = core.weight.numel(), core.bias.numel()
        k, c_in, c_out = core.kernel_size[0], core.in_channels, core.out_channels
        formula = f"({k}x{k}x{c_in})x{c_out} + {b} = {w + b:,}"
        return "convolution", w, b, 0, spatial * (w + b), formula
    if isinstance(core, Subsampling):
        w, b, k = core.weight.numel(), core.bias.numel(), core.kernel_size
        formula = f"{w} coefficients + {b} biases = {w + b:,}"
        return "subsampling, trainable", w, b, 0, units * (k * k + 1), formula
    if isinstance(core, nn.MaxPool2d):
        k = core.kernel_size
        return "max-pool", 0, 0, 0, units * k * k, "no parameters = 0"
    if isinstance(core, nn.Linear):
        w, b = core.weight.numel(), core.bias.numel()
        formula = f"{core.in_features}x{core.out_features} + {b} = {w + b:,}"
        return "full connection", w, b, 0, w + b, formula
    if isinstance(core, EuclideanRBF):
        fixed = core.centres.numel()
        formula = f"{core.in_features}x{core.out_features} fixed bitmap weights = {fixed:,}, 0 trainable"
        return "Euclidean RBF, fixed", 0, 0, fixed, fixed, formula
    raise TypeError(f"no layer-table rule for {type(core).__name__}")


def layer_table(model: LeNet5) -> list[LayerRow]:
    """One row per layer, C1 to OUTPUT, computed from the model's tensors."""
    shapes = {name: a.shape[1:] for name, a in run_with_activations(model, np.zeros((1, 32, 32))).items()}
    rows = []
    for name, layer in zip(LAYER_NAMES, model.children(), strict=True):
        kind, w, b, fixed, connections, formula = _describe(core_layer(layer), shapes[name])
        trainable = sum(p.numel() for p in layer.parameters() if p.requires_grad)
        rows.append(LayerRow(name, kind, tuple(shapes[name]), w, b, trainable, fixed, connections, formula))
    return rows


def model_summary(model: LeNet5) -> dict:
    """The layer table and its totals as plain JSON-ready data."""
    rows = layer_table(model)
    return {
        "variant": model.variant,
        "layers": [row.as_json() for row in rows],
        "trainable_params": sum(r.trainable_params for r in rows),
        "fixed_params": sum(r.fixed_params for r in rows),
        "connections": sum(r.connections for r in rows),
        "c3_table": connection_table(model).tolist(),
    }


def input_table(conv: nn.Module) -> np.ndarray:
    """Which input maps feed which output maps of a convolution, (in, out) bool (all True if dense)."""
    if isinstance(conv, SparseConv2d):
        return conv.table.numpy().copy()
    return np.ones((conv.in_channels, conv.out_channels), dtype=bool)


def dense_kernel(conv: nn.Module) -> np.ndarray:
    """A convolution's (out, in, k, k) kernel; for the sparse C3, zeros where Table I has no mark."""
    weight = conv.dense_weight() if isinstance(conv, SparseConv2d) else conv.weight
    return weight.detach().numpy()


def connection_table(model: LeNet5) -> np.ndarray:
    """Which S2 maps feed which C3 maps, (6, 16) bool, read from the model."""
    return input_table(core_layer(model.c3))
