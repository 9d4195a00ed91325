"""The retention page's retention curves: one line per entry cohort over the years after entry, drawn
like every chart of sswis (``sswis.presentation.charts``: server-side SVG through the one renderer, accessible, no
JavaScript). The page shows the same figures as a table."""

from __future__ import annotations

import functools
from collections.abc import Sequence

from django.utils.safestring import SafeString, mark_safe

from sswis.presentation.charts import TEXT_COLOUR, _accessible, _direction, _render
from sswis.web.plan_charts import SERIES_COLOURS

Curve = tuple[str, tuple[float | None, ...]]  # the cohort's name, its share at each point of ``after``


def retention_curves_svg(
    *, title: str, after: Sequence[int], curves: Sequence[Curve], x_title: str, y_title: str
) -> SafeString:
    """One line per cohort (at most ``len(SERIES_COLOURS)``, the latest ones: more could not be told
    apart), shares as percentages; empty string when no cohort has a figure."""
    shown = tuple(curve for curve in curves if any(value is not None for value in curve[1]))[
        -len(SERIES_COLOURS) :
    ]
    if not shown:
        return mark_safe("")
    return _accessible(_curves(tuple(after), shown, x_title, y_title, *_direction()), title=title)


@functools.lru_cache(maxsize=64)
def _curves(
    after: tuple[int, ...],
    curves: tuple[Curve, ...],
    x_title: str,
    y_title: str,
    right_to_left: bool,
    locale: str,
) -> str:
    import altair as alt

    names = [name for name, _values in curves]
    values = [
        {"after": years, "cohort": name, "value": value}
        for name, shares in curves
        for years, value in zip(after, shares, strict=True)
        if value is not None
    ]
    chart = (
        alt.Chart(alt.Data(values=values))
        .mark_line(strokeWidth=2, point=alt.OverlayMarkDef(size=40))
        .encode(
            x=alt.X(
                "after:Q",
                title=x_title,
                scale=alt.Scale(domain=[0, max(after)], reverse=right_to_left),
                axis=alt.Axis(values=list(after), format="d", labelFontSize=12, labelColor=TEXT_COLOUR),
            ),
            y=alt.Y(
                "value:Q",
                title=y_title,
                scale=alt.Scale(domain=[0, 1]),
                axis=alt.Axis(
                    format=".0%",
                    orient="right" if right_to_left else "left",
                    labelFontSize=12,
                    titleFontSize=13,
                    tickCount=5,
                    labelColor=TEXT_COLOUR,
                ),
            ),
            color=alt.Color(
                "cohort:N",
                title=None,
                sort=names,
                scale=alt.Scale(domain=names, range=SERIES_COLOURS[: len(names)]),
                legend=alt.Legend(orient="bottom", labelFontSize=12, labelColor=TEXT_COLOUR),
            ),
        )
        .properties(width=360, height=200)
        .configure_view(stroke=None)
        .configure(font="sans-serif", background="white")
    )
    return _render(chart.to_dict(), locale)
