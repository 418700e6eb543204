"""The sidebar every page shares: which LeNet-5, and which input."""

import random

import streamlit as st

import lenet
from ui import state

STROKE_WIDTH = "draw_stroke_width"


def variant_picker() -> None:
    st.radio(
        "LeNet-5 variant",
        options=list(lenet.VARIANTS),
        format_func=lambda v: lenet.variant_class(v).title,
        key=state.VARIANT,
        help="Both are trained on MNIST and ship with the app.",
    )
    st.caption(lenet.variant_class(state.variant()).summary)


def pick_random_digit() -> None:
    st.session_state[state.MNIST_INDEX] = random.randrange(len(state.mnist_test().labels))


def input_picker() -> None:
    st.radio("Input", options=list(state.SOURCES), format_func=state.SOURCES.get, key=state.SOURCE)
    source = st.session_state[state.SOURCE]
    if source == "draw":
        st.slider("Stroke width", 8, 40, 22, key=STROKE_WIDTH, help="Pen width on the 280x280 canvas.")
    elif source == "mnist":
        digits = state.mnist_test()
        st.number_input("Test digit index", 0, len(digits.labels) - 1, key=state.MNIST_INDEX, step=1)
        st.button("Random digit", on_click=pick_random_digit, icon=":material/casino:")
        st.caption(f"True label: **{int(digits.labels[st.session_state[state.MNIST_INDEX]])}**")
    else:
        st.file_uploader(
            f"Image of one digit (PNG, JPEG, BMP, GIF, WebP; up to {state.MAX_UPLOAD_MB} MB)",
            type=state.UPLOAD_TYPES,
            key=state.UPLOAD,
        )


def sidebar() -> None:
    """Draw the shared sidebar; its widgets write straight into session state by key."""
    state.init_state()
    with st.sidebar:
        variant_picker()
        st.divider()
        input_picker()
