"""The command line on good and bad input, and the shipped weights on the real MNIST test set."""

import io
import json

import numpy as np
import pytest
from PIL import Image, ImageDraw

import lenet
from lenet.train import as_tensors, evaluate

THRESHOLDS = {"paper": 0.990, "modern": 0.992}


@pytest.mark.parametrize("variant", ["paper", "modern"])
def test_shipped_weights_reach_the_target_on_all_10000_test_digits(variant):
    model = lenet.load_model(variant)
    images, labels = as_tensors(lenet.load_mnist("test"))
    assert len(labels) == 10_000
    accuracy = float((evaluate(model, images, labels) == labels.numpy()).mean())
    assert accuracy >= THRESHOLDS[variant]
    metadata = lenet.read_metadata(lenet.weights_path(variant))
    assert metadata["test_accuracy"] == pytest.approx(accuracy, abs=1e-4)
    assert metadata["command"].startswith(f"python -m lenet train --variant {variant}")
    assert metadata["trainable_params"] == {"paper": 60_000, "modern": 61_706}[variant]


def test_train_dry_run_lowers_the_loss(cli, tmp_path):
    out = tmp_path / "dry.pt"
    result = cli("train", "--variant", "paper", "--dry-run", "--train-limit", "2000", "--output", out, "--json")
    assert result.returncode == 0, result.stderr
    assert "epoch 1/1" in result.stdout
    metadata = json.loads(out.with_suffix(".json").read_text())
    assert metadata["epochs"] == 1 and metadata["seed"] == 0
    model = lenet.load_model("paper", out)  # what was written loads back
    assert model.variant == "paper"


def test_training_lowers_the_loss_and_is_reproducible():
    from lenet.train import TrainConfig, fit

    config = TrainConfig(variant="modern", dry_run=True, train_limit=3000, distortions=True, seed=7, threads=1)
    _, first = fit(config, log=lambda line: None)
    _, again = fit(config, log=lambda line: None)
    assert first["history"][0]["loss"] == pytest.approx(again["history"][0]["loss"], rel=1e-6)
    config.dry_run, config.epochs = False, 2
    _, two = fit(config, log=lambda line: None)
    assert two["history"][1]["loss"] < two["history"][0]["loss"]


def test_evaluate_json(cli):
    result = cli("evaluate", "--variant", "modern", "--json")
    assert result.returncode == 0, result.stderr
    data = json.loads(result.stdout)
    assert data["n"] == 10_000 and data["variant"] == "modern"
    confusion = np.array(data["confusion"])
    assert confusion.shape == (10, 10) and confusion.sum() == 10_000
    assert np.trace(confusion) == 10_000 - data["errors"]
    assert data["accuracy"] == pytest.approx(1 - data["errors"] / 10_000)


def write_digit(path, kind):
    img = Image.new("L", (120, 160), 235)  # dark pen on light paper, like a photo
    if kind == "one":
        ImageDraw.Draw(img).line([(60, 20), (62, 140)], fill=30, width=10)
    img.save(path)


def test_predict_good_blank_and_bad_files(cli, tmp_path):
    one, blank = tmp_path / "one.png", tmp_path / "blank.jpg"
    write_digit(one, "one")
    write_digit(blank, "blank")
    text = tmp_path / "notes.png"
    text.write_text("this is not an image")
    truncated = tmp_path / "cut.png"
    buf = io.BytesIO()
    Image.new("RGB", (50, 50), "white").save(buf, "PNG")
    truncated.write_bytes(buf.getvalue()[:30])
    missing = tmp_path / "missing.png"
    result = cli("predict", one, blank, text, truncated, missing, "--variant", "paper", "--json")
    assert result.returncode == 1  # some files failed, the others were still predicted
    assert "Traceback" not in result.stderr
    rows = {r["path"]: r for r in json.loads(result.stdout)}
    assert rows[str(one)]["digit"] == 1 and rows[str(one)]["blank"] is False
    assert sum(rows[str(one)]["probabilities"]) == pytest.approx(1, abs=1e-4)
    assert rows[str(blank)]["blank"] is True and rows[str(blank)]["digit"] is None
    for bad in (text, truncated, missing):
        assert set(rows[str(bad)]) == {"path", "error"}


def test_predict_plain_text_output(cli, tmp_path):
    one = tmp_path / "one.png"
    write_digit(one, "one")
    result = cli("predict", one, "--variant", "modern")
    assert result.returncode == 0
    assert result.stdout.startswith(f"{one}: 1 (")


@pytest.mark.parametrize("content", [None, b"garbage, not a state_dict", b"PK\x03\x04truncated zip"])
def test_missing_or_corrupt_weights_give_a_message(cli, tmp_path, content):
    weights = tmp_path / "w.pt"
    if content is not None:
        weights.write_bytes(content)
    result = cli("evaluate", "--variant", "paper", "--weights", weights)
    assert result.returncode == 1
    assert "Traceback" not in result.stderr
    assert str(weights) in result.stderr and "python -m lenet train --variant paper" in result.stderr


def test_weights_of_the_other_variant_are_refused(cli):
    result = cli("evaluate", "--variant", "paper", "--weights", lenet.weights_path("modern"))
    assert result.returncode == 1 and "does not fit the paper model" in result.stderr


@pytest.mark.parametrize("command", ["train", "evaluate", "predict x.png", "summary"])
def test_unknown_variant_everywhere(cli, command):
    result = cli(*command.split(), "--variant", "lenet1")
    assert result.returncode == 2 and "unknown variant 'lenet1'" in result.stderr
    assert "Traceback" not in result.stderr


def test_weights_are_written_atomically(tmp_path, monkeypatch):
    """A failure while writing leaves the old file whole and no temporary file behind."""
    from lenet import weights

    path = tmp_path / "model.pt"
    model = lenet.build_model("modern", seed=0)
    weights.save_weights(model, path, {"variant": "modern"})
    before = path.read_bytes()

    def broken_save(obj, f):
        f.write(b"half a file")
        raise OSError("disk full")

    monkeypatch.setattr(weights.torch, "save", broken_save)
    with pytest.raises(OSError, match="disk full"):
        weights.save_weights(lenet.build_model("modern", seed=1), path, {"variant": "modern"})
    assert path.read_bytes() == before
    assert sorted(p.name for p in tmp_path.iterdir()) == ["model.json", "model.pt"]
