"""Run a batch and keep every named layer's output, in the order the layers run."""

import numpy as np
import torch

from lenet.model import LeNet5

INPUT_SHAPE = (1, 32, 32)  # one channel, 32x32 pixels: what every variant reads
LAYER_NAMES = ("C1", "S2", "C3", "S4", "C5", "F6", "OUTPUT")
SMALL_BATCH = 8  # up to this many images, skip oneDNN (see run_with_activations)


@torch.inference_mode()
def run_with_activations(model: LeNet5, images: np.ndarray) -> dict[str, np.ndarray]:
    """Every activation for a batch of scaled 32x32 inputs, keyed INPUT, C1, ..., OUTPUT.

    `images` is (N, 32, 32) or (N, 1, 32, 32), already scaled for the variant. Each value is
    a numpy array with the batch dimension first: INPUT (N, 1, 32, 32), C1 (N, 6, 28, 28),
    S2 (N, 6, 14, 14), C3 (N, 16, 10, 10), S4 (N, 16, 5, 5), C5 (N, 120), F6 (N, 84),
    OUTPUT (N, 10). This relies on the model's contract that its children are registered in
    the order they run.
    """
    x = torch.as_tensor(np.asarray(images, dtype=np.float32)).view(-1, *INPUT_SHAPE)
    captured = {"INPUT": x.numpy()}
    # For a handful of images oneDNN spends more time setting up each convolution than
    # computing it; PyTorch's plain im2col path is ~1.6x faster at batch 1 (bench/inference.py).
    # The switch is process-wide: a concurrent request may briefly see either setting, which
    # changes its speed, never its result.
    small = x.shape[0] <= SMALL_BATCH
    previous = torch.backends.mkldnn.enabled
    if small:
        torch.backends.mkldnn.enabled = False
    try:
        for name, layer in zip(LAYER_NAMES, model.children(), strict=True):
            x = layer(x)
            captured[name] = x.numpy()
    finally:
        if small:
            torch.backends.mkldnn.enabled = previous
    return captured


@torch.inference_mode()
def probabilities(model: LeNet5, output: np.ndarray) -> np.ndarray:
    """The ten class probabilities from the OUTPUT activation (softmax of -y or of logits)."""
    return model.probabilities(torch.as_tensor(output)).numpy()
