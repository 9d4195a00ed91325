"""The DHIS2 mapping file: reading it (CSV or JSON), checking every line, importing it all or nothing.

The file format is documented in ``docs/dhis2.md`` ("The mapping file"), with an example
(:data:`EXAMPLE_CSV`, served by the page). In short, a CSV file with the header :data:`COLUMNS`, one
record a line:

* ``data_set`` — ``dhis2``: the data set's uid or code;
* ``id_scheme`` — ``dhis2``: ``uid`` or ``code``, for the data set, data elements, combos and org units;
* ``value`` — ``indicator``, ``part`` (``numerator`` | ``denominator``), ``disaggregation`` and ``group``
  (both empty for the total), ``dhis2`` (the data element), ``category_option_combo``,
  ``attribute_option_combo`` (both optional), ``adx_categories`` (optional, ``CATEGORY=OPTION;...``);
* ``child_population`` — ``dhis2`` (the data element of the child population, 0-17), and the optional
  combos and ADX categories;
* ``org_unit`` — ``location`` (a location's sswis code) and ``dhis2`` (its org unit), for a location whose
  org unit is not its default (``Location.dhis2_uid`` under ``uid``, ``Location.code`` under ``code``).

The JSON file holds the same: ``{"data_set", "id_scheme", "values": [{indicator, part, disaggregation,
group, data_element, category_option_combo, attribute_option_combo, adx_categories: {...}}],
"child_population": {data_element, ...}, "org_units": [{"location", "org_unit"}]}``; its "lines" are the
items' positions (``values[3]``).

Every problem is reported with its line and what is wrong (an unknown indicator, dimension, group or
location, a part the indicator has no count for, a uid that is not 11 characters ``[A-Za-z][A-Za-z0-9]{10}``,
a figure mapped twice, a text with a control character); one problem and nothing is written.
"""

from __future__ import annotations

import csv
import io
import json
import re
from dataclasses import dataclass, field
from typing import Any

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils.translation import gettext as _

from sswis.access.dhis2_policy import require_dhis2
from sswis.auditing import instance_save_audited
from sswis.dhis2.models import DataElementMapping, Dhis2Mapping, IdScheme, MappingKind, OrgUnitMapping, Part
from sswis.geo.models import Location
from sswis.indicators.definitions import DIMENSIONS, INDICATORS
from sswis.indicators.rows import COUNT
from sswis.registry.models import Cadre
from sswis.text import text_problem

COLUMNS = (
    "record",
    "indicator",
    "part",
    "disaggregation",
    "group",
    "location",
    "dhis2",
    "category_option_combo",
    "attribute_option_combo",
    "adx_categories",
)
RECORDS = ("data_set", "id_scheme", "value", "child_population", "org_unit")
UID_PATTERN = re.compile(r"[A-Za-z][A-Za-z0-9]{10}")
CODE_MAX_LENGTH = 50  # DHIS2's codes are at most 50 characters
XML_NAME = re.compile(r"[A-Za-z_][A-Za-z0-9_.-]*")
ADX_RESERVED = frozenset({"dataElement", "value", "orgUnit", "period", "dataSet"})
MAX_FILE_BYTES = 5 * 1024 * 1024


class MappingError(ValidationError):
    """The file was refused: ``problems`` are ``(line, message)``, every one found, in line order."""

    def __init__(self, problems: list[tuple[str, str]]) -> None:
        self.problems = problems
        super().__init__([f"{line}: {message}" if line else message for line, message in problems])


@dataclass
class ValueLine:
    line: str
    number: int
    kind: str
    indicator: str
    part: str
    dimension: str
    group: str
    data_element: str
    category_option_combo: str
    attribute_option_combo: str
    adx_categories: dict[str, str]


@dataclass
class MappingFile:
    """A mapping file read and checked (:func:`mapping_read`)."""

    data_set: str = ""
    id_scheme: str = ""
    values: list[ValueLine] = field(default_factory=list)
    org_units: list[tuple[str, str, str]] = field(default_factory=list)  # (line, location code, org unit)


def _problems_of_text(line: str, column: str, text: str, problems: list[tuple[str, str]]) -> str:
    found = text_problem(text)
    if found is not None:
        problems.append(
            (
                line,
                _("%(column)s contains a character that is not allowed: %(code)s (character %(position)d).")
                % {"column": column, "code": found.code_point, "position": found.position},
            )
        )
        return ""
    return text.strip()


def _identifier_problem(*, text: str, scheme: str, what: str) -> str | None:
    """Why ``text`` cannot be a DHIS2 id of ``scheme`` (``what`` names it), or ``None``."""
    if not text:
        return _("%(what)s is empty.") % {"what": what}
    if scheme == IdScheme.UID and not UID_PATTERN.fullmatch(text):
        return _(
            "%(what)s %(text)r is not a DHIS2 uid: 11 letters and digits, the first a letter (id scheme uid)."
        ) % {"what": what, "text": text}
    if len(text) > CODE_MAX_LENGTH:
        return _("%(what)s %(text)r is longer than %(max)d characters.") % {
            "what": what,
            "text": text,
            "max": CODE_MAX_LENGTH,
        }
    return None


def _adx_categories(text: str | dict[str, Any]) -> tuple[dict[str, str], str | None]:
    """``CATEGORY=OPTION;...`` (or a JSON object) as a dict, or a problem."""
    pairs: dict[str, str] = {}
    if isinstance(text, dict):
        items = [(str(k), str(v)) for k, v in text.items()]
    else:
        items = []
        for part in (p.strip() for p in text.split(";")):
            if not part:
                continue
            name, equals, option = part.partition("=")
            if not equals:
                return {}, _("adx_categories %(part)r is not CATEGORY=OPTION.") % {"part": part}
            items.append((name.strip(), option.strip()))
    for name, option in items:
        if not XML_NAME.fullmatch(name) or name in ADX_RESERVED:
            return {}, _(
                "adx_categories: %(name)r cannot be an ADX category attribute (a category code: letters, "
                "digits, _ . -, not one of %(reserved)s)."
            ) % {"name": name, "reserved": ", ".join(sorted(ADX_RESERVED))}
        if not option or len(option) > CODE_MAX_LENGTH or text_problem(option) is not None:
            return {}, _(
                "adx_categories: the option of %(name)r is empty, too long or has a character that is not allowed."
            ) % {"name": name}
        if name in pairs:
            return {}, _("adx_categories: %(name)r is given twice.") % {"name": name}
        pairs[name] = option
    return pairs, None


def _records_of_csv(content: bytes) -> list[tuple[str, dict[str, Any]]]:
    try:
        text = content.decode("utf-8-sig")
    except UnicodeDecodeError as error:
        raise MappingError(
            [("", _("The file is not UTF-8 text (byte %(at)d).") % {"at": error.start + 1})]
        ) from None
    reader = csv.DictReader(io.StringIO(text, newline=""))
    header = [name.strip() for name in (reader.fieldnames or [])]
    missing = [column for column in ("record", "dhis2") if column not in header]
    unknown = [column for column in header if column not in COLUMNS]
    if missing or unknown:
        raise MappingError(
            [
                (
                    _("line 1"),
                    _(
                        "The header must hold the columns %(columns)s (missing: %(missing)s; unknown: %(unknown)s)."
                    )
                    % {
                        "columns": ", ".join(COLUMNS),
                        "missing": ", ".join(missing) or "-",
                        "unknown": ", ".join(unknown) or "-",
                    },
                )
            ]
        )
    reader.fieldnames = header
    records = []
    for row in reader:
        if None in row:
            raise MappingError(
                [(_("line %(n)d") % {"n": reader.line_num}, _("The line has more cells than the header."))]
            )
        if not any((value or "").strip() for value in row.values()):
            continue
        records.append((_("line %(n)d") % {"n": reader.line_num}, {k: v or "" for k, v in row.items()}))
    return records


def _records_of_json(content: bytes) -> list[tuple[str, dict[str, Any]]]:
    try:
        document = json.loads(content.decode("utf-8-sig"))
    except (UnicodeDecodeError, ValueError) as error:
        raise MappingError([("", _("The file is not JSON: %(error)s.") % {"error": error})]) from None
    if not isinstance(document, dict):
        raise MappingError([("", _("The JSON file must be an object with data_set, id_scheme and values."))])
    unknown = sorted(set(document) - {"data_set", "id_scheme", "values", "child_population", "org_units"})
    if unknown:
        raise MappingError([("", _("Unknown keys: %(keys)s.") % {"keys": ", ".join(unknown)})])
    records: list[tuple[str, dict[str, Any]]] = [
        ("data_set", {"record": "data_set", "dhis2": document.get("data_set", "")}),
        ("id_scheme", {"record": "id_scheme", "dhis2": document.get("id_scheme", "")}),
    ]

    def items(key: str) -> list[Any]:
        value = document.get(key, [])
        if not isinstance(value, list):
            raise MappingError([(key, _("%(key)s must be a list.") % {"key": key})])
        return value

    for index, item in enumerate(items("values")):
        if not isinstance(item, dict):
            raise MappingError([(f"values[{index}]", _("Each value must be an object."))])
        record = {"record": "value", "dhis2": item.get("data_element", "")}
        record.update({k: v for k, v in item.items() if k != "data_element"})
        records.append((f"values[{index}]", record))
    population = document.get("child_population")
    if population is not None:
        if not isinstance(population, dict):
            raise MappingError([("child_population", _("child_population must be an object."))])
        record = {"record": "child_population", "dhis2": population.get("data_element", "")}
        record.update({k: v for k, v in population.items() if k != "data_element"})
        records.append(("child_population", record))
    for index, item in enumerate(items("org_units")):
        if not isinstance(item, dict):
            raise MappingError([(f"org_units[{index}]", _("Each org unit must be an object."))])
        records.append(
            (
                f"org_units[{index}]",
                {
                    "record": "org_unit",
                    "location": item.get("location", ""),
                    "dhis2": item.get("org_unit", ""),
                },
            )
        )
    return records


def mapping_read(*, content: bytes, file_name: str) -> MappingFile:
    """The mapping in ``content`` (CSV, or JSON when the name ends in ``.json`` or the text starts with
    ``{``), every line checked against the indicators, the locations and the cadres of the database.

    Raises :class:`MappingError` with every problem found (line, message); reads the database only."""
    if len(content) > MAX_FILE_BYTES:
        raise MappingError([("", _("The file is larger than %(max)d bytes.") % {"max": MAX_FILE_BYTES})])
    is_json = file_name.lower().endswith(".json") or content.lstrip(b"\xef\xbb\xbf \r\n\t").startswith(b"{")
    records = _records_of_json(content) if is_json else _records_of_csv(content)
    problems: list[tuple[str, str]] = []
    mapping = MappingFile()
    texts: list[tuple[str, dict[str, Any]]] = []
    for line, record in records:
        unknown = sorted(set(record) - set(COLUMNS) - {"data_element", "org_unit"})
        if unknown:
            problems.append((line, _("Unknown keys: %(keys)s.") % {"keys": ", ".join(unknown)}))
            continue
        cells: dict[str, Any] = {}
        before = len(problems)
        for column in COLUMNS:
            value = record.get(column, "")
            if column == "adx_categories" and isinstance(value, dict):
                cells[column] = value  # checked by _adx_categories
                continue
            if value is None:
                value = ""
            if not isinstance(value, str):
                problems.append((line, _("%(column)s must be text.") % {"column": column}))
                value = ""
            cells[column] = _problems_of_text(line, column, value, problems)
        if len(problems) == before:  # a line with a refused character is not checked further
            texts.append((line, cells))
    for line, cells in texts:
        kind = cells["record"]
        if kind not in RECORDS:
            problems.append(
                (
                    line,
                    _("Unknown record %(record)r; records: %(records)s.")
                    % {"record": kind, "records": ", ".join(RECORDS)},
                )
            )
        elif kind == "data_set":
            if mapping.data_set:
                problems.append((line, _("The data set is given twice.")))
            mapping.data_set = cells["dhis2"] or mapping.data_set
        elif kind == "id_scheme":
            if cells["dhis2"] not in IdScheme.values:
                problems.append(
                    (line, _("Unknown id scheme %(scheme)r: give uid or code.") % {"scheme": cells["dhis2"]})
                )
            elif mapping.id_scheme:
                problems.append((line, _("The id scheme is given twice.")))
            else:
                mapping.id_scheme = cells["dhis2"]
    if not mapping.data_set:
        problems.append(("", _("The data set is missing (a data_set record).")))
    if not mapping.id_scheme:
        problems.append(("", _("The id scheme is missing (an id_scheme record: uid or code).")))
    scheme = mapping.id_scheme or IdScheme.UID
    if mapping.data_set:
        problem = _identifier_problem(text=mapping.data_set, scheme=scheme, what=_("The data set"))
        if problem:
            problems.append(("data_set", problem))
    cadres = set(Cadre.objects.values_list("code", flat=True))
    locations = dict(Location.objects.values_list("code", "pk"))
    seen: dict[tuple[str, str, str, str, str], str] = {}
    seen_locations: dict[str, str] = {}
    for number, (line, cells) in enumerate(texts, start=1):
        kind = cells["record"]
        if kind == "org_unit":
            code = cells["location"]
            if code not in locations:
                problems.append((line, _("Unknown location %(code)r.") % {"code": code}))
            elif code in seen_locations:
                problems.append(
                    (
                        line,
                        _("Location %(code)r is mapped twice (also %(other)s).")
                        % {"code": code, "other": seen_locations[code]},
                    )
                )
            else:
                seen_locations[code] = line
            problem = _identifier_problem(text=cells["dhis2"], scheme=scheme, what=_("The org unit"))
            if problem:
                problems.append((line, problem))
            mapping.org_units.append((line, code, cells["dhis2"]))
        elif kind in ("value", "child_population"):
            value = _value_line(
                line=line, number=number, cells=cells, scheme=scheme, cadres=cadres, problems=problems
            )
            if value is None:
                continue
            key = (value.kind, value.indicator, value.part, value.dimension, value.group)
            if key in seen:
                problems.append(
                    (line, _("This figure is already mapped on %(other)s.") % {"other": seen[key]})
                )
                continue
            seen[key] = line
            mapping.values.append(value)
    if not mapping.values and not problems:
        problems.append(("", _("The file maps no figure (no value or child_population record).")))
    if problems:
        raise MappingError(problems)
    return mapping


def _value_line(
    *,
    line: str,
    number: int,
    cells: dict[str, Any],
    scheme: str,
    cadres: set[str],
    problems: list[tuple[str, str]],
) -> ValueLine | None:
    """A ``value`` or ``child_population`` line checked; ``None`` (problems added) when it is wrong."""
    before = len(problems)
    kind = cells["record"]
    indicator, part, dimension, group = (cells[c] for c in ("indicator", "part", "disaggregation", "group"))
    if kind == "child_population":
        if indicator or part or dimension or group:
            problems.append(
                (
                    line,
                    _(
                        "The child population has no indicator, part, disaggregation or group; leave them empty."
                    ),
                )
            )
    else:
        definition = INDICATORS.get(indicator)
        if definition is None:
            problems.append(
                (
                    line,
                    _("Unknown indicator %(indicator)r; indicators: %(valid)s.")
                    % {"indicator": indicator, "valid": ", ".join(INDICATORS)},
                )
            )
        if part not in Part.values:
            problems.append(
                (line, _("Unknown part %(part)r: give numerator or denominator.") % {"part": part})
            )
        elif indicator == COUNT and part == Part.DENOMINATOR:
            problems.append((line, _("workforce.count has no denominator: map its numerator (the count).")))
        if bool(dimension) != bool(group):
            problems.append((line, _("Give both a disaggregation and a group, or neither (the total).")))
        elif dimension and definition is not None:
            if dimension not in definition.dimensions:
                problems.append(
                    (
                        line,
                        _("%(indicator)s cannot be split by %(dimension)r; it accepts: %(valid)s.")
                        % {
                            "indicator": indicator,
                            "dimension": dimension,
                            "valid": ", ".join(definition.dimensions) or "-",
                        },
                    )
                )
            else:
                codes = DIMENSIONS[dimension].group_codes or tuple(sorted(cadres))
                if group not in codes:
                    problems.append(
                        (
                            line,
                            _("Unknown group %(group)r of %(dimension)s; groups: %(valid)s.")
                            % {"group": group, "dimension": dimension, "valid": ", ".join(codes) or "-"},
                        )
                    )
    problem = _identifier_problem(text=cells["dhis2"], scheme=scheme, what=_("The data element"))
    if problem:
        problems.append((line, problem))
    for column, what in (
        ("category_option_combo", _("The category option combo")),
        ("attribute_option_combo", _("The attribute option combo")),
    ):
        if cells[column]:
            problem = _identifier_problem(text=cells[column], scheme=scheme, what=what)
            if problem:
                problems.append((line, problem))
    categories, problem = _adx_categories(cells["adx_categories"])
    if problem:
        problems.append((line, problem))
    if len(problems) > before:
        return None
    return ValueLine(
        line=line,
        number=number,
        kind=MappingKind.VALUE if kind == "value" else MappingKind.CHILD_POPULATION,
        indicator=indicator,
        part=part,
        dimension=dimension,
        group=group,
        data_element=cells["dhis2"],
        category_option_combo=cells["category_option_combo"],
        attribute_option_combo=cells["attribute_option_combo"],
        adx_categories=categories,
    )


@transaction.atomic
def dhis2_mapping_import(*, actor: Any, content: bytes, file_name: str) -> Dhis2Mapping:
    """Replace the mapping in force with the one of the file, all or nothing, audited with ``actor``
    (``None``: the command line). A user must be a national data manager (``PermissionDenied``).

    Raises :class:`MappingError` (every problem, with its line); then nothing is written."""
    if actor is not None:
        require_dhis2(user=actor)
    read = mapping_read(content=content, file_name=file_name)
    for old in DataElementMapping.objects.all():
        old._history_user = actor  # type: ignore[attr-defined]
        old.delete()
    for old_unit in OrgUnitMapping.objects.all():
        old_unit._history_user = actor  # type: ignore[attr-defined]
        old_unit.delete()
    mapping = Dhis2Mapping.objects.first() or Dhis2Mapping()
    mapping.data_set, mapping.id_scheme = read.data_set, read.id_scheme
    mapping.file_name, mapping.imported_by = file_name[:255], actor
    instance_save_audited(mapping, actor=actor)
    for value in read.values:
        instance_save_audited(
            DataElementMapping(
                kind=value.kind,
                indicator=value.indicator,
                part=value.part,
                dimension=value.dimension,
                group=value.group,
                data_element=value.data_element,
                category_option_combo=value.category_option_combo,
                attribute_option_combo=value.attribute_option_combo,
                adx_categories=value.adx_categories,
                line=value.number,
            ),
            actor=actor,
        )
    locations = dict(
        Location.objects.filter(code__in=[c for _l, c, _u in read.org_units]).values_list("code", "pk")
    )
    for _line, code, org_unit in read.org_units:
        instance_save_audited(OrgUnitMapping(location_id=locations[code], org_unit=org_unit), actor=actor)
    return mapping


def mapping_as_csv() -> str:
    """The mapping in force as a mapping file (CSV): what an import of it would set again."""
    mapping = Dhis2Mapping.objects.first()
    stream = io.StringIO()
    writer = csv.writer(stream, lineterminator="\n")
    writer.writerow(COLUMNS)
    if mapping is None:
        return stream.getvalue()
    writer.writerow(["data_set", "", "", "", "", "", mapping.data_set, "", "", ""])
    writer.writerow(["id_scheme", "", "", "", "", "", mapping.id_scheme, "", "", ""])
    for value in DataElementMapping.objects.all():
        categories = ";".join(f"{k}={v}" for k, v in value.adx_categories.items())
        writer.writerow(
            [
                "value" if value.kind == MappingKind.VALUE else "child_population",
                value.indicator,
                value.part,
                value.dimension,
                value.group,
                "",
                value.data_element,
                value.category_option_combo,
                value.attribute_option_combo,
                categories,
            ]
        )
    for unit in OrgUnitMapping.objects.select_related("location").order_by("location__path"):
        writer.writerow(["org_unit", "", "", "", "", unit.location.code, unit.org_unit, "", "", ""])
    return stream.getvalue()


EXAMPLE_CSV = """record,indicator,part,disaggregation,group,location,dhis2,category_option_combo,attribute_option_combo,adx_categories
data_set,,,,,,SSWdataSet1,,,
id_scheme,,,,,,uid,,,
value,workforce.count,numerator,,,,SSWcount001,,,
value,workforce.count,numerator,sex,female,,SSWcountSex,SSWcocFemal,,SSW_SEX=FEMALE
value,workforce.count,numerator,sex,male,,SSWcountSex,SSWcocMale1,,SSW_SEX=MALE
value,workforce.count,numerator,sex,other,,SSWcountSex,SSWcocOther,,SSW_SEX=OTHER
value,workforce.count,numerator,sex,unknown,,SSWcountSex,SSWcocUnkno,,SSW_SEX=UNKNOWN
value,workforce.female_share,numerator,,,,SSWfemale01,,,
value,workforce.female_share,denominator,,,,SSWknownSex,,,
value,posts.vacancy_rate,numerator,,,,SSWvacant01,,,
value,posts.vacancy_rate,denominator,,,,SSWfunded01,,,
child_population,,,,,,SSWchildren,,,
org_unit,,,,,D01,ImspTQPwCqd,,,
"""
"""An example mapping file (``docs/dhis2.md``); ``D01`` must be a location of the database to import it."""
