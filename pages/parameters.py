"""Parameters & architecture: where LeNet-5's weights and computation are, read off the live model."""

import streamlit as st

import lenet
from ui import figures, state

COLUMNS = {"name": "layer", "kind": "kind", "output_shape": "output", "weights": "weights", "biases": "biases",
           "trainable_params": "trainable parameters", "connections": "connections", "formula": "formula"}


def table_rows(summary: dict) -> list[dict]:
    rows = [{COLUMNS[k]: ("x".join(map(str, v)) if k == "output_shape" else v)
             for k, v in layer.items() if k in COLUMNS} for layer in summary["layers"]]
    rows.append({"layer": "total", "trainable parameters": summary["trainable_params"],
                 "connections": summary["connections"],
                 "formula": f"+ {summary['fixed_params']:,} fixed RBF weights" if summary["fixed_params"] else ""})
    return rows


def architecture_at_a_glance(summary: dict) -> None:
    st.subheader("Architecture at a glance")
    shapes = [("INPUT", lenet.INPUT_SHAPE)] + [(layer["name"], layer["output_shape"]) for layer in summary["layers"]]
    blocks = []
    for name, shape in shapes:
        maps, size = (shape[0], shape[1]) if len(shape) == 3 else (0, shape[0])
        label = f"{maps}@{size}x{size}" if maps else f"{size} units"
        blocks.append({"name": name, "maps": maps, "size": size, "label": label})
    st.plotly_chart(figures.architecture(blocks), key="params_architecture")
    st.caption("Drawn from the live model, in the style of the paper's Figure 2. Explore each part:")
    links = st.columns(3)
    links[0].page_link("pages/feature_maps.py", label="C1 to F6: the feature maps", icon=":material/layers:")
    links[1].page_link("pages/c3_connections.py", label="C3: the connection table", icon=":material/hub:")
    links[2].page_link("pages/draw.py", label="Input and output: draw a digit", icon=":material/draw:")


def side_by_side() -> None:
    st.subheader("Paper and modern side by side")
    tables = {v: state.summary(v)["layers"] for v in lenet.VARIANTS}
    names = [layer["name"] for layer in tables["paper"]]
    params = {v: [layer["trainable_params"] for layer in rows] for v, rows in tables.items()}
    connections = {v: [layer["connections"] for layer in rows] for v, rows in tables.items()}
    left, right = st.columns(2)
    left.plotly_chart(figures.per_layer_bars(names, params, "Trainable parameters"), key="params_bars")
    right.plotly_chart(figures.per_layer_bars(names, connections, "Connections"), key="params_connections")
    paper = {layer["name"]: layer for layer in tables["paper"]}
    total_p = sum(params["paper"])
    total_c = sum(connections["paper"])
    st.markdown(
        f"In the paper's LeNet-5, **C5 holds {paper['C5']['trainable_params'] / total_p:.0%} of the parameters** "
        f"while C1 and C3 together do **{(paper['C1']['connections'] + paper['C3']['connections']) / total_c:.0%} of the "
        "multiply-adds**: convolutions share a few weights over many positions, fully connected layers do not."
    )


def fully_connected_comparison(variant: str, summary: dict) -> None:
    st.subheader("What weight sharing saves")
    rows = lenet.fully_connected_equivalent(state.architecture(variant))
    total = sum(p for _, _, p in rows)
    lenet_total = summary["trainable_params"]
    st.dataframe([{"layer": name, "units": units, "parameters if fully connected": params}
                  for name, units, params in rows], hide_index=True)
    st.markdown(f"A fully connected network with the same layer sizes would need **{total:,} parameters**, "
                f"{total / lenet_total:.0f} times LeNet-5's {lenet_total:,}: each C1 unit would have its own "
                "1,024 weights instead of sharing one 5x5 kernel across the map.")


def page() -> None:
    st.title("Parameters & architecture")
    state.variant_badge()
    variant = state.variant()
    summary = state.summary(variant)
    st.markdown("Every number here is computed from the model's tensors, not typed in.")
    architecture_at_a_glance(summary)
    st.subheader(f"Layer table: {lenet.variant_class(variant).title}")
    st.dataframe(table_rows(summary), hide_index=True, key="params_table")
    fixed = f" and {summary['fixed_params']:,} fixed RBF weights" if summary["fixed_params"] else ""
    st.metric("Trainable parameters", f"{summary['trainable_params']:,}",
              f"{summary['connections']:,} connections{fixed}", delta_color="off")
    side_by_side()
    fully_connected_comparison(variant, summary)


page()
