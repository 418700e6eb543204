"""Draw & classify: draw a digit, see what LeNet-5 makes of it and what it was shown."""

import streamlit as st
from streamlit_drawable_canvas import st_canvas

import lenet
from ui import figures, state
from ui.sidebar import STROKE_WIDTH

CANVAS_SIZE = 280
CANVAS_VERSION = "draw_canvas_version"  # bumped by "Clear" to mount a fresh, empty canvas
CANVAS_JSON = "draw_json"  # the strokes, to redraw them when the student comes back to this page
CANVAS_INITIAL = "draw_initial"


def clear_canvas() -> None:
    st.session_state[CANVAS_VERSION] = st.session_state.get(CANVAS_VERSION, 0) + 1
    st.session_state[state.DRAWING] = None
    st.session_state[CANVAS_JSON] = None
    st.session_state[CANVAS_INITIAL] = None


def canvas() -> None:
    """The drawing canvas. On mouse-up it sends its image and Streamlit reruns this page."""
    key = f"draw_canvas_{st.session_state.get(CANVAS_VERSION, 0)}"
    if key not in st.session_state:  # (re)mounting, e.g. back from another page: redraw the strokes
        st.session_state[CANVAS_INITIAL] = st.session_state.get(CANVAS_JSON)
    result = st_canvas(
        stroke_width=st.session_state.get(STROKE_WIDTH, 22),
        stroke_color="#FFFFFF",
        background_color="#000000",
        height=CANVAS_SIZE,
        width=CANVAS_SIZE,
        drawing_mode="freedraw",
        initial_drawing=st.session_state.get(CANVAS_INITIAL),
        return_image_data=True,
        key=key,
    )
    if result.image_data is not None:  # None until the first stroke; tests seed DRAWING instead
        st.session_state[state.DRAWING] = result.image_data
        st.session_state[CANVAS_JSON] = result.json_data
    st.button("Clear", on_click=clear_canvas, icon=":material/ink_eraser:")


def prediction_panel(model: lenet.LeNet5, current: state.InputState) -> None:
    prediction = state.current_prediction(model, current)
    if prediction is None:
        st.info("The canvas is blank: draw one digit, 0 to 9, filling most of the square."
                if current.prep is not None and current.prep.blank else current.caption, icon=":material/draw:")
        return
    label = f", true label {current.label}" if current.label is not None else ""
    st.metric("Prediction", str(prediction.digit), f"{prediction.confidence:.1%} confident{label}", delta_color="off")
    st.plotly_chart(figures.probability_bars(prediction.probabilities), key="draw_probabilities")
    if model.variant == "paper":
        st.plotly_chart(figures.distance_bars(prediction.output), key="draw_distances")
        st.caption("Each output unit measures the squared distance between F6's 84 values and a 7x12 "
                   "bitmap of its digit; the closest bitmap wins, and the probabilities are softmax(-distance).")


def what_the_network_sees(current: state.InputState) -> None:
    st.subheader("What the network sees")
    if current.prep is None or current.prep.blank:
        st.caption("Nothing yet: the steps appear once there is a digit.")
        return
    captions, images = zip(*current.prep.steps, strict=True)
    st.image([figures.pixels(img) for img in images], caption=list(captions), width=112)
    st.caption("Like MNIST: crop to the ink, scale the longer side to 20 px (anti-aliased), centre the "
               "centre of mass in 28x28, pad to 32x32. A digit drawn small, thin or off-centre is "
               "normalised the same way; one drawn with a very different style may still fool it.")


def teacher_notes() -> None:
    with st.expander("For the teacher: what LeNet-5 is, in two minutes", expanded=False):
        st.markdown(
            "**LeNet-5** is the convolutional network that Yann LeCun, Léon Bottou, Yoshua Bengio and Patrick "
            "Haffner described in *Gradient-Based Learning Applied to Document Recognition* (Proc. IEEE, 1998). "
            "It read handwritten cheques in American banks.\n\n"
            "1. Your drawing is cropped, shrunk to 20 pixels, centred and padded to 32x32, like MNIST's digits.\n"
            "2. **C1** slides six 5x5 filters over it: six maps of edges and strokes.\n"
            "3. **S2** halves their size, so a stroke moved by a pixel looks the same.\n"
            "4. **C3** combines those maps into sixteen maps of larger shapes; **S4** halves them again.\n"
            "5. **C5** and **F6** turn the 16 small maps into 120 and then 84 numbers.\n"
            "6. The output compares those 84 numbers with each digit and picks the closest.\n\n"
            "Every weight was learned from 60,000 examples; no one wrote a rule for what a 7 looks like."
        )


def page() -> None:
    st.title("Draw & classify")
    state.variant_badge()
    model, error = state.trained_model(state.variant())
    left, right = st.columns([1, 1.3], gap="large")
    with left:
        drawing = st.session_state[state.SOURCE] == "draw"
        if drawing:
            canvas()  # first, so that the stroke that just ended is in session state
        current = state.current_input()
        if not drawing:
            st.caption(f"Input: {current.caption}. Choose **Draw** in the sidebar to draw your own.")
        if current.error:
            st.error(current.error, icon=":material/broken_image:")
    with right:
        if error:
            state.weights_error(error)
        else:
            prediction_panel(model, current)
    what_the_network_sees(current)
    teacher_notes()


page()
