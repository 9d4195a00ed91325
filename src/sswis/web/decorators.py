"""Access decorators for the pages: login first, then the role check of ``sswis.access.policy``."""

from __future__ import annotations

from collections.abc import Callable
from functools import wraps
from typing import Any, Concatenate, ParamSpec

from django.contrib.auth.decorators import login_required
from django.http import HttpRequest
from django.http.response import HttpResponseBase

from sswis.access import policy, regulation_policy, training_policy

P = ParamSpec("P")
View = Callable[Concatenate[HttpRequest, P], HttpResponseBase]


def _guarded(check: Callable[..., Any]) -> Callable[[View[P]], View[P]]:
    def decorator(view: View[P]) -> View[P]:
        @wraps(view)
        def wrapped(request: HttpRequest, *args: P.args, **kwargs: P.kwargs) -> HttpResponseBase:
            check(user=request.user)
            return view(request, *args, **kwargs)

        # Anonymous visitors are sent to the login page before any role check.
        return login_required(wrapped)

    return decorator


aggregates_required = _guarded(policy.require_aggregates)
"""Login required; outsiders (no role) get 403. Every role may see aggregate figures."""

people_required = _guarded(policy.require_people)
"""Login required; only roles that see person records (national, subnational, focal point) pass."""

imports_required = _guarded(policy.require_import)
"""Login required; only roles that may import a mapping template (national, subnational, focal point) pass."""

national_import_required = _guarded(policy.require_national_import)
"""Login required; only a national data manager passes (field surveys, survey rounds)."""

plan_change_required = _guarded(policy.require_plan_role)
"""Login required; only a national data manager or a subnational officer (who plan for their area) pass."""

registers_required = _guarded(regulation_policy.require_regulation_read)
"""Login required; only the roles that read registrations pass (national, registrar, officer, focal point)."""

register_keepers_required = _guarded(regulation_policy.require_register_keeper)
"""Login required; only a national data manager or a registrar (their body's) pass: the national exams, the
complaints, the registers' figures, set-up and CPD imports."""

training_managers_required = _guarded(training_policy.require_training_manager)
"""Login required; only a national data manager or a training institution's focal point pass: the pages that
change training (completions lists, and what matches or sets aside their unmatched rows)."""
