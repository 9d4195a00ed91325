"""The caseload distribution's chart: per location, a line from the lower to the upper quartile with the
median marked, and the cadre's norm as a dashed line; drawn like every chart of sswis (``sswis.presentation.charts``:
server-side SVG through the one renderer, accessible, no JavaScript). The page shows the same figures as a
table; a location whose figures are withheld has no line."""

from __future__ import annotations

import functools
from collections.abc import Sequence
from dataclasses import dataclass

from django.utils.safestring import SafeString, mark_safe

from sswis.presentation.charts import BAR_COLOUR, TEXT_COLOUR, _accessible, _direction, _render

NORM_COLOUR = "#d55e00"  # Okabe-Ito vermilion, 3:1 on white


@dataclass(frozen=True)
class Spread:
    """One location's caseloads: its label, quartiles, median and the median as the page writes it."""

    label: str
    lower_quartile: float
    median: float
    upper_quartile: float
    text: str


def caseload_spread_svg(
    *, title: str, spreads: Sequence[Spread], norm: int | None, axis_title: str
) -> SafeString:
    """The chart of the module docstring; empty string for no location with figures."""
    if not spreads:
        return mark_safe("")
    return _accessible(_spread_chart(tuple(spreads), norm, axis_title, *_direction()), title=title)


@functools.lru_cache(maxsize=128)
def _spread_chart(
    spreads: tuple[Spread, ...], norm: int | None, axis_title: str, right_to_left: bool, locale: str
) -> str:
    import altair as alt

    values = [
        {
            "label": spread.label,
            "low": spread.lower_quartile,
            "median": spread.median,
            "high": spread.upper_quartile,
            "text": spread.text,
        }
        for spread in spreads
    ]
    x_scale = alt.Scale(zero=True, nice=True, reverse=right_to_left)
    axis = alt.Axis(labelFontSize=12, titleFontSize=13, tickCount=5, labelColor=TEXT_COLOUR)
    y = alt.Y(
        "label:N",
        sort=[spread.label for spread in spreads],
        title=None,
        axis=alt.Axis(labelFontSize=12, labelColor=TEXT_COLOUR, orient="right" if right_to_left else "left"),
    )
    base = alt.Chart(alt.Data(values=values)).encode(y=y)
    layers = [
        base.mark_rule(color=BAR_COLOUR, strokeWidth=6).encode(
            x=alt.X("low:Q", title=axis_title, scale=x_scale, axis=axis), x2="high:Q"
        ),
        base.mark_tick(color=TEXT_COLOUR, thickness=3, size=18).encode(x=alt.X("median:Q", scale=x_scale)),
        base.mark_text(dy=-12, fontSize=12, color=TEXT_COLOUR).encode(
            x=alt.X("median:Q", scale=x_scale), text="text:N"
        ),
    ]
    if norm is not None:
        layers.append(
            alt.Chart(alt.Data(values=[{"norm": norm}]))
            .mark_rule(color=NORM_COLOUR, strokeDash=[6, 4], strokeWidth=2)
            .encode(x=alt.X("norm:Q", scale=x_scale))
        )
    chart = (
        alt.layer(*layers)
        .properties(width=320, height=alt.Step(40))
        .configure_view(stroke=None)
        .configure(font="sans-serif", background="white")
    )
    return _render(chart.to_dict(), locale)
