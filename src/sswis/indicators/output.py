"""The contract's JSON document and CSV file of indicator rows (one year or several)."""

from __future__ import annotations

import csv
from collections.abc import Sequence
from typing import Any, TextIO

from sswis.indicators.definitions import dimensions_checked
from sswis.indicators.rows import IndicatorRow


def _row_document(row: IndicatorRow) -> dict[str, Any]:
    return {
        "indicator": row.indicator,
        "location": row.location,
        "group": dict(row.group),
        "numerator": row.numerator,
        "denominator": row.denominator,
        "value": row.value,
        "withheld": row.withheld,
    }


def indicators_as_json(*, year: int, rows: Sequence[IndicatorRow]) -> dict[str, Any]:
    """The contract's JSON document of one year: ``{"year": year, "rows": [{indicator, location, group,
    numerator, denominator, value, withheld}, ...]}``, rows in the given order, values at full precision."""
    return {"year": year, "rows": [_row_document(row) for row in rows]}


def indicators_years_as_json(*, years: Sequence[int], rows: Sequence[IndicatorRow]) -> dict[str, Any]:
    """The contract's JSON document of several years: ``{"years": [...], "rows": [{year, indicator, ...},
    ...]}``: each row is that of the one-year document with its ``year`` first."""
    return {"years": list(years), "rows": [{"year": row.year, **_row_document(row)} for row in rows]}


def indicators_write_csv(
    *, rows: Sequence[IndicatorRow], by: Sequence[str], stream: TextIO, with_year: bool = False
) -> None:
    """Write ``rows`` as CSV: ``[year,] indicator, location, <one column per dimension of by>, numerator,
    denominator, value, withheld``. ``with_year`` (several years) adds the ``year`` column first. A
    dimension a row is not split by, and a null, are empty cells; a value is written at full precision
    (Python's shortest round-tripping form of the float); ``withheld`` is ``true`` or ``false``."""
    dimensions = dimensions_checked(by)
    writer = csv.writer(stream, lineterminator="\n")
    year_column = ["year"] if with_year else []
    writer.writerow(
        [*year_column, "indicator", "location", *dimensions, "numerator", "denominator", "value", "withheld"]
    )
    for row in rows:
        writer.writerow(
            [
                *([row.year] if with_year else []),
                row.indicator,
                row.location,
                *(row.group.get(dimension, "") for dimension in dimensions),
                "" if row.numerator is None else row.numerator,
                "" if row.denominator is None else row.denominator,
                "" if row.value is None else repr(row.value),
                "true" if row.withheld else "false",
            ]
        )
