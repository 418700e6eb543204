"""Shipped weights: a state_dict plus a JSON sidecar, written atomically, loaded safely."""

import json
import os
import tempfile
from pathlib import Path

import torch

from lenet.model import LeNet5, build_model

WEIGHTS_DIR = Path(__file__).resolve().parent.parent / "assets" / "weights"


class WeightsError(RuntimeError):
    """Weights that are missing, corrupt or for another model; the message says how to rebuild."""


def weights_path(variant: str) -> Path:
    return WEIGHTS_DIR / f"lenet5-{variant}.pt"


def metadata_path(weights: Path) -> Path:
    return Path(weights).with_suffix(".json")


def rebuild_command(variant: str) -> str:
    return f"python -m lenet train --variant {variant}"


def atomic_write(path: Path, write) -> None:
    """Call write(file) on a temporary file beside `path`, then rename it over `path`."""
    path = Path(path)
    path.parent.mkdir(parents=True, exist_ok=True)
    fd, tmp = tempfile.mkstemp(dir=path.parent, prefix=f".{path.name}.", suffix=".tmp")
    try:
        with os.fdopen(fd, "wb") as f:
            write(f)
            f.flush()
            os.fsync(f.fileno())
        os.replace(tmp, path)
    except BaseException:
        Path(tmp).unlink(missing_ok=True)
        raise


def save_weights(model: LeNet5, path: Path, metadata: dict) -> None:
    """Write the state_dict and its JSON sidecar, each atomically."""
    state = {k: v.detach().cpu().clone() for k, v in model.state_dict().items()}
    atomic_write(path, lambda f: torch.save(state, f))
    text = json.dumps(metadata, indent=2, sort_keys=True) + "\n"
    atomic_write(metadata_path(path), lambda f: f.write(text.encode()))


def read_metadata(path: Path) -> dict:
    """The sidecar JSON of a weights file, or {} when there is none or it is unreadable."""
    try:
        return json.loads(metadata_path(path).read_text())
    except (OSError, ValueError):
        return {}


def load_model(variant: str, path: Path | None = None) -> LeNet5:
    """The variant with its trained weights, in eval mode; WeightsError names the file and fix."""
    model = build_model(variant)
    path = Path(path) if path is not None else weights_path(variant)
    fix = f"rebuild it with: {rebuild_command(variant)}"
    if not path.is_file():
        raise WeightsError(f"weights file {path} is missing; {fix}")
    try:
        state = torch.load(path, map_location="cpu", weights_only=True)
    except Exception as err:  # torch raises many types for a damaged file
        raise WeightsError(f"weights file {path} is corrupt or not a PyTorch state_dict ({type(err).__name__}); {fix}") from None
    if not isinstance(state, dict):
        raise WeightsError(f"weights file {path} does not hold a state_dict; {fix}")
    try:
        model.load_state_dict(state)
    except RuntimeError as err:
        first = str(err).strip().splitlines()[0]
        raise WeightsError(f"weights file {path} does not fit the {variant} model ({first}); {fix}") from None
    return model.eval()
