"""The two LeNet-5s against the paper's numbers and against hand computations."""

import json
import math

import numpy as np
import pytest
import torch

from lenet import LAYER_NAMES, build_model, c3_table, layer_table, model_summary, rbf_bitmaps, run_with_activations
from lenet.layer_table import core_layer
from lenet.model import SQUASH_A, SQUASH_S, PaperLeNet5, ScaledTanh, SparseConv2d

# The paper's counts (LeCun et al. 1998, Section II.B), per layer: (trainable params, connections).
PAPER_COUNTS = {
    "C1": (156, 122_304), "S2": (12, 5_880), "C3": (1_516, 151_600), "S4": (32, 2_000),
    "C5": (48_120, 48_120), "F6": (10_164, 10_164), "OUTPUT": (0, 840),
}
MODERN_PARAMS = {"C1": 156, "S2": 0, "C3": 2_416, "S4": 0, "C5": 48_120, "F6": 10_164, "OUTPUT": 850}
SHAPES = {"INPUT": (1, 32, 32), "C1": (6, 28, 28), "S2": (6, 14, 14), "C3": (16, 10, 10), "S4": (16, 5, 5),
          "C5": (120,), "F6": (84,), "OUTPUT": (10,)}
# Table I as the issue states it, map by map: the S2 maps each C3 map takes.
TABLE_I = [{0, 1, 2}, {1, 2, 3}, {2, 3, 4}, {3, 4, 5}, {4, 5, 0}, {5, 0, 1},
           {0, 1, 2, 3}, {1, 2, 3, 4}, {2, 3, 4, 5}, {3, 4, 5, 0}, {4, 5, 0, 1}, {5, 0, 1, 2},
           {0, 1, 3, 4}, {1, 2, 4, 5}, {0, 2, 3, 5}, {0, 1, 2, 3, 4, 5}]


def squash(a):
    return SQUASH_A * np.tanh(SQUASH_S * a)


def test_paper_layer_counts_match_the_paper():
    rows = {r.name: r for r in layer_table(build_model("paper", seed=0))}
    assert {name: (r.trainable_params, r.connections) for name, r in rows.items()} == PAPER_COUNTS
    assert rows["OUTPUT"].fixed_params == 840


def test_paper_totals():
    summary = model_summary(build_model("paper", seed=0))
    assert (summary["trainable_params"], summary["fixed_params"], summary["connections"]) == (60_000, 840, 340_908)
    model = build_model("paper", seed=0)
    assert sum(p.numel() for p in model.parameters() if p.requires_grad) == 60_000


def test_modern_counts():
    model = build_model("modern", seed=0)
    rows = {r.name: r.trainable_params for r in layer_table(model)}
    assert rows == MODERN_PARAMS
    assert model_summary(model)["trainable_params"] == 61_706 == sum(p.numel() for p in model.parameters())


@pytest.mark.parametrize("variant", ["paper", "modern"])
def test_output_shapes_per_layer(variant):
    acts = run_with_activations(build_model(variant, seed=0), np.random.default_rng(0).random((3, 32, 32)))
    assert list(acts) == ["INPUT", *LAYER_NAMES]
    assert {name: a.shape for name, a in acts.items()} == {name: (3, *s) for name, s in SHAPES.items()}
    assert all(isinstance(a, np.ndarray) for a in acts.values())
    rows = layer_table(build_model(variant, seed=0))
    assert {r.name: r.output_shape for r in rows} == {k: v for k, v in SHAPES.items() if k != "INPUT"}


def test_c3_table_is_table_one():
    table = c3_table()
    assert table.shape == (6, 16) and table.dtype == bool
    assert [set(np.flatnonzero(table[:, c3]).tolist()) for c3 in range(16)] == TABLE_I
    assert table.sum() == 60


def test_layer_table_is_computed_not_typed():
    """A C3 with another table gets other counts: the table reads the live tensors."""
    model = build_model("paper", seed=0)
    diagonal = np.zeros((6, 16), dtype=bool)
    diagonal[np.arange(16) % 6, np.arange(16)] = True
    model.c3[0] = SparseConv2d(diagonal)
    c3 = {r.name: r for r in layer_table(model)}["C3"]
    assert c3.trainable_params == 16 * 25 + 16
    assert c3.connections == 100 * (16 * 25 + 16)


def test_unconnected_c3_kernels_have_no_weights_and_stay_zero():
    torch.manual_seed(0)
    model = build_model("paper", seed=0)
    c3 = core_layer(model.c3)
    assert c3.weight.shape == (60, 5, 5)  # only connected kernels are parameters
    unconnected = ~torch.as_tensor(c3_table()).t()  # (16, 6)
    optimiser = torch.optim.SGD(model.parameters(), lr=10.0)
    x, y = torch.randn(8, 1, 32, 32), torch.randint(0, 10, (8,))
    model.loss(model(x), y).backward()
    assert c3.weight.grad.shape == (60, 5, 5) and c3.weight.grad.abs().sum() > 0
    optimiser.step()
    dense = c3.dense_weight().detach()
    assert dense[unconnected].abs().max() == 0
    assert dense[~unconnected].abs().min() > 0


def test_c3_map_ignores_unconnected_s2_maps():
    c3 = core_layer(build_model("paper", seed=0).c3)
    s2 = torch.randn(1, 6, 14, 14)
    changed = s2.clone()
    changed[:, 3] += 5.0  # S2 map 3 feeds C3 maps 1, 2, 3, 6-9, 11, 12, 14, 15 only
    diff = (c3(changed) - c3(s2)).abs().amax(dim=(0, 2, 3))
    fed_by_3 = {i for i, maps in enumerate(TABLE_I) if 3 in maps}
    assert {i for i in range(16) if diff[i] > 0} == fed_by_3


def test_scaled_tanh_maps_plus_minus_one_to_itself():
    f = ScaledTanh()
    values = f(torch.tensor([1.0, -1.0, 0.0, 100.0]))
    assert values[0] == pytest.approx(1.0, abs=2e-4)
    assert values[1] == pytest.approx(-1.0, abs=2e-4)
    assert values[2] == 0.0
    assert values[3] == pytest.approx(1.7159)


def test_rbf_output_against_hand_computation():
    model = build_model("paper", seed=0)
    x = np.random.default_rng(1).uniform(-1.7, 1.7, size=(2, 84)).astype(np.float32)
    y = model.output(torch.from_numpy(x)).numpy()
    bitmaps = rbf_bitmaps().reshape(10, 84)
    expected = [[sum((x[n, j] - bitmaps[i, j]) ** 2 for j in range(84)) for i in range(10)] for n in range(2)]
    np.testing.assert_allclose(y, expected, rtol=1e-5)


def test_rbf_bitmaps_are_seven_by_twelve_and_distinct():
    bitmaps = rbf_bitmaps()
    assert bitmaps.shape == (10, 12, 7)
    assert set(np.unique(bitmaps)) == {-1.0, 1.0}
    flat = bitmaps.reshape(10, -1)
    distances = ((flat[:, None] - flat[None]) ** 2).sum(-1)
    assert distances[~np.eye(10, dtype=bool)].min() >= 4 * 10  # any two differ in 10+ pixels


def test_paper_loss_against_hand_computation():
    y = torch.tensor([[1.0, 2.0, 3.0, 4.0, 5.0, 6.0, 7.0, 8.0, 9.0, 10.0],
                      [3.0, 0.5, 9.0, 9.0, 9.0, 9.0, 9.0, 9.0, 9.0, 9.0]])
    target = torch.tensor([0, 1])
    j = 1.5

    def one(row, c):
        return row[c] + math.log(math.exp(-j) + sum(math.exp(-v) for v in row))

    expected = (one(y[0].tolist(), 0) + one(y[1].tolist(), 1)) / 2
    assert PaperLeNet5.loss(y, target, j=j).item() == pytest.approx(expected, rel=1e-6)


def test_single_c1_unit_against_hand_sum():
    model = build_model("paper", seed=3)
    image = np.random.default_rng(2).uniform(-0.1, 1.175, size=(32, 32)).astype(np.float32)
    acts = run_with_activations(model, image[None])
    w = model.c1[0].weight.detach().numpy()  # (6, 1, 5, 5)
    b = model.c1[0].bias.detach().numpy()
    m, i, j = 4, 11, 17
    total = sum(float(w[m, 0, u, v]) * float(image[i + u, j + v]) for u in range(5) for v in range(5)) + float(b[m])
    assert acts["C1"][0, m, i, j] == pytest.approx(squash(total), abs=1e-5)


def test_single_subsampling_and_c3_unit_against_hand_sum():
    model = build_model("paper", seed=4)
    acts = run_with_activations(model, np.random.default_rng(3).uniform(-0.1, 1.175, size=(1, 32, 32)))
    c1, s2 = acts["C1"][0], acts["S2"][0]
    coef, bias = model.s2[0].weight.detach().numpy(), model.s2[0].bias.detach().numpy()
    m, i, j = 2, 5, 9
    pre = coef[m] * c1[m, 2 * i : 2 * i + 2, 2 * j : 2 * j + 2].sum() + bias[m]
    assert s2[m, i, j] == pytest.approx(squash(pre), abs=1e-5)

    c3 = core_layer(model.c3)
    dense, b3 = c3.dense_weight().detach().numpy(), c3.bias.detach().numpy()
    k, i, j = 13, 4, 2  # C3 map 13 takes S2 {1, 2, 4, 5}
    total = sum((dense[k, s] * s2[s, i : i + 5, j : j + 5]).sum() for s in TABLE_I[k]) + b3[k]
    assert acts["C3"][0, k, i, j] == pytest.approx(squash(total), abs=1e-5)


@pytest.mark.parametrize("variant", ["paper", "modern"])
def test_initial_weights_follow_the_variant(variant):
    model = build_model(variant, seed=0)
    if variant == "paper":
        c5 = model.c5[0][0].weight
        assert c5.abs().max() <= 2.4 / 400 + 1e-9  # fan-in 5x5x16
        c3 = core_layer(model.c3)
        assert c3.weight[:6].abs().max() <= 2.4 / 75 + 1e-9  # maps 0-5 have 3 inputs: fan-in 75
    assert build_model(variant, seed=0).state_dict().keys() == model.state_dict().keys()
    a, b = build_model(variant, seed=5), build_model(variant, seed=5)
    assert all(torch.equal(a.state_dict()[k], b.state_dict()[k]) for k in a.state_dict())


def test_summary_cli_json(cli):
    result = cli("summary", "--variant", "paper", "--json")
    assert result.returncode == 0, result.stderr
    data = json.loads(result.stdout)
    assert data["variant"] == "paper"
    assert (data["trainable_params"], data["fixed_params"], data["connections"]) == (60_000, 840, 340_908)
    assert [layer["name"] for layer in data["layers"]] == list(LAYER_NAMES)
    assert data["layers"][0]["output_shape"] == [6, 28, 28]
    assert data["layers"][0]["formula"] == "(5x5x1)x6 + 6 = 156"
    assert data["c3_table"] == c3_table().tolist()


def test_summary_cli_table_and_modern(cli):
    result = cli("summary", "--variant", "modern")
    assert result.returncode == 0
    assert "61,706" in result.stdout and "C3" in result.stdout


def test_summary_cli_unknown_variant_is_one_line(cli):
    result = cli("summary", "--variant", "lenet9")
    assert result.returncode == 2
    assert result.stderr.count("\n") == 1 and "lenet9" in result.stderr
    assert "Traceback" not in result.stderr


def test_c3_kernel_grid_blanks_exactly_the_unconnected_kernels():
    from lenet import c3_kernel_grid

    grid = c3_kernel_grid(build_model("paper", seed=0))
    assert grid.shape == (6, 16, 5, 5)
    np.testing.assert_array_equal(~np.isnan(grid).all(axis=(2, 3)), c3_table())
    assert not np.isnan(c3_kernel_grid(build_model("modern", seed=0))).any()


@pytest.mark.parametrize("variant", ["paper", "modern"])
@pytest.mark.parametrize("layer, unit", [("C1", (2, 3, 4)), ("S2", (1, 5, 6)), ("C3", (13, 4, 2)), ("S4", (7, 1, 3)),
                                         ("C5", (17,)), ("F6", (40,)), ("OUTPUT", (3,))])
def test_unit_arithmetic_equals_the_models_activation(variant, layer, unit):
    """What the Feature maps page shows for one unit is the value the network computed."""
    from lenet import unit_arithmetic

    model = build_model(variant, seed=1)
    acts = {k: a[0] for k, a in run_with_activations(model, np.random.default_rng(0).random((1, 32, 32))).items()}
    u = unit_arithmetic(model, acts, layer, unit)
    assert u.value == pytest.approx(float(acts[layer][unit]), abs=1e-4)
    if layer == "C3" and variant == "paper":
        assert u.input_maps == sorted(TABLE_I[13])
