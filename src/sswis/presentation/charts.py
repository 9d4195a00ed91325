"""Charts drawn on the server: Altair (Vega-Lite) specifications rendered to SVG by vl-convert.

No JavaScript runs in the browser and nothing is fetched from a CDN, so the charts work on an intranet
without internet and under the strict content security policy (the SVG has no inline style). Every
chart is an accessible image (``role="img"`` with a title); the page shows the same numbers as a table.

Every specification reaches vl-convert through :func:`_render` only, which first makes every text in it
safe (:func:`chart_text_safe`): vl-convert aborts the whole process (a Rust panic that cannot be
caught) on a character XML does not allow, such as ``\\u0010``, so one bad cadre name stored in the
registry would otherwise take the server down on the next dashboard view.
"""

from __future__ import annotations

import functools
import itertools
import json
import re
import unicodedata
from collections.abc import Sequence
from dataclasses import dataclass
from typing import Any, Literal

from django.utils import translation
from django.utils.html import escape
from django.utils.safestring import SafeString, mark_safe
from django.utils.translation import gettext as _

from sswis.presentation import chart_renderer
from sswis.presentation.number_text import chart_number_locale

# Altair and vl-convert (about 35 MB, and vl-convert's JavaScript engine about 65 MB more once it has drawn
# a chart) are imported by the functions that draw, not here: the background worker and the command line
# load them only when they draw a chart. The web server loads them before it forks its workers
# (sswis.wsgi.application_preload), and one renderer process forked from its master runs the only engine
# (sswis.presentation.chart_renderer; docs/load.md, memory): the engine's threads do not survive a fork.

BAR_COLOUR = "#1d5a8c"  # 7:1 contrast on white
TEXT_COLOUR = "#1a1a1a"
NO_FIGURE_COLOUR = "#d9d9d9"  # map areas whose figure is not known
MAP_SCHEME = ["#deebf7", "#9ecae1", "#4292c6", "#1d5a8c", "#08306b"]
# The fonts shipped with sswis first (``reports/static/reports/fonts``: the PDF of a report names them by
# ``@font-face``, so its charts use them too; unquoted, as WeasyPrint's SVG reads a list), then any sans-serif.
CHART_FONT = "Noto Sans, Noto Sans Arabic, sans-serif"
_ids = itertools.count(1)
_SPACES = {"\t", "\n", "\r", "\x0b", "\x0c", "\x85", "\u2028", "\u2029"}


def chart_text_safe(text: str) -> str:
    """``text`` with every character that XML (and so the SVG engine) refuses replaced: line breaks and
    tabs by a space, other control characters, lone surrogates and the non-characters U+FFFE/U+FFFF by
    U+FFFD (the replacement character), so the reader sees that the stored text holds something odd."""
    if text.isprintable():
        return text
    out = []
    for char in text:
        if char in _SPACES:
            out.append(" ")
        elif unicodedata.category(char) in ("Cc", "Cs") or char in ("\ufffe", "\uffff"):
            out.append("\ufffd")
        else:
            out.append(char)
    return "".join(out)


def _safe(value: Any) -> Any:
    """``value`` (a Vega-Lite specification or part of it) with every string, key or value, made safe."""
    if isinstance(value, str):
        return chart_text_safe(value)
    if isinstance(value, dict):
        return {chart_text_safe(str(key)): _safe(item) for key, item in value.items()}
    if isinstance(value, list | tuple):
        return [_safe(item) for item in value]
    return value


def _render(spec: dict[str, Any], locale: str) -> str:
    """THE one place a specification becomes SVG: every text in it made safe first; numbers on axes and
    legends written with ``locale`` (a d3-format locale as JSON, see ``chart_number_locale``).

    Vega's own ARIA roles on marks, axes and legends are turned off: the chart is one image named by its
    title (``_accessible``), whose parts a screen reader does not enter, and the page shows its numbers as a
    table. Left on, Vega gives some mark groups an image role without a name, which axe flags."""
    config = spec.get("config", {})
    spec = {**spec, "config": {**config, "aria": False, "mark": {**config.get("mark", {}), "aria": False}}}
    # Drawn by the web server's one renderer process when there is one, else by this process's engine.
    return chart_renderer.svg(spec=_safe(spec), locale=locale)


def _direction() -> tuple[bool, str]:
    """The active language's reading direction (right to left?) and number locale, as cache keys."""
    return translation.get_language_bidi(), json.dumps(chart_number_locale(), sort_keys=True)


@dataclass(frozen=True)
class Bar:
    """One bar: its label and value; ``text`` is the value as the page writes it."""

    label: str
    value: float
    text: str


@dataclass(frozen=True)
class Point:
    """One year of a trend: ``value`` ``None`` when the figure is not known that year (a gap)."""

    year: int
    value: float | None
    text: str


@dataclass(frozen=True)
class Area:
    """One location on a map: its name, its boundary (a GeoJSON Polygon or MultiPolygon), its figure
    (``None``: not known, drawn grey) and the figure as the page writes it."""

    name: str
    geometry: dict[str, Any]
    value: float | None
    text: str


def bar_chart_svg(*, title: str, bars: Sequence[Bar], axis_title: str) -> SafeString:
    """A horizontal bar chart as inline SVG, largest bar first; empty string for no bars.

    The SVG keeps its natural size and viewBox, so the stylesheet can shrink it to narrow screens
    (``max-width: 100%; height: auto``); it is labelled by its ``<title>`` for screen readers.
    """
    if not bars:
        return mark_safe("")
    return _accessible(_bar_chart(tuple(bars), axis_title, *_direction()), title=title)


def trend_chart_svg(
    *, title: str, points: Sequence[Point], axis_title: str, share: bool = False
) -> SafeString:
    """A line over the years with each year's figure written above its point; empty string when no
    year has a figure. A year without a figure is a gap in the line. ``share``: the axis is a
    percentage (values are fractions)."""
    if not any(point.value is not None for point in points):
        return mark_safe("")
    return _accessible(_trend_chart(tuple(points), axis_title, share, *_direction()), title=title)


def map_svg(*, title: str, areas: Sequence[Area], legend_title: str) -> SafeString:
    """A map of ``areas`` coloured by their figure (darker is higher; grey: not known), drawn from
    their boundaries with a plain projection: no tiles, nothing fetched. Empty string for no areas."""
    if not areas:
        return mark_safe("")
    key = tuple(
        (area.name, json.dumps(area.geometry, sort_keys=True), area.value, area.text) for area in areas
    )
    return _accessible(_map(key, legend_title, *_direction()), title=title)


@functools.lru_cache(maxsize=256)
def _bar_chart(bars: tuple[Bar, ...], axis_title: str, right_to_left: bool, locale: str) -> str:
    """The SVG of the bars. The same figures give the same picture, so a dashboard opened again is not
    drawn again (Altair and vl-convert take ~50-200 ms a chart). Right to left, the bars grow from the
    right edge and their labels are aligned on it."""
    import altair as alt

    width = 300
    start: Literal["left", "right"] = "right" if right_to_left else "left"
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
        scale=alt.Scale(reverse=right_to_left),
        axis=alt.Axis(labelFontSize=12, titleFontSize=13, tickCount=5, labelColor=TEXT_COLOUR, grid=False),
    )
    chart = (
        alt.layer(
            base.mark_bar(color=BAR_COLOUR, size=16, yOffset=8).encode(x=x),
            base.mark_text(align=start, baseline="bottom", dy=-1, fontSize=14, color=TEXT_COLOUR).encode(
                x=alt.value(width if right_to_left else 0), text="label:N"
            ),
            base.mark_text(
                align=start,
                baseline="middle",
                dx=-4 if right_to_left else 4,
                yOffset=8,
                fontSize=13,
                fontWeight="bold",
                color=TEXT_COLOUR,
            ).encode(x=x, text="text:N"),
        )
        .properties(width=width, height=alt.Step(46))
        .configure_view(stroke=None)
        .configure(font=CHART_FONT, background="white")
    )
    return _render(chart.to_dict(), locale)


@functools.lru_cache(maxsize=256)
def _trend_chart(
    points: tuple[Point, ...], axis_title: str, share: bool, right_to_left: bool, locale: str
) -> str:
    """The SVG of a trend. Right to left, the years run from right to left and the value axis is on the
    right."""
    import altair as alt

    values = [
        {"year": str(point.year), "value": point.value, "text": point.text}
        for point in points
        if point.value is not None
    ]
    x = alt.X(
        "year:O",
        title=None,
        sort=[str(point.year) for point in points],
        scale=alt.Scale(domain=[str(point.year) for point in points], reverse=right_to_left),
        axis=alt.Axis(labelAngle=0, labelFontSize=12, labelColor=TEXT_COLOUR),
    )
    y = alt.Y(
        "value:Q",
        title=axis_title,
        scale=alt.Scale(zero=True, nice=True),
        axis=alt.Axis(
            format=".0%" if share else "~s",
            orient="right" if right_to_left else "left",
            labelFontSize=12,
            titleFontSize=13,
            tickCount=4,
            labelColor=TEXT_COLOUR,
        ),
    )
    base = alt.Chart(alt.Data(values=values)).encode(x=x, y=y)
    chart = (
        alt.layer(
            base.mark_line(
                color=BAR_COLOUR, strokeWidth=2, point=alt.OverlayMarkDef(color=BAR_COLOUR, size=50)
            ),
            base.mark_text(dy=-10, fontSize=12, color=TEXT_COLOUR).encode(text="text:N"),
        )
        .properties(width=320, height=180)
        .configure_view(stroke=None)
        .configure(font=CHART_FONT, background="white")
    )
    return _render(chart.to_dict(), locale)


def _ring_area(ring: Sequence[Sequence[float]]) -> float:
    """Twice the signed planar area of a ring of [longitude, latitude] points (positive:
    counter-clockwise)."""
    return sum(float(a[0]) * float(b[1]) - float(b[0]) * float(a[1]) for a, b in itertools.pairwise(ring))


def _polygon_for_drawing(rings: Sequence[Any]) -> list[Any]:
    """The rings of a polygon wound as the drawing library needs: outer ring clockwise, holes
    counter-clockwise. GeoJSON (RFC 7946) asks for the opposite, older files use either; drawn as
    given, a counter-clockwise outer ring would paint the whole globe except the location."""
    fixed = []
    for index, ring in enumerate(rings):
        clockwise = _ring_area(ring) < 0
        wanted = index == 0
        fixed.append(list(ring) if clockwise == wanted else list(reversed(ring)))
    return fixed


def geometry_for_drawing(geometry: dict[str, Any]) -> dict[str, Any]:
    """A Polygon or MultiPolygon with its rings wound for drawing (see :func:`_polygon_for_drawing`)."""
    if geometry.get("type") == "Polygon":
        return {"type": "Polygon", "coordinates": _polygon_for_drawing(geometry["coordinates"])}
    return {
        "type": "MultiPolygon",
        "coordinates": [_polygon_for_drawing(polygon) for polygon in geometry["coordinates"]],
    }


@functools.lru_cache(maxsize=64)
def _map(
    areas: tuple[tuple[str, str, float | None, str], ...], legend_title: str, right_to_left: bool, locale: str
) -> str:
    """The SVG of a map. A map is not mirrored (north stays up, east right); its legend keeps darker for
    more in every language, and ``right_to_left`` only keys the cache with the page's number locale."""
    import altair as alt

    features = [
        {
            "type": "Feature",
            "properties": {"name": name, "value": value, "text": text},
            "geometry": geometry_for_drawing(json.loads(geometry)),
        }
        for name, geometry, value, text in areas
    ]
    data = alt.Data(values=features)
    outline = alt.Chart(data).mark_geoshape(fill=NO_FIGURE_COLOUR, stroke="white", strokeWidth=1)
    layers = [outline]
    if any(value is not None for _name, _geometry, value, _text in areas):
        layers.append(
            alt.Chart(data)
            .mark_geoshape(stroke="white", strokeWidth=1)
            .encode(
                color=alt.Color(
                    "properties.value:Q",
                    title=legend_title,
                    scale=alt.Scale(range=MAP_SCHEME, zero=True),
                    legend=alt.Legend(
                        orient="bottom", direction="horizontal", gradientLength=240, labelColor=TEXT_COLOUR
                    ),
                )
            )
        )
    chart = (
        alt.layer(*layers)
        .project("mercator")
        .properties(width=360, height=360)
        .configure_view(stroke=None)
        .configure(font=CHART_FONT, background="white")
    )
    return _render(chart.to_dict(), locale)


def _accessible(svg: str, *, title: str) -> SafeString:
    """Make the vl-convert SVG an accessible, responsive image with ``title`` as its name."""
    title_id = f"chart-title-{next(_ids)}"
    match = re.match(r"<svg\b([^>]*)>", svg)
    if match is None:  # pragma: no cover - vl-convert always starts with the svg element
        raise ValueError(_("vl-convert returned something other than SVG."))
    attributes = match.group(1)
    name = escape(chart_text_safe(title))
    opening = (
        f'<svg{attributes} role="img" aria-labelledby="{title_id}" '
        f'aria-label="{name}" focusable="false" preserveAspectRatio="xMinYMin meet">'
        f'<title id="{title_id}">{name}</title>'
    )
    return mark_safe(opening + svg[match.end() :])


def chart_libraries_import() -> None:
    """Import Altair and vl-convert without starting vl-convert's engine (no thread is started): safe in a
    process that forks afterwards, whose children then share these modules' memory."""
    import altair  # noqa: F401
    import vl_convert  # noqa: F401


def charts_warm_up() -> None:
    """Draw one throw-away chart so that the chart engine's one-off start (about 1.5 s: Altair's schema,
    vl-convert's JavaScript runtime) is not paid by the first person to open a dashboard."""
    _bar_chart(
        (Bar(label="warm-up", value=1.0, text="1"),), "warm-up", False, json.dumps(chart_number_locale())
    )
    _bar_chart.cache_clear()
