"""``sswis plan (norms --year Y [--location CODE [--depth N]] [--format json|csv] | wisn FILE [--format
json|text] | scenario FILE | project --scenario CODE [--location CODE [--depth N]] [--format json|csv])``:
workforce planning on the command line.

``norms`` prints, for every location (or one location and below) and every group with a norm in force in
the year, the target, the child population, the counted workforce, the required staff and the gap
(``contracts/planning.md`` section 1), unrounded: JSON ``{"year": Y, "rows": [...]}`` or CSV.

``wisn`` reads a WHO WISN study from a JSON file (``contracts/planning.md`` section 2) and prints its
result: the contract's JSON (unrounded), or every step as WHO's manual lays it out (``--format text``).
Bad input exits non-zero with a message naming the field.

``wisn FILE --locations CSV`` applies the study to each location of the table, with its own workload,
and prints them ranked by workload pressure. ``settings`` prints the workforce, children and gaps by
urban/rural setting for every location, and the urban/rural disparity (JSON). ``costs`` prints the
yearly cost of the workforce by location and cadre (salary scales, on-costs, other costs per worker)
and the cost of closing each cadre's gap.

``scenario`` creates or updates (by its code) a projection scenario from a JSON file, and ``project``
prints a stored scenario's projection (``contracts/planning.md`` section 3): one row per year, cadre and
location, JSON ``{"scenario": CODE, "rows": [...]}`` or CSV, unrounded. Both are the server operator's:
the change is audited without a user, like a change made in the database.
"""

from __future__ import annotations

import csv
import json
from pathlib import Path
from typing import Any

from django.core.management.base import CommandError, CommandParser
from django.utils.translation import gettext, gettext_lazy

from sswis.commands import TranslatedCommand
from sswis.geo.models import Location
from sswis.indicators.definitions import years_parsed
from sswis.planning.costs import COST_COLUMNS, workforce_costs, workforce_costs_as_json
from sswis.planning.inputs import PlanInputError
from sswis.planning.models import Scenario
from sswis.planning.norms import NormGap, norm_gaps, norm_gaps_as_json
from sswis.planning.projection import PROJECTION_COLUMNS, projection_as_json, scenario_project
from sswis.planning.selectors import scenario_parameters, wisn_evaluate
from sswis.planning.services import scenario_save
from sswis.planning.settings_gaps import setting_disparity, setting_gaps, setting_gaps_as_json
from sswis.planning.text import wisn_result_text
from sswis.planning.wisn import wisn_result_as_json
from sswis.planning.wisn_locations import wisn_locations_as_json, wisn_locations_evaluate, workloads_parse


class Command(TranslatedCommand):
    help = gettext_lazy("Plan the workforce: required staff from norms and from workload (WHO WISN).")

    def add_arguments(self, parser: CommandParser) -> None:
        actions = parser.add_subparsers(dest="action", required=True, metavar="ACTION")
        norms = actions.add_parser(
            "norms", help=gettext("required staff and gaps from the norms (target ratios) for a year")
        )
        norms.add_argument("--year", required=True, help=gettext("the year, e.g. 2025"))
        norms.add_argument("--location", help=gettext("only this location and the locations below it"))
        norms.add_argument("--depth", type=int, help=gettext("only this many levels below --location"))
        norms.add_argument(
            "--format", choices=["json", "csv"], default="json", help=gettext("json (default) or csv")
        )
        settings = actions.add_parser(
            "settings", help=gettext("workers, children and gaps by urban/rural setting, and their disparity")
        )
        settings.add_argument("--year", required=True, help=gettext("the year, e.g. 2025"))
        settings.add_argument("--location", help=gettext("only this location and the locations below it"))
        settings.add_argument("--depth", type=int, help=gettext("only this many levels below --location"))
        costs = actions.add_parser(
            "costs", help=gettext("the workforce's yearly cost and the cost of closing each gap")
        )
        costs.add_argument("--year", required=True, help=gettext("the year, e.g. 2025"))
        costs.add_argument("--location", help=gettext("only this location and the locations below it"))
        costs.add_argument("--depth", type=int, help=gettext("only this many levels below --location"))
        costs.add_argument(
            "--format", choices=["json", "csv"], default="json", help=gettext("json (default) or csv")
        )
        scenario = actions.add_parser(
            "scenario", help=gettext("create or update (by its code) a projection scenario from a JSON file")
        )
        scenario.add_argument("file", type=Path, metavar="FILE", help=gettext("the scenario, a JSON file"))
        project = actions.add_parser(
            "project",
            help=gettext("project a stored scenario: stock, flows, requirement, gap and cost by year"),
        )
        project.add_argument("--scenario", required=True, metavar="CODE", help=gettext("the scenario's code"))
        project.add_argument("--location", help=gettext("the location (default: the country)"))
        project.add_argument(
            "--depth", type=int, default=0, help=gettext("also this many levels below --location (default 0)")
        )
        project.add_argument(
            "--format", choices=["json", "csv"], default="json", help=gettext("json (default) or csv")
        )
        wisn = actions.add_parser(
            "wisn", help=gettext("required staff from a workload study (WHO WISN) in a JSON file")
        )
        wisn.add_argument("file", type=Path, metavar="FILE", help=gettext("the study, a JSON file"))
        wisn.add_argument(
            "--format", choices=["json", "text"], default="json", help=gettext("json (default) or text")
        )
        wisn.add_argument(
            "--locations",
            type=Path,
            metavar="CSV",
            help=gettext(
                "apply the study to each location of this table (location, existing_staff and one column of "
                "annual workload per activity) and rank them by workload pressure (JSON)"
            ),
        )

    def handle(self, *args: Any, **options: Any) -> None:
        if options["action"] == "norms":
            self._norms(options)
        elif options["action"] == "settings":
            self._settings(options)
        elif options["action"] == "costs":
            self._costs(options)
        elif options["action"] == "scenario":
            self._scenario(path=options["file"])
        elif options["action"] == "project":
            self._project(options)
        elif options["locations"] is not None:
            self._wisn_locations(path=options["file"], table=options["locations"])
        else:
            self._wisn(path=options["file"], output_format=options["format"])

    def _settings(self, options: dict[str, Any]) -> None:
        year = _one_year(options["year"])
        location = _location(options["location"]) if options["location"] else None
        try:
            rows = setting_gaps(year=year, location=location, depth=options["depth"])
        except ValueError as problem:
            raise CommandError(str(problem)) from problem
        document = setting_gaps_as_json(year=year, rows=rows, disparities=setting_disparity(rows=rows))
        self.stdout.write(json.dumps(document, ensure_ascii=False))

    def _costs(self, options: dict[str, Any]) -> None:
        year = _one_year(options["year"])
        location = _location(options["location"]) if options["location"] else None
        try:
            rows = workforce_costs(year=year, location=location, depth=options["depth"])
        except ValueError as problem:
            raise CommandError(str(problem)) from problem
        if options["format"] == "csv":
            writer = csv.writer(self.stdout, lineterminator="\n")
            writer.writerow(("year", *COST_COLUMNS))
            for row in workforce_costs_as_json(year=year, rows=rows)["rows"]:
                writer.writerow(
                    [year, *("" if row[column] is None else row[column] for column in COST_COLUMNS)]
                )
        else:
            self.stdout.write(json.dumps(workforce_costs_as_json(year=year, rows=rows), ensure_ascii=False))

    def _wisn_locations(self, *, path: Path, table: Path) -> None:
        data = _json_document(path)
        try:
            study, _result = wisn_evaluate(data=data)
            text = table.read_text(encoding="utf-8")
        except PlanInputError as problem:
            raise CommandError(_input_problem(path, problem)) from problem
        except OSError as problem:
            raise CommandError(
                gettext("Cannot read %(file)s: %(problem)s.") % {"file": table, "problem": problem.strerror}
            ) from problem
        except UnicodeDecodeError as problem:
            raise CommandError(gettext("%(file)s is not UTF-8 text.") % {"file": table}) from problem
        try:
            results = wisn_locations_evaluate(study=study, workloads=workloads_parse(study=study, text=text))
        except PlanInputError as problem:
            raise CommandError(_input_problem(table, problem)) from problem
        self.stdout.write(json.dumps(wisn_locations_as_json(results=results), ensure_ascii=False))

    def _norms(self, options: dict[str, Any]) -> None:
        years = (_one_year(options["year"]),)
        location = _location(options["location"]) if options["location"] else None
        try:
            rows = norm_gaps(year=years[0], location=location, depth=options["depth"])
        except ValueError as problem:
            raise CommandError(str(problem)) from problem
        if options["format"] == "csv":
            writer = csv.writer(self.stdout, lineterminator="\n")
            writer.writerow(NORM_COLUMNS)
            writer.writerows(_norm_csv_row(row) for row in rows)
        else:
            document = norm_gaps_as_json(year=years[0], rows=rows)
            self.stdout.write(json.dumps(document, ensure_ascii=False))

    def _scenario(self, *, path: Path) -> None:
        data = _json_document(path)
        try:
            scenario = scenario_save(actor=None, data=data)
        except PlanInputError as problem:
            raise CommandError(_input_problem(path, problem)) from problem
        self.stdout.write(
            gettext("Scenario %(code)s (%(name)s) saved.") % {"code": scenario.code, "name": scenario.name}
        )

    def _project(self, options: dict[str, Any]) -> None:
        scenario = Scenario.objects.filter(code=options["scenario"]).first()
        if scenario is None:
            raise CommandError(
                gettext("There is no scenario with the code %(code)r.") % {"code": options["scenario"]}
            )
        location = None
        if options["location"]:
            location = _location(options["location"])
        if options["depth"] < 0:
            raise CommandError(gettext("--depth may not be negative."))
        try:
            projection = scenario_project(
                scenario=scenario_parameters(scenario=scenario), location=location, depth=options["depth"]
            )
        except ValueError as problem:
            raise CommandError(str(problem)) from problem
        if options["format"] == "csv":
            writer = csv.writer(self.stdout, lineterminator="\n")
            writer.writerow(PROJECTION_COLUMNS)
            for row in projection_as_json(projection=projection)["rows"]:
                writer.writerow(["" if row[column] is None else row[column] for column in PROJECTION_COLUMNS])
        else:
            self.stdout.write(json.dumps(projection_as_json(projection=projection), ensure_ascii=False))

    def _wisn(self, *, path: Path, output_format: str) -> None:
        data = _json_document(path)
        try:
            study, result = wisn_evaluate(data=data)
        except PlanInputError as problem:
            raise CommandError(_input_problem(path, problem)) from problem
        if output_format == "text":
            self.stdout.write(wisn_result_text(study=study, result=result))
        else:
            self.stdout.write(json.dumps(wisn_result_as_json(result=result), ensure_ascii=False))


def _one_year(text: str) -> int:
    try:
        years = years_parsed(text=text)
    except ValueError as problem:
        raise CommandError(gettext("--year: %(problem)s") % {"problem": problem}) from problem
    if len(years) != 1:
        raise CommandError(gettext("--year takes one year, e.g. 2025."))
    return years[0]


def _location(code: str) -> Location:
    location = Location.objects.filter(code=code).first()
    if location is None:
        raise CommandError(gettext("There is no location with the code %(code)r.") % {"code": code})
    return location


def _json_document(path: Path) -> Any:
    try:
        return json.loads(path.read_text(encoding="utf-8"))
    except OSError as problem:
        raise CommandError(
            gettext("Cannot read %(file)s: %(problem)s.") % {"file": path, "problem": problem.strerror}
        ) from problem
    except (UnicodeDecodeError, json.JSONDecodeError) as problem:
        raise CommandError(
            gettext("%(file)s is not a JSON document: %(problem)s.") % {"file": path, "problem": problem}
        ) from problem


def _input_problem(path: Path, problem: PlanInputError) -> str:
    return gettext("%(file)s, %(field)s: %(message)s") % {
        "file": path.name,
        "field": problem.field,
        "message": problem.message,
    }


NORM_COLUMNS = (
    "year",
    "location",
    "category",
    "cadre",
    "target_per_100k",
    "norm_location",
    "source",
    "children",
    "counted",
    "required",
    "gap",
)


def _norm_csv_row(row: NormGap) -> list[Any]:
    def cell(value: Any) -> Any:
        return "" if value is None else value

    return [
        row.year,
        row.location,
        row.group.get("category", ""),
        row.group.get("cadre", ""),
        row.target_per_100k,
        row.norm_location,
        row.source,
        cell(row.children),
        row.counted,
        cell(row.required),
        cell(row.gap),
    ]
