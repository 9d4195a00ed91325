"""Serializer fields that reference other rows by their business code (``"MSW"``, ``"D11"``, ``"W000001"``)."""

from __future__ import annotations

from typing import Any

from django.core.exceptions import ObjectDoesNotExist
from django.db.models import Model, QuerySet
from django.utils.text import capfirst
from django.utils.translation import gettext_lazy
from rest_framework import serializers

from sswis.access import policy
from sswis.geo.models import Location
from sswis.text import text_problem, text_problem_message


class CodeRelatedField(serializers.SlugRelatedField):
    """A related row given and shown by its business code.

    An unknown code fails validation with a message naming the kind of row and the value, e.g.
    ``No location with code "D99".``. Scope is not checked here: the service that writes does that.
    """

    default_error_messages = {
        "does_not_exist": 'No {model} with {slug_name} "{value}".',
        "invalid": "Give the {model}'s {slug_name} as text.",
    }

    def __init__(self, *, queryset: QuerySet[Any] | None = None, slug_field: str = "code", **kwargs: Any):
        if queryset is not None:
            kwargs["queryset"] = queryset
        super().__init__(slug_field=slug_field, **kwargs)

    def _queryset(self) -> QuerySet[Any]:
        queryset = self.get_queryset()
        assert queryset is not None, "A writable CodeRelatedField needs a queryset."
        return queryset

    def _names(self) -> dict[str, str]:
        model: type[Model] = self._queryset().model
        field = model._meta.get_field(self.slug_field)
        return {
            "model": str(model._meta.verbose_name),
            "slug_name": str(getattr(field, "verbose_name", self.slug_field)),
        }

    def to_internal_value(self, data: Any) -> Any:
        if not isinstance(data, str):
            self.fail("invalid", **self._names())
        refused = text_problem(data)
        if refused is not None:  # before the lookup: PostgreSQL cannot even compare text holding U+0000
            label = capfirst(self._names()["slug_name"])
            raise serializers.ValidationError(text_problem_message(label=label, problem=refused))
        try:
            return self._queryset().get(**{self.slug_field: data})
        except ObjectDoesNotExist:
            self.fail("does_not_exist", value=data, **self._names())


class VisibleWorkerField(CodeRelatedField):
    """A worker given by worker ID, among the workers the requesting user may see.

    A worker the user may not see is answered like an unknown ID, so the API does not tell whether a
    worker ID exists outside the user's scope. The service that writes checks the scope as well.
    """

    def __init__(self, **kwargs: Any) -> None:
        super().__init__(slug_field="worker_id", **kwargs)

    def get_queryset(self) -> QuerySet[Any]:
        request = self.context.get("request")
        return policy.workers_visible(user=getattr(request, "user", None), queryset=super().get_queryset())


def subtree_location_field() -> CodeRelatedField:
    """The ``location`` query parameter of the aggregate reads (indicators, planning): a location and its
    descendants; every location when absent."""
    return CodeRelatedField(
        queryset=Location.objects.all(),
        required=False,
        help_text=gettext_lazy("Code of a location: only it and its descendants (default: every location)."),
    )


def depth_field() -> serializers.IntegerField:
    """The ``depth`` query parameter that goes with :func:`subtree_location_field`."""
    return serializers.IntegerField(
        min_value=0,
        required=False,
        help_text=gettext_lazy(
            "Only down to this many levels below `location` (0: the location alone, 1: and its children)."
        ),
    )
