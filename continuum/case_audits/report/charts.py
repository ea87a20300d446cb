"""The report's one kind of chart not in ``performance.charts``: horizontal stacked bars
(a council's cases by grade), in the same house style (decision 0003): server-side SVG,
GOV.UK colours, and each series told apart by its hatching as well as its colour."""

from __future__ import annotations

from collections.abc import Sequence

from matplotlib.patches import Patch

from continuum.performance import charts

# Best grade first: green to red, each with its own hatching (not colour alone).
GRADE_COLOURS = (charts.GREEN, charts.BLUE, charts.ORANGE, charts.RED, charts.PURPLE)
HATCHES = ("", "//", "..", "xx", "\\\\")


def stacked_bar_chart(
    *,
    title: str,
    categories: Sequence[str],
    series: Sequence[str],
    values: Sequence[Sequence[int | None]],
    x_label: str,
) -> str:
    """One bar per category (``values[i]``: its count in each series, ``None`` where the
    count is suppressed: not drawn, and the bar says so)."""
    data = [list(row) for row in values]
    return charts.cached_svg(
        "case-audit-stacked-bars",
        [title, list(categories), list(series), data, x_label],
        lambda: _draw(title, categories, series, data, x_label),
    )


def _draw(
    title: str,
    categories: Sequence[str],
    series: Sequence[str],
    values: Sequence[Sequence[int | None]],
    x_label: str,
) -> str:
    wrapped = [charts.wrap_category(c) for c in categories]
    longest = max((len(line) for label in wrapped for line in label.split("\n")), default=0)
    margins = charts.Margins(
        left=0.3 + charts.CHAR_INCHES * longest, right=charts.legend_inches(series)
    )
    height = max(2.4, 1.3 + 0.45 * len(categories))
    figure, axes = charts.new_figure(height=height, margins=margins)
    charts.style_axes(axes, title=title, x_label=x_label)
    axes.grid(True, axis="x", color=charts.MID_GREY, linewidth=0.6, alpha=0.7)
    axes.grid(False, axis="y")
    widest = 1
    for y, row in enumerate(values):
        left = 0
        for n, value in enumerate(row):
            if not value:
                continue
            axes.barh(
                y,
                value,
                left=left,
                height=0.7,
                color=GRADE_COLOURS[n % len(GRADE_COLOURS)],
                hatch=HATCHES[n % len(HATCHES)],
                edgecolor="white",
            )
            left += value
        if any(value is None for value in row):
            axes.annotate(
                "[c] not drawn",
                (left, y),
                xytext=(4, 0),
                textcoords="offset points",
                va="center",
                fontsize=charts.FONT_SIZE - 1,
            )
        widest = max(widest, left)
    axes.set_yticks(list(range(len(categories))))
    axes.set_yticklabels(wrapped)
    axes.invert_yaxis()
    axes.set_xlim(0, widest * 1.25)
    axes.legend(
        handles=[
            Patch(
                facecolor=GRADE_COLOURS[n % len(GRADE_COLOURS)],
                hatch=HATCHES[n % len(HATCHES)],
                edgecolor="white",
                label=label,
            )
            for n, label in enumerate(series)
        ],
        loc="upper left",
        bbox_to_anchor=(1.01, 1.0),
        frameon=False,
        fontsize=charts.FONT_SIZE - 1,
    )
    return charts.figure_to_svg(figure)
