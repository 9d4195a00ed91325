"""Whatever text is stored, drawing a chart never takes the process down.

vl-convert aborts the whole process (a Rust panic, not an exception) on a character XML refuses, such
as ``\\u0010`` in a cadre name. Each case runs in its own Python process, so a crash fails the test
instead of ending pytest.
"""

from __future__ import annotations

import subprocess
import sys
import textwrap

import pytest

from sswis.presentation.charts import chart_text_safe

BAD = "Social\u0010worker\x00\x1f\x7f\ud800\ufffe\t\nend"

PROGRAMS = {
    "bar": "bar_chart_svg(title=BAD, bars=[Bar(BAD, 3.0, BAD), Bar('Volunteer', 1.0, '1')], axis_title=BAD)",
    "trend": "trend_chart_svg(title=BAD, points=[Point(2024, 3.0, BAD), Point(2025, 4.0, '4')], axis_title=BAD)",
    "map": (
        "map_svg(title=BAD, legend_title=BAD, areas=[Area(BAD, {'type': 'Polygon', 'coordinates': "
        "[[[30, -10], [31, -10], [31, -11], [30, -11], [30, -10]]]}, 2.0, BAD)])"
    ),
}


@pytest.mark.parametrize("chart", sorted(PROGRAMS))
def test_control_characters_in_any_text_do_not_crash_the_chart_engine(chart: str) -> None:
    program = textwrap.dedent(
        f"""
        import os
        import django
        os.environ.setdefault("DJANGO_SETTINGS_MODULE", "sswis.settings.base")
        django.setup()  # the charts write numbers as the active language does
        from sswis.presentation.charts import Area, Bar, Point, bar_chart_svg, map_svg, trend_chart_svg
        BAD = {BAD!r}
        svg = {PROGRAMS[chart]}
        assert svg.startswith("<svg"), svg[:200]
        print("drawn", "\\ufffd" in svg, "\\x10" in svg)
        """
    )
    result = subprocess.run(
        [sys.executable, "-c", program], capture_output=True, text=True, timeout=120, check=False
    )
    assert result.returncode == 0, result.stderr[-2000:]
    assert result.stdout.split() == ["drawn", "True", "False"]


def test_safe_text_replaces_what_xml_refuses_and_keeps_the_rest() -> None:
    assert chart_text_safe(BAD) == "Social\ufffdworker\ufffd\ufffd\ufffd\ufffd\ufffd  end"
    assert chart_text_safe("Área · 社会 worker ✓") == "Área · 社会 worker ✓"
