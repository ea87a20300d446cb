"""Charts drawn on the server as SVG (decision 0003): a funnel plot, an SPC (XmR) chart,
a line chart and a bar chart, plus the house style every chart in the app shares.

- matplotlib's object API only (``Figure``, never ``pyplot``): no global figure state, so
  charts can be drawn in parallel threads. The one process-wide setting, made once at
  import and never changed, is the SVG output style (text as text, fonts, fixed ids).
- Colours from the GOV.UK Design System palette; a chart never tells things apart by colour
  alone (markers differ in shape too, lines in dash pattern).
- Each chart is returned as an SVG string; ``svg_img`` embeds it as a ``data:`` image,
  which the Content Security Policy allows (no inline script or style on the page) and
  WeasyPrint puts into a PDF unchanged. Every chart has a table alternative on its page.
- ``cached_svg`` keeps rendered charts in Django's cache under a hash of their data: the
  same numbers draw the same chart, so a busy dashboard draws each chart once.

For other charts (the Sankey in ``flow_chart.py``): ``new_figure``, ``style_axes``,
``figure_to_svg``, ``svg_img``, ``cached_svg`` and the colour constants below.
"""

from __future__ import annotations

import base64
import hashlib
import io
import json
import math
import textwrap
from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass
from xml.sax.saxutils import escape as xml_escape

import matplotlib
from django.core.cache import cache
from django.utils.html import format_html
from django.utils.safestring import SafeString
from matplotlib.axes import Axes
from matplotlib.figure import Figure
from matplotlib.lines import Line2D
from matplotlib.ticker import FuncFormatter

from continuum.performance.stats import funnel, spc

# Once, for the whole process: text stays text (smaller, faster, readable by screen
# readers that open the image, searchable), in the GOV.UK fallback fonts; element ids
# are derived from a fixed salt so the same chart is byte-for-byte the same SVG.
matplotlib.rcParams.update(
    {
        "svg.fonttype": "none",
        "svg.hashsalt": "continuum",
        "font.family": "sans-serif",
        "font.sans-serif": ["Arial", "Helvetica", "Liberation Sans", "DejaVu Sans"],
    }
)

# GOV.UK Design System colours.
BLACK = "#0b0c0c"
DARK_GREY = "#505a5f"
MID_GREY = "#b1b4b6"
LIGHT_GREY = "#f3f2f1"
BLUE = "#1d70b8"
DARK_BLUE = "#003078"
LIGHT_BLUE = "#5694ca"
GREEN = "#00703c"
RED = "#d4351c"
ORANGE = "#f47738"
PURPLE = "#4c2c92"
PINK = "#d53880"
BROWN = "#b58840"
TURQUOISE = "#28a197"

# Series in order: each with its own marker and dash so no series relies on colour.
SERIES_COLOURS = (BLUE, ORANGE, GREEN, PURPLE, PINK, BROWN, TURQUOISE, DARK_BLUE)
SERIES_MARKERS = ("o", "s", "^", "D", "v", "P", "X", "*")
SERIES_DASHES = ("-", "--", "-.", ":", "-", "--", "-.", ":")

WIDTH_INCHES = 9.0
HEIGHT_INCHES = 4.4
FONT_SIZE = 10
TITLE_SIZE = 12
# Rough widths of a character, in inches, for sizing margins to the labels in them.
CHAR_INCHES = FONT_SIZE / 72 * 0.55
TITLE_CHAR_INCHES = TITLE_SIZE / 72 * 0.6

CACHE_SECONDS = 60 * 60
CACHE_VERSION = "4"  # 4: line charts drawn as SVG directly (issue 16)


@dataclass(frozen=True)
class Margins:
    """Space around the axes, in inches: room for tick labels, axis labels, the title and a
    legend on the right. Fixed margins instead of matplotlib's constrained layout, which
    costs as much time as drawing the chart."""

    left: float = 0.9
    right: float = 0.3
    top: float = 0.5
    bottom: float = 0.6


def new_figure(
    width: float = WIDTH_INCHES, height: float = HEIGHT_INCHES, margins: Margins | None = None
) -> tuple[Figure, Axes]:
    """A white figure with one set of axes placed by ``margins``."""
    margins = margins or Margins()
    figure = Figure(figsize=(width, height), facecolor="white")
    figure.subplots_adjust(
        left=margins.left / width,
        right=1 - margins.right / width,
        top=1 - margins.top / height,
        bottom=margins.bottom / height,
    )
    axes = figure.add_subplot()
    return figure, axes


def legend_inches(labels: Sequence[str]) -> float:
    """Width of a legend of these labels beside the axes (marker, gap, text)."""
    return 0.8 + CHAR_INCHES * max((len(label) for label in labels), default=0)


def wrap_title(title: str, width_inches: float) -> str:
    """The title broken into lines that fit across the figure."""
    return "\n".join(textwrap.wrap(title, max(20, int(width_inches / TITLE_CHAR_INCHES))))


def style_axes(
    axes: Axes,
    *,
    title: str | None = None,
    x_label: str | None = None,
    y_label: str | None = None,
) -> None:
    """Light grid behind the data, no box, readable tick labels, black text; a long title
    wraps and the axes move down to make room for it."""
    for side in ("top", "right"):
        axes.spines[side].set_visible(False)
    for side in ("left", "bottom"):
        axes.spines[side].set_color(DARK_GREY)
    axes.tick_params(colors=BLACK, labelsize=FONT_SIZE)
    axes.grid(True, axis="y", color=MID_GREY, linewidth=0.6, alpha=0.7)
    axes.set_axisbelow(True)
    if title:
        figure = axes.get_figure()
        assert isinstance(figure, Figure)
        width, height = figure.get_size_inches()
        left = axes.get_position().x0 * width
        wrapped = wrap_title(title, width - left - 0.1)
        extra = wrapped.count("\n") * TITLE_SIZE / 72 * 1.25
        if extra:
            params = figure.subplotpars
            figure.subplots_adjust(top=params.top - extra / height)
        axes.set_title(wrapped, loc="left", fontsize=TITLE_SIZE, color=BLACK, fontweight="bold")
    if x_label:
        axes.set_xlabel(x_label, fontsize=FONT_SIZE, color=BLACK)
    if y_label:
        axes.set_ylabel(y_label, fontsize=FONT_SIZE, color=BLACK)


def figure_to_svg(figure: Figure) -> str:
    """The figure as a standalone SVG document (no date in it, so it is reproducible)."""
    buffer = io.StringIO()
    figure.savefig(buffer, format="svg", metadata={"Date": None})
    return buffer.getvalue()


def svg_img(svg: str, alt: str, *, css_class: str = "app-chart") -> SafeString:
    """``<img src="data:image/svg+xml;base64,..." alt="...">``: escaped, CSP-safe."""
    encoded = base64.b64encode(svg.encode("utf-8")).decode("ascii")
    return format_html(
        '<img class="{}" src="data:image/svg+xml;base64,{}" alt="{}">', css_class, encoded, alt
    )


def cached_svg(kind: str, data: object, render: Callable[[], str]) -> str:
    """``render()``'s SVG, from the cache when the same ``kind`` of chart was drawn from
    the same ``data`` (anything JSON can write; other values by their ``str``)."""
    payload = json.dumps([CACHE_VERSION, kind, data], sort_keys=True, default=str)
    key = "chart:" + hashlib.sha256(payload.encode("utf-8")).hexdigest()
    return str(cache.get_or_set(key, render, CACHE_SECONDS))


def number_formatter(unit: str | None) -> Callable[[float], str]:
    """How a value reads on an axis or in a sentence: 12.3%, 45.6 (per 10,000), 1,234."""
    if unit == "percent":
        return lambda v: f"{v:,.1f}%"
    if unit == "count":
        return lambda v: f"{v:,.0f}"
    return lambda v: f"{v:,.1f}"


def _axis_formatter(unit: str | None) -> FuncFormatter:
    if unit == "percent":
        return FuncFormatter(lambda v, _: f"{v:,.0f}%" if float(v).is_integer() else f"{v:,.1f}%")
    return FuncFormatter(lambda v, _: f"{v:,.0f}" if float(v).is_integer() else f"{v:,.1f}")


def _at_least_one_unit(axes: Axes) -> None:
    """A flat series (every value the same, say every month 0%) would get an axis of
    hundredths that all read alike ("0.0%" six times): widen it to one unit, from zero
    where the values are near zero."""
    low, high = axes.get_ylim()
    if high - low >= 1:
        return
    middle = (low + high) / 2
    if middle - 0.5 < 0 <= middle:
        axes.set_ylim(-0.05, 1.0)
    else:
        axes.set_ylim(middle - 0.5, middle + 0.5)


def _thin_ticks(axes: Axes, labels: Sequence[str], most: int = 12) -> None:
    step = max(1, math.ceil(len(labels) / most))
    positions = list(range(0, len(labels), step))
    axes.set_xticks(positions)
    axes.set_xticklabels(
        [labels[i] for i in positions], rotation=45, ha="right", rotation_mode="anchor"
    )
    axes.set_xlim(-0.5, len(labels) - 0.5)


def _legend(axes: Axes, handles: Sequence[Line2D], columns: int = 1) -> None:
    axes.legend(
        handles=list(handles),
        loc="upper left",
        bbox_to_anchor=(1.01, 1.0),
        frameon=False,
        fontsize=FONT_SIZE - 1,
        ncols=columns,
    )


# --- Funnel plot -----------------------------------------------------------------------


@dataclass(frozen=True)
class FunnelPoint:
    label: str
    volume: float
    value: float
    classification: str


# Classification -> (colour, marker, size, legend text). Shape and colour both differ.
FUNNEL_MARKERS: dict[str, tuple[str, str, float, str]] = {
    funnel.WITHIN: (BLUE, "o", 60, "Within the 95% limits"),
    funnel.ABOVE_95: (ORANGE, "^", 80, "Beyond the 95% limits"),
    funnel.BELOW_95: (ORANGE, "v", 80, "Beyond the 95% limits"),
    funnel.ABOVE_998: (RED, "D", 70, "Beyond the 99.8% limits"),
    funnel.BELOW_998: (RED, "D", 70, "Beyond the 99.8% limits"),
}


def funnel_chart(
    *,
    title: str,
    points: Sequence[FunnelPoint],
    target: float,
    kind: str,
    y_label: str,
    x_label: str,
    unit: str | None = None,
) -> str:
    """Each council's value against its volume, with the target and the 95% and 99.8%
    limits around it. Points are labelled with the council's name."""
    legend_space = legend_inches(
        [f"All councils ({number_formatter(unit)(target)})"]
        + [text for *_, text in FUNNEL_MARKERS.values()]
    )
    figure, axes = new_figure(margins=Margins(right=legend_space))
    style_axes(axes, title=title, x_label=x_label, y_label=y_label)
    volumes = funnel.curve_volumes([p.volume for p in points])
    limits = funnel.funnel_limits(kind, target, volumes)
    xs = [limit.volume for limit in limits]
    axes.axhline(target, color=BLACK, linewidth=1.4)
    for attr_low, attr_high, style, width in (
        ("lower95", "upper95", "--", 1.2),
        ("lower998", "upper998", ":", 1.6),
    ):
        for attr in (attr_low, attr_high):
            ys = [getattr(lm, attr) for lm in limits]
            axes.plot(xs, ys, color=DARK_GREY, ls=style, lw=width)
    shown: dict[str, tuple[str, str, float, str]] = {}
    for point in points:
        colour, marker, size, legend = FUNNEL_MARKERS[point.classification]
        axes.scatter(
            [point.volume],
            [point.value],
            s=size,
            c=colour,
            marker=marker,
            edgecolors=BLACK,
            linewidths=0.6,
            zorder=3,
        )
        shown.setdefault(legend, (colour, marker, size, legend))
        axes.annotate(
            point.label,
            (point.volume, point.value),
            xytext=(6, 5),
            textcoords="offset points",
            fontsize=FONT_SIZE,
            color=BLACK,
        )
    _funnel_axes(axes, points, limits, kind)
    axes.yaxis.set_major_formatter(_axis_formatter(unit))
    axes.xaxis.set_major_formatter(FuncFormatter(lambda v, _: f"{v:,.0f}"))
    fmt = number_formatter(unit)
    handles = [
        Line2D([], [], color=BLACK, lw=1.4, label=f"All councils ({fmt(target)})"),
        Line2D([], [], color=DARK_GREY, ls="--", lw=1.2, label="95% limits"),
        Line2D([], [], color=DARK_GREY, ls=":", lw=1.6, label="99.8% limits"),
    ]
    for colour, marker, _size, legend in shown.values():
        handles.append(
            Line2D([], [], ls="", marker=marker, color=colour, markeredgecolor=BLACK, label=legend)
        )
    _legend(axes, handles)
    return figure_to_svg(figure)


def _funnel_axes(
    axes: Axes, points: Sequence[FunnelPoint], limits: Sequence[funnel.Limits], kind: str
) -> None:
    values = [p.value for p in points]
    bounds = [lm.lower998 for lm in limits] + [lm.upper998 for lm in limits]
    low = min(values + bounds, default=0.0)
    high = max(values + bounds, default=1.0)
    pad = (high - low) * 0.08 or 1.0
    low, high = max(0.0, low - pad), high + pad
    if kind == funnel.PROPORTION:
        high = min(100.0, high)
    axes.set_ylim(low, high)
    axes.set_xlim(0, max([p.volume for p in points] + [lm.volume for lm in limits] + [1]))


# --- SPC (XmR) chart -------------------------------------------------------------------

# Variation -> (colour, marker, legend text): Making Data Count's colours (blue
# improvement, orange concern, purple neither, grey common cause) from the GOV.UK palette.
SPC_MARKERS: dict[str, tuple[str, str, str]] = {
    spc.COMMON_CAUSE: (MID_GREY, "o", "Common cause"),
    spc.IMPROVEMENT: (BLUE, "s", "Special cause: improvement"),
    spc.CONCERN: (ORANGE, "X", "Special cause: concern"),
    spc.NEITHER: (PURPLE, "D", "Special cause: neither better nor worse"),
}


def spc_chart(
    *,
    title: str,
    labels: Sequence[str],
    chart: spc.XmR,
    y_label: str,
    unit: str | None = None,
    baseline_label: str = "End of the baseline",
) -> str:
    """The XmR chart: values joined by a line, the mean, the process limits, the target
    if any; special-cause points coloured and shaped by their variation. A baseline
    shorter than the values is marked by a dotted line before its first point after,
    named ``baseline_label`` (e.g. the month a council joined a hub)."""
    texts = [text for _, _, text in SPC_MARKERS.values()] + [baseline_label]
    bottom = 0.35 + CHAR_INCHES * 0.75 * max((len(label) for label in labels), default=0)
    margins = Margins(right=legend_inches(texts), bottom=bottom)
    figure, axes = new_figure(margins=margins)
    style_axes(axes, title=title, y_label=y_label)
    xs = list(range(len(chart.values)))
    axes.plot(xs, chart.values, color=DARK_GREY, lw=1.2, zorder=2)
    fmt = number_formatter(unit)
    handles = [
        Line2D([], [], color=BLACK, lw=1.4, label=f"Average ({fmt(chart.mean)})"),
        Line2D([], [], color=DARK_GREY, ls="--", lw=1.2, label="Process limits"),
    ]
    axes.axhline(chart.mean, color=BLACK, lw=1.4, zorder=1)
    axes.axhline(chart.upper_limit, color=DARK_GREY, ls="--", lw=1.2, zorder=1)
    axes.axhline(chart.lower_limit, color=DARK_GREY, ls="--", lw=1.2, zorder=1)
    if chart.target is not None:
        axes.axhline(chart.target, color=RED, ls="-.", lw=1.4, zorder=1)
        handles.append(
            Line2D([], [], color=RED, ls="-.", lw=1.4, label=f"Target ({fmt(chart.target)})")
        )
    if chart.baseline < len(chart.values):
        axes.axvline(chart.baseline - 0.5, color=DARK_GREY, ls=":", lw=1.0)
        handles.append(Line2D([], [], color=DARK_GREY, ls=":", lw=1.0, label=baseline_label))
    for variation, (colour, marker, legend) in SPC_MARKERS.items():
        chosen = [p for p in chart.points if p.variation == variation]
        if not chosen:
            continue
        size = 28 if variation == spc.COMMON_CAUSE else 60
        axes.scatter(
            [p.index for p in chosen],
            [p.value for p in chosen],
            s=size,
            c=colour,
            marker=marker,
            edgecolors=BLACK if variation != spc.COMMON_CAUSE else DARK_GREY,
            linewidths=0.6,
            zorder=3,
        )
        handles.append(
            Line2D([], [], ls="", marker=marker, color=colour, markeredgecolor=BLACK, label=legend)
        )
    _thin_ticks(axes, labels)
    _at_least_one_unit(axes)
    axes.yaxis.set_major_formatter(_axis_formatter(unit))
    _legend(axes, handles)
    return figure_to_svg(figure)


# --- Line and bar charts ---------------------------------------------------------------


def line_chart(
    *,
    title: str,
    x_labels: Sequence[str],
    series: Mapping[str, Sequence[float | None]],
    y_label: str,
    unit: str | None = None,
) -> str:
    """One line per series over the same periods; gaps where a value is None.

    Written as SVG directly, not through matplotlib (issue 16): the partnership report
    draws one per indicator (twenty on a cold request) and matplotlib took about 0.2 s
    each on these machines; this takes a millisecond or two. Same house style: the same
    sizes and margins, colours, a marker shape and a dash pattern per series (never colour
    alone), text as text, thinned and slanted month labels, about six y ticks, a flat
    series widened to one unit, the legend on the right; the same data gives the same
    bytes."""
    return _LineChart(title, list(x_labels), dict(series), y_label, unit).svg()


# SVG dash patterns for the series' matplotlib line styles (in points, at width 1.6).
_SVG_DASHES = {"-": "", "--": "5.9,2.6", "-.": "9.6,2.4,1.6,2.4", ":": "1.6,2.6"}
_SVG_FONT = "Arial, Helvetica, &apos;Liberation Sans&apos;, &apos;DejaVu Sans&apos;, sans-serif"
POINTS_PER_INCH = 72.0


def _x(text: str) -> str:
    return xml_escape(text, {'"': "&quot;"})


def _n(value: float) -> str:
    """A coordinate, short and stable: two decimal places, no trailing zeros."""
    text = f"{value:.2f}".rstrip("0").rstrip(".")
    return "0" if text == "-0" else text


def _marker_path(marker: str, x: float, y: float, size: float) -> str:
    """The outline of a series marker centred on (x, y), ``size`` points across."""
    r = size / 2
    if marker == "o":
        return (
            f"M{_n(x - r)},{_n(y)}a{_n(r)},{_n(r)} 0 1,0 {_n(2 * r)},0"
            f"a{_n(r)},{_n(r)} 0 1,0 {_n(-2 * r)},0z"
        )
    if marker == "s":
        return f"M{_n(x - r)},{_n(y - r)}h{_n(2 * r)}v{_n(2 * r)}h{_n(-2 * r)}z"
    if marker == "^":
        return f"M{_n(x)},{_n(y - r)}L{_n(x + r)},{_n(y + r)}L{_n(x - r)},{_n(y + r)}z"
    if marker == "v":
        return f"M{_n(x)},{_n(y + r)}L{_n(x + r)},{_n(y - r)}L{_n(x - r)},{_n(y - r)}z"
    if marker == "D":
        return f"M{_n(x)},{_n(y - r)}L{_n(x + r)},{_n(y)}L{_n(x)},{_n(y + r)}L{_n(x - r)},{_n(y)}z"
    if marker in ("P", "X"):
        t = r / 3
        arms = [(-t, -r), (t, -r), (t, -t), (r, -t), (r, t), (t, t), (t, r), (-t, r)]
        arms += [(-t, t), (-r, t), (-r, -t), (-t, -t)]
        if marker == "X":
            c = math.sqrt(0.5)
            arms = [((a - b) * c, (a + b) * c) for a, b in arms]
        return "M" + "L".join(f"{_n(x + a)},{_n(y + b)}" for a, b in arms) + "z"
    # "*": a five-pointed star.
    points = []
    for i in range(10):
        radius = r if i % 2 == 0 else r * 0.45
        angle = math.pi / 2 + i * math.pi / 5
        points.append((x + radius * math.cos(angle), y - radius * math.sin(angle)))
    return "M" + "L".join(f"{_n(a)},{_n(b)}" for a, b in points) + "z"


def _nice_step(span: float, bins: int = 6) -> float:
    """A tick step of 1, 2, 2.5, 5 or 10 times a power of ten giving at most ``bins``."""
    raw = span / bins
    power = 10 ** math.floor(math.log10(raw))
    for multiple in (1, 2, 2.5, 5, 10):
        if raw <= multiple * power:
            return multiple * power
    return 10 * power


def _y_range(values: Sequence[float]) -> tuple[float, float]:
    """The axis's limits: the data with a twentieth of its span either side (as
    matplotlib's margins), at least one unit (``_at_least_one_unit``)."""
    if not values:
        return -0.05, 1.0
    low, high = min(values), max(values)
    pad = (high - low) * 0.05
    low, high = low - pad, high + pad
    if high - low >= 1:
        return low, high
    middle = (low + high) / 2
    if middle - 0.5 < 0 <= middle:
        return -0.05, 1.0
    return middle - 0.5, middle + 0.5


@dataclass
class _LineChart:
    title: str
    x_labels: list[str]
    series: dict[str, Sequence[float | None]]
    y_label: str
    unit: str | None

    def svg(self) -> str:
        width, height = WIDTH_INCHES * POINTS_PER_INCH, HEIGHT_INCHES * POINTS_PER_INCH
        longest = max((len(label) for label in self.x_labels), default=0)
        bottom = (0.35 + CHAR_INCHES * 0.75 * longest) * POINTS_PER_INCH
        right = (legend_inches(list(self.series)) if self.series else 0.3) * POINTS_PER_INCH
        left, top = Margins().left * POINTS_PER_INCH, Margins().top * POINTS_PER_INCH
        title_lines = wrap_title(self.title, width / POINTS_PER_INCH - left / 72 - 0.1).split("\n")
        top += (len(title_lines) - 1) * TITLE_SIZE * 1.25
        x0, x1, y0, y1 = left, width - right, top, height - bottom
        n = max(1, len(self.x_labels))

        def at_x(i: float) -> float:
            return x0 + (i + 0.5) / n * (x1 - x0)

        known = [v for values in self.series.values() for v in values if v is not None]
        low, high = _y_range(known)

        def at_y(v: float) -> float:
            return y1 - (v - low) / (high - low) * (y1 - y0)

        fmt = _axis_formatter(self.unit)
        out = [
            f'<svg xmlns="http://www.w3.org/2000/svg" width="{_n(width)}pt" '
            f'height="{_n(height)}pt" viewBox="0 0 {_n(width)} {_n(height)}" version="1.1" '
            f'font-family="{_SVG_FONT}" font-size="{FONT_SIZE}" fill="{BLACK}">',
            f'<rect width="{_n(width)}" height="{_n(height)}" fill="white"/>',
        ]
        # Grid and y ticks.
        step = _nice_step(high - low)
        tick = math.ceil(low / step - 1e-9) * step
        while tick <= high + 1e-9:
            y = at_y(tick)
            out.append(
                f'<path d="M{_n(x0)},{_n(y)}H{_n(x1)}" stroke="{MID_GREY}" '
                'stroke-width="0.6" stroke-opacity="0.7"/>'
            )
            out.append(
                f'<text x="{_n(x0 - 6)}" y="{_n(y + 3.5)}" text-anchor="end">'
                f"{_x(fmt(tick, None))}</text>"
            )
            tick += step
        # Axes: left and bottom only.
        out.append(
            f'<path d="M{_n(x0)},{_n(y0)}V{_n(y1)}H{_n(x1)}" fill="none" '
            f'stroke="{DARK_GREY}" stroke-width="0.8"/>'
        )
        # Month labels: at most twelve, slanted.
        every = max(1, math.ceil(len(self.x_labels) / 12))
        for i in range(0, len(self.x_labels), every):
            x = at_x(i)
            out.append(f'<path d="M{_n(x)},{_n(y1)}v3.5" stroke="{DARK_GREY}" stroke-width="0.8"/>')
            out.append(
                f'<text transform="translate({_n(x + 3)},{_n(y1 + 12)}) rotate(-45)" '
                f'text-anchor="end">{_x(self.x_labels[i])}</text>'
            )
        out += self._series(at_x, at_y, x0, x1, y0)
        # The title, bold, from the axes' left edge; the y axis's label, turned.
        for i, line in enumerate(title_lines):
            y = y0 - 8 - (len(title_lines) - 1 - i) * TITLE_SIZE * 1.25
            out.append(
                f'<text x="{_n(x0)}" y="{_n(y)}" font-size="{TITLE_SIZE}" '
                f'font-weight="bold">{_x(line)}</text>'
            )
        if self.y_label:
            mid = (y0 + y1) / 2
            out.append(
                f'<text transform="translate(14,{_n(mid)}) rotate(-90)" '
                f'text-anchor="middle">{_x(self.y_label)}</text>'
            )
        out.append("</svg>")
        return "\n".join(out) + "\n"

    def _series(
        self,
        at_x: Callable[[float], float],
        at_y: Callable[[float], float],
        x0: float,
        x1: float,
        y0: float,
    ) -> list[str]:
        """Each series' line (a path per run of values, gaps at None), its markers on
        every ``_every`` point, and its legend entry on the right."""
        out: list[str] = []
        # The series: a path per run of values, markers on every ``_every`` point.
        marks = _every(list(range(len(self.x_labels))))
        legend_y = y0 + 6
        for s, (name, values) in enumerate(self.series.items()):
            colour = SERIES_COLOURS[s % len(SERIES_COLOURS)]
            marker = SERIES_MARKERS[s % len(SERIES_MARKERS)]
            dash = _SVG_DASHES[SERIES_DASHES[s % len(SERIES_DASHES)]]
            dashed = f' stroke-dasharray="{dash}"' if dash else ""
            runs: list[list[tuple[float, float]]] = [[]]
            dots = []
            for i, v in enumerate(values):
                if v is None:
                    runs.append([])
                    continue
                runs[-1].append((at_x(i), at_y(v)))
                if i % marks == 0:
                    dots.append(_marker_path(marker, at_x(i), at_y(v), 4 * 1.1))
            d = "".join("M" + "L".join(f"{_n(a)},{_n(b)}" for a, b in run) for run in runs if run)
            if d:
                out.append(
                    f'<path d="{d}" fill="none" stroke="{colour}" stroke-width="1.6"'
                    f' stroke-linejoin="round"{dashed}/>'
                )
            if dots:
                out.append(f'<path d="{"".join(dots)}" fill="{colour}" stroke="{colour}"/>')
            # Its legend entry: a stretch of line with the marker, then the name.
            lx = x1 + 0.01 * (x1 - x0)
            out.append(
                f'<path d="M{_n(lx)},{_n(legend_y)}h20" stroke="{colour}" stroke-width="1.6"'
                f"{dashed}/>"
            )
            out.append(
                f'<path d="{_marker_path(marker, lx + 10, legend_y, 5 * 1.1)}" '
                f'fill="{colour}" stroke="{colour}"/>'
            )
            out.append(
                f'<text x="{_n(lx + 26)}" y="{_n(legend_y + 3.2)}" font-size="{FONT_SIZE - 1}">'
                f"{_x(name)}</text>"
            )
            legend_y += (FONT_SIZE - 1) * 1.6
        return out


# A bar's name longer than this wraps (at most two lines, then shortened with "…").
CATEGORY_CHARS = 34


def wrap_category(name: str, width: int = CATEGORY_CHARS) -> str:
    """A category's name in lines of at most ``width`` characters, two lines at most."""
    return "\n".join(textwrap.wrap(name, width, max_lines=2, placeholder="…")) or name


def _every(xs: Sequence[int]) -> int:
    """Markers on every point for short series, fewer for long ones (shape, not clutter)."""
    return max(1, len(xs) // 24)


def bar_chart(
    *,
    title: str,
    categories: Sequence[str],
    values: Sequence[float | None],
    x_label: str,
    unit: str | None = None,
    reference: float | None = None,
    reference_label: str | None = None,
    highlight: Sequence[bool] | None = None,
) -> str:
    """Horizontal bars (long category names stay readable), each labelled with its value;
    an optional reference line (a norm, the combined figure); ``highlight`` picks bars
    drawn in the darker hatched style (e.g. over the norm), not by colour alone."""
    # Long names ("Middlesbrough: Early help team, Middlesbrough Central") wrap onto a
    # second line, and the left margin fits the longest line, so none is cut off.
    wrapped = [wrap_category(c) for c in categories]
    lines = max((label.count("\n") + 1 for label in wrapped), default=1)
    height = max(2.4, 1.2 + (0.32 if lines == 1 else 0.48) * len(categories))
    fmt = number_formatter(unit)
    reference_text = (
        f"{reference_label or 'Reference'} ({fmt(reference)})" if reference is not None else ""
    )
    longest = max((len(line) for label in wrapped for line in label.split("\n")), default=0)
    margins = Margins(
        left=0.3 + CHAR_INCHES * longest,
        right=legend_inches([reference_text]) if reference is not None else 0.5,
        bottom=0.6,
    )
    figure, axes = new_figure(height=height, margins=margins)
    style_axes(axes, title=title, x_label=x_label)
    axes.grid(True, axis="x", color=MID_GREY, linewidth=0.6, alpha=0.7)
    axes.grid(False, axis="y")
    ys = list(range(len(categories)))
    for y, value in zip(ys, values, strict=True):
        if value is None:
            axes.text(0, y, " no data", va="center", fontsize=FONT_SIZE - 1, color=DARK_GREY)
            continue
        marked = bool(highlight and highlight[y])
        axes.barh(
            y,
            value,
            color=DARK_BLUE if marked else BLUE,
            hatch="//" if marked else None,
            edgecolor="white" if marked else BLUE,
            height=0.7,
        )
        axes.text(value, y, f" {fmt(value)}", va="center", fontsize=FONT_SIZE - 1, color=BLACK)
    axes.set_yticks(ys)
    axes.set_yticklabels(wrapped)
    axes.invert_yaxis()
    axes.xaxis.set_major_formatter(_axis_formatter(unit))
    known = [v for v in values if v is not None]
    axes.set_xlim(0, max([*known, reference or 0, 1]) * 1.15)
    if reference is not None:
        axes.axvline(reference, color=RED, ls="--", lw=1.4)
        _legend(axes, [Line2D([], [], color=RED, ls="--", lw=1.4, label=reference_text)])
    return figure_to_svg(figure)
