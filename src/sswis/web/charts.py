"""Charts drawn on the server: Altair (Vega-Lite) specifications rendered to SVG by vl-convert.

No JavaScript runs in the browser and nothing is fetched from a CDN, so the charts work on an intranet
without internet and under the strict content security policy (the SVG has no inline style). Every
chart is an accessible image (``role="img"`` with a title); the page shows the same numbers as a table.
"""

from __future__ import annotations

import functools
import itertools
import re
from collections.abc import Sequence
from dataclasses import dataclass

import altair as alt
import vl_convert
from django.utils.html import escape
from django.utils.safestring import SafeString, mark_safe

BAR_COLOUR = "#1d5a8c"  # 7:1 contrast on white
TEXT_COLOUR = "#1a1a1a"
_ids = itertools.count(1)


@dataclass(frozen=True)
class Bar:
    """One bar: its label and value; ``text`` is the value as the page writes it."""

    label: str
    value: float
    text: str


def bar_chart_svg(*, title: str, bars: Sequence[Bar], axis_title: str) -> SafeString:
    """A horizontal bar chart as inline SVG, largest bar first; empty string for no bars.

    The SVG keeps its natural size and viewBox, so the stylesheet can shrink it to narrow screens
    (``max-width: 100%; height: auto``); it is labelled by its ``<title>`` for screen readers.
    """
    if not bars:
        return mark_safe("")
    return _accessible(_bar_chart(tuple(bars), axis_title), title=title)


@functools.lru_cache(maxsize=256)
def _bar_chart(bars: tuple[Bar, ...], axis_title: str) -> str:
    """The SVG of the bars. The same figures give the same picture, so a dashboard opened again is not
    drawn again (Altair and vl-convert take ~50-200 ms a chart)."""
    values = [{"label": bar.label, "value": bar.value, "text": bar.text} for bar in bars]
    # Each bar's label sits above it rather than on an axis beside it: the chart stays narrow enough
    # to be read on a phone without shrinking the text.
    base = alt.Chart(alt.Data(values=values)).encode(
        y=alt.Y(
            "label:N", sort=alt.EncodingSortField(field="value", order="descending"), title=None, axis=None
        ),
    )
    x = alt.X(
        "value:Q",
        title=axis_title,
        axis=alt.Axis(labelFontSize=12, titleFontSize=13, tickCount=5, labelColor=TEXT_COLOUR, grid=False),
    )
    chart = (
        alt.layer(
            base.mark_bar(color=BAR_COLOUR, size=16, yOffset=8).encode(x=x),
            base.mark_text(align="left", baseline="bottom", dy=-1, fontSize=14, color=TEXT_COLOUR).encode(
                x=alt.value(0), text="label:N"
            ),
            base.mark_text(
                align="left",
                baseline="middle",
                dx=4,
                yOffset=8,
                fontSize=13,
                fontWeight="bold",
                color=TEXT_COLOUR,
            ).encode(x=x, text="text:N"),
        )
        .properties(width=300, height=alt.Step(46))
        .configure_view(stroke=None)
        .configure(font="sans-serif", background="white")
    )
    return str(vl_convert.vegalite_to_svg(chart.to_dict()))


def _accessible(svg: str, *, title: str) -> SafeString:
    """Make the vl-convert SVG an accessible, responsive image with ``title`` as its name."""
    title_id = f"chart-title-{next(_ids)}"
    match = re.match(r"<svg\b([^>]*)>", svg)
    if match is None:  # pragma: no cover - vl-convert always starts with the svg element
        raise ValueError("vl-convert returned something other than SVG.")
    attributes = match.group(1)
    opening = (
        f'<svg{attributes} role="img" aria-labelledby="{title_id}" '
        f'aria-label="{escape(title)}" focusable="false" preserveAspectRatio="xMinYMin meet">'
        f'<title id="{title_id}">{escape(title)}</title>'
    )
    return mark_safe(opening + svg[match.end() :])


def charts_warm_up() -> None:
    """Draw one throw-away chart so that the chart engine's one-off start (about 1.5 s: Altair's schema,
    vl-convert's JavaScript runtime) is not paid by the first person to open a dashboard."""
    _bar_chart((Bar(label="warm-up", value=1.0, text="1"),), "warm-up")
    _bar_chart.cache_clear()
