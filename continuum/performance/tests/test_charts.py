"""Server-drawn charts: valid SVG with the labels a reader needs, safe embedding, the cache,
and drawing from several threads at once."""

from __future__ import annotations

import base64
import re
import xml.etree.ElementTree as ET
from concurrent.futures import ThreadPoolExecutor

import pytest
from django.core.cache import cache

from continuum.performance import charts
from continuum.performance.stats import funnel, spc

SVG = "{http://www.w3.org/2000/svg}"


def _texts(svg: str) -> list[str]:
    """Every text element's content (the SVG must parse as XML)."""
    root = ET.fromstring(svg.encode("utf-8"))  # noqa: S314 (our own output)
    assert root.tag == f"{SVG}svg"
    return ["".join(node.itertext()) for node in root.iter(f"{SVG}text")]


def _funnel_points() -> tuple[list[charts.FunnelPoint], float]:
    raw = [
        ("Stockton-on-Tees", 4200, 31.0),
        ("Hartlepool", 1800, 38.0),
        ("Middlesbrough", 3500, 27.0),
    ]
    target = funnel.combined_target(
        [v * n / 100 for _, n, v in raw], [n for _, n, _ in raw], funnel.PROPORTION
    )
    points = [
        charts.FunnelPoint(name, n, v, funnel.classify(v, n, target, funnel.PROPORTION))
        for name, n, v in raw
    ]
    return points, target


@pytest.mark.parametrize(
    "label", ["Stockton-on-Tees", "Hartlepool", "Middlesbrough", "95% limits", "99.8% limits"]
)
def test_funnel_chart_labels_every_council_and_explains_its_markers(label: str) -> None:
    points, target = _funnel_points()
    texts = _texts(
        charts.funnel_chart(
            title="Contacts decided within one working day, October 2026",
            points=points,
            target=target,
            kind=funnel.PROPORTION,
            y_label="Per cent",
            x_label="Contacts",
            unit="percent",
        )
    )
    assert label in texts
    assert "Contacts decided within one working day, October 2026" in texts
    assert f"All councils ({target:,.1f}%)" in texts
    assert {p.classification for p in points} >= {funnel.WITHIN, funnel.ABOVE_998}
    assert "Within the 95% limits" in texts and "Beyond the 99.8% limits" in texts


def test_spc_chart_shows_average_limits_target_and_special_causes() -> None:
    values = [20, 21, 19, 20, 22, 19, 20, 21, 20, 19, 21, 20, 24, 25, 24, 26, 25, 24, 25, 26]
    chart = spc.xmr(values, polarity=spc.DOWN, target=22, baseline=12)
    labels = [f"M{i}" for i in range(len(values))]
    texts = _texts(
        charts.spc_chart(title="Repeat contacts", labels=labels, chart=chart, y_label="Per cent")
    )
    assert "Repeat contacts" in texts
    assert f"Average ({chart.mean:,.1f})" in texts
    assert "Process limits" in texts and "Target (22.0)" in texts
    assert "End of the baseline" in texts
    assert "Common cause" in texts and "Special cause: concern" in texts
    assert "Special cause: improvement" not in texts  # no such point: no legend entry
    assert "M0" in texts


def test_spc_markers_differ_in_shape_not_colour_alone() -> None:
    shapes = {marker for _, marker, _ in charts.SPC_MARKERS.values()}
    assert len(shapes) == len(charts.SPC_MARKERS)
    # No funnel marker shape is shared by two colours: shape alone tells them apart.
    shapes_by_colour: dict[str, set[str]] = {}
    for colour, marker, _, _ in charts.FUNNEL_MARKERS.values():
        shapes_by_colour.setdefault(colour, set()).add(marker)
    all_shapes = [m for shapes in shapes_by_colour.values() for m in shapes]
    assert len(all_shapes) == len(set(all_shapes))
    assert len(set(charts.SERIES_MARKERS)) == len(charts.SERIES_MARKERS)


def test_line_chart_names_its_series_and_leaves_gaps() -> None:
    texts = _texts(
        charts.line_chart(
            title="Children in need per 10,000",
            x_labels=["Jan 2026", "Feb 2026", "Mar 2026"],
            series={
                "Stockton-on-Tees": [300.0, None, 310.5],
                "All councils": [350.0, 352.0, 349.0],
            },
            y_label="Per 10,000 children",
        )
    )
    assert {"Stockton-on-Tees", "All councils", "Jan 2026", "Mar 2026"} <= set(texts)


def test_bar_chart_labels_values_and_the_reference_line() -> None:
    svg = charts.bar_chart(
        title="Caseloads",
        categories=["North team", "South team", "West team"],
        values=[18.0, 25.0, None],
        x_label="Children per worker",
        unit="count",
        reference=20.0,
        reference_label="Norm",
        highlight=[False, True, False],
    )
    texts = [t.strip() for t in _texts(svg)]
    assert {"North team", "South team", "West team", "18", "25", "no data"} <= set(texts)
    assert "Norm (20)" in texts


def test_svg_img_is_a_data_image_with_escaped_alt_text() -> None:
    html = str(charts.svg_img("<svg xmlns='http://www.w3.org/2000/svg'/>", 'A "chart" <b>'))
    assert html.startswith('<img class="app-chart" src="data:image/svg+xml;base64,')
    assert 'alt="A &quot;chart&quot; &lt;b&gt;"' in html
    encoded = re.search(r"base64,([^\"]+)", html)
    assert encoded is not None
    assert base64.b64decode(encoded.group(1)) == b"<svg xmlns='http://www.w3.org/2000/svg'/>"
    assert "<script" not in html and "style=" not in html


def test_the_same_chart_is_byte_for_byte_the_same_svg() -> None:
    points, target = _funnel_points()
    kwargs = {
        "title": "T",
        "points": points,
        "target": target,
        "kind": funnel.PROPORTION,
        "y_label": "Per cent",
        "x_label": "Contacts",
    }
    assert charts.funnel_chart(**kwargs) == charts.funnel_chart(**kwargs)  # type: ignore[arg-type]


def test_cached_svg_draws_once_per_distinct_data() -> None:
    cache.clear()
    drawn: list[int] = []

    def render() -> str:
        drawn.append(1)
        return f"<svg>{len(drawn)}</svg>"

    assert charts.cached_svg("test", {"values": [1, 2]}, render) == "<svg>1</svg>"
    assert charts.cached_svg("test", {"values": [1, 2]}, render) == "<svg>1</svg>"
    assert charts.cached_svg("test", {"values": [1, 3]}, render) == "<svg>2</svg>"
    assert charts.cached_svg("other", {"values": [1, 2]}, render) == "<svg>3</svg>"
    assert len(drawn) == 3


def test_charts_draw_safely_in_parallel_threads() -> None:
    def draw(i: int) -> str:
        values = [float((i * 7 + k * 3) % 11) for k in range(24)]
        return charts.spc_chart(
            title=f"Chart {i}",
            labels=[f"P{k}" for k in range(24)],
            chart=spc.xmr(values),
            y_label="Number",
        )

    with ThreadPoolExecutor(max_workers=4) as pool:
        results = list(pool.map(draw, range(8)))
    for i, svg in enumerate(results):
        texts = _texts(svg)
        assert f"Chart {i}" in texts
        assert not any(f"Chart {j}" in texts for j in range(8) if j != i)
    assert results[3] == draw(3)


@pytest.mark.parametrize(
    ("unit", "value", "text"),
    [("percent", 12.345, "12.3%"), ("count", 1234.0, "1,234"), ("per_10k", 333.33, "333.3")],
)
def test_numbers_read_in_the_indicators_units(unit: str, value: float, text: str) -> None:
    assert charts.number_formatter(unit)(value) == text


def _text_elements(svg: str) -> list[ET.Element]:
    root = ET.fromstring(svg.encode("utf-8"))  # noqa: S314 (our own output)
    return list(root.iter(f"{SVG}text"))


def _font_size(node: ET.Element) -> float:
    found = re.search(r"font-size: ([\d.]+)px", node.get("style", ""))
    assert found, node.get("style")
    return float(found.group(1))


def test_a_bar_charts_long_names_wrap_and_none_is_cut_off_on_the_left() -> None:
    # Issue 12: "Middlesbrough: Early help team, Middlesbrough Central" ran off the left.
    names = [
        "Hartlepool",
        "Middlesbrough: Early help team, Middlesbrough Central",
        "Redcar and Cleveland: Early help team, Redcar and Coast",
    ]
    svg = charts.bar_chart(
        title="Caseloads", categories=names, values=[2, 3, 1], x_label="Families"
    )
    labels = [n for n in _text_elements(svg) if "text-anchor: end" in n.get("style", "")]
    assert labels
    for node in labels:
        text = "".join(node.itertext())
        # A generous width for Arial (0.6 of the font size a character): the label's left
        # end must still be inside the image.
        assert float(node.get("x", "0")) - 0.6 * _font_size(node) * len(text) >= 0, text
    texts = _texts(svg)
    assert "Middlesbrough: Early help team," in texts and "Middlesbrough Central" in texts


def test_wrapping_a_category_keeps_at_most_two_lines() -> None:
    assert charts.wrap_category("Hartlepool") == "Hartlepool"
    lines = charts.wrap_category("a very long team name " * 6).split("\n")
    assert len(lines) == 2 and lines[-1].endswith("…")
    assert all(len(line) <= charts.CATEGORY_CHARS for line in lines)


def test_a_flat_series_gets_an_axis_whose_labels_differ() -> None:
    """Every month 0% (a council with no repeat contacts): the axis reads 0% to 1%, not
    six ticks all labelled "0.0%"."""
    chart = spc.xmr([0.0] * 12, polarity=spc.DOWN, baseline=6)
    labels = [f"M{i}" for i in range(12)]
    for svg in (
        charts.spc_chart(
            title="Repeat contacts", labels=labels, chart=chart, y_label="Per cent", unit="percent"
        ),
        charts.line_chart(
            title="Repeat contacts",
            x_labels=labels,
            series={"Middlesbrough": [0.0] * 12},
            y_label="Per cent",
            unit="percent",
        ),
    ):
        ticks = [t for t in _texts(svg) if t.endswith("%") and not t.startswith("Average")]
        assert len(ticks) == len(set(ticks)) >= 2, ticks
