"""Server-side time of one rerun of a page for a new input, measured with AppTest.

Each rerun seeds a different drawing, so preprocessing, the forward pass and every figure
are rebuilt, as when a student finishes a stroke. Final line: JSON of median ms per page.
Target for the Feature maps page: <= 500 ms on a 2-core machine.
"""

import json
import statistics
import sys
import time
from pathlib import Path

import numpy as np
from PIL import Image, ImageDraw

ROOT = Path(__file__).resolve().parent.parent
sys.path[:0] = [str(ROOT), str(ROOT / "tests")]
from app_routing import route_every_run_through_app_py  # noqa: E402
from streamlit.testing.v1 import AppTest  # noqa: E402

from ui import state  # noqa: E402

PAGES = ["pages/feature_maps.py", "pages/draw.py", "pages/c3_connections.py", "pages/parameters.py"]
RUNS = 12


def drawing(i: int) -> np.ndarray:
    img = Image.new("RGBA", (280, 280), (0, 0, 0, 255))
    ImageDraw.Draw(img).ellipse([60 + i, 40, 200 + i, 240 - i], outline="white", width=20 + i % 5)
    return np.array(img)


def median_rerun_ms(page: str, variant: str) -> float:
    at = AppTest.from_file(str(ROOT / "app.py"), default_timeout=60)
    at.session_state[state.VARIANT] = variant
    at.session_state[state.DRAWING] = drawing(0)
    at.run()
    at.switch_page(page).run()  # first run: imports, model load, caches warm
    times = []
    for i in range(1, RUNS + 1):
        at.session_state[state.DRAWING] = drawing(i)
        start = time.perf_counter()
        at.run()
        times.append(time.perf_counter() - start)
        assert not at.exception, at.exception
    return statistics.median(times) * 1000


def main() -> None:
    route_every_run_through_app_py()
    result = {}
    for page in PAGES:
        for variant in ("paper", "modern"):
            ms = median_rerun_ms(page, variant)
            print(f"{page:<26} {variant:<7} median rerun {ms:6.1f} ms over {RUNS} new drawings")
            result[f"{Path(page).stem}_{variant}_ms"] = round(ms, 1)
    print(json.dumps(result))


if __name__ == "__main__":
    main()
