"""What every page shares: the cached models and this session's current input.

Streamlit reruns a page's script from the top on every interaction. Two kinds of memory
survive a rerun:
- `st.cache_resource`: one object per server process, shared by every student's session.
  The trained models live there, loaded once and only read (under torch.inference_mode).
- `st.session_state`: one dict per browser tab. The chosen variant, the current input and
  its preprocessing live there, so switching pages keeps the same digit.
"""

import hashlib

import numpy as np
import streamlit as st

import lenet

# Session-state keys, namespaced so pages cannot collide with them.
VARIANT = "app_variant"
SOURCE = "app_source"  # "draw", "mnist" or "upload"
DRAWING = "draw_image"  # the canvas's RGBA array (tests seed this: AppTest cannot draw)
MNIST_INDEX = "mnist_index"
UPLOAD = "upload_file"  # the file_uploader widget's key
PREPARED = "app_prepared"  # (key, InputState) cache of the last preprocessing

SOURCES = {"draw": "Draw", "mnist": "MNIST test digit", "upload": "Upload an image"}
UPLOAD_TYPES = ["png", "jpg", "jpeg", "bmp", "gif", "webp"]
MAX_UPLOAD_MB = 10


def init_state() -> None:
    """Set each key once per session; later reruns keep what the student chose."""
    defaults = {VARIANT: "paper", SOURCE: "draw", DRAWING: None, MNIST_INDEX: 0}
    for key, value in defaults.items():
        if key not in st.session_state:
            st.session_state[key] = value


@st.cache_resource(show_spinner="Loading the trained LeNet-5...")
def _trained_model(variant: str) -> lenet.LeNet5:
    return lenet.load_model(variant)


def trained_model(variant: str) -> tuple[lenet.LeNet5 | None, str | None]:
    """(model, None), or (None, message) when the weights file is missing or corrupt.

    A failed load raises inside the cached function, so it is not cached: once the weights
    are rebuilt, the next rerun loads them without restarting the server.
    """
    try:
        return _trained_model(variant), None
    except lenet.WeightsError as err:
        return None, str(err)


@st.cache_resource
def architecture(variant: str) -> lenet.LeNet5:
    """An untrained model: enough for shapes, counts and the C3 table, needs no weights file."""
    return lenet.build_model(variant, seed=0)


@st.cache_resource
def summary(variant: str) -> dict:
    """The variant's layer table and totals (lenet.model_summary), computed once per process.

    Shared read-only by every session: pages must not modify it.
    """
    return lenet.model_summary(architecture(variant))


@st.cache_resource(show_spinner="Reading the MNIST test set...")
def mnist_test() -> lenet.Digits:
    return lenet.load_mnist("test")


def variant() -> str:
    init_state()
    return st.session_state[VARIANT]


class InputState:
    """The current input after preprocessing, with what the pages say about where it came from."""

    def __init__(self, prep: lenet.Preprocessed | None, caption: str, label: int | None = None, error: str | None = None):
        self.prep = prep  # None when there is nothing to show (no drawing yet, a bad upload)
        self.caption = caption
        self.label = label  # the true digit, for MNIST test digits
        self.error = error  # a message for the student, for an unreadable upload

    @property
    def ready(self) -> bool:
        return self.prep is not None and not self.prep.blank


def _input_key() -> tuple:
    """What identifies the current input, so preprocessing runs once per new input."""
    init_state()
    source = st.session_state[SOURCE]
    if source == "draw":
        drawing = st.session_state[DRAWING]
        return source, None if drawing is None else hashlib.blake2b(np.ascontiguousarray(drawing).data).hexdigest()
    if source == "mnist":
        return source, int(st.session_state[MNIST_INDEX])
    upload = st.session_state.get(UPLOAD)
    return source, None if upload is None else upload.file_id


def _prepare(key: tuple) -> InputState:
    source, ident = key
    if source == "draw":
        if ident is None:
            return InputState(None, "Draw a digit on the canvas.")
        return InputState(lenet.preprocess_drawing(st.session_state[DRAWING]), "your drawing")
    if source == "mnist":
        digits = mnist_test()
        label = int(digits.labels[ident])
        return InputState(lenet.preprocess_mnist(digits.images[ident]), f"MNIST test digit #{ident} (a {label})", label)
    if ident is None:
        return InputState(None, "Upload an image of a digit in the sidebar.")
    upload = st.session_state[UPLOAD]
    try:
        image = lenet.open_image(upload.getvalue())
    except lenet.ImageReadError as err:
        return InputState(None, upload.name, error=f"Cannot use {upload.name!r}: {err}.")
    return InputState(lenet.preprocess_drawing(image), f"uploaded {upload.name}")


def current_input() -> InputState:
    """The current input, preprocessed once and kept in session state across reruns and pages."""
    key = _input_key()
    cached = st.session_state.get(PREPARED)
    if cached is None or cached[0] != key:
        cached = (key, _prepare(key))
        st.session_state[PREPARED] = cached
    return cached[1]


def current_prediction(model: lenet.LeNet5, state: InputState) -> lenet.Prediction | None:
    """The model's prediction for the current input, or None when there is nothing to classify."""
    if not state.ready:
        return None
    return lenet.classify(model, state.prep)


def variant_badge() -> None:
    """One line at the top of every page saying which LeNet-5 it shows."""
    cls = lenet.variant_class(variant())
    st.caption(f"**Variant: {cls.title}** — {cls.summary}")


def weights_error(message: str) -> None:
    st.error(f"The trained weights could not be loaded. {message}", icon=":material/error:")
