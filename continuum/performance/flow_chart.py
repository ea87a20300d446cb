"""The continuum flow drawn as a Sankey diagram: an SVG made on the server with matplotlib.

Stages stand in columns (left to right, as the child moves on), each a bar as tall as the
children who reached it; a band joins two stages, as wide as the children who went straight
from one to the other. Bands are cubic Bézier shapes (matplotlib paths). Labels name each
stage with its count. The page shows the same numbers in a table. Colours, SVG output, the
chart cache and the ``<img>`` come from ``charts.py``, shared by every chart.
"""

from __future__ import annotations

import textwrap
from dataclasses import dataclass

from matplotlib.figure import Figure
from matplotlib.patches import PathPatch, Rectangle
from matplotlib.path import Path

from continuum.performance.charts import (
    BLACK,
    BLUE,
    DARK_GREY,
    GREEN,
    PURPLE,
    RED,
    cached_svg,
    figure_to_svg,
)
from continuum.performance.flow import Flow, Node

# One colour family per kind of stage (GOV.UK Design System colours, from charts.py).
TONES = {
    "front_door": BLUE,
    "neutral": DARK_GREY,
    "early_help": GREEN,
    "partner": PURPLE,
    "statutory": RED,
}
TEXT = BLACK

# Geometry in points (1/72 inch): the figure is drawn at this size, and shown scaled to
# the page's column (960 px at most, about 0.72 of its 1,333 px), so a label of
# ``FONT_SIZE`` points reads at about 12.5 px.
WIDTH = 1000.0
FLOW_HEIGHT = 520.0  # height shared by the bars of the fullest column
GAP = 62.0  # between bars in a column: room for a label of up to four lines
BAR = 10.0
MARGIN = 30.0
FONT_SIZE = 13.0
LABEL_CHARS = 15
# The columns after early help stand closer together: their labels wrap narrower.
NARROW_LABEL_CHARS = 12
NARROW_FROM_COLUMN = 4


@dataclass
class _Bar:
    node: Node
    x: float
    top: float
    height: float
    out_at: float = 0.0  # where the next outgoing band leaves, from the top
    in_at: float = 0.0  # where the next incoming band arrives


def _layout(flow: Flow) -> tuple[dict[str, _Bar], float]:
    columns = sorted({node.column for node in flow.nodes})
    by_column = {c: [n for n in flow.nodes if n.column == c] for c in columns}
    # One scale for every column, so that equal widths mean equal numbers of children.
    biggest = max(sum(n.value for n in nodes) for nodes in by_column.values())
    scale = FLOW_HEIGHT / biggest
    tallest = max(
        sum(n.value for n in nodes) * scale + GAP * (len(nodes) - 1) for nodes in by_column.values()
    )
    height = tallest + 2 * MARGIN
    step = (WIDTH - 2 * MARGIN - 190.0) / max(1, len(columns) - 1)
    bars: dict[str, _Bar] = {}
    for index, column in enumerate(columns):
        nodes = by_column[column]
        used = sum(n.value for n in nodes) * scale + GAP * (len(nodes) - 1)
        top = MARGIN + (tallest - used) / 2
        x = MARGIN + index * step
        for node in nodes:
            bar_height = max(node.value * scale, 1.0)
            bars[node.key] = _Bar(node, x, top, bar_height)
            top += bar_height + GAP
    return bars, height


def _band(x0: float, y0: float, x1: float, y1: float, width: float) -> Path:
    """A band of ``width`` from the top point (x0, y0) to the top point (x1, y1)."""
    middle = (x0 + x1) / 2
    vertices = [
        (x0, y0),
        (middle, y0),
        (middle, y1),
        (x1, y1),
        (x1, y1 + width),
        (middle, y1 + width),
        (middle, y0 + width),
        (x0, y0 + width),
        (x0, y0),
    ]
    codes = [
        Path.MOVETO,
        Path.CURVE4,
        Path.CURVE4,
        Path.CURVE4,
        Path.LINETO,
        Path.CURVE4,
        Path.CURVE4,
        Path.CURVE4,
        Path.CLOSEPOLY,
    ]
    return Path(vertices, codes)


def sankey_svg(flow: Flow) -> str:
    """The flow as an SVG document (a string); empty string when there is nothing to draw."""
    if not flow.nodes:
        return ""
    data = {
        "nodes": [(n.key, n.value) for n in flow.nodes],
        "links": [(lk.source, lk.target, lk.value) for lk in flow.links],
    }
    return cached_svg("sankey", data, lambda: figure_to_svg(sankey_figure(flow)))


def sankey_figure(flow: Flow) -> Figure:
    """The Sankey diagram of a flow with at least one stage, as a matplotlib figure."""
    bars, height = _layout(flow)
    scale = FLOW_HEIGHT / max(
        sum(n.value for n in flow.nodes if n.column == c) for c in {n.column for n in flow.nodes}
    )
    figure = Figure(figsize=(WIDTH / 72, height / 72), dpi=72)
    axes = figure.add_axes((0, 0, 1, 1))
    axes.set_xlim(0, WIDTH)
    axes.set_ylim(height, 0)
    axes.axis("off")

    # Bands: leave each source bar top-down in the order of their targets, and arrive at
    # each target in the order of their sources, so bands do not cross at the bars.
    for link in sorted(flow.links, key=lambda lk: (bars[lk.source].top, bars[lk.target].top)):
        source, target = bars[link.source], bars[link.target]
        width = link.value * scale
        path = _band(
            source.x + BAR, source.top + source.out_at, target.x, target.top + target.in_at, width
        )
        source.out_at += width
        target.in_at += width
        axes.add_patch(
            PathPatch(path, facecolor=TONES[source.node.tone], edgecolor="none", alpha=0.28)
        )

    last_column = max(n.column for n in flow.nodes)
    for bar in bars.values():
        colour = TONES[bar.node.tone]
        axes.add_patch(Rectangle((bar.x, bar.top), BAR, bar.height, facecolor=colour))
        chars = LABEL_CHARS if bar.node.column < NARROW_FROM_COLUMN else NARROW_LABEL_CHARS
        label = "\n".join(textwrap.wrap(bar.node.label, chars))
        text = f"{label}: {bar.node.value:,}"
        on_left = bar.node.column == last_column and bar.x > WIDTH - 200
        axes.text(
            bar.x - 4 if on_left else bar.x + BAR + 4,
            bar.top + bar.height / 2,
            text,
            ha="right" if on_left else "left",
            va="center",
            fontsize=FONT_SIZE,
            color=TEXT,
            bbox={"facecolor": "white", "edgecolor": "none", "alpha": 0.75, "pad": 1.0},
        )
    return figure
