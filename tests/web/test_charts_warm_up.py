"""The chart engine is started before the first dashboard without leaving a chart in the cache."""

from __future__ import annotations

from sswis.presentation import charts


def test_warm_up_renders_once_and_leaves_the_cache_empty() -> None:
    charts.charts_warm_up()
    assert charts._bar_chart.cache_info().currsize == 0
    svg = charts.bar_chart_svg(title="Workers", bars=[charts.Bar("PSW", 3.0, "3")], axis_title="Workers")
    assert svg.startswith("<svg") or "<svg" in svg
