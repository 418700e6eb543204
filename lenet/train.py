"""Training and evaluation, with the whole data set in memory as tensors.

Batches are drawn by indexing one (N, 1, 32, 32) tensor with a permutation: no Dataset,
no DataLoader, no per-sample Python. Distortions run on the whole batch.
"""

import math
import os
import time
from dataclasses import asdict, dataclass

import numpy as np
import torch

from lenet.distortions import random_affine
from lenet.mnist import Digits, load_mnist
from lenet.model import LeNet5, build_model
from lenet.preprocess import NETWORK
from lenet.weights import save_weights, weights_path


@dataclass
class TrainConfig:
    variant: str = "modern"  # "paper" or "modern"
    epochs: int = 6  # passes over the training set (6 takes the modern variant past 99% in ~35 s)
    batch_size: int = 256  # images per optimiser step
    lr: float = 3e-3  # peak learning rate of Adam under a one-cycle schedule
    seed: int = 0  # seeds initial weights, batch order and distortions
    distortions: bool = True  # random affine distortions of each batch (paper, Section V.B)
    train_limit: int | None = None  # use only the first N training images (None: all 60,000)
    dry_run: bool = False  # a few batches of one epoch, to check that everything runs
    output: str | None = None  # where to write the weights (None: assets/weights/lenet5-VARIANT.pt)
    threads: int = 0  # torch CPU threads (0: one per core)
    command: str | None = None  # the command line that asked for this run, kept in the metadata


DRY_RUN_BATCHES = 20


def as_tensors(digits: Digits, limit: int | None = None) -> tuple[torch.Tensor, torch.Tensor]:
    """MNIST uint8 digits as (N, 1, 32, 32) float in [0, 1] (padded like the app's input) and labels."""
    images = digits.images[:limit] if limit else digits.images
    labels = digits.labels[:limit] if limit else digits.labels
    margin = (NETWORK - images.shape[1]) // 2
    padded = np.pad(images.astype(np.float32) / 255.0, ((0, 0), (margin, margin), (margin, margin)))
    return torch.from_numpy(padded).unsqueeze(1), torch.from_numpy(labels.astype(np.int64))


@torch.inference_mode()
def evaluate(model: LeNet5, images: torch.Tensor, labels: torch.Tensor, batch_size: int = 2000) -> np.ndarray:
    """The predicted digit of each image (images in [0, 1], scaled here for the variant)."""
    model.eval()
    preds = [
        model.probabilities(model(model.input_scale.apply(images[i : i + batch_size]))).argmax(1)
        for i in range(0, len(images), batch_size)
    ]
    return torch.cat(preds).numpy()


def confusion_matrix(labels: np.ndarray, preds: np.ndarray) -> np.ndarray:
    """10x10 counts, rows the true digit, columns the prediction."""
    return np.bincount(labels * 10 + preds, minlength=100).reshape(10, 10)


def train_epoch(model, optimiser, schedule, images, labels, config, generator) -> tuple[float, float, int]:
    """One pass in random order; returns (mean loss, training accuracy, images seen)."""
    model.train()
    order = torch.randperm(len(images), generator=generator)
    batches = order.split(config.batch_size)
    if config.dry_run:
        batches = batches[:DRY_RUN_BATCHES]
    total_loss, correct, seen = 0.0, 0, 0
    for idx in batches:
        x, y = images[idx], labels[idx]
        if config.distortions:
            x = random_affine(x, generator)
        x = model.input_scale.apply(x).contiguous(memory_format=torch.channels_last)
        output = model(x)
        loss = model.loss(output, y)
        optimiser.zero_grad(set_to_none=True)
        loss.backward()
        optimiser.step()
        schedule.step()
        total_loss += loss.item() * len(idx)
        correct += int((model.probabilities(output.detach()).argmax(1) == y).sum())
        seen += len(idx)
    return total_loss / seen, correct / seen, seen


def fit(config: TrainConfig, log=print) -> tuple[LeNet5, dict]:
    """Train a variant as configured; returns the model and its history and test accuracy."""
    torch.set_num_threads(config.threads or os.cpu_count() or 1)
    # channels_last lets oneDNN run the convolutions about 20% faster on CPU
    model = build_model(config.variant, seed=config.seed).to(memory_format=torch.channels_last)
    generator = torch.Generator().manual_seed(config.seed)
    train_x, train_y = as_tensors(load_mnist("train"), config.train_limit)
    test_x, test_y = as_tensors(load_mnist("test"))
    steps_per_epoch = math.ceil(len(train_x) / config.batch_size)
    if config.dry_run:
        steps_per_epoch = min(steps_per_epoch, DRY_RUN_BATCHES)
    epochs = 1 if config.dry_run else config.epochs
    optimiser = torch.optim.Adam(model.parameters(), lr=config.lr)
    schedule = torch.optim.lr_scheduler.OneCycleLR(optimiser, config.lr, total_steps=epochs * steps_per_epoch)
    history = []
    for epoch in range(1, epochs + 1):
        start = time.perf_counter()
        loss, train_acc, seen = train_epoch(model, optimiser, schedule, train_x, train_y, config, generator)
        seconds = time.perf_counter() - start
        test_acc = float((evaluate(model, test_x, test_y) == test_y.numpy()).mean())
        history.append({"epoch": epoch, "loss": loss, "train_accuracy": train_acc, "test_accuracy": test_acc,
                        "seconds": round(seconds, 2), "images": seen})
        log(f"epoch {epoch}/{epochs}  loss {loss:.4f}  train acc {train_acc:.4f}  "
            f"test acc {test_acc:.4f}  {seconds:.1f}s")
    model.eval()
    return model, {"history": history, "test_accuracy": history[-1]["test_accuracy"]}


def train_and_save(config: TrainConfig, log=print) -> dict:
    """Train, then write the weights and a sidecar that says how they were made."""
    wall = time.perf_counter()
    model, result = fit(config, log)
    path = config.output or str(weights_path(config.variant))
    metadata = {
        "variant": config.variant,
        "test_accuracy": result["test_accuracy"],
        "test_errors": round((1 - result["test_accuracy"]) * 10000),
        "epochs": 1 if config.dry_run else config.epochs,
        "seed": config.seed,
        "config": asdict(config),
        "command": config.command,
        "trainable_params": sum(p.numel() for p in model.parameters() if p.requires_grad),
        "input_scale": asdict(model.input_scale),
        "torch_version": torch.__version__,
        "train_seconds": round(time.perf_counter() - wall, 1),
        "history": result["history"],
    }
    save_weights(model, path, metadata)
    log(f"wrote {path} (test accuracy {result['test_accuracy']:.4f})")
    return metadata
