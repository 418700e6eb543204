"""Feature maps: what every layer, C1 to the output, makes of the current digit."""

import numpy as np
import streamlit as st

import lenet
from ui import figures, state

SCALE = "maps_scale"
UNIT_LAYER, UNIT_MAP, UNIT_ROW, UNIT_COL = "maps_unit_layer", "maps_unit_map", "maps_unit_row", "maps_unit_col"

# What each layer computes, in one line: (paper, modern).
LAYER_TEXT = {
    "C1": ("6 maps 28x28. Each unit: a 5x5 window of the input x a 5x5 kernel, + bias, through f(a) = 1.7159 tanh(2a/3).",
           "6 maps 28x28. Each unit: a 5x5 window of the input x a 5x5 kernel, + bias, through ReLU."),
    "S2": ("6 maps 14x14. Each unit: the sum of a 2x2 block of C1 x a trainable coefficient, + bias, through f.",
           "6 maps 14x14. Each unit: the largest value of a 2x2 block of C1 (max-pool)."),
    "C3": ("16 maps 10x10. Each unit: 5x5 windows of only the S2 maps Table I connects, x their kernels, + bias, through f.",
           "16 maps 10x10. Each unit: 5x5 windows of all six S2 maps x their kernels, + bias, through ReLU."),
    "S4": ("16 maps 5x5. Like S2: 2x2 sum x coefficient + bias, through f.",
           "16 maps 5x5. Like S2: max of each 2x2 block."),
    "C5": ("120 units. Each: a 5x5 kernel over all 16 S4 maps (the whole 5x5 map), + bias, through f.",
           "120 units. Each: a 5x5 kernel over all 16 S4 maps, + bias, through ReLU."),
    "F6": ("84 units, fully connected to C5, through f. 84 = 7x12: one value per pixel of a stylised digit bitmap.",
           "84 units, fully connected to C5, through ReLU."),
}
COLUMNS = {"C1": 6, "S2": 6, "C3": 8, "S4": 8}


def layer_maps(acts: dict, variant: str, scale: str) -> None:
    """Every layer in order, each under its name, size and one line on what it computes."""
    which = 0 if variant == "paper" else 1
    st.subheader("INPUT · 32x32")
    st.caption("The preprocessed digit, scaled for the network " +
               ("(background -0.1, ink 1.175)." if variant == "paper" else "(MNIST mean 0, variance 1)."))
    st.plotly_chart(figures.map_grid(acts["INPUT"], 1, scale, height=260), key="maps_input")
    for name in ("C1", "S2", "C3", "S4"):
        c, h, w = acts[name].shape
        st.subheader(f"{name} · {c}@{h}x{w}")
        st.caption(LAYER_TEXT[name][which])
        st.plotly_chart(figures.map_grid(acts[name], COLUMNS[name], scale), key=f"maps_{name}")
    for name in ("C5", "F6"):
        st.subheader(f"{name} · {acts[name].size}")
        st.caption(LAYER_TEXT[name][which])
        st.plotly_chart(figures.vector_strip(acts[name], f"{name}: {acts[name].size} units"), key=f"maps_{name}")


def output_layer(model: lenet.LeNet5, prediction: lenet.Prediction) -> None:
    st.subheader("OUTPUT · 10")
    if model.variant == "paper":
        st.caption("Ten Euclidean RBF units: y_i = Σ_j (F6_j − w_ij)², the squared distance from F6 to digit i's "
                   "bitmap. The smallest distance wins.")
        st.plotly_chart(figures.distance_bars(prediction.output), key="maps_output")
        f6_against_bitmaps(prediction)
    else:
        st.caption("Ten linear units (logits), turned into probabilities by softmax. The largest wins.")
        st.plotly_chart(figures.probability_bars(prediction.probabilities), key="maps_output")


def f6_against_bitmaps(prediction: lenet.Prediction) -> None:
    """F6's 84 values as a 7x12 picture beside the ten bitmaps it is compared with."""
    bitmaps = lenet.rbf_bitmaps()
    f6 = prediction.activations["F6"].reshape(12, 7) / lenet.SQUASH_A
    images = np.concatenate([f6[None], bitmaps])
    titles = ["F6"] + [f"{d}: {prediction.output[d]:.0f}" for d in range(10)]
    st.plotly_chart(figures.bitmap_row(images, titles), key="maps_bitmaps")
    st.caption("Left: F6's 84 values drawn as 7x12. Right: the ten bitmaps, with F6's distance to each. The "
               "paper shows its bitmaps only as a figure; these were drawn for this app in the same spirit.")


def unit_picker(model: lenet.LeNet5, acts: dict) -> None:
    """Pick one unit: its receptive field, the kernels that made it, and its arithmetic."""
    st.header("One unit, taken apart")
    layer = st.selectbox("Layer", lenet.LAYER_NAMES, key=UNIT_LAYER)
    shape = acts[layer].shape
    cols = st.columns(3)
    if len(shape) == 3:
        index = cols[0].number_input("Map", 0, shape[0] - 1, 0, key=UNIT_MAP)
        row = cols[1].number_input("Row", 0, shape[1] - 1, shape[1] // 2, key=UNIT_ROW)
        col = cols[2].number_input("Column", 0, shape[2] - 1, shape[2] // 2, key=UNIT_COL)
        unit = (int(index), int(row), int(col))
    else:
        unit = (int(cols[0].number_input("Unit", 0, shape[0] - 1, 0, key=UNIT_MAP)),)
        row = col = 0
    arithmetic = lenet.unit_arithmetic(model, acts, layer, unit)
    top, left, size = lenet.receptive_field(model, layer, int(row), int(col))
    a, b = st.columns([1, 1.4])
    with a:
        st.plotly_chart(figures.image_with_box(acts["INPUT"][0], top, left, size,
                                               f"Receptive field: {size}x{size} input pixels"), key="maps_field")
    with b:
        unit_arithmetic_panel(arithmetic, acts[layer][unit])


def unit_arithmetic_panel(u: lenet.UnitArithmetic, shown_value: float) -> None:
    where = ", ".join(map(str, u.unit))
    st.markdown(f"**{u.layer} unit ({where})**")
    if u.weights is not None and u.inputs.ndim == 3:
        maps = u.input_maps
        titles = [f"kernel on map {m}" for m in maps] if u.layer in ("C1", "C3") else [f"map {m}" for m in maps]
        st.plotly_chart(figures.bitmap_row(u.weights, titles, height=150), key="maps_unit_kernels")
        if u.layer == "C3" and len(maps) < 6:
            st.caption(f"Table I connects this C3 map to S2 maps {maps} only; the others are left out.")
    st.code(
        f"weighted sum   {u.formula}\n"
        f"activation     {u.activation}\n"
        f"value          {u.value:.6f}\n"
        f"in the map     {float(shown_value):.6f}",
        language=None,
    )


def learned_kernels(model: lenet.LeNet5) -> None:
    st.header("The learned kernels")
    c1 = lenet.core_layer(model.c1).weight.detach().numpy()[:, 0]  # (6, 5, 5)
    st.plotly_chart(figures.bitmap_row(c1, [f"C1 map {i}" for i in range(6)], height=160), key="maps_c1_kernels")
    grid = lenet.c3_kernel_grid(model).reshape(6 * 16, 5, 5)  # row-major: S2 map, then C3 map
    st.plotly_chart(figures.map_grid(grid, 16, "layer", height=330,
                                     title="C3 kernels: rows are S2 maps 0-5, columns C3 maps 0-15 (blank: not connected)"),
                    key="maps_c3_kernels")


def page() -> None:
    st.title("Feature maps")
    state.variant_badge()
    st.markdown("What each layer computes from the current digit, from the 32x32 input to the ten outputs. "
                "Hover over a map to read any unit's value.")
    model, error = state.trained_model(state.variant())
    if error:
        state.weights_error(error)
        return
    current = state.current_input()
    prediction = state.current_prediction(model, current)
    if prediction is None:
        st.info(current.error or "No digit yet: draw one on the Draw & classify page, or pick an MNIST digit "
                "or an upload in the sidebar.", icon=":material/draw:")
        return
    st.metric("Prediction", str(prediction.digit), f"{prediction.confidence:.1%} confident", delta_color="off")
    scale = st.radio("Colour scale", ["layer", "map"], horizontal=True, key=SCALE,
                     format_func={"layer": "one scale per layer (compare maps)",
                                  "map": "each map on its own scale (see faint maps)"}.get)
    layer_maps(prediction.activations, model.variant, scale)
    output_layer(model, prediction)
    unit_picker(model, prediction.activations)
    learned_kernels(model)


page()
