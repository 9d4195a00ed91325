"""Server-side charts: SVG from Altair/vl-convert, safe to inline, accessible, scalable."""

from __future__ import annotations

import re

from sswis.presentation.charts import Bar, bar_chart_svg


def y_of(svg: str, label: str) -> float:
    """The vertical position of a label's text in the drawing."""
    match = re.search(rf'<text[^>]*transform="translate\(([-\d.]+),([-\d.]+)\)"[^>]*>{label}<', svg)
    assert match is not None
    return float(match.group(2))


def test_chart_is_an_accessible_svg_with_the_bars_largest_first() -> None:
    svg = bar_chart_svg(
        title="Workers by cadre, North, 2024",
        bars=[Bar("Volunteer", 3, "3"), Bar("Social worker", 12, "12")],
        axis_title="Workers",
    )
    opening = re.match(r"<svg\b[^>]*>", svg)
    assert opening is not None
    assert 'role="img"' in opening.group(0)
    assert 'aria-label="Workers by cadre, North, 2024"' in opening.group(0)
    assert re.search(r'viewBox="0 0 \d+ \d+"', opening.group(0))
    assert "<title id=" in svg
    assert y_of(svg, "Social worker") < y_of(svg, "Volunteer")
    assert " style=" not in svg
    assert "<script" not in svg


def test_labels_and_title_are_escaped() -> None:
    svg = bar_chart_svg(
        title='<b onclick="x()">Title</b>',
        bars=[Bar('<script>alert("x")</script> & co', 1, "1")],
        axis_title="Workers",
    )
    assert "<script" not in svg
    assert "<b " not in svg
    assert "&lt;script&gt;" in svg
    assert "&amp; co" in svg


def test_no_bars_no_chart() -> None:
    assert bar_chart_svg(title="Nothing", bars=[], axis_title="Workers") == ""


def test_same_figures_same_picture_with_its_own_title() -> None:
    bars = [Bar("A", 1, "1"), Bar("B", 2, "2")]
    first = bar_chart_svg(title="First", bars=bars, axis_title="Workers")
    second = bar_chart_svg(title="Second", bars=bars, axis_title="Workers")
    assert re.sub(r"<title.*?</title>|aria-\w+=\"[^\"]*\"", "", first) == re.sub(
        r"<title.*?</title>|aria-\w+=\"[^\"]*\"", "", second
    )
    assert ">First</title>" in first
    assert ">Second</title>" in second


def test_the_chart_is_one_named_image_and_its_marks_are_hidden_from_screen_readers() -> None:
    """Vega gives mark groups an image-like role (``graphics-symbol``) without a name unless told not to;
    axe reports each as an image without alternative text (svg-img-alt). Only the chart itself is one."""
    svg = bar_chart_svg(
        title="Workers by cadre", bars=[Bar("A", 1, "1"), Bar("B", 2, "2")], axis_title="Workers"
    )
    roles = re.findall(r'\brole="([^"]+)"', svg)
    assert roles[0] == "img"
    assert "img" not in roles[1:]
    assert "graphics-symbol" not in roles
    marks = re.findall(r'<g class="mark-[a-z]+ role-mark[^"]*"([^>]*)>', svg)
    assert len(marks) == 3  # the bars, their labels and their values
    assert all('aria-hidden="true"' in attributes for attributes in marks)
