"""LeNet-5 Explorer's engine: the two LeNet-5s, MNIST, preprocessing, training. No UI here."""

from lenet.activations import INPUT_SHAPE, LAYER_NAMES, probabilities, run_with_activations
from lenet.inference import Prediction, classify, network_input
from lenet.layer_table import LayerRow, connection_table, core_layer, layer_table, model_summary
from lenet.mnist import Digits, MnistError, load_mnist
from lenet.model import (
    SQUASH_A,
    SQUASH_S,
    VARIANTS,
    LeNet5,
    UnknownVariantError,
    build_model,
    c3_table,
    variant_class,
)
from lenet.preprocess import ImageReadError, Preprocessed, open_image, preprocess_drawing, preprocess_mnist
from lenet.rbf_bitmaps import rbf_bitmaps
from lenet.unit_arithmetic import (
    C3Contributions,
    UnitArithmetic,
    c3_contributions,
    c3_kernel_grid,
    fully_connected_equivalent,
    receptive_field,
    unit_arithmetic,
)
from lenet.weights import WeightsError, load_model, read_metadata, rebuild_command, weights_path

__all__ = [
    "INPUT_SHAPE",
    "LAYER_NAMES",
    "SQUASH_A",
    "SQUASH_S",
    "VARIANTS",
    "C3Contributions",
    "Digits",
    "ImageReadError",
    "LayerRow",
    "LeNet5",
    "MnistError",
    "Prediction",
    "Preprocessed",
    "UnitArithmetic",
    "UnknownVariantError",
    "WeightsError",
    "build_model",
    "c3_contributions",
    "c3_kernel_grid",
    "c3_table",
    "classify",
    "connection_table",
    "core_layer",
    "fully_connected_equivalent",
    "layer_table",
    "load_mnist",
    "load_model",
    "model_summary",
    "network_input",
    "open_image",
    "preprocess_drawing",
    "preprocess_mnist",
    "probabilities",
    "rbf_bitmaps",
    "read_metadata",
    "rebuild_command",
    "receptive_field",
    "run_with_activations",
    "unit_arithmetic",
    "variant_class",
    "weights_path",
]
