"""Classify one preprocessed input and keep everything the pages show about it."""

from dataclasses import dataclass

import numpy as np

from lenet.activations import probabilities, run_with_activations
from lenet.model import LeNet5
from lenet.preprocess import Preprocessed


@dataclass
class Prediction:
    digit: int | None  # None when the input was blank
    probabilities: np.ndarray  # (10,) sums to 1; zeros when blank
    output: np.ndarray  # (10,) the raw OUTPUT layer: RBF distances (paper) or logits (modern)
    activations: dict[str, np.ndarray]  # INPUT ... OUTPUT, each without the batch dimension

    @property
    def blank(self) -> bool:
        return self.digit is None

    @property
    def confidence(self) -> float:
        return 0.0 if self.blank else float(self.probabilities[self.digit])


def network_input(model: LeNet5, padded: np.ndarray) -> np.ndarray:
    """The 32x32 image in [0, 1] scaled as the variant expects (paper: -0.1 to 1.175)."""
    return model.input_scale.apply(np.asarray(padded, dtype=np.float32))


def classify(model: LeNet5, prep: Preprocessed) -> Prediction:
    """Run the network on a preprocessed input; a blank input is not classified."""
    if prep.blank:
        return Prediction(None, np.zeros(10, np.float32), np.zeros(10, np.float32), {})
    acts = {name: a[0] for name, a in run_with_activations(model, network_input(model, prep.padded)[None]).items()}
    probs = probabilities(model, acts["OUTPUT"][None])[0]
    return Prediction(int(np.argmax(probs)), probs, acts["OUTPUT"], acts)
