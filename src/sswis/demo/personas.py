"""The demo's logins: one per persona, including an outsider who is refused everywhere."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from django.contrib.auth import get_user_model
from django.db import transaction
from django.utils.translation import gettext

from sswis.access.models import Role, UserScope
from sswis.access.services import user_create_with_role
from sswis.geo.models import Location
from sswis.registry.models import Organisation, OrganisationType
from sswis.regulation.models import Registration, RegistrationStatus, RegulatoryBody
from sswis.training.models import TrainingInstitution


@dataclass(frozen=True)
class DemoLogin:
    username: str
    password: str
    persona: str
    scope: str


PASSWORD_SUFFIX = "demo-2025"


def demo_password(*, username: str) -> str:
    """The demo's password for ``username``: printed by ``sswis demo``, never for a real deployment."""
    return f"{username}-{PASSWORD_SUFFIX}"


def demo_manager_create() -> Any:
    """The demo's national data manager, who the demo import is attributed to (created or reset)."""
    return user_create_with_role(
        actor=None,
        username="manager",
        password=demo_password(username="manager"),
        role=Role.NATIONAL_DATA_MANAGER,
        is_staff=True,
    )


@transaction.atomic
def demo_personas_create() -> list[DemoLogin]:
    """Create (or reset the passwords of) one login per persona on the loaded demo country.

    The subnational officer covers the first region; the focal point works for the first NGO. Needs the
    demo template to be imported first (raises ``LookupError`` if the country has no region or NGO).
    """
    root = Location.objects.filter(parent__isnull=True).first()
    region = Location.objects.filter(parent=root).order_by("code").first() if root else None
    ngo = Organisation.objects.filter(type=OrganisationType.NGO).order_by("code").first()
    if region is None or ngo is None:
        raise LookupError(gettext("Load the demo country before creating its logins."))
    logins: list[DemoLogin] = []

    def add(username: str, role: Role, scope: str, **kwargs: Any) -> None:
        password = demo_password(username=username)
        user_create_with_role(actor=None, username=username, password=password, role=role, **kwargs)
        logins.append(DemoLogin(username, password, str(role.label), scope))

    add("admin", Role.SYSTEM_ADMINISTRATOR, gettext("users, roles and reference lists"), is_staff=True)
    add("manager", Role.NATIONAL_DATA_MANAGER, gettext("the whole country"), is_staff=True)
    below = gettext("%(code)s (%(name)s) and below") % {"code": region.code, "name": region.name}
    add("officer", Role.SUBNATIONAL_OFFICER, below, location=region)
    add("focal", Role.ORGANISATION_FOCAL_POINT, f"{ngo.name} ({ngo.code})", organisation=ngo)
    add("analyst", Role.ANALYST, gettext("indicators and dashboards only"))
    body = RegulatoryBody.objects.order_by("code").first()
    if body is not None:
        add("registrar", Role.REGISTRAR, f"{body.name} ({body.code})", regulatory_body=body)
        registered = (
            Registration.objects.filter(status=RegistrationStatus.REGISTERED)
            .select_related("worker")
            .order_by("register__code", "number")
            .first()
        )
        if registered is not None:
            worker = registered.worker
            add("worker", Role.WORKER, f"{worker.full_name} ({worker.worker_id})", worker=worker)
    institution = TrainingInstitution.objects.order_by("code").last()  # the university
    if institution is not None:
        add(
            "institute",
            Role.INSTITUTION_FOCAL_POINT,
            f"{institution.name} ({institution.code})",
            training_institution=institution,
        )
    outsider, _ = get_user_model().objects.get_or_create(username="outsider")
    outsider.set_password(demo_password(username="outsider"))
    outsider.save()
    UserScope.objects.filter(user=outsider).delete()
    logins.append(
        DemoLogin(
            "outsider",
            demo_password(username="outsider"),
            gettext("Outsider (no role)"),
            gettext("refused everywhere"),
        )
    )
    return logins
