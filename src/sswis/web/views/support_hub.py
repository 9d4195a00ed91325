"""The support's front page: what there is to open about supervision, caseloads, retention, associations,
wellbeing, Primero and SMS, as far as the user may."""

from __future__ import annotations

from django.http import HttpRequest, HttpResponse
from django.shortcuts import render

from sswis.access import primero_policy, rapidpro_policy
from sswis.access.policy import scope_of
from sswis.web.decorators import support_read_required


def _allowed(check: object, user: object) -> bool:
    try:
        check(user=user)  # type: ignore[operator]
    except Exception:  # a PermissionDenied: the link is not shown
        return False
    return True


@support_read_required
def support_hub_view(request: HttpRequest) -> HttpResponse:
    """Every role but outsiders and workers' own logins; links to persons' records only for the roles that
    see people, to the Primero syncs and the SMS gateway only for those who may open them."""
    user = request.user
    scope = scope_of(user)
    return render(
        request,
        "web/support/hub.html",
        {
            "nav": "support",
            "sees_people": scope.sees_people,
            "reads_syncs": _allowed(primero_policy.require_sync_read, user),
            "manages_sms": _allowed(rapidpro_policy.require_sms_manage, user),
        },
    )
