"""Competency frameworks from a spreadsheet, and back (:func:`frameworks_import`, :func:`frameworks_export`;
the command ``sswis training_framework_import``, a page and the API).

The file is an ``.xlsx`` workbook (its first sheet) or a CSV file with the columns of
:data:`FRAMEWORK_COLUMNS`, one row per competency a cadre requires: ``cadre, area_code, area_name,
competency_code, competency_name, levels, level_required, description, survey_topic``. It is read as a
template file is (``sswis.imports.readers``: size limit, character set and delimiter detected, unsafe
workbooks refused; column names without case, spaces or underscores). For each row:

* the cadre is a registry cadre's code; its framework is created (named after the cadre) when it has none;
* the area (``area_code`` within the cadre's framework) is created, or renamed to ``area_name``; areas
  take the order in which the file first names them;
* the competency (``competency_code``, across frameworks) is created, or its name, levels (1 to 5),
  description and survey topic (one of the perception survey's training topics, or empty) changed;
  ``levels`` may not drop below a level in use outside the file (a programme, an assessment, another
  framework) nor below a level the file requires;
* the cadre requires it in that area at ``level_required`` (1 to ``levels``); a competency already
  required in another area of the framework moves to this one.

Rows that name the same area, or the same competency, must agree on its name (and the competency on its
levels, description and topic); a cadre requires a competency once. An import adds and changes, never
removes (removing is done on the framework's page). Every problem is reported at once with its row,
column, value and sentence (``sswis.imports.report``); with any error nothing is written; importing the
same file twice changes nothing the second time (every row unchanged). :func:`frameworks_export` writes
the frameworks in the same format, so an export imported again changes nothing.
"""

from __future__ import annotations

from collections.abc import Iterable, Iterator
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from django.core.exceptions import ValidationError
from django.db.models import Max
from django.utils.translation import gettext_lazy as _

from sswis.access.training_policy import require_framework_change
from sswis.imports.messages import message
from sswis.imports.modes import ImportMode
from sswis.imports.platform_lists import upload_kept
from sswis.imports.readers import CsvSource, RawTable, TemplateReadError, WorkbookSource, header_key
from sswis.imports.report import FileCounts, ImportReport, Problem
from sswis.imports.safety import limits_current
from sswis.imports.schema import Column, Kind
from sswis.imports.services import import_transaction_run
from sswis.imports.values import column_parser
from sswis.registry.models import Cadre
from sswis.spreadsheets import table_write_csv, table_write_xlsx
from sswis.text import text_problem, text_shown
from sswis.training import competencies as services
from sswis.training.models_competencies import (
    Competency,
    CompetencyArea,
    CompetencyAssessment,
    CompetencyFramework,
    ProgrammeCompetency,
    RequiredCompetency,
)

FRAMEWORK_COLUMNS: tuple[Column, ...] = (
    Column("cadre", Kind.CODE, _("the cadre's code"), "SW", required=True, max_length=64, label=_("Cadre")),
    Column(
        "area_code", Kind.CODE, _("the area's code in the framework"), "CASE", required=True, max_length=50
    ),
    Column("area_name", Kind.TEXT, _("the area's name"), "Case management", required=True, max_length=200),
    Column("competency_code", Kind.CODE, _("the competency's code"), "CM-1", required=True, max_length=50),
    Column(
        "competency_name",
        Kind.TEXT,
        _("the competency's name"),
        "Assess a child's needs",
        required=True,
        max_length=300,
    ),
    Column(
        "levels", Kind.INTEGER, _("how many levels it has (1 to 5)"), "3", required=True, minimum=1, maximum=5
    ),
    Column(
        "level_required",
        Kind.INTEGER,
        _("the level the cadre requires"),
        "2",
        required=True,
        minimum=1,
        maximum=5,
    ),
    Column("description", Kind.TEXT, _("what it means, if said"), "", max_length=5000),
    Column(
        "survey_topic",
        Kind.ENUMERATION,
        _("the perception survey's training topic that asks for it, if any"),
        "case_management",
        choices=services.SURVEY_TOPICS,
    ),
)
"""The columns of a framework file, in the template's terms (``sswis.imports.schema``)."""

COLUMN_NAMES = tuple(column.name for column in FRAMEWORK_COLUMNS)
ENTITY = _("required competency")
WORKBOOK_SUFFIXES = (".xlsx", ".xlsm")

MESSAGES: dict[str, Any] = {
    "cadre_unknown": _("There is no cadre with the code '{value}'; add it to the registry first."),
    "area_differs": _("Area {area} of cadre {cadre} is named '{first}' on row {row}; give it one name."),
    "competency_differs": _(
        "Competency {code} has another {what} on row {row} ('{first}'); every row of a competency must agree."
    ),
    "required_twice": _(
        "Cadre {cadre} requires competency {code} on row {row} already; a framework requires a competency once."
    ),
    "level_above": _("The level required, {level}, is above the competency's {levels} levels."),
    "levels_in_use": _(
        "Competency {code} is in use at level {level} (by a programme, an assessment or another framework): it "
        "needs at least {level} levels."
    ),
    "not_a_file": _("{file} is not a framework file: give a .csv or .xlsx file."),
}


def framework_message(key: str, /, **fields: Any) -> str:
    return str(MESSAGES[key]).format(**fields)


@dataclass
class _Row:
    number: int
    values: dict[str, Any]
    ok: bool = True


@dataclass
class _Run:
    actor: Any
    file: str
    report: ImportReport
    counts: FileCounts
    rows: list[_Row] = field(default_factory=list)

    def problem(self, row: int, column: str, value: Any, text: str) -> None:
        self.report.problems.append(
            Problem(
                file=self.file,
                row=row,
                column=column,
                value="" if value is None else str(value),
                message=text,
            )
        )

    def error(self, row: _Row, column: str, value: Any, text: str) -> None:
        self.problem(row.number, column, value, text)
        row.ok = False

    def read(self, table: RawTable) -> None:
        """Check the header and every cell (as ``imports.platform_lists.ListRun.read`` does)."""
        known = {header_key(column.name): column for column in FRAMEWORK_COLUMNS}
        present: list[tuple[int, Column]] = []
        usable = bool(table.header)
        if not table.header:
            self.problem(0, "", "", message("empty_file", file=self.file))
        for index, (key, raw) in enumerate(zip(table.header, table.raw_header, strict=True)):
            column = known.get(key) if key else None
            if key and column is None:
                text = message("unknown_column", column=raw, file=self.file, columns=", ".join(COLUMN_NAMES))
                self.problem(0, raw, "", text)
                usable = False
            elif column is not None and any(column is other for _, other in present):
                self.problem(0, raw, "", message("duplicate_column", column=raw))
                usable = False
            elif column is not None:
                present.append((index, column))
        for column in FRAMEWORK_COLUMNS:
            if table.header and column.required and all(column is not other for _, other in present):
                self.problem(
                    0, column.name, "", message("missing_column", column=column.name, file=self.file)
                )
                usable = False
        parsers = {column.name: column_parser(column=column) for _, column in present}
        width = len(table.header)
        for number, cells in table.rows:
            self.counts.read += 1
            row = _Row(number=number, values=dict.fromkeys(("description", "survey_topic"), ""), ok=usable)
            if len(cells) > width and any(cells[width:]):
                self.error(row, "", ", ".join(cell for cell in cells[width:] if cell), message("extra_cells"))
            for index, column in present:
                text = cells[index] if index < len(cells) else ""
                if not text:
                    if column.required:
                        self.error(
                            row, column.name, "", message("required", label=column.title, entity=ENTITY)
                        )
                elif (refused := text_problem(text)) is not None:
                    found = message(
                        "unprintable", label=column.title, code=refused.code_point, position=refused.position
                    )
                    self.error(row, column.name, text_shown(text), found)
                else:
                    try:
                        row.values[column.name] = parsers[column.name](text)
                    except ValueError as problem:
                        self.error(row, column.name, text, str(problem))
            self.rows.append(row)

    def check(self) -> dict[str, Cadre]:
        """Check the rows against each other and the stored rows; return the cadres named, by code."""
        codes = {row.values["cadre"] for row in self.rows if "cadre" in row.values}
        cadres = {cadre.code: cadre for cadre in Cadre.objects.filter(code__in=codes)}
        areas: dict[tuple[str, str], tuple[int, str]] = {}
        competencies: dict[str, tuple[int, dict[str, Any]]] = {}
        required: dict[tuple[str, str], int] = {}
        top_required: dict[str, int] = {}
        for row in self.rows:
            values = row.values
            cadre, area, code = values.get("cadre"), values.get("area_code"), values.get("competency_code")
            if cadre is not None and cadre not in cadres:
                self.error(row, "cadre", cadre, framework_message("cadre_unknown", value=cadre))
            if cadre is not None and area is not None and "area_name" in values:
                first = areas.setdefault((cadre, area), (row.number, values["area_name"]))
                if first[1] != values["area_name"]:
                    text = framework_message(
                        "area_differs", area=area, cadre=cadre, first=first[1], row=first[0]
                    )
                    self.error(row, "area_name", values["area_name"], text)
            if code is not None:
                described: dict[str, Any] = {
                    name: values.get(name)
                    for name in ("competency_name", "levels", "description", "survey_topic")
                }
                first_row, first_values = competencies.setdefault(code, (row.number, described))
                for name, value in described.items():
                    earlier = first_values[name]
                    if value is not None and earlier is not None and value != earlier:
                        text = framework_message(
                            "competency_differs", code=code, what=name, row=first_row, first=earlier
                        )
                        self.error(row, name, value, text)
            if cadre is not None and code is not None:
                if (cadre, code) in required:
                    text = framework_message(
                        "required_twice", cadre=cadre, code=code, row=required[(cadre, code)]
                    )
                    self.error(row, "competency_code", code, text)
                required.setdefault((cadre, code), row.number)
            level, levels = values.get("level_required"), values.get("levels")
            if level is not None and levels is not None and level > levels:
                self.error(
                    row, "level_required", level, framework_message("level_above", level=level, levels=levels)
                )
            if code is not None and level is not None:
                top_required[code] = max(level, top_required.get(code, 0))
        self._levels_in_use(competencies, set(required))
        return cadres

    def _levels_in_use(
        self, competencies: dict[str, tuple[int, dict[str, Any]]], pairs: set[tuple[str, str]]
    ) -> None:
        """A competency's levels may not drop below a level in use outside the file: built by a programme,
        assessed, or required by a framework where the file does not set its level."""
        stored = dict(Competency.objects.filter(code__in=list(competencies)).values_list("code", "pk"))
        in_use: dict[int, int] = {}
        for model in (ProgrammeCompetency, CompetencyAssessment):
            for competency_id, level in (
                model.objects.filter(competency_id__in=stored.values())
                .values("competency_id")
                .annotate(top=Max("level"))
                .values_list("competency_id", "top")
            ):
                in_use[competency_id] = max(level, in_use.get(competency_id, 0))
        for cadre, code, competency_id, level in RequiredCompetency.objects.filter(
            competency_id__in=stored.values()
        ).values_list("area__framework__cadre__code", "competency__code", "competency_id", "level"):
            if (cadre, code) not in pairs:
                in_use[competency_id] = max(level, in_use.get(competency_id, 0))
        for code, (first_row, described) in competencies.items():
            level = in_use.get(stored.get(code, 0), 0)
            if described["levels"] is not None and described["levels"] < level:
                row = next(row for row in self.rows if row.number == first_row)
                self.error(
                    row,
                    "levels",
                    described["levels"],
                    framework_message("levels_in_use", code=code, level=level),
                )

    def write(self, cadres: dict[str, Cadre]) -> None:
        """Create or change the frameworks, areas, competencies and requirements of the rows without error,
        row by row, through the services; count every row (created: a new requirement; updated: anything
        of the row changed; rejected: a row with an error). A competency's levels are lowered last, once
        every requirement of the file is at its new level."""
        positions: dict[str, list[str]] = {}
        lowered: dict[str, tuple[_Row, dict[str, Any]]] = {}
        for row in self.rows:
            if row.ok:
                try:
                    self._row_written(row, cadres, positions, lowered)
                except ValidationError as refusal:
                    self._refused(row, refusal)
            if not row.ok:
                self.counts.rejected += 1
        for code, (row, wanted) in lowered.items():
            try:
                services.competency_save(actor=self.actor, code=code, **wanted)
            except ValidationError as refusal:
                self._refused(row, refusal)
        for code, order in positions.items():
            self._areas_ordered(cadres[code], order)

    def _refused(self, row: _Row, refusal: ValidationError) -> None:
        where = {"code": "competency_code", "name": "competency_name", "level": "level_required"}
        for name, texts in (
            refusal.message_dict if hasattr(refusal, "error_dict") else {"": refusal.messages}
        ).items():
            column = where.get(name, name if name in COLUMN_NAMES else "")
            self.error(row, column, row.values.get(column, ""), " ".join(texts))

    def _row_written(
        self,
        row: _Row,
        cadres: dict[str, Cadre],
        positions: dict[str, list[str]],
        lowered: dict[str, tuple[_Row, dict[str, Any]]],
    ) -> None:
        values = row.values
        cadre = cadres[values["cadre"]]
        changed = False
        framework = CompetencyFramework.objects.filter(cadre=cadre).first()
        if framework is None:
            framework = services.framework_set(actor=self.actor, cadre=cadre, name=str(cadre.name))
            changed = True
        order = positions.setdefault(cadre.code, [])
        if values["area_code"] not in order:
            order.append(values["area_code"])
        area = CompetencyArea.objects.filter(framework=framework, code=values["area_code"]).first()
        if area is None:
            area = services.competency_area_add(
                actor=self.actor, framework=framework, code=values["area_code"], name=values["area_name"]
            )
            changed = True
        elif area.name != values["area_name"]:
            services.competency_area_change(
                actor=self.actor, area=area, code=area.code, name=values["area_name"]
            )
            changed = True
        code = values["competency_code"]
        competency = Competency.objects.filter(code=code).first()
        wanted = {
            "name": values["competency_name"],
            "levels": values["levels"],
            "description": values["description"],
            "survey_topic": values["survey_topic"],
        }
        if competency is not None and wanted["levels"] < competency.levels:
            lowered[code] = (row, wanted)
            wanted = {**wanted, "levels": competency.levels}  # lowered last
            changed = True
        if competency is None or any(getattr(competency, name) != value for name, value in wanted.items()):
            competency = services.competency_save(actor=self.actor, code=code, **wanted)
            changed = True
        requirement = RequiredCompetency.objects.filter(
            area__framework=framework, competency=competency
        ).first()
        if requirement is None:
            services.requirement_set(
                actor=self.actor, area=area, competency=competency, level=values["level_required"]
            )
            self.counts.created += 1
            return
        if requirement.area_id != area.pk or requirement.level != values["level_required"]:
            services.requirement_set(
                actor=self.actor, area=area, competency=competency, level=values["level_required"], move=True
            )
            changed = True
        if changed:
            self.counts.updated += 1
        else:
            self.counts.unchanged += 1

    def _areas_ordered(self, cadre: Cadre, order: list[str]) -> None:
        """The file's areas first, in its order; the framework's other areas after them, as they were."""
        framework = CompetencyFramework.objects.get(cadre=cadre)
        current = list(
            CompetencyArea.objects.filter(framework=framework)
            .order_by("position", "code")
            .values_list("code", flat=True)
        )
        wanted = order + [code for code in current if code not in order]
        if wanted != current:
            services.competency_areas_reorder(actor=self.actor, framework=framework, codes=wanted)


def _table_of(source: Path, reader: Any) -> RawTable:
    if isinstance(reader, WorkbookSource):
        return reader.first_sheet_table()
    return reader.csv_table(name="frameworks", file=source.name, opener=lambda: source.open("rb"))


def frameworks_import(*, actor: Any, source: Path, dry_run: bool = False) -> ImportReport:
    """Import the frameworks of the ``.csv`` or ``.xlsx`` file ``source`` (module docstring).

    ``actor`` must be allowed to change frameworks (``PermissionDenied`` before anything is read). Returns
    the report of the one file: every problem, and its counts (``read = created + updated + unchanged +
    rejected``). ``report.imported`` is true only when written: never for a dry run nor with any error. A
    source that cannot be read (no such file, too large, not CSV or a workbook, damaged) is a problem of
    the report, not an exception."""
    require_framework_change(user=actor)
    report = ImportReport(mode=ImportMode.of(dry_run=dry_run, skip_invalid=False))
    name = source.name
    counts = report.files.setdefault(name, FileCounts())
    run = _Run(actor=actor, file=name, report=report, counts=counts)
    if not source.is_file():
        text = message("no_source", path=source)
        report.problems.append(Problem(file="", row=0, column="", value=str(source), message=text))
        return report
    suffix = source.suffix.lower()
    limit = limits_current().max_bytes
    if suffix not in (".csv", *WORKBOOK_SUFFIXES):
        report.problems.append(
            Problem(file=name, row=0, column="", value="", message=framework_message("not_a_file", file=name))
        )
        return report
    if source.stat().st_size > limit:
        text = message("too_large", file=name, limit=limit // 2**20)
        report.problems.append(Problem(file=name, row=0, column="", value="", message=text))
        return report
    try:
        reader: Any = (
            WorkbookSource(source) if suffix in WORKBOOK_SUFFIXES else CsvSource(encoding=None, source=name)
        )
        with reader:
            run.read(_table_of(source, reader))
    except TemplateReadError as exc:
        report.problems.append(Problem(file=name, row=exc.row, column="", value="", message=exc.message))
        counts.rejected = counts.read
        return report

    def work() -> None:
        cadres = run.check()
        try:
            run.write(cadres)
        except ValidationError as refusal:  # a service's refusal the checks did not foresee: nothing written
            text = " ".join(str(problem) for problem in refusal.messages)
            report.problems.append(Problem(file=name, row=0, column="", value="", message=text))

    import_transaction_run(report=report, work=work)
    return report


def frameworks_import_upload(
    *, actor: Any, file_name: str, chunks: Iterable[bytes], dry_run: bool = False
) -> ImportReport:
    """:func:`frameworks_import` of a file received by the page or the API (``chunks``: its content), kept in
    a temporary folder under its own base name and removed after."""
    require_framework_change(user=actor)
    with upload_kept(file_name=file_name, chunks=chunks, default="frameworks.csv") as source:
        return frameworks_import(actor=actor, source=source, dry_run=dry_run)


def frameworks_export_rows(*, cadre_codes: Iterable[str] | None = None) -> Iterator[tuple[Any, ...]]:
    """The rows of the framework file (:data:`COLUMN_NAMES`) of every framework, or those of
    ``cadre_codes``: by cadre code, then in each framework's order. One query."""
    requirements = RequiredCompetency.objects.select_related("area__framework__cadre", "competency").order_by(
        "area__framework__cadre__code", "area__position", "area__code", "position", "competency__code"
    )
    if cadre_codes is not None:
        requirements = requirements.filter(area__framework__cadre__code__in=list(cadre_codes))
    for requirement in requirements:
        area, competency = requirement.area, requirement.competency
        yield (
            area.framework.cadre.code,
            area.code,
            area.name,
            competency.code,
            competency.name,
            competency.levels,
            requirement.level,
            competency.description,
            competency.survey_topic,
        )


def frameworks_export(*, path: Path, cadre_codes: Iterable[str] | None = None) -> int:
    """Write the frameworks (or those of ``cadre_codes``) to ``path`` in the import's format: ``.xlsx`` for
    a name ending so, CSV otherwise. Returns the number of rows."""
    rows = frameworks_export_rows(cadre_codes=cadre_codes)
    if path.suffix.lower() == ".xlsx":
        return table_write_xlsx(header=COLUMN_NAMES, rows=rows, path=path, sheet="frameworks")
    with path.open("w", encoding="utf-8", newline="") as stream:
        return table_write_csv(header=COLUMN_NAMES, rows=rows, stream=stream)
