import subprocess
import sys
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parent.parent


def run_cli(*args, timeout=300):
    """`python -m lenet ARGS` from the project root; returns the CompletedProcess."""
    return subprocess.run([sys.executable, "-m", "lenet", *map(str, args)], cwd=ROOT, capture_output=True,
                          text=True, timeout=timeout)


@pytest.fixture(scope="session")
def cli():
    return run_cli
