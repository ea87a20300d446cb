"""The evaluation's balance chart: each covariate's standardised mean difference before
and after matching (a "love plot"), drawn server-side as SVG (decision 0003)."""

from __future__ import annotations

from continuum.performance.charts import Margins, cached_svg, figure_to_svg, new_figure, style_axes
from continuum.programmes.evaluation import BALANCED_SMD, Balance

BLUE = "#1d70b8"
ORANGE = "#f47738"


def balance_chart(balance: list[Balance]) -> str:
    data = [(b.label, round(b.before, 4), round(b.after, 4)) for b in balance]

    def render() -> str:
        height = 1.2 + 0.45 * len(data)
        figure, axes = new_figure(7.5, height, Margins(left=3.6, right=0.3, top=0.5, bottom=0.6))
        ys = list(range(len(data)))[::-1]
        axes.scatter([d[1] for d in data], ys, color=ORANGE, marker="o", label="Before matching")
        axes.scatter([d[2] for d in data], ys, color=BLUE, marker="s", label="After matching")
        for edge in (-BALANCED_SMD, BALANCED_SMD):
            axes.axvline(edge, color="#505a5f", linestyle="--", linewidth=0.8)
        axes.axvline(0, color="#0b0c0c", linewidth=0.8)
        axes.set_yticks(ys, [d[0] for d in data])
        style_axes(
            axes,
            title="Balance of the families before and after matching",
            x_label="Standardised mean difference (took part minus comparison)",
        )
        axes.legend(loc="lower right", fontsize=9, frameon=False)
        return figure_to_svg(figure)

    return cached_svg("programme-balance", data, render)
