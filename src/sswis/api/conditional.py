"""Conditional requests on the API's records: ``ETag``, ``If-None-Match`` (304) and ``If-Match`` (412).

Each detail response of a versioned record (``sswis.concurrency.Versioned``) carries a strong ``ETag``
of its representation (``representation_etag``: the row's version and a digest of the body). Preconditions
are evaluated as RFC 9110 says (Django's ``get_conditional_response``): a ``GET`` whose ``If-None-Match``
names the current tag is answered ``304 Not Modified``; a write (``PUT``, ``PATCH`` and the actions on a
record, such as ending an assignment) whose ``If-Match`` does not name it is refused with ``412
Precondition Failed`` and a JSON ``detail``, writing nothing. ``If-Match: *`` only asks that the record
exists. The version read with the matching tag is then checked again, atomically, when the service
saves the row (``concurrency.Versioned.save``): a change that slipped in between is a 412 too.

Without ``If-Match`` a write works as before (the version loaded by the request is still checked at
the save: a change made by someone else during the request itself is refused with ``409 Conflict``).
Clients should send ``If-Match`` with every write.
"""

from __future__ import annotations

from typing import Any

from django.db.models import Model
from django.utils.cache import get_conditional_response
from django.utils.http import parse_etags
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from drf_spectacular.plumbing import build_parameter_type
from rest_framework import exceptions, serializers, status
from rest_framework.request import Request
from rest_framework.response import Response
from rest_framework.serializers import BaseSerializer
from rest_framework.settings import api_settings

from sswis.concurrency import EditConflict, representation_etag

WRITE_ACTIONS = ("update", "partial_update")


class PreconditionFailed(exceptions.APIException):
    status_code = status.HTTP_412_PRECONDITION_FAILED
    default_detail = gettext_lazy(
        "The record has changed since you read it: If-Match does not name its current ETag. Nothing was "
        "saved. Read it again (GET) for its current values and ETag."
    )
    default_code = "precondition_failed"


class EditConflictDuringRequest(exceptions.APIException):
    status_code = status.HTTP_409_CONFLICT
    default_detail = gettext_lazy("The record was changed while your request was processed.")
    default_code = "edit_conflict"


class RefusedEditSerializer(serializers.Serializer[Any]):
    """Why a write was refused (412 or 409): nothing was saved."""

    detail = serializers.CharField()


def _advice() -> str:
    return _("Nothing was saved. Read the record again (GET) for its current values and ETag.")


class ConditionalRequestsMixin:
    """For a ``ServiceViewSet`` of versioned records: ``ETag`` on details and writes, ``If-None-Match`` on
    reads, ``If-Match`` on ``update``/``partial_update`` and on the detail actions named in
    ``conditional_actions`` (which call :meth:`preconditions` themselves).

    ``detail_serializer_class`` is the representation whose tag is given (the one ``retrieve`` returns);
    ``perform_update`` passes ``self.expected_version`` to its service as ``version=``.
    """

    detail_serializer_class: type[BaseSerializer[Any]]
    conditional_actions: tuple[str, ...] = ()
    expected_version: int | None = None

    # Provided by the view set.
    get_object: Any
    get_queryset: Any
    get_serializer: Any
    get_serializer_context: Any
    perform_update: Any

    def _request(self) -> Request:
        request: Request = self.request  # type: ignore[attr-defined]  # the view set's
        return request

    def representation(self, instance: Model) -> tuple[dict[str, Any], str]:
        """The detail representation of ``instance`` and its ``ETag``."""
        data = self.detail_serializer_class(instance, context=self.get_serializer_context()).data
        return data, representation_etag(version=instance.version, representation=data)  # type: ignore[attr-defined]

    def preconditions(self, instance: Model) -> int | None:
        """Evaluate the request's preconditions against ``instance`` as it is stored now.

        Raises ``PreconditionFailed`` (412) when they fail. Returns the version the write must be based
        on: the current one when ``If-Match`` named the current tag, ``None`` without ``If-Match`` or with
        ``If-Match: *`` (then the save still checks the version this request loaded).
        """
        _data, etag = self.representation(instance)
        outcome = get_conditional_response(self._request(), etag=etag)
        if outcome is not None:
            error = PreconditionFailed(detail=self._stale_detail(instance))
            error.etag = etag  # type: ignore[attr-defined]
            raise error
        tags = self._request().META.get("HTTP_IF_MATCH", "").strip()
        self.expected_version = instance.version if tags and tags != "*" else None  # type: ignore[attr-defined]
        return self.expected_version

    def _stale_detail(self, instance: Model) -> str | None:
        """Who changed the record since the version named in ``If-Match`` (our tags start with it), or
        ``None`` for the general message."""
        current: int = instance.version  # type: ignore[attr-defined]
        named = []
        for tag in parse_etags(self._request().META.get("HTTP_IF_MATCH", "")):
            number = tag.strip('"').split("-", 1)[0]
            if number.isdigit() and int(number) < current:
                named.append(int(number))
        if not named:
            return None
        conflict = EditConflict(instance=instance, expected=max(named), current=current)
        return f"{conflict.message} {_advice()}"

    def detail_response(self, instance: Model, *, status_code: int = status.HTTP_200_OK) -> Response:
        """``instance`` as stored now (read again through ``get_queryset`` when it is still visible, so its
        annotations are current), with its ``ETag``."""
        stored = self.get_queryset().filter(pk=instance.pk).first() or instance
        data, etag = self.representation(stored)
        return Response(data, status=status_code, headers={"ETag": etag})

    def retrieve(self, request: Request, *args: Any, **kwargs: Any) -> Response:
        """The record with its ``ETag``; ``304 Not Modified`` (no body) when ``If-None-Match`` names it."""
        instance = self.get_object()
        data, etag = self.representation(instance)
        outcome = get_conditional_response(request, etag=etag)
        if outcome is not None:
            if outcome.status_code == status.HTTP_304_NOT_MODIFIED:
                return Response(status=status.HTTP_304_NOT_MODIFIED, headers={"ETag": etag})
            error = PreconditionFailed()
            error.etag = etag  # type: ignore[attr-defined]
            raise error
        return Response(data, headers={"ETag": etag})

    def update(self, request: Request, *args: Any, **kwargs: Any) -> Response:
        """Check the preconditions, validate, write through the service (``perform_update``), and answer
        with the record as stored and its new ``ETag``."""
        partial = kwargs.pop("partial", False)
        instance = self.get_object()
        self.preconditions(instance)
        serializer = self.get_serializer(instance, data=request.data, partial=partial)
        serializer.is_valid(raise_exception=True)
        self.perform_update(serializer)
        return self.detail_response(serializer.instance)

    def handle_exception(self, exc: Exception) -> Response:
        """An ``EditConflict`` from the service: 412 when the request named a version (``If-Match``), else
        409 (the row changed while this request ran). Both say who changed what, when."""
        etag = getattr(exc, "etag", None)
        if isinstance(exc, EditConflict):
            detail = f"{exc.message} {_advice()}"
            if self.expected_version is not None:
                exc = PreconditionFailed(detail=detail)
            else:
                exc = EditConflictDuringRequest(detail=detail)
        response: Response = super().handle_exception(exc)  # type: ignore[misc]
        if etag:
            response["ETag"] = etag
        return response


_SchemaBase: Any = api_settings.DEFAULT_SCHEMA_CLASS


class ConditionalRequestsSchema(_SchemaBase):
    """The default schema of the API, plus what ``ConditionalRequestsMixin`` does: the ``ETag`` response
    header, ``If-None-Match`` and 304 on ``retrieve``, ``If-Match`` with 412 and 409 on the writes."""

    def get_operation(self, *args: Any, **kwargs: Any) -> dict[str, Any] | None:
        operation: dict[str, Any] | None = super().get_operation(*args, **kwargs)
        if operation is None:
            return None
        action = getattr(self.view, "action", None)
        if action == "retrieve":
            self._add_header(
                operation,
                "If-None-Match",
                _("ETags of representations the client has: 304 Not Modified when one is current."),
            )
            self._tag_success(operation)
            operation["responses"]["304"] = {
                "description": _("Not modified: the representation named by If-None-Match is current."),
                "headers": self._etag_header(),
            }
        elif action in (*WRITE_ACTIONS, *getattr(self.view, "conditional_actions", ())):
            self._add_header(
                operation,
                "If-Match",
                _(
                    "The ETag the change is based on (from a GET of the record): the change is refused "
                    "with 412 when the record has changed since. `*` only asks that it exists. Send it: "
                    "without it the change overwrites whatever was saved meanwhile."
                ),
            )
            self._tag_success(operation)
            error = self.resolve_serializer(RefusedEditSerializer, "response").ref
            operation["responses"]["412"] = {
                "description": _("Precondition failed: the record has changed since the ETag in If-Match."),
                "content": {"application/json": {"schema": error}},
            }
            operation["responses"]["409"] = {
                "description": _("Conflict: the record was changed by someone else while this request ran."),
                "content": {"application/json": {"schema": error}},
            }
        return operation

    @staticmethod
    def _etag_header() -> dict[str, Any]:
        return {
            "ETag": {
                "schema": {"type": "string"},
                "description": _("Entity tag of this representation of the record; send it in If-Match."),
            }
        }

    def _tag_success(self, operation: dict[str, Any]) -> None:
        for code, response in operation["responses"].items():
            if code in ("200", "201"):
                response.setdefault("headers", {}).update(self._etag_header())

    @staticmethod
    def _add_header(operation: dict[str, Any], name: str, description: str) -> None:
        parameter = build_parameter_type(
            name=name, schema={"type": "string"}, location="header", description=description
        )
        operation.setdefault("parameters", []).append(parameter)
