"""Forms of the pages: they validate what the browser sends and turn it into service/selector arguments.

Choice fields only offer what the user may use: a subnational officer picks locations in their subtree,
an organisation focal point only their organisation. The services check access again; a refusal there
is a ``PermissionDenied`` (403), a rule violation a ``ValidationError`` shown on the form.
"""

from __future__ import annotations

import datetime
from collections.abc import Mapping, Sequence
from decimal import Decimal
from typing import Any

from django import forms
from django.conf import settings
from django.core.exceptions import NON_FIELD_ERRORS, ValidationError
from django.db.models import Exists, OuterRef, QuerySet
from django.http import Http404, QueryDict
from django.utils import timezone
from django.utils.translation import gettext, gettext_lazy
from django.utils.translation import gettext_lazy as _

from sswis.access import policy
from sswis.access.models import Role
from sswis.concurrency import VersionedForm
from sswis.forms_base import CheckedForm, CodeLookupField, DateInput
from sswis.geo.models import Location
from sswis.imports.modes import ImportMode
from sswis.imports.services import ACCEPTED_SUFFIXES, UPLOAD_SUFFIXES
from sswis.indicators.definitions import DIMENSIONS
from sswis.registry.models import (
    Assignment,
    Cadre,
    CadreCategory,
    ExitReason,
    Organisation,
    OrganisationType,
    Post,
    Worker,
)
from sswis.registry.selectors import WorkerFilters
from sswis.registry.services import WORKER_FIELDS, AssignmentTerms
from sswis.surveys.models import SurveyRound
from sswis.web.quick_select import selects_made_quick

EMPLOYER_CHOICES = [
    ("", gettext_lazy("Any employer")),
    ("government", gettext_lazy("Government")),
    ("non_government", gettext_lazy("Non-government")),
]


class LocationChoiceField(CodeLookupField):
    """A location chosen by code, shown indented by its depth in the tree."""

    def __init__(self, queryset: QuerySet[Location], **kwargs: Any) -> None:
        super().__init__(queryset=queryset.order_by("path"), to_field_name="code", **kwargs)

    def label_from_instance(self, obj: Location) -> str:
        return f"{'— ' * obj.depth}{obj.name} ({obj.code})"


class CodeChoiceField(CodeLookupField):
    """A reference row (organisation, cadre) chosen by its business code, shown as "Name (CODE)"."""

    def __init__(self, queryset: QuerySet[Any], **kwargs: Any) -> None:
        super().__init__(queryset=queryset, to_field_name="code", **kwargs)


def locations_for_filter(*, user: Any) -> QuerySet[Location]:
    """Locations offered to narrow person lists: a subnational officer's subtree, else the whole tree."""
    scope = policy.scope_of(user)
    locations = Location.objects.all()
    if scope.role == Role.SUBNATIONAL_OFFICER and scope.location_path:
        locations = locations.filter(path__startswith=scope.location_path)
    return locations


def locations_for_change(*, user: Any) -> QuerySet[Location]:
    """Locations where the user may place an assignment (``policy.require_assignment_change``)."""
    return locations_for_filter(user=user)


def organisations_for_change(*, user: Any) -> QuerySet[Organisation]:
    """Organisations the user may place an assignment in: a focal point only their own, others any."""
    scope = policy.scope_of(user)
    if scope.role == Role.ORGANISATION_FOCAL_POINT:
        return Organisation.objects.filter(pk=scope.organisation_id or 0)
    return Organisation.objects.all()


def organisations_with_visible_assignments(*, user: Any) -> QuerySet[Organisation]:
    """Organisations worth offering in the worker filter: those where the user sees an assignment."""
    if policy.scope_of(user).is_national:
        return Organisation.objects.all()
    visible = policy.assignments_visible(user=user).filter(organisation_id=OuterRef("pk"))
    return Organisation.objects.filter(Exists(visible))


def organisations_with_visible_posts(*, user: Any) -> QuerySet[Organisation]:
    """Organisations worth offering in the post filter: those where the user sees a post."""
    if policy.scope_of(user).is_national:
        return Organisation.objects.all()
    visible = policy.posts_visible(user=user).filter(organisation_id=OuterRef("pk"))
    return Organisation.objects.filter(Exists(visible))


def form_add_service_errors(
    form: forms.Form, error: ValidationError, rename: Mapping[str, str] | None = None
) -> None:
    """Show a service's ``ValidationError`` on the form: each message on its field, else at the top.

    ``rename`` maps a service's field name to the form's (e.g. ``end_date`` -> ``last_day``).
    """
    rename = rename or {}
    if not hasattr(error, "error_dict"):
        form.add_error(None, error)
        return
    for name, errors in error.error_dict.items():
        target = rename.get(name, name)
        if target in form.fields:
            form.add_error(target, errors)
        else:
            form.add_error(
                None, errors if name == NON_FIELD_ERRORS else [f"{name}: {m}" for e in errors for m in e]
            )


class FilterForm(CheckedForm):
    """Base of the GET filter forms: every field optional, ids prefixed so the page stays valid HTML."""

    def cleaned(self, name: str, default: Any = None) -> Any:
        """The cleaned value of ``name``, or ``default`` when the form or the field is invalid."""
        if not self.is_bound:
            return default
        self.is_valid()
        value = self.cleaned_data.get(name)
        return default if value in (None, "") else value


class WorkerFilterForm(FilterForm):
    """Search and filters of the worker list, turned into ``registry.selectors.WorkerFilters``."""

    q = forms.CharField(label=gettext_lazy("Name or worker ID"), required=False, max_length=200)
    location = forms.ModelChoiceField(queryset=Location.objects.none(), required=False)
    cadre = CodeChoiceField(Cadre.objects.all(), required=False, empty_label=gettext_lazy("Any cadre"))
    category = forms.ChoiceField(
        choices=[("", gettext_lazy("Any category")), *CadreCategory.choices],
        required=False,
        label=gettext_lazy("Cadre category"),
    )
    organisation = CodeChoiceField(
        Organisation.objects.none(), required=False, empty_label=gettext_lazy("Any organisation")
    )
    employer = forms.ChoiceField(choices=EMPLOYER_CHOICES, required=False)
    paid = forms.ChoiceField(
        choices=[
            ("", gettext_lazy("Paid or unpaid")),
            ("yes", gettext_lazy("Paid")),
            ("no", gettext_lazy("Unpaid")),
        ],
        required=False,
    )
    active_year = forms.IntegerField(
        label=_("Active in year"), required=False, min_value=1900, max_value=2100, widget=forms.NumberInput()
    )
    counted_year = forms.IntegerField(
        label=_("Counted in the workforce of year"),
        required=False,
        min_value=1900,
        max_value=2100,
        widget=forms.NumberInput(),
    )

    def __init__(self, *args: Any, user: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["location"] = LocationChoiceField(
            locations_for_filter(user=user),
            required=False,
            empty_label=gettext("Anywhere"),
            label=gettext("Location"),
        )
        organisation = self.fields["organisation"]
        assert isinstance(organisation, forms.ModelChoiceField)
        organisation.queryset = organisations_with_visible_assignments(user=user)
        # Every location and organisation in scope is an option: written in one pass (same markup).
        selects_made_quick(self)

    def filters(self) -> WorkerFilters:
        """The selector's filters; an invalid field is ignored (shown with its error on the page)."""
        cadre = self.cleaned("cadre")
        organisation = self.cleaned("organisation")
        paid = self.cleaned("paid", "")
        category = self.cleaned("category", "")
        return WorkerFilters(
            search=self.cleaned("q", ""),
            location=self.cleaned("location"),
            cadre_codes=(cadre.code,) if cadre else (),
            categories=(category,) if category else (),
            organisation_codes=(organisation.code,) if organisation else (),
            employer=self.cleaned("employer", ""),
            paid={"yes": True, "no": False}.get(paid),
            active_year=self.cleaned("active_year"),
            counted_year=self.cleaned("counted_year"),
        )


class OrganisationFilterForm(FilterForm):
    """Filters of the organisation list."""

    type = forms.ChoiceField(
        choices=[("", gettext_lazy("Any type")), *OrganisationType.choices], required=False
    )
    employer = forms.ChoiceField(
        choices=EMPLOYER_CHOICES, required=False, label=gettext_lazy("Government or not")
    )

    def apply(self, organisations: QuerySet[Organisation]) -> QuerySet[Organisation]:
        """Narrow the visible organisations by the chosen type and government/non-government."""
        kind = self.cleaned("type", "")
        if kind:
            organisations = organisations.filter(type=kind)
        employer = self.cleaned("employer", "")
        if employer == "government":
            organisations = organisations.filter(type=OrganisationType.GOVERNMENT)
        elif employer == "non_government":
            organisations = organisations.exclude(type=OrganisationType.GOVERNMENT)
        return organisations


class ReferenceDateForm(FilterForm):
    """The date on which posts are filled or vacant (default: today)."""

    on = forms.DateField(label=gettext_lazy("On date"), required=False, widget=DateInput())

    def __init__(self, data: Any = None, *args: Any, **kwargs: Any) -> None:
        if data is not None and not data.get("on"):
            # Show the date actually used (today) in the date field.
            data = data.copy()
            data["on"] = timezone.localdate().isoformat()
        super().__init__(data, *args, **kwargs)

    def reference_date(self) -> datetime.date:
        value: datetime.date = self.cleaned("on", timezone.localdate())
        return value


class OrganisationPageForm(ReferenceDateForm):
    """An organisation's page: the year of its figures (default this year) and the date of its staff and
    posts (default today)."""

    year = forms.IntegerField(
        label=_("Figures of year"), required=False, min_value=1900, max_value=2100, widget=forms.NumberInput()
    )

    def __init__(self, data: Any = None, *args: Any, **kwargs: Any) -> None:
        if data is not None and not data.get("year"):
            data = data.copy()  # show the year actually used
            data["year"] = str(timezone.localdate().year)
        super().__init__(data, *args, **kwargs)

    def figures_year(self) -> int:
        value: int = self.cleaned("year", timezone.localdate().year)
        return value


class PostFilterForm(ReferenceDateForm):
    """Filters of the posts page."""

    location = forms.ModelChoiceField(queryset=Location.objects.none(), required=False)
    organisation = CodeChoiceField(
        Organisation.objects.none(), required=False, empty_label=gettext_lazy("Any organisation")
    )
    cadre = CodeChoiceField(Cadre.objects.all(), required=False, empty_label=gettext_lazy("Any cadre"))
    vacant = forms.BooleanField(label=gettext_lazy("Vacant posts only"), required=False)

    def __init__(self, *args: Any, user: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["location"] = LocationChoiceField(
            locations_for_filter(user=user),
            required=False,
            empty_label=gettext("Anywhere"),
            label=gettext("Location"),
        )
        organisation = self.fields["organisation"]
        assert isinstance(organisation, forms.ModelChoiceField)
        organisation.queryset = organisations_with_visible_posts(user=user)


class AssignmentTermsForm(CheckedForm):
    """Where, in which cadre, from when and on which terms an assignment runs (``AssignmentTerms``)."""

    organisation = CodeChoiceField(Organisation.objects.none())
    location = forms.ModelChoiceField(queryset=Location.objects.none())
    cadre = CodeChoiceField(Cadre.objects.all())
    post = forms.ModelChoiceField(
        queryset=Post.objects.none(),
        to_field_name="code",
        required=False,
        label=gettext_lazy("Post code"),
        help_text=gettext_lazy("Optional: the code of the establishment post this assignment fills."),
        widget=forms.TextInput(attrs={"autocomplete": "off"}),
        error_messages={"invalid_choice": gettext_lazy("There is no post with this code that you may use.")},
    )
    start_date = forms.DateField(widget=DateInput())
    paid = forms.BooleanField(
        required=False,
        initial=True,
        help_text=gettext_lazy("Receives a salary, stipend or allowance for this role."),
    )
    fte = forms.DecimalField(
        label=gettext_lazy("FTE"),
        min_value=Decimal("0.001"),
        max_value=Decimal("1"),
        max_digits=4,
        decimal_places=3,
        initial=Decimal("1"),
        help_text=gettext_lazy("Full-time equivalent: 1 for full time, 0.5 for half time."),
    )
    child_protection = forms.BooleanField(
        required=False,
        initial=True,
        label=gettext_lazy("Child protection responsibility"),
        help_text=gettext_lazy("Has responsibility for child protection or child welfare services."),
    )

    def __init__(self, *args: Any, user: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        organisation = self.fields["organisation"]
        assert isinstance(organisation, forms.ModelChoiceField)
        organisation.queryset = organisations_for_change(user=user)
        self.fields["location"] = LocationChoiceField(
            locations_for_change(user=user), label=gettext("Location")
        )
        post = self.fields["post"]
        assert isinstance(post, forms.ModelChoiceField)
        post.queryset = policy.posts_visible(user=user)

    def terms(self) -> AssignmentTerms:
        """The validated terms; call only after ``is_valid()``."""
        data = self.cleaned_data
        return AssignmentTerms(
            organisation=data["organisation"],
            location=data["location"],
            cadre=data["cadre"],
            start_date=data["start_date"],
            paid=data["paid"],
            post=data["post"],
            fte=data["fte"],
            child_protection=data["child_protection"],
        )


class WorkerDetailsForm(CheckedForm, VersionedForm):
    """A worker's personal details, with the model's own labels, choices and lengths, and the version of
    the worker they were loaded from (``initial["version"]``)."""

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        details = forms.fields_for_model(Worker, fields=WORKER_FIELDS, widgets={"birth_date": DateInput()})
        self.fields = {**details, **self.fields}

    def details(self) -> dict[str, Any]:
        """The cleaned personal details, as ``worker_register``/``worker_update`` keyword arguments."""
        return {name: self.cleaned_data[name] for name in WORKER_FIELDS}


class WorkerRegisterForm(AssignmentTermsForm):
    """Personal details followed by the first assignment."""

    def __init__(self, *args: Any, user: Any, **kwargs: Any) -> None:
        super().__init__(*args, user=user, **kwargs)
        details = forms.fields_for_model(Worker, fields=WORKER_FIELDS, widgets={"birth_date": DateInput()})
        self.fields = {**details, **self.fields}

    def details(self) -> dict[str, Any]:
        return {name: self.cleaned_data[name] for name in WORKER_FIELDS}


class AssignmentEndForm(CheckedForm, VersionedForm):
    """The last day in the role and why it ended (and the version of the assignment it was loaded from)."""

    end_date = forms.DateField(
        label=gettext_lazy("Last day"),
        widget=DateInput(),
        help_text=gettext_lazy("The last day the worker held this role."),
    )
    exit_reason = forms.ChoiceField(choices=[("", gettext_lazy("Choose a reason")), *ExitReason.choices])


class AssignmentTransferForm(VersionedForm, AssignmentTermsForm):
    """A transfer: the last day of the current assignment, then the new assignment's terms (and the version
    of the current assignment it was loaded from)."""

    last_day = forms.DateField(
        widget=DateInput(),
        help_text=gettext_lazy("The last day in the current assignment; it ends as 'transferred'."),
    )

    def __init__(self, *args: Any, user: Any, assignment: Assignment, **kwargs: Any) -> None:
        initial = {
            "organisation": assignment.organisation.code,
            "location": assignment.location.code,
            "cadre": assignment.cadre.code,
            "paid": assignment.paid,
            "fte": assignment.fte.normalize(),
            "child_protection": assignment.child_protection,
            "version": assignment.version,
            **kwargs.pop("initial", {}),
        }
        super().__init__(*args, user=user, initial=initial, **kwargs)
        self.fields = {"last_day": self.fields.pop("last_day"), **self.fields}
        self.fields["start_date"].label = gettext_lazy("New start date")
        self.fields["start_date"].help_text = gettext_lazy("The first day in the new assignment.")


class DashboardForm(FilterForm):
    """The year, location and disaggregation of the dashboard and the sort order of its table of child
    locations. ``years``: the years with child population figures, most recent first (the chooser);
    with none, this year alone."""

    SORT_KEYS = ("name", "workers", "per_100k", "vacancy", "female", "licensed", "certified")

    year = forms.TypedChoiceField(coerce=int, choices=(), required=False)
    location = forms.CharField(required=False, max_length=64, widget=forms.HiddenInput())
    by = forms.ChoiceField(choices=(), required=False)
    sort = forms.ChoiceField(
        choices=[(f"{sign}{key}", key) for key in SORT_KEYS for sign in ("", "-")],
        required=False,
        widget=forms.HiddenInput(),
    )

    def __init__(self, *args: Any, years: Sequence[int] = (), **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        this_year = timezone.localdate().year
        self.years = list(years) or [this_year]
        past = [y for y in self.years if y <= this_year]
        self.latest = past[0] if past else self.years[-1]
        year = self.fields["year"]
        assert isinstance(year, forms.TypedChoiceField)
        year.choices = [(y, str(y)) for y in self.years]
        year.label = _("Year")
        by = self.fields["by"]
        assert isinstance(by, forms.ChoiceField)
        by.choices = [(dimension.id, dimension.title) for dimension in DIMENSIONS.values()]
        by.label = _("Split by")
        # The chooser shows what the page shows: the default year and split when none (or a bad one) is asked.
        if self.is_bound:
            data = QueryDict(mutable=True)
            data.update(self.data)
            if data.get("year") not in {str(y) for y in self.years}:
                data["year"] = str(self.latest)
            if data.get("by") not in DIMENSIONS:
                data["by"] = "cadre"
            self.data = data

    def chosen_year(self) -> int:
        """The chosen year; by default the latest year with child population figures that is not in
        the future (else the earliest), or this year when no year has figures."""
        return int(self.cleaned("year", self.latest))

    def chosen_dimension(self) -> str:
        """The chosen disaggregation, ``cadre`` by default."""
        return str(self.cleaned("by", "cadre"))


class ImportUploadForm(CheckedForm):
    """A mapping template to import and how: the file (its size is checked while it is received, see
    ``imports.http``) and the mode."""

    file = forms.FileField(
        label=gettext_lazy("Template file"),
        help_text=gettext_lazy(
            "An .xlsx workbook, a template CSV file such as workers.csv, or a .zip of CSV files."
        ),
        widget=forms.ClearableFileInput(attrs={"accept": ",".join(UPLOAD_SUFFIXES)}),
    )
    mode = forms.TypedChoiceField(
        label=gettext_lazy("What to do"),
        choices=[
            (ImportMode.DRY_RUN.value, gettext_lazy("Dry run: check everything, import nothing")),
            (
                ImportMode.ALL_OR_NOTHING.value,
                gettext_lazy("Import all or nothing: with any error, import nothing"),
            ),
            (ImportMode.SKIP_INVALID.value, gettext_lazy("Import the valid rows and skip the invalid ones")),
            (ImportMode.DRY_RUN_SKIP_INVALID.value, gettext_lazy("Dry run of importing the valid rows")),
        ],
        coerce=ImportMode,
        initial=ImportMode.DRY_RUN.value,
        widget=forms.RadioSelect,
    )
    encoding = forms.ChoiceField(
        label=gettext_lazy("Character set of CSV files"),
        help_text=gettext_lazy("Leave it to sswis unless the names in the result look garbled."),
        choices=[
            ("", gettext_lazy("Detect it")),
            ("utf-8", gettext_lazy("UTF-8 (CSV UTF-8, LibreOffice default)")),
            ("utf-16", gettext_lazy("UTF-16 (Excel 'Unicode text')")),
            ("cp1252", gettext_lazy("Windows-1252 (Excel 'CSV (comma delimited)' on Windows)")),
            ("latin-1", gettext_lazy("Latin-1 (ISO-8859-1)")),
        ],
        required=False,
    )

    def clean_file(self) -> Any:
        upload = self.cleaned_data["file"]
        # .xlsm and .xls are taken so that the import refuses them with its specific advice.
        if not upload.name.lower().endswith(ACCEPTED_SUFFIXES):
            raise ValidationError(
                gettext(
                    "Choose an .xlsx workbook, a template CSV file (e.g. workers.csv) or a .zip of CSV files."
                )
            )
        return upload


class SurveyRoundChoiceField(CodeLookupField):
    """A survey round chosen by its code, shown as "Name (CODE)"."""

    def label_from_instance(self, obj: SurveyRound) -> str:
        return f"{obj.name} ({obj.code})"


class PerceptionsForm(FilterForm):
    """The survey round (by code) and location of the perceptions page; the newest round by default."""

    round = SurveyRoundChoiceField(
        queryset=SurveyRound.objects.none(),
        to_field_name="code",
        required=False,
        empty_label=None,
        label=gettext_lazy("Survey round"),
    )
    location = forms.CharField(required=False, max_length=64, widget=forms.HiddenInput())

    def __init__(self, *args: Any, rounds: QuerySet[SurveyRound], **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.rounds = rounds
        survey_round = self.fields["round"]
        assert isinstance(survey_round, forms.ModelChoiceField)
        survey_round.queryset = rounds

    def chosen_round(self) -> SurveyRound | None:
        """The round asked for, else the newest; ``None`` when there is no round at all. ``Http404`` for
        an unknown code (a link or bookmark to a round that is not there)."""
        if self.is_bound and self.data.get("round") and not self.is_valid() and "round" in self.errors:
            raise Http404(gettext("No survey round with this code."))
        chosen: SurveyRound | None = self.cleaned("round")
        return chosen if chosen is not None else self.rounds.first()


class LanguageForm(CheckedForm):
    """The language chooser of every page."""

    language = forms.ChoiceField(label=_("Language"), choices=settings.LANGUAGES)
