"""Query-string filters of the list endpoints (django-filter).

Locations are given by code; ``location``/``within`` filters take a location code and keep its whole
subtree (materialised-path prefix). Unknown codes or malformed values give 400 naming the parameter.
"""

from __future__ import annotations

import datetime
from typing import TYPE_CHECKING, Any

from django import forms
from django.db.models import Q, QuerySet
from django.utils.translation import gettext_lazy
from django.utils.translation import gettext_lazy as _
from django_filters import rest_framework as filters
from drf_spectacular.types import OpenApiTypes
from drf_spectacular.utils import extend_schema_field

from sswis.geo.models import Location, PopulationEstimate
from sswis.registry.dates import (
    EARLIEST_YEAR,
    LATEST_YEAR,
    PlausibleDateValidator,
    PlausibleYearValidator,
)
from sswis.registry.models import (
    Assignment,
    Cadre,
    CadreCategory,
    Organisation,
    OrganisationType,
    Post,
    Worker,
)
from sswis.registry.selectors import WorkerFilters, worker_list

if TYPE_CHECKING:
    from django_stubs_ext import StrOrPromise


@extend_schema_field(OpenApiTypes.STR)
class SubtreeFilter(filters.ModelChoiceFilter):
    """A location code; keeps rows whose location (``path_prefix`` + ``path``) lies in its subtree."""

    def __init__(self, *, path_prefix: str = "location__", **kwargs: Any) -> None:
        kwargs.setdefault("queryset", Location.objects.all())
        kwargs.setdefault("to_field_name", "code")
        super().__init__(**kwargs)
        self.path_prefix = path_prefix

    def filter(self, qs: QuerySet[Any], value: Any) -> QuerySet[Any]:
        if value in (None, ""):
            return qs
        return qs.filter(**{f"{self.path_prefix}path__startswith": value.path})


def code_filter(model: type[Any], field_name: str, label: StrOrPromise) -> filters.ModelChoiceFilter:
    """Exact match on a related row given by its code (unknown code: 400)."""
    return filters.ModelChoiceFilter(
        field_name=field_name, queryset=model.objects.all(), to_field_name="code", label=label
    )


@extend_schema_field(OpenApiTypes.INT)
class IntegerFilter(filters.NumberFilter):
    """A whole number."""

    field_class = forms.IntegerField


class StrictBooleanField(forms.Field):
    """``true`` or ``false`` exactly, as the OpenAPI schema's booleans are written in a query string.

    Django's ``NullBooleanField`` reads anything else (``paid=-58800``, ``paid=yes``) as "not given", so
    a mistyped filter silently returned every row; here it is refused, naming the parameter."""

    widget = forms.TextInput  # the text as given (django-filter's BooleanWidget maps unknown text to None)

    def to_python(self, value: Any) -> bool | None:
        if value in (None, ""):
            return None
        if value in ("true", "false"):
            return value == "true"
        raise forms.ValidationError(_("Give true or false."), code="invalid")


class BooleanFilter(filters.BooleanFilter):
    """A boolean query parameter: ``true`` or ``false`` (anything else is a 400)."""

    field_class = StrictBooleanField

    def __init__(self, **kwargs: Any) -> None:
        kwargs.setdefault("widget", forms.TextInput)  # not the REST framework's BooleanWidget (see above)
        super().__init__(**kwargs)


@extend_schema_field({"type": "integer", "minimum": EARLIEST_YEAR, "maximum": LATEST_YEAR})
class YearFilter(IntegerFilter):
    """A calendar year from 1900 to 2100 (``sswis.registry.dates``); another number is a 400 naming the
    parameter."""

    def __init__(self, **kwargs: Any) -> None:
        kwargs.setdefault("validators", [PlausibleYearValidator(label=kwargs.get("field_name", ""))])
        super().__init__(**kwargs)


@extend_schema_field(OpenApiTypes.DATE)
class PlausibleDateFilter(filters.DateFilter):
    """A date ``YYYY-MM-DD`` from 1900-01-01 to 2100-12-31 (``sswis.registry.dates``)."""

    def __init__(self, **kwargs: Any) -> None:
        kwargs.setdefault("validators", [PlausibleDateValidator(label=kwargs.get("field_name", ""))])
        super().__init__(**kwargs)


@extend_schema_field({"type": "integer", "minimum": 0, "maximum": 32767})
class DepthFilter(IntegerFilter):
    """A depth in the location tree, 0 (the country) to 32767 (the column's limit)."""

    def __init__(self, **kwargs: Any) -> None:
        super().__init__(min_value=0, max_value=32767, **kwargs)


class LocationFilter(filters.FilterSet):
    parent = code_filter(
        Location, "parent", gettext_lazy("Code of the parent location (direct children only).")
    )
    level = filters.CharFilter(label=gettext_lazy("Level label, e.g. region, district."))
    depth = DepthFilter(label=gettext_lazy("Depth in the tree (0 = country root)."))
    within = SubtreeFilter(
        path_prefix="", label=gettext_lazy("Code of a location: it and everything under it.")
    )

    class Meta:
        model = Location
        fields = ["parent", "level", "depth", "within"]


class PopulationEstimateFilter(filters.FilterSet):
    location = code_filter(Location, "location", gettext_lazy("Code of the location (that location only)."))
    within = SubtreeFilter(label=gettext_lazy("Code of a location: estimates of it and everything under it."))
    year = YearFilter(field_name="year", label=gettext_lazy("Year of the estimate (1900 to 2100)."))

    class Meta:
        model = PopulationEstimate
        fields = ["location", "within", "year"]


class OrganisationFilter(filters.FilterSet):
    type = filters.ChoiceFilter(choices=OrganisationType.choices)
    location = SubtreeFilter(label=gettext_lazy("Code of a location: organisations based in its subtree."))
    government = BooleanFilter(
        method="filter_government", label=gettext_lazy("Governmental (true) or not (false).")
    )

    class Meta:
        model = Organisation
        fields = ["type", "sector", "location", "government"]

    def filter_government(
        self, queryset: QuerySet[Organisation], name: str, value: bool
    ) -> QuerySet[Organisation]:
        if value is None:
            return queryset
        governmental = Q(type=OrganisationType.GOVERNMENT)
        return queryset.filter(governmental if value else ~governmental)


class CadreFilter(filters.FilterSet):
    class Meta:
        model = Cadre
        fields = ["category"]


class PostFilter(filters.FilterSet):
    """Filters of the establishment. The queryset must be ``post_list(on=...)`` for the reference date:
    ``vacant_on`` and ``is_filled`` use its ``is_filled`` annotation (the view makes ``vacant_on`` the
    reference date)."""

    organisation = code_filter(Organisation, "organisation", gettext_lazy("Code of the organisation."))
    location = SubtreeFilter(label=gettext_lazy("Code of a location: posts in its subtree."))
    cadre = code_filter(Cadre, "cadre", gettext_lazy("Code of the cadre."))
    funded = BooleanFilter(label=gettext_lazy("Funded (true) or not (false)."))
    is_filled = BooleanFilter(label=gettext_lazy("Filled (true) or not (false) on the reference date."))
    vacant_on = PlausibleDateFilter(
        field_name="vacant_on",
        method="filter_vacant_on",
        label=gettext_lazy(
            "Only posts that exist and are not filled on this date (YYYY-MM-DD); it becomes the reference date."
        ),
    )

    class Meta:
        model = Post
        fields = ["organisation", "location", "cadre", "funded", "is_filled", "vacant_on"]

    def filter_vacant_on(self, queryset: QuerySet[Post], name: str, value: datetime.date) -> QuerySet[Post]:
        if value is None:
            return queryset
        # ``is_filled`` is the annotation of ``post_list`` for the reference date, which is ``value``.
        return queryset.filter(Q(exists_on_date=True) & Q(is_filled=False))


class AssignmentFilter(filters.FilterSet):
    worker = filters.CharFilter(field_name="worker__worker_id", label=gettext_lazy("Worker ID."))
    organisation = code_filter(Organisation, "organisation", gettext_lazy("Code of the organisation."))
    location = SubtreeFilter(label=gettext_lazy("Code of a location: assignments in its subtree."))
    cadre = code_filter(Cadre, "cadre", gettext_lazy("Code of the cadre."))
    active_on = PlausibleDateFilter(
        field_name="active_on",
        method="filter_active_on",
        label=gettext_lazy("Only assignments active on this date."),
    )

    class Meta:
        model = Assignment
        fields = ["worker", "organisation", "location", "cadre", "active_on"]

    def filter_active_on(
        self, queryset: QuerySet[Assignment], name: str, value: datetime.date
    ) -> QuerySet[Assignment]:
        if value is None:
            return queryset
        return queryset.filter(Q(start_date__lte=value), Q(end_date__isnull=True) | Q(end_date__gte=value))


class WorkerFilter(filters.FilterSet):
    """The worker list's filters, identical to the web page's: they are turned into a ``WorkerFilters``
    and handed to ``registry.selectors.worker_list``, which applies access itself. The filters' own
    ``filter`` methods are never called (``field_name`` only documents them)."""

    search = filters.CharFilter(
        label=gettext_lazy("Worker ID (exact) or the start of the given, family or full name.")
    )
    location = filters.ModelChoiceFilter(
        field_name="assignments__location",
        queryset=Location.objects.all(),
        to_field_name="code",
        label=gettext_lazy("Code of a location: workers with an assignment in its subtree."),
    )
    cadre = filters.ModelMultipleChoiceFilter(
        field_name="assignments__cadre",
        queryset=Cadre.objects.all(),
        to_field_name="code",
        label=gettext_lazy("Cadre code (repeatable)."),
    )
    category = filters.MultipleChoiceFilter(
        choices=CadreCategory.choices, label=gettext_lazy("Cadre category (repeatable).")
    )
    organisation = filters.ModelMultipleChoiceFilter(
        field_name="assignments__organisation",
        queryset=Organisation.objects.all(),
        to_field_name="code",
        label=gettext_lazy("Organisation code (repeatable)."),
    )
    employer = filters.ChoiceFilter(
        choices=[
            ("government", gettext_lazy("Government")),
            ("non_government", gettext_lazy("Non-government")),
        ],
        label=gettext_lazy("Kind of employer of the assignment."),
    )
    paid = BooleanFilter(label=gettext_lazy("Paid (true) or unpaid (false) assignment."))
    active_year = YearFilter(
        field_name="active_year",
        label=gettext_lazy("Assignment active at some time in this year (1900 to 2100)."),
    )
    counted_year = YearFilter(
        field_name="counted_year",
        label=gettext_lazy(
            "Counted in the child protection workforce of this year, as the indicators count them: the "
            "other assignment filters (location, cadre, ...) then apply to the worker's reference assignment, "
            "so that with `location` the list holds the workers `workforce.count` counts there."
        ),
    )

    class Meta:
        model = Worker
        fields = [
            "search",
            "location",
            "cadre",
            "category",
            "organisation",
            "employer",
            "paid",
            "active_year",
            "counted_year",
        ]

    def worker_filters(self) -> WorkerFilters:
        """The validated query string as the selector's ``WorkerFilters``."""
        data = self.form.cleaned_data
        return WorkerFilters(
            search=data.get("search") or "",
            location=data.get("location"),
            cadre_codes=tuple(cadre.code for cadre in data.get("cadre") or ()),
            categories=tuple(data.get("category") or ()),
            organisation_codes=tuple(organisation.code for organisation in data.get("organisation") or ()),
            employer=data.get("employer") or "",
            paid=data.get("paid"),
            active_year=data.get("active_year"),
            counted_year=data.get("counted_year"),
        )

    def filter_queryset(self, queryset: QuerySet[Worker]) -> QuerySet[Worker]:
        """The workers ``worker_list`` returns for the request's user (``queryset`` is not used: the
        selector starts from the workers visible to the user)."""
        return worker_list(user=self.request.user, filters=self.worker_filters())
