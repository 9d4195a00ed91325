"""The planning pages' forms. A scenario's form writes the contract's scenario document
(``contracts/planning.md`` section 3), the one input of ``planning.services.scenario_save``, so the page
stores exactly what the command line and the API store; the service's ``PlanInputError`` comes back on
the field it names."""

from __future__ import annotations

import re
from decimal import Decimal
from typing import Any

from django import forms
from django.db.models import QuerySet
from django.utils.translation import gettext_lazy

from sswis.geo.models import Location
from sswis.planning.inputs import PlanInputError
from sswis.planning.models import NormGroup
from sswis.planning.scenarios import CADRE_KEYS, DEFAULT_HORIZON
from sswis.registry.dates import EARLIEST_YEAR, LATEST_YEAR
from sswis.registry.models import Cadre, CadreCategory
from sswis.web.forms import CheckedForm, CodeChoiceField, LocationChoiceField

SHIFT_ROWS = 2
PARAMETER_LABELS = {
    "attrition_rate": gettext_lazy("Attrition rate"),
    "retirement_age": gettext_lazy("Retirement age"),
    "graduates": gettext_lazy("Graduates a year"),
    "absorption_rate": gettext_lazy("Absorption rate"),
    "recruitment": gettext_lazy("Recruits a year"),
    "target_per_100k": gettext_lazy("Target per 100,000 children"),
    "salary": gettext_lazy("Salary a year"),
    "on_cost_rate": gettext_lazy("On-cost rate"),
    "salary_growth": gettext_lazy("Salary growth"),
    "training_cost_per_entrant": gettext_lazy("Training cost per entrant"),
}
_NUMBER = re.compile(r"^-?\d+(\.\d+)?$")
_LIST_SEPARATOR = re.compile(r"[\s;]+")


def _value(text: str) -> Any:
    """A typed number (``"40"`` -> 40, ``"0.05"`` -> 0.05) or the text as given, which the scenario's
    parser then refuses naming the field (``"abc"``) or accepts (``"estimated"``)."""
    if _NUMBER.match(text):
        return float(text) if "." in text else int(text)
    return text


def _text(value: Any) -> str:
    if value is None:
        return ""
    if isinstance(value, list):
        return " ".join(_text(item) for item in value)
    return str(value)


class ScenarioForm(CheckedForm):
    """A scenario: its code, name, location, years and growth, then a row of parameters per cadre (a
    cadre with every box empty is left out) and up to two task shifts. Numbers use a dot for decimals;
    graduates and recruits take one number for every year, or one per year separated by spaces."""

    code = forms.CharField(
        label=gettext_lazy("Code"), max_length=50, help_text=gettext_lazy("Letters, digits, dots, dashes.")
    )
    name = forms.CharField(label=gettext_lazy("Name"), max_length=200)
    location = LocationChoiceField(
        queryset=Location.objects.none(),
        label=gettext_lazy("Planned for"),
        help_text=gettext_lazy("The country, or the region or district this scenario plans for."),
    )
    base_year = forms.IntegerField(
        label=gettext_lazy("Base year"), min_value=EARLIEST_YEAR, max_value=LATEST_YEAR
    )
    horizon = forms.IntegerField(
        label=gettext_lazy("Horizon (years)"), min_value=1, max_value=30, initial=DEFAULT_HORIZON
    )
    child_population_growth = forms.CharField(
        label=gettext_lazy("Child population growth a year"),
        required=False,
        help_text=gettext_lazy(
            "A share: 0.025 is 2.5% a year. Used for the years without a recorded figure."
        ),
    )
    currency = forms.CharField(
        label=gettext_lazy("Currency"), required=False, max_length=3, help_text=gettext_lazy("e.g. USD")
    )

    def __init__(
        self, *args: Any, cadres: QuerySet[Cadre], locations: QuerySet[Location], **kwargs: Any
    ) -> None:
        super().__init__(*args, **kwargs)
        location = self.fields["location"]
        assert isinstance(location, forms.ModelChoiceField)
        location.queryset = locations
        self.cadres = list(cadres)
        for cadre in self.cadres:
            for key in CADRE_KEYS:
                self.fields[f"cadre-{cadre.code}-{key}"] = forms.CharField(
                    required=False, max_length=400, label=f"{cadre.name}: {PARAMETER_LABELS[key]}"
                )
        cadre_choices = [("", "—"), *((cadre.code, cadre.name) for cadre in self.cadres)]
        for index in range(SHIFT_ROWS):
            self.fields[f"shift-{index}-from"] = forms.ChoiceField(
                choices=cadre_choices, required=False, label=gettext_lazy("From cadre")
            )
            self.fields[f"shift-{index}-to"] = forms.ChoiceField(
                choices=cadre_choices, required=False, label=gettext_lazy("To cadre")
            )
            self.fields[f"shift-{index}-share"] = forms.CharField(
                required=False, max_length=40, label=gettext_lazy("Share of the requirement")
            )
            self.fields[f"shift-{index}-replacement_factor"] = forms.CharField(
                required=False, max_length=40, label=gettext_lazy("Workers replacing one")
            )

    @classmethod
    def initial_of(cls, document: dict[str, Any], *, location: Location | None) -> dict[str, Any]:
        """The form's initial values from a stored scenario's document."""
        initial: dict[str, Any] = {
            key: document.get(key, "") for key in ("code", "name", "base_year", "horizon", "currency")
        }
        initial["child_population_growth"] = _text(document.get("child_population_growth"))
        initial["location"] = location
        for code, plan in (document.get("cadres") or {}).items():
            for key, value in (plan or {}).items():
                initial[f"cadre-{code}-{key}"] = _text(value)
        for index, shift in enumerate((document.get("task_shifting") or [])[:SHIFT_ROWS]):
            for key in ("from", "to", "share", "replacement_factor"):
                initial[f"shift-{index}-{key}"] = _text(shift.get(key))
        return initial

    @property
    def parameter_labels(self) -> list[Any]:
        """The headings of the cadres' table, in the columns' order."""
        return [PARAMETER_LABELS[key] for key in CADRE_KEYS]

    def cadre_rows(self) -> list[tuple[Cadre, list[forms.BoundField]]]:
        """Each cadre with its parameter fields, in the columns' order (for the table of the page)."""
        return [(cadre, [self[f"cadre-{cadre.code}-{key}"] for key in CADRE_KEYS]) for cadre in self.cadres]

    def shift_rows(self) -> list[list[forms.BoundField]]:
        return [
            [self[f"shift-{index}-{key}"] for key in ("from", "to", "share", "replacement_factor")]
            for index in range(SHIFT_ROWS)
        ]

    def document(self) -> dict[str, Any]:
        """The contract's scenario document of the (valid) form."""
        data = self.cleaned_data
        document: dict[str, Any] = {
            "code": data["code"],
            "name": data["name"],
            "location": data["location"].code,
            "base_year": data["base_year"],
            "horizon": data["horizon"],
        }
        if data.get("child_population_growth"):
            document["child_population_growth"] = _value(data["child_population_growth"].strip())
        if data.get("currency"):
            document["currency"] = data["currency"].strip()
        cadres: dict[str, dict[str, Any]] = {}
        for cadre in self.cadres:
            plan = {}
            for key in CADRE_KEYS:
                text = (data.get(f"cadre-{cadre.code}-{key}") or "").strip()
                if not text:
                    continue
                parts = _LIST_SEPARATOR.split(text)
                plan[key] = [_value(part) for part in parts] if len(parts) > 1 else _value(text)
            if plan:
                cadres[cadre.code] = plan
        document["cadres"] = cadres
        shifts = []
        for index in range(SHIFT_ROWS):
            values = {
                key: (data.get(f"shift-{index}-{key}") or "").strip() for key in ("from", "to", "share")
            }
            factor = (data.get(f"shift-{index}-replacement_factor") or "").strip()
            if not any(values.values()) and not factor:
                continue
            shift: dict[str, Any] = {
                "from": values["from"],
                "to": values["to"],
                "share": _value(values["share"]),
            }
            if factor:
                shift["replacement_factor"] = _value(factor)
            shifts.append(shift)
        if shifts:
            document["task_shifting"] = shifts
        return document

    def add_plan_error(self, problem: PlanInputError) -> None:
        """Put the scenario's input problem on the field it names (``cadres.SW.salary`` -> the social
        workers' salary box), else on the whole form."""
        field = problem.field
        match = re.match(r"^cadres\.([^.]+)\.(\w+)", field)
        shift = re.match(r"^task_shifting\[(\d+)\]\.(\w+)", field)
        name = None
        if match and f"cadre-{match[1]}-{match[2]}" in self.fields:
            name = f"cadre-{match[1]}-{match[2]}"
        elif shift and f"shift-{shift[1]}-{shift[2]}" in self.fields:
            name = f"shift-{shift[1]}-{shift[2]}"
        elif field in self.fields:
            name = field
        self.add_error(name, f"{field}: {problem.message}" if name is None else problem.message)


class NormForm(CheckedForm):
    """A target ratio: where, for which group, how many per 100,000 children, from which year, why."""

    location = LocationChoiceField(queryset=Location.objects.none(), label=gettext_lazy("Location"))
    group = forms.ChoiceField(choices=NormGroup.choices, label=gettext_lazy("For"))
    category = forms.ChoiceField(
        choices=[("", "—"), *CadreCategory.choices], required=False, label=gettext_lazy("Cadre category")
    )
    cadre = CodeChoiceField(Cadre.objects.all(), required=False, label=gettext_lazy("Cadre"))
    target_per_100k = forms.DecimalField(
        label=gettext_lazy("Target per 100,000 children"),
        min_value=Decimal("0.001"),
        max_digits=10,
        decimal_places=3,
    )
    valid_from = forms.IntegerField(
        label=gettext_lazy("From the year"), min_value=EARLIEST_YEAR, max_value=LATEST_YEAR
    )
    source = forms.CharField(
        label=gettext_lazy("Source"),
        max_length=255,
        help_text=gettext_lazy("e.g. the national policy it comes from"),
    )

    def __init__(self, *args: Any, locations: QuerySet[Location], **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        location = self.fields["location"]
        assert isinstance(location, forms.ModelChoiceField)
        location.queryset = locations

    def clean(self) -> dict[str, Any]:
        data = super().clean() or {}
        group = data.get("group")
        if group == NormGroup.CATEGORY and not data.get("category"):
            self.add_error("category", gettext_lazy("Choose the cadre category."))
        if group == NormGroup.CADRE and not data.get("cadre"):
            self.add_error("cadre", gettext_lazy("Choose the cadre."))
        return data


ACTIVITY_ROWS = 8
CATEGORY_ROWS = 4
INDIVIDUAL_ROWS = 3
WORKING_TIME_LABELS = {
    "working_days": gettext_lazy("Working days a year"),
    "public_holidays": gettext_lazy("Public holidays"),
    "annual_leave": gettext_lazy("Annual leave (days)"),
    "sick_leave": gettext_lazy("Sick leave (days)"),
    "other_leave": gettext_lazy("Other leave (days)"),
    "hours_per_day": gettext_lazy("Hours in a working day"),
}
ROW_GROUPS = {
    "activity": ("activities", ACTIVITY_ROWS, ("name", "annual_workload", "unit_time_hours")),
    "category": ("category_allowances", CATEGORY_ROWS, ("name", "hours_per_year")),
    "individual": ("individual_allowances", INDIVIDUAL_ROWS, ("name", "hours_per_year", "staff")),
}
ROW_LABELS = {
    "name": gettext_lazy("Name"),
    "annual_workload": gettext_lazy("Annual workload"),
    "unit_time_hours": gettext_lazy("Hours per unit"),
    "hours_per_year": gettext_lazy("Hours a year"),
    "staff": gettext_lazy("Workers who do it"),
}


class WisnStudyForm(CheckedForm):
    """A WISN study: who and where, the working year, up to eight main activities with their yearly
    workload and standard (hours one unit takes), and the allowances. Empty rows are left out. It writes
    the contract's study document; the study's own check names the field at fault."""

    code = forms.CharField(label=gettext_lazy("Code"), max_length=50)
    name = forms.CharField(label=gettext_lazy("Name"), max_length=200)
    cadre = CodeChoiceField(Cadre.objects.all(), label=gettext_lazy("Cadre"))
    location = LocationChoiceField(queryset=Location.objects.none(), label=gettext_lazy("Location"))
    year = forms.IntegerField(label=gettext_lazy("Year"), min_value=EARLIEST_YEAR, max_value=LATEST_YEAR)
    existing_staff = forms.CharField(
        label=gettext_lazy("Existing staff"),
        required=False,
        max_length=40,
        help_text=gettext_lazy("Leave empty to take the registry's count of the cadre at the location."),
    )

    def __init__(self, *args: Any, locations: QuerySet[Location], **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        location = self.fields["location"]
        assert isinstance(location, forms.ModelChoiceField)
        location.queryset = locations
        for key, label in WORKING_TIME_LABELS.items():
            self.fields[key] = forms.CharField(label=label, max_length=40)
        for prefix, (_key, rows, columns) in ROW_GROUPS.items():
            for index in range(rows):
                for column in columns:
                    self.fields[f"{prefix}-{index}-{column}"] = forms.CharField(
                        required=False, max_length=200, label=f"{ROW_LABELS[column]} ({index + 1})"
                    )

    @classmethod
    def initial_of(cls, document: dict[str, Any]) -> dict[str, Any]:
        """Initial values from a study document (a stored one, or the starter set)."""
        initial: dict[str, Any] = {
            key: _text(value) for key, value in (document.get("working_time") or {}).items()
        }
        initial["existing_staff"] = _text(document.get("existing_staff"))
        for prefix, (key, rows, columns) in ROW_GROUPS.items():
            for index, item in enumerate((document.get(key) or [])[:rows]):
                for column in columns:
                    initial[f"{prefix}-{index}-{column}"] = _text(item.get(column))
        return initial

    def working_time_fields(self) -> list[forms.BoundField]:
        return [self[key] for key in WORKING_TIME_LABELS]

    def rows(self, prefix: str) -> list[list[forms.BoundField]]:
        _key, rows, columns = ROW_GROUPS[prefix]
        return [[self[f"{prefix}-{index}-{column}"] for column in columns] for index in range(rows)]

    def headings(self, prefix: str) -> list[Any]:
        return [ROW_LABELS[column] for column in ROW_GROUPS[prefix][2]]

    def document(self) -> dict[str, Any]:
        """The contract's study document of the (valid) form."""
        data = self.cleaned_data
        document: dict[str, Any] = {
            "cadre": data["cadre"].code,
            "location": data["location"].code,
            "year": data["year"],
            "working_time": {key: _value(data[key].strip()) for key in WORKING_TIME_LABELS},
        }
        if data.get("existing_staff", "").strip():
            document["existing_staff"] = _value(data["existing_staff"].strip())
        for prefix, (key, rows, columns) in ROW_GROUPS.items():
            items = []
            for index in range(rows):
                values = {
                    column: (data.get(f"{prefix}-{index}-{column}") or "").strip() for column in columns
                }
                if not any(values.values()):
                    continue
                items.append(
                    {
                        column: value if column == "name" else _value(value)
                        for column, value in values.items()
                        if value
                    }
                )
            document[key] = items
        return document

    def add_plan_error(self, problem: PlanInputError) -> None:
        """Put the study's input problem on the field it names, else on the whole form."""
        field = problem.field
        row = re.match(r"^(activities|category_allowances|individual_allowances)\[(\d+)\](?:\.(\w+))?", field)
        name = None
        if field.startswith("working_time.") and field.split(".", 1)[1] in self.fields:
            name = field.split(".", 1)[1]
        elif row:
            prefix = next(p for p, (key, _rows, _columns) in ROW_GROUPS.items() if key == row[1])
            # The document's rows skip empty form rows: the n-th item is the n-th filled row.
            filled = [
                index
                for index in range(ROW_GROUPS[prefix][1])
                if any(
                    (self.cleaned_data.get(f"{prefix}-{index}-{c}") or "").strip()
                    for c in ROW_GROUPS[prefix][2]
                )
            ]
            position = int(row[2])
            column = row[3] or ROW_GROUPS[prefix][2][0]
            if column == "rate_per_hour":
                column = "unit_time_hours"
            if position < len(filled) and f"{prefix}-{filled[position]}-{column}" in self.fields:
                name = f"{prefix}-{filled[position]}-{column}"
        elif field in self.fields:
            name = field
        self.add_error(name, f"{field}: {problem.message}" if name is None else problem.message)


class WorkloadsUploadForm(CheckedForm):
    """The CSV table of the locations' workload volumes for a stored study."""

    table = forms.FileField(
        label=gettext_lazy("Workload of each location (CSV)"),
        help_text=gettext_lazy(
            "Columns: location (its code), existing_staff (optional) and one column per activity, headed with "
            "its name, holding the location's annual workload."
        ),
    )


class SalaryScaleForm(CheckedForm):
    """A salary scale: the cadre, the grade (empty: the cadre's own), the yearly salary, from which year."""

    cadre = CodeChoiceField(Cadre.objects.all(), label=gettext_lazy("Cadre"))
    grade = forms.CharField(
        label=gettext_lazy("Grade"),
        required=False,
        max_length=50,
        help_text=gettext_lazy("Empty: the cadre's own."),
    )
    annual_salary = forms.DecimalField(
        label=gettext_lazy("Yearly salary"), min_value=Decimal(0), max_digits=14, decimal_places=2
    )
    valid_from = forms.IntegerField(
        label=gettext_lazy("From the year"), min_value=EARLIEST_YEAR, max_value=LATEST_YEAR
    )


class CadreCostForm(CheckedForm):
    """A cadre's on-cost rate and other yearly costs per worker, from which year."""

    cadre = CodeChoiceField(Cadre.objects.all(), label=gettext_lazy("Cadre"))
    valid_from = forms.IntegerField(
        label=gettext_lazy("From the year"), min_value=EARLIEST_YEAR, max_value=LATEST_YEAR
    )
    on_cost_rate = forms.DecimalField(
        label=gettext_lazy("On-cost rate"),
        min_value=Decimal(0),
        max_value=Decimal(10),
        max_digits=6,
        decimal_places=4,
        help_text=gettext_lazy("A share of the salary: 0.2 is 20%."),
    )
    supervision_per_worker = forms.DecimalField(
        label=gettext_lazy("Supervision a year per worker"),
        min_value=Decimal(0),
        max_digits=14,
        decimal_places=2,
    )
    transport_per_worker = forms.DecimalField(
        label=gettext_lazy("Transport a year per worker"),
        min_value=Decimal(0),
        max_digits=14,
        decimal_places=2,
    )
    training_per_worker = forms.DecimalField(
        label=gettext_lazy("Training a year per worker"),
        min_value=Decimal(0),
        max_digits=14,
        decimal_places=2,
    )
