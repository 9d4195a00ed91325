"""The Primero API (``/api/v1/support/primero/``): the sync history (national data managers and system
administrators) and the case hand-over directory in the shape of Primero's ``users/transfer-to``
(the roles that see people, the workers they see). See ``docs/support.md``."""

from __future__ import annotations

from typing import Any

from django.db.models import QuerySet
from django.utils.translation import gettext, gettext_lazy
from drf_spectacular.utils import OpenApiParameter, extend_schema
from rest_framework import exceptions, generics
from rest_framework.request import Request
from rest_framework.response import Response

from sswis.access import policy
from sswis.api.pagination import ApiPagination
from sswis.api.permissions import HANDOVER, PRIMERO_SYNCS
from sswis.api.primero_serializers import TRANSFER_TO, PrimeroSyncSerializer, TransferToUserSerializer
from sswis.api.views.base import ServiceAPIView, ServiceErrorsMixin
from sswis.primero.models import PrimeroSync
from sswis.registry.models import Cadre, Organisation
from sswis.support.handover import handover_directory


class PrimeroSyncListView(ServiceErrorsMixin, generics.ListAPIView[PrimeroSync]):
    """Every sync from Primero, newest first: who, when, the server (without credentials), the month,
    whether it was a dry run, the counts, the unmatched user names, the error of a failed one."""

    permission_classes = PRIMERO_SYNCS
    pagination_class = ApiPagination
    serializer_class = PrimeroSyncSerializer

    def get_queryset(self) -> QuerySet[PrimeroSync]:
        return PrimeroSync.objects.select_related("user").order_by("-created_at", "-id")

    @extend_schema(operation_id="support_primero_syncs")
    def get(self, request: Request, *args: Any, **kwargs: Any) -> Response:
        return super().get(request, *args, **kwargs)


def _by_code(model: Any, name: str, code: str) -> Any:
    if not code:
        return None
    found = model.objects.filter(code=code).first()
    if found is None:
        raise exceptions.ValidationError(
            {name: [gettext("No %(name)s has the code %(code)s.") % {"name": name, "code": code}]}
        )
    return found


class TransferToView(ServiceAPIView):
    """The workers who can take a case at ``location`` (and below) today, in the shape of Primero's
    ``GET /api/v2/users/transfer-to``: one per worker with a child-protection assignment active there and
    a Primero user name (``user_name``: the user to transfer the case to in Primero). ``agency`` (an
    organisation's code) and ``cadre`` narrow it; without ``location``, the user's area (else the country).
    Only the workers the user sees."""

    permission_classes = HANDOVER

    @extend_schema(
        operation_id="support_primero_transfer_to",
        parameters=[
            OpenApiParameter("location", str, description=gettext_lazy("the receiving location's code")),
            OpenApiParameter("agency", str, description=gettext_lazy("only this organisation (its code)")),
            OpenApiParameter("cadre", str, description=gettext_lazy("only this cadre (its code)")),
            OpenApiParameter(
                "record_type", str, enum=["case"], description=gettext_lazy("Primero's; only cases")
            ),
        ],
        responses=TRANSFER_TO,
    )
    def get(self, request: Request) -> Response:
        params = request.query_params
        record_type = params.get("record_type", "case")
        if record_type != "case":
            raise exceptions.ValidationError(
                {"record_type": [gettext("Only cases are handed over: give case.")]}
            )
        code = params.get("location", "")
        if code:
            # A bad code is a bad parameter (400), like ``agency`` and ``cadre``: Primero shows the message.
            location = policy.locations_in_scope(user=request.user).filter(code=code).first()
            if location is None:
                raise exceptions.ValidationError(
                    {
                        "location": [
                            gettext("No location in your area has the code %(code)s.") % {"code": code}
                        ]
                    }
                )
        else:
            location = policy.default_location_for(user=request.user)
        workers = (
            handover_directory(
                user=request.user,
                location=location,
                organisation=_by_code(Organisation, "agency", params.get("agency", "")),
                cadre=_by_code(Cadre, "cadre", params.get("cadre", "")),
            )
            if location is not None
            else []
        )
        return Response({"data": TransferToUserSerializer(workers, many=True).data})
