"""Training throughput: the textbook PyTorch loop against this project's trainer, one epoch each.

Reference: TensorDataset + DataLoader(shuffle=True), batch 128, Adam, the modern variant.
Ours: lenet.train with its default settings (TrainConfig()), also the modern variant.
Both run in this process on the same in-memory MNIST tensors. Final line:
{"reference_images_per_s", "ours_images_per_s", "ratio"}.
"""

import json
import os
import sys
import time
from pathlib import Path

import torch
from torch.utils.data import DataLoader, TensorDataset

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))
import lenet
from lenet.train import TrainConfig, as_tensors, train_epoch


def reference_epoch(images, labels) -> float:
    """The loop most tutorials write; returns images per second."""
    torch.manual_seed(0)
    model = lenet.build_model("modern")
    optimiser = torch.optim.Adam(model.parameters(), lr=1e-3)
    loader = DataLoader(TensorDataset(model.input_scale.apply(images), labels), batch_size=128, shuffle=True)
    model.train()
    start = time.perf_counter()
    for x, y in loader:
        optimiser.zero_grad()
        loss = torch.nn.functional.cross_entropy(model(x), y)
        loss.backward()
        optimiser.step()
    return len(images) / (time.perf_counter() - start)


def our_epoch(images, labels) -> float:
    """One epoch of lenet.train's loop with the default TrainConfig; returns images per second."""
    config = TrainConfig()
    model = lenet.build_model(config.variant, seed=config.seed).to(memory_format=torch.channels_last)
    optimiser = torch.optim.Adam(model.parameters(), lr=config.lr)
    steps = -(-len(images) // config.batch_size)
    schedule = torch.optim.lr_scheduler.OneCycleLR(optimiser, config.lr, total_steps=steps)
    generator = torch.Generator().manual_seed(config.seed)
    start = time.perf_counter()
    _, _, seen = train_epoch(model, optimiser, schedule, images, labels, config, generator)
    return seen / (time.perf_counter() - start)


def main() -> None:
    torch.set_num_threads(os.cpu_count() or 1)
    images, labels = as_tensors(lenet.load_mnist("train"))
    reference_epoch(images[:5000], labels[:5000])  # warm both paths up (oneDNN kernel selection)
    reference = reference_epoch(images, labels)
    print(f"reference (DataLoader, batch 128): {reference:,.0f} images/s")
    ours = our_epoch(images, labels)
    config = TrainConfig()
    print(f"ours (batch {config.batch_size}, distortions={config.distortions}, channels_last): {ours:,.0f} images/s")
    print(json.dumps({"reference_images_per_s": round(reference), "ours_images_per_s": round(ours),
                      "ratio": round(ours / reference, 2)}))


if __name__ == "__main__":
    main()
