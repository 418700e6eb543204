"""Median batch-1 forward-with-activations time of both variants (what one prediction costs).

Prints a line per setting, then a final JSON line {"paper_ms": ..., "modern_ms": ...} for the
serving setting (one torch thread per request, as the app's server uses).
"""

import json
import statistics
import sys
import time
from pathlib import Path

import numpy as np
import torch

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))
import lenet

REPEATS = 2000


def median_ms(model, image) -> float:
    for _ in range(50):  # warm-up
        lenet.run_with_activations(model, image)
    times = []
    for _ in range(REPEATS):
        start = time.perf_counter()
        lenet.run_with_activations(model, image)
        times.append(time.perf_counter() - start)
    return statistics.median(times) * 1000


def main() -> None:
    image = np.random.default_rng(0).uniform(-0.1, 1.175, size=(1, 32, 32)).astype(np.float32)
    result = {}
    for threads in (2, 1):
        torch.set_num_threads(threads)
        for variant in lenet.VARIANTS:
            ms = median_ms(lenet.load_model(variant), image)
            print(f"{variant:<7} threads={threads}  median {ms:.3f} ms over {REPEATS} runs")
            result[f"{variant}_ms"] = round(ms, 4)
    print(json.dumps(result))


if __name__ == "__main__":
    main()
