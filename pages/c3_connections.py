"""C3 connections: the paper's Table I, why it is sparse, and one C3 map built from its inputs."""

import numpy as np
import streamlit as st

import lenet
from ui import figures, state

C3_MAP = "c3_selected_map"


def c3_row(variant: str) -> dict:
    """C3's row of the variant's layer table, read from the live model."""
    return next(layer for layer in state.summary(variant)["layers"] if layer["name"] == "C3")


def why_sparse() -> None:
    paper, dense = c3_row("paper"), c3_row("modern")
    table = lenet.c3_table()
    st.subheader("Why not connect every S2 map to every C3 map?")
    st.markdown(
        "The paper gives two reasons (Section II.B):\n\n"
        "1. **Fewer connections.** A non-complete scheme keeps the number of connections within "
        "reasonable bounds.\n"
        "2. **Breaking the symmetry.** Different C3 maps see different sets of S2 maps, so they are "
        "forced to learn different, complementary features.\n\n"
        f"The count: {int(table.sum())} connected kernels x 25 weights + 16 biases = "
        f"**{paper['trainable_params']:,} parameters**, against {dense['trainable_params']:,} for a dense C3; and "
        f"**{paper['connections']:,} connections** against {dense['connections']:,}."
    )


def build_one_map(model: lenet.LeNet5, s2: np.ndarray, c3_map: int) -> None:
    """The S2 maps that feed the chosen C3 map, each kernel, each partial sum, and the result."""
    parts = lenet.c3_contributions(model, s2, c3_map)
    left_out = sorted(set(range(6)) - set(parts.s2_maps))
    st.markdown(f"**C3 map {c3_map}** takes S2 maps {parts.s2_maps}" +
                (f"; maps {left_out} are left out." if left_out else " — all six."))
    st.plotly_chart(figures.map_grid(s2[parts.s2_maps], len(parts.s2_maps), "layer", height=200,
                                     title="The S2 maps it reads (current input)"), key="c3_inputs")
    st.plotly_chart(figures.bitmap_row(parts.kernels, [f"kernel for S2 {m}" for m in parts.s2_maps], height=150),
                    key="c3_kernels")
    st.plotly_chart(figures.map_grid(parts.partial_sums, len(parts.s2_maps), "layer", height=200,
                                     title="Each S2 map convolved with its kernel"), key="c3_partials")
    st.plotly_chart(figures.map_grid(np.stack([parts.pre_activation, parts.output]), 2, "map", height=260,
                                     title=f"Their sum + bias ({parts.bias:+.3f}), then the activation: C3 map {c3_map}"),
                    key="c3_result")


def page() -> None:
    st.title("C3 connections")
    state.variant_badge()
    variant = state.variant()
    table = lenet.connection_table(state.architecture(variant))
    if variant == "paper":
        st.markdown("C3 has 16 maps, but each reads only some of S2's six maps, as listed in the paper's "
                    "Table I. A filled cell means *this S2 map feeds this C3 map*.")
    else:
        st.info("The modern variant uses a dense C3: every C3 map reads all six S2 maps, so its table is full. "
                "Switch to the paper variant in the sidebar to see Table I.", icon=":material/info:")
    c3_map = st.number_input("C3 map", 0, 15, 0, key=C3_MAP, help="Pick a column of the table.")
    st.plotly_chart(figures.connection_table(table, int(c3_map)), key="c3_table")
    why_sparse()

    st.subheader(f"How C3 map {c3_map} is built from the current input")
    model, error = state.trained_model(variant)
    if error:
        state.weights_error(error)
        return
    prediction = state.current_prediction(model, state.current_input())
    if prediction is None:
        st.info("No digit yet: draw one, or pick an MNIST digit in the sidebar.", icon=":material/draw:")
        return
    build_one_map(model, prediction.activations["S2"], int(c3_map))


page()
