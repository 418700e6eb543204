"""Figure builders that several pages share. They take numpy arrays and return plotly figures.

Maps are drawn as one heatmap per layer: the layer's maps tiled into a mosaic with blank
gaps, which renders far faster than a subplot per map and keeps hover values per unit.
"""

import numpy as np
import plotly.graph_objects as go

DIGITS = [str(d) for d in range(10)]
SIGNED = "RdBu_r"  # diverging, white at zero: for signed values (tanh maps, kernels)
UNSIGNED = "Greys"  # white to black: for images and ReLU maps
INK = "#1f77b4"
HIGHLIGHT = "#d62728"


def compact(fig: go.Figure, height: int, **layout) -> go.Figure:
    layout.setdefault("margin", dict(l=10, r=10, t=30, b=10))
    fig.update_layout(height=height, **layout)
    return fig


def pixels(image: np.ndarray, size: int = 112) -> np.ndarray:
    """A small image in [0, 1] enlarged with hard pixel edges, as uint8 for st.image."""
    factor = max(1, size // max(image.shape))
    big = np.kron(np.clip(image, 0, 1), np.ones((factor, factor)))
    return (big * 255).astype(np.uint8)


def digit_bars(values: np.ndarray, best: int, hover: str, title: str) -> go.Figure:
    """One bar per digit, the winning digit in red."""
    colours = [HIGHLIGHT if d == best else INK for d in range(10)]
    fig = go.Figure(go.Bar(x=DIGITS, y=values, marker_color=colours, hovertemplate=hover + "<extra></extra>"))
    fig.update_xaxes(type="category", title="digit")
    return compact(fig, 260, title=title)


def probability_bars(probabilities: np.ndarray, title: str = "Probability of each digit") -> go.Figure:
    fig = digit_bars(probabilities, int(np.argmax(probabilities)), "digit %{x}: %{y:.1%}", title)
    fig.update_yaxes(range=[0, 1], tickformat=".0%")
    return fig


def distance_bars(distances: np.ndarray) -> go.Figure:
    return digit_bars(distances, int(np.argmin(distances)), "digit %{x}: distance %{y:.1f}",
                      "RBF distance of F6 to each digit's bitmap (smaller wins)")


def mosaic(maps: np.ndarray, columns: int, scale: str) -> tuple[np.ndarray, np.ndarray, np.ndarray, float, float]:
    """Tile (C, H, W) maps into one grid with one-pixel gaps.

    Returns (shown values, raw values, map index of each cell (-1 in gaps), zmin, zmax). With
    scale "map", each map is stretched to its own range [-1, 1] (or [0, 1] if non-negative);
    with "layer", all share one range.
    """
    c, h, w = maps.shape
    rows = -(-c // columns)
    raw = np.full((rows * (h + 1) - 1, columns * (w + 1) - 1), np.nan)
    shown = raw.copy()
    index = np.full(raw.shape, -1)
    signed = bool((maps < 0).any())
    for i, m in enumerate(maps):
        r, col = divmod(i, columns)
        y, x = r * (h + 1), col * (w + 1)
        raw[y : y + h, x : x + w] = m
        index[y : y + h, x : x + w] = i
        if scale == "map":
            peak = float(np.abs(m).max()) or 1.0
            shown[y : y + h, x : x + w] = m / peak
        else:
            shown[y : y + h, x : x + w] = m
    if scale == "map":
        return shown, raw, index, (-1.0 if signed else 0.0), 1.0
    peak = float(np.nanmax(np.abs(raw))) or 1.0
    return shown, raw, index, (-peak if signed else 0.0), peak


def map_grid(maps: np.ndarray, columns: int, scale: str = "layer", height: int | None = None,
             title: str | None = None) -> go.Figure:
    """A layer's feature maps side by side, hover showing map, row, column and value."""
    c, h, w = maps.shape
    shown, raw, index, zmin, zmax = mosaic(maps, columns, scale)
    ys, xs = np.indices(raw.shape)
    custom = np.stack([raw, index, ys % (h + 1), xs % (w + 1)], axis=-1)
    colours = SIGNED if zmin < 0 else UNSIGNED
    fig = go.Figure(go.Heatmap(
        z=shown, zmin=zmin, zmax=zmax, colorscale=colours, customdata=custom, showscale=scale == "layer",
        hovertemplate="map %{customdata[1]}, row %{customdata[2]}, col %{customdata[3]}: "
                      "%{customdata[0]:.3f}<extra></extra>",
        hoverongaps=False,
    ))
    fig.update_yaxes(autorange="reversed", scaleanchor="x", showticklabels=False, showgrid=False, zeroline=False)
    fig.update_xaxes(showticklabels=False, showgrid=False, zeroline=False)
    rows = -(-c // columns)
    return compact(fig, height or max(160, min(520, 80 + rows * 900 // columns)), title=title,
                   plot_bgcolor="white")


def vector_strip(values: np.ndarray, title: str, signed: bool | None = None) -> go.Figure:
    """A vector (C5's 120 or F6's 84 units) as bars, one per unit."""
    signed = bool((values < 0).any()) if signed is None else signed
    fig = go.Figure(go.Bar(
        x=np.arange(len(values)), y=values,
        marker=dict(color=values, colorscale=SIGNED if signed else UNSIGNED, cmid=0 if signed else None),
        hovertemplate="unit %{x}: %{y:.3f}<extra></extra>",
    ))
    fig.update_xaxes(title="unit")
    return compact(fig, 200, title=title)


def image_with_box(image: np.ndarray, top: int, left: int, size: int, title: str) -> go.Figure:
    """An input image with a rectangle around a receptive field."""
    fig = go.Figure(go.Heatmap(z=image, colorscale=SIGNED if image.min() < 0 else UNSIGNED, showscale=False,
                               hovertemplate="row %{y}, col %{x}: %{z:.3f}<extra></extra>"))
    fig.add_shape(type="rect", x0=left - 0.5, x1=left + size - 0.5, y0=top - 0.5, y1=top + size - 0.5,
                  line=dict(color=HIGHLIGHT, width=3))
    fig.update_yaxes(autorange="reversed", scaleanchor="x", showticklabels=False)
    fig.update_xaxes(showticklabels=False)
    return compact(fig, 300, title=title)


def bitmap_row(images: np.ndarray, titles: list[str], height: int = 170) -> go.Figure:
    """Several small signed images side by side with a caption above each (bitmaps, kernels)."""
    n, _, w = images.shape
    shown, _, _, zmin, zmax = mosaic(images, n, "layer")
    fig = go.Figure(go.Heatmap(z=shown, zmin=zmin, zmax=zmax, colorscale=SIGNED, showscale=False, hoverongaps=False,
                               hovertemplate="%{z:.3f}<extra></extra>"))
    for i, text in enumerate(titles):
        fig.add_annotation(x=i * (w + 1) + (w - 1) / 2, y=-1, text=text, showarrow=False, yanchor="bottom")
    fig.update_yaxes(autorange="reversed", scaleanchor="x", showticklabels=False, showgrid=False, zeroline=False)
    fig.update_xaxes(showticklabels=False, showgrid=False, zeroline=False)
    return compact(fig, height, plot_bgcolor="white")


C3_GROUPS = [(0, 5, "3 contiguous S2 maps"), (6, 11, "4 contiguous"), (12, 14, "4 non-contiguous"), (15, 15, "all 6")]


def connection_table(table: np.ndarray, selected: int | None = None) -> go.Figure:
    """Table I as a grid: S2 maps as rows, C3 maps as columns, a filled cell where connected."""
    z = table.astype(float)
    fig = go.Figure(go.Heatmap(
        z=z, x=[str(i) for i in range(table.shape[1])], y=[f"S2 {i}" for i in range(table.shape[0])],
        colorscale=[[0, "#f4f4f4"], [1, INK]], zmin=0, zmax=1, showscale=False, xgap=2, ygap=2,
        hovertemplate="C3 map %{x}, %{y}: %{z}<extra>1 = connected</extra>",
    ))
    for first, last, text in C3_GROUPS:
        fig.add_annotation(x=(first + last) / 2, y=-0.9, text=text, showarrow=False, yanchor="bottom",
                           font=dict(size=11))
        if first:
            fig.add_vline(x=first - 0.5, line=dict(color="#333", width=2))
    if selected is not None:
        fig.add_shape(type="rect", x0=selected - 0.5, x1=selected + 0.5, y0=-0.5, y1=table.shape[0] - 0.5,
                      line=dict(color=HIGHLIGHT, width=3))
    fig.update_yaxes(autorange="reversed")
    fig.update_xaxes(title="C3 map", type="category", side="bottom")
    return compact(fig, 300, margin=dict(l=10, r=10, t=40, b=10))


def per_layer_bars(names: list[str], series: dict[str, list[int]], title: str) -> go.Figure:
    """Grouped bars per layer on a log scale, one series per variant."""
    fig = go.Figure([
        go.Bar(name=label, x=names, y=[v if v > 0 else None for v in values],
               text=[f"{v:,}" for v in values], textposition="outside",
               hovertemplate="%{x}: %{y:,}<extra>" + label + "</extra>")
        for label, values in series.items()
    ])
    fig.update_yaxes(type="log", title=title)
    return compact(fig, 340, title=title + " per layer (log scale)", barmode="group")


def architecture(rows: list[dict]) -> go.Figure:
    """LeNet-5 as in the paper's Figure 2: one block per layer, a stack of its maps, its size below.

    Each row: {"name", "maps", "size" (side of a map, or units), "label"}.
    """
    fig = go.Figure()
    x = 0.0
    for row in rows:
        side = 1.2 + 2.8 * min(row["size"], 32) / 32 if row["maps"] else 0.35
        height = side if row["maps"] else 1.2 + 3.0 * min(row["size"], 120) / 120
        shown = min(row["maps"] or 1, 6)
        for k in range(shown):  # a stack of sheets, offset like the paper's drawing
            dx, dy = 0.12 * k, 0.12 * k
            fig.add_shape(type="rect", x0=x + dx, x1=x + dx + (side if row["maps"] else 0.35),
                          y0=-height / 2 + dy, y1=height / 2 + dy,
                          line=dict(color="#333", width=1), fillcolor="#dbe9f6" if row["maps"] else "#f6e2cf")
        fig.add_annotation(x=x + side / 2, y=-height / 2 - 0.35, text=row["label"], showarrow=False, yanchor="top",
                           font=dict(size=11))
        fig.add_annotation(x=x + side / 2, y=height / 2 + 0.9, text=f"<b>{row['name']}</b>", showarrow=False)
        x += side + 0.12 * shown + 0.9
    fig.update_xaxes(visible=False, range=[-0.3, x])
    fig.update_yaxes(visible=False, range=[-3.6, 3.3], scaleanchor="x")
    return compact(fig, 300, plot_bgcolor="white")
