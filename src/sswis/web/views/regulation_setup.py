"""Setting up the regulation on a page (``/registers/setup/``): the bodies, their registers with every rule,
their CPD providers and activities, each form saved by one service (``regulation.setup.SETUP_FORMS``).
A national data manager sets up any body and adds new ones; a registrar their own body's; nobody else
opens the page. ``?register=CODE`` fills the register form with that register's rules, to change them."""

from __future__ import annotations

from typing import Any

from django.contrib import messages
from django.core.exceptions import PermissionDenied, ValidationError
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from sswis.access import regulation_policy
from sswis.regulation.models import CpdActivity, CpdProvider, Register, RegulatoryBody
from sswis.regulation.setup import SETUP_FORMS, register_initial, setup_form
from sswis.web.decorators import register_keepers_required
from sswis.web.forms import form_add_service_errors


def _bodies(user: Any) -> Any:
    return regulation_policy.bodies_changeable(user=user, queryset=RegulatoryBody.objects.order_by("code"))


def _page(request: HttpRequest, bound: dict[str, Any], status: int = 200) -> HttpResponse:
    bodies = _bodies(request.user)
    national = regulation_policy.may_change_regulation(user=request.user, body_id=None)
    register = None
    code = request.GET.get("register", "")
    if code:
        register = (
            regulation_policy.registers_changeable(user=request.user, queryset=Register.objects.all())
            .filter(code=code)
            .first()
        )
    forms = []
    for name, setup in SETUP_FORMS.items():
        if name == "body" and not national:
            continue  # a registrar's body is set up by a national data manager
        initial = register_initial(register) if name == "register" and register is not None else None
        forms.append((name, setup, bound.get(name) or setup_form(name, bodies=bodies, initial=initial)))
    return render(
        request,
        "web/regulation/setup.html",
        {
            "nav": "registers",
            "forms": forms,
            "registers": Register.objects.filter(body__in=bodies).select_related("body").order_by("code"),
            "providers": CpdProvider.objects.filter(body__in=bodies).order_by("code"),
            "activities": CpdActivity.objects.filter(provider__body__in=bodies)
            .select_related("provider")
            .order_by("-held_on", "code")[:200],
        },
        status=status,
    )


@register_keepers_required
def regulation_setup_view(request: HttpRequest) -> HttpResponse:
    """The set-up page."""
    return _page(request, {})


@register_keepers_required
@require_POST
def regulation_setup_save_view(request: HttpRequest, what: str) -> HttpResponse:
    """Save one set-up form (``what``: body, register, provider, activity); 400 with the problems on it."""
    if what not in SETUP_FORMS:
        raise Http404
    if what == "body" and not regulation_policy.may_change_regulation(user=request.user, body_id=None):
        raise PermissionDenied(_("Only a national data manager sets up regulatory bodies."))
    form = setup_form(what, bodies=_bodies(request.user), data=request.POST)
    if form.is_valid():
        try:
            saved = SETUP_FORMS[what].save(request.user, form.cleaned_data)
        except ValidationError as error:
            form_add_service_errors(form, error)
        else:
            messages.success(request, _("Saved: %(what)s.") % {"what": saved})
            return redirect("web:regulation_setup")
    return _page(request, {what: form}, status=400)
