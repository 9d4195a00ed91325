"""``sswis indicators (--year Y | --years Y1-Y2 | --years Y1,Y2,...) [--by DIM ...] [--indicator ID ...]
[--format json|csv] [--location CODE] [--depth N] [--output FILE]``.

Prints the workforce indicators of the contract (``contracts/indicators.md``) for every location, or for
one location and everything below it; with ``--indicator`` only those indicators (and only what they need
is read: ``--indicator workforce.certified_share`` reads no post, no child population, no registration). JSON is the contract's document, one row per line; CSV has one
column per ``--by`` dimension. With ``--years`` every year is computed exactly as if asked alone: the
JSON is ``{"years": [...], "rows": [...]}`` with ``year`` in each row, the CSV has a ``year`` column
first. The command line gets every figure: no small cell is withheld (it is run by the people who
administer the data).
"""

from __future__ import annotations

import json
import sys
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import Any, TextIO

from django.core.management.base import CommandError, CommandParser
from django.utils.translation import gettext, gettext_lazy

from sswis.commands import TranslatedCommand
from sswis.geo.models import Location
from sswis.indicators.definitions import DIMENSIONS, FIRST_YEAR, INDICATORS, LAST_YEAR, years_parsed
from sswis.indicators.selectors import (
    IndicatorRow,
    indicators_as_json,
    indicators_compute_years,
    indicators_write_csv,
    indicators_years_as_json,
)

_ENCODER = json.JSONEncoder(ensure_ascii=False)  # one encoder for every row: json.dumps makes one per call


class Command(TranslatedCommand):
    help = gettext_lazy(
        "Print the workforce indicators of a year (or several) for every location (JSON or CSV)."
    )

    def add_arguments(self, parser: CommandParser) -> None:
        period = parser.add_mutually_exclusive_group(required=True)
        period.add_argument("--year", help=gettext("Calendar year, e.g. 2024 (reference date 31 December)."))
        period.add_argument(
            "--years",
            help=gettext(
                "Several years, each computed as if asked alone: a range 2019-2025 or a list 2019,2022,2025."
            ),
        )
        parser.add_argument(
            "--by",
            action="extend",
            nargs="+",
            default=[],
            metavar="DIMENSION",
            help=(
                gettext("Split by a dimension (repeatable; several give their combinations): %(join)s.")
                % {"join": ", ".join(DIMENSIONS)}
            ),
        )
        parser.add_argument(
            "--indicator",
            action="extend",
            nargs="+",
            default=[],
            metavar="INDICATOR",
            help=(
                gettext("Only these indicators (repeatable; default: every one): %(join)s.")
                % {"join": ", ".join(INDICATORS)}
            ),
        )
        parser.add_argument("--format", default="json", help=gettext("json (default) or csv."))
        parser.add_argument(
            "--location", default="", help=gettext("Code of a location: only it and the locations below it.")
        )
        parser.add_argument(
            "--depth",
            type=int,
            default=None,
            help=gettext("Only this many levels below --location (or the country)."),
        )
        parser.add_argument(
            "--output", default="", help=gettext("Write to this file instead of the standard output.")
        )

    def handle(self, *args: Any, **options: Any) -> None:
        if options["years"] is not None:
            try:
                years = years_parsed(text=str(options["years"]))
            except ValueError as problem:
                raise CommandError(gettext("--years: %(problem)s") % {"problem": problem}) from None
        else:
            years = (_year(options["year"]),)
        by = _dimensions(options["by"])
        indicators = _indicators(options["indicator"])
        output_format = str(options["format"]).lower()
        if output_format not in ("json", "csv"):
            raise CommandError(
                gettext("Unknown format %(format)r. Valid formats: json, csv.")
                % {"format": options["format"]}
            )
        location = None
        if options["location"]:
            location = Location.objects.filter(code=options["location"]).first()
            if location is None:
                raise CommandError(
                    gettext("Unknown location code %(location)r.") % {"location": options["location"]}
                )
        depth = options["depth"]
        if depth is not None and depth < 0:
            raise CommandError(gettext("--depth must be 0 or more, not %(depth)s.") % {"depth": depth})

        several = options["years"] is not None
        rows = indicators_compute_years(
            years=years, by=by, location=location, depth=depth, indicators=indicators or None
        )
        with self._destination(options["output"]) as stream:
            if output_format == "csv":
                indicators_write_csv(rows=rows, by=by, stream=stream, with_year=several)
            else:
                _write_json(years=years, several=several, rows=rows, stream=stream)

    @contextmanager
    def _destination(self, output: str) -> Iterator[TextIO]:
        if output:
            try:
                with Path(output).open("w", encoding="utf-8", newline="") as stream:
                    yield stream
            except OSError as error:
                raise CommandError(
                    gettext("Cannot write %(output)s: %(strerror)s.")
                    % {"output": output, "strerror": error.strerror}
                ) from error
        else:
            # The unwrapped stream: OutputWrapper would add a line ending and styles to every write.
            yield getattr(self.stdout, "_out", sys.stdout)


def _year(raw: object) -> int:
    try:
        year = int(str(raw).strip())
    except ValueError:
        raise CommandError(
            gettext("--year must be a year such as 2024, not %(raw)r.") % {"raw": raw}
        ) from None
    if not FIRST_YEAR <= year <= LAST_YEAR:
        raise CommandError(
            gettext("--year must be between %(FIRST_YEAR)s and %(LAST_YEAR)s, not %(year)s.")
            % {"FIRST_YEAR": FIRST_YEAR, "LAST_YEAR": LAST_YEAR, "year": year}
        )
    return year


def _dimensions(raw: list[str] | tuple[str, ...] | str) -> tuple[str, ...]:
    """Accept ``--by cadre --by sex``, ``--by cadre sex`` and ``--by cadre,sex``; refuse unknown ones."""
    values = [raw] if isinstance(raw, str) else list(raw)
    names = [name.strip() for value in values for name in str(value).split(",") if name.strip()]
    unknown = [name for name in names if name not in DIMENSIONS]
    if unknown:
        raise CommandError(
            gettext("Unknown dimension %(join)s for --by. Valid dimensions: %(join2)s.")
            % {"join": ", ".join(repr(name) for name in unknown), "join2": ", ".join(DIMENSIONS)}
        )
    return tuple(dict.fromkeys(names))


def _indicators(raw: list[str]) -> tuple[str, ...]:
    """Accept ``--indicator a --indicator b``, ``--indicator a b`` and ``--indicator a,b``; refuse unknown
    ones. Empty: every indicator."""
    names = [name.strip() for value in raw for name in str(value).split(",") if name.strip()]
    unknown = [name for name in names if name not in INDICATORS]
    if unknown:
        raise CommandError(
            gettext("Unknown indicator %(join)s for --indicator. Valid indicators: %(join2)s.")
            % {"join": ", ".join(repr(name) for name in unknown), "join2": ", ".join(INDICATORS)}
        )
    return tuple(dict.fromkeys(names))


def _write_json(*, years: tuple[int, ...], several: bool, rows: list[IndicatorRow], stream: TextIO) -> None:
    """The contract's JSON document, one row per line so that it also reads well and diffs well: of the
    one year in ``years``, or (``several``, asked with ``--years``) of all of them."""
    encode = _ENCODER.encode
    if not several:
        document = indicators_as_json(year=years[0], rows=rows)
        stream.write(f'{{"year": {encode(document["year"])},\n "rows": [')
    else:
        document = indicators_years_as_json(years=years, rows=rows)
        stream.write(f'{{"years": {encode(document["years"])},\n "rows": [')
    stream.write(",".join(f"\n  {encode(row)}" for row in document["rows"]))
    stream.write("\n ]}\n")
