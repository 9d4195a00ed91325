"""The field practicum's figures: the places available per district against the students needing a
placement (``/training/practicum/``), and the places organisations offer (list and form). Counts only, no
person: every role but a worker's own login reads them; an organisation's offers are set by a national
data manager, the subnational officer of its area or its focal point (``access.training_policy``)."""

from __future__ import annotations

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _

from sswis.access import training_policy
from sswis.registry.models import Organisation
from sswis.training.practicum import practicum_offer_set
from sswis.training.practicum_selectors import availability_total, offers_listed, practicum_availability
from sswis.web.decorators import catalogue_required, practicum_offers_required
from sswis.web.forms import form_add_service_errors
from sswis.web.training_practicum_forms import OfferForm, YearForm
from sswis.web.views.common import page_of

NAV = "practicum"


def _year(request: HttpRequest) -> tuple[YearForm, int]:
    form = YearForm(request.GET)
    return form, int(form.cleaned("year", timezone.localdate().year))


@catalogue_required
def availability_view(request: HttpRequest) -> HttpResponse:
    """``?year=`` (default this year): per district, the places offered, the placements starting in the
    year, the places left, the students needing a placement and the balance; then the whole country."""
    form, year = _year(request)
    rows = practicum_availability(year=year)
    return render(
        request,
        "web/training/practicum/availability.html",
        {
            "nav": NAV,
            "form": form,
            "year": year,
            "rows": rows,
            "total": availability_total(rows),
            "reads_people": training_policy.reads_practicum_people(user=request.user),
        },
    )


@catalogue_required
def offer_list_view(request: HttpRequest) -> HttpResponse:
    """The places organisations offer, latest year first; ``?year=`` one year; 50 a page."""
    form = YearForm(request.GET)
    return render(
        request,
        "web/training/practicum/offers.html",
        {
            "nav": NAV,
            "form": form,
            "page_obj": page_of(request, offers_listed(year=form.cleaned("year"))),
            "may_set": training_policy.may_set_offers(user=request.user),
            "reads_people": training_policy.reads_practicum_people(user=request.user),
        },
    )


@practicum_offers_required
def offer_set_view(request: HttpRequest) -> HttpResponse:
    """Set the places an organisation the user covers offers in a year (the one recorded is changed)."""
    organisations = training_policy.offers_changeable(
        user=request.user, queryset=Organisation.objects.select_related("location").order_by("code")
    )
    if request.method == "POST":
        form = OfferForm(request.POST, organisations=organisations)
        if form.is_valid():
            data = form.cleaned_data
            try:
                practicum_offer_set(
                    actor=request.user,
                    organisation=data["organisation"],
                    year=data["year"],
                    places=data["places"],
                )
            except ValidationError as error:
                form_add_service_errors(form, error)
            else:
                messages.success(request, _("The places offered are saved."))
                return redirect(f"{reverse('web:practicum_offer_list')}?year={data['year']}")
    else:
        form = OfferForm(initial={"year": timezone.localdate().year}, organisations=organisations)
    return render(
        request,
        "web/training/practicum/offer_form.html",
        {"nav": NAV, "form": form},
        status=400 if form.errors else 200,
    )
