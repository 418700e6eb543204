"""AppTest: every page runs for both variants, and shows the right prediction for seeded inputs.

AppTest runs the real app.py in-process, without a browser. The canvas component is opaque
here, so drawings are seeded through session state, as the pages allow.
"""

import numpy as np
import pytest
import streamlit as st
from app_routing import patched_pages_manager_init
from PIL import Image, ImageDraw
from streamlit.runtime.pages_manager import PagesManager
from streamlit.testing.v1 import AppTest

import lenet
from ui import state

PAGES = ["pages/draw.py", "pages/feature_maps.py", "pages/c3_connections.py", "pages/parameters.py"]
TIMEOUT = 30  # importing torch alone takes 2 s


@pytest.fixture(autouse=True)
def route_through_app_py(monkeypatch):
    """Every AppTest run goes through app.py's st.navigation (see tests/app_routing.py)."""
    monkeypatch.setattr(PagesManager, "__init__", patched_pages_manager_init())


def drawing(strokes) -> np.ndarray:
    """A 280x280 RGBA canvas image, white ink on black, like streamlit-drawable-canvas sends."""
    img = Image.new("RGBA", (280, 280), (0, 0, 0, 255))
    draw = ImageDraw.Draw(img)
    for stroke in strokes:
        stroke(draw)
    return np.array(img)


VERTICAL_BAR = drawing([lambda d: d.line([(140, 40), (145, 240)], fill="white", width=22)])
LOOP = drawing([lambda d: d.ellipse([70, 40, 210, 240], outline="white", width=22)])


def open_app(page: str, variant: str = "paper", **session) -> AppTest:
    at = AppTest.from_file("../app.py", default_timeout=TIMEOUT)
    at.session_state[state.VARIANT] = variant
    for key, value in session.items():
        at.session_state[key] = value
    at.run()
    at.switch_page(page)
    at.run()
    assert not at.exception, [e.value for e in at.exception]
    return at


def prediction(at: AppTest) -> str | None:
    metrics = [m for m in at.metric if m.label == "Prediction"]
    return metrics[0].value if metrics else None


@pytest.mark.parametrize("variant", ["paper", "modern"])
@pytest.mark.parametrize("page", PAGES)
def test_every_page_runs(page, variant):
    at = open_app(page, variant, **{state.SOURCE: "mnist", state.MNIST_INDEX: 3})
    assert any(variant in c.value for c in at.caption), "every page says which variant it shows"


@pytest.mark.parametrize("variant", ["paper", "modern"])
@pytest.mark.parametrize("image, digit", [(VERTICAL_BAR, "1"), (LOOP, "0")])
def test_drawing_is_classified(variant, image, digit):
    at = open_app("pages/draw.py", variant, **{state.DRAWING: image})
    assert prediction(at) == digit
    assert at.subheader[0].value == "What the network sees"


@pytest.mark.parametrize("variant", ["paper", "modern"])
def test_mnist_digit_is_classified_with_its_label(variant):
    digits = lenet.load_mnist("test")
    index = 1234
    at = open_app("pages/draw.py", variant, **{state.SOURCE: "mnist", state.MNIST_INDEX: index})
    assert prediction(at) == str(digits.labels[index])
    assert f"true label {digits.labels[index]}" in at.metric[0].delta


def test_blank_canvas_shows_a_prompt_and_no_prediction():
    at = open_app("pages/draw.py", **{state.DRAWING: np.zeros((280, 280, 4), np.uint8)})
    assert prediction(at) is None
    assert any("blank" in i.value for i in at.info)


def test_switching_pages_keeps_the_digit():
    at = open_app("pages/draw.py", "paper", **{state.DRAWING: VERTICAL_BAR})
    at.switch_page("pages/feature_maps.py").run()
    assert prediction(at) == "1"
    at.switch_page("pages/draw.py").run()
    assert prediction(at) == "1"


def test_feature_maps_unit_arithmetic_matches_the_map():
    at = open_app("pages/feature_maps.py", "paper", **{state.DRAWING: LOOP})
    at.selectbox(key="maps_unit_layer").select("C3").run()
    code = at.code[0].value
    value = float(code.split("value")[1].split()[0])
    shown = float(code.split("in the map")[1].split()[0])
    assert value == pytest.approx(shown, abs=1e-5)
    assert "sum over maps [0, 1, 2]" in code  # C3 map 0 reads S2 maps 0, 1, 2 only


def test_parameters_page_shows_the_papers_counts():
    at = open_app("pages/parameters.py", "paper")
    table = at.dataframe[0].value
    params = dict(zip(table["layer"], table["trainable parameters"], strict=True))
    assert params == {"C1": 156, "S2": 12, "C3": 1516, "S4": 32, "C5": 48120, "F6": 10164, "OUTPUT": 0, "total": 60000}
    assert dict(zip(table["layer"], table["connections"], strict=True))["total"] == 340908
    assert at.metric[0].value == "60,000"


def test_c3_page_builds_a_map_and_says_when_dense():
    at = open_app("pages/c3_connections.py", "paper", **{state.DRAWING: LOOP, "c3_selected_map": 13})
    assert any("takes S2 maps [1, 2, 4, 5]" in m.value for m in at.markdown)
    at = open_app("pages/c3_connections.py", "modern", **{state.DRAWING: LOOP})
    assert any("dense C3" in i.value for i in at.info)


def test_missing_weights_are_an_error_not_a_traceback(monkeypatch, tmp_path):
    monkeypatch.setattr(lenet.weights, "WEIGHTS_DIR", tmp_path)
    st.cache_resource.clear()
    try:
        at = open_app("pages/draw.py", "paper", **{state.DRAWING: VERTICAL_BAR})
        message = at.error[0].value
        assert "lenet5-paper.pt" in message and "python -m lenet train --variant paper" in message
        at = open_app("pages/parameters.py", "paper")  # needs no weights
        assert at.metric[0].value == "60,000" and not at.error
    finally:
        st.cache_resource.clear()
