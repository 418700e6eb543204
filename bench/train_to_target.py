"""Wall time of `python -m lenet train --variant modern` with default settings, start to saved weights.

The target: at least 99.0% test accuracy within 60 s on a 2-core machine. Writes to a temporary
file, never over the shipped weights. Final line: {"wall_s", "test_accuracy", "epochs"}.
"""

import json
import subprocess
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent


def main() -> None:
    with tempfile.TemporaryDirectory() as tmp:
        out = Path(tmp) / "modern.pt"
        start = time.perf_counter()
        subprocess.run([sys.executable, "-m", "lenet", "train", "--variant", "modern", "--output", str(out)],
                       cwd=ROOT, check=True)
        wall = time.perf_counter() - start
        metadata = json.loads(out.with_suffix(".json").read_text())
    print(json.dumps({"wall_s": round(wall, 1), "test_accuracy": metadata["test_accuracy"],
                      "epochs": metadata["epochs"]}))


if __name__ == "__main__":
    main()
