"""Registers and registrations through the API: the registers a user may see with their rules, the
registrations (filtered, paginated), one registration's whole record, an application, and every step of a
registration's life (``POST .../{id}/{step}/``, the same form and service as the page's step:
``sswis.regulation.steps``). Who sees and changes what: ``access.regulation_policy``; a registrar sees the
workers' identity fields only, never their employment. Bad input is a 400 naming the field; a refused step
writes nothing."""

from __future__ import annotations

from typing import Any

from django.shortcuts import get_object_or_404
from django.utils import timezone
from django.utils.translation import gettext, gettext_lazy
from drf_spectacular.types import OpenApiTypes
from drf_spectacular.utils import OpenApiParameter, extend_schema
from rest_framework import generics, serializers, status
from rest_framework.exceptions import NotFound, PermissionDenied, ValidationError
from rest_framework.parsers import MultiPartParser
from rest_framework.request import Request
from rest_framework.response import Response

from sswis.access import regulation_policy
from sswis.api.pagination import ApiPagination
from sswis.api.permissions import REGISTER_KEEPERS, REGISTERS
from sswis.api.views.base import (
    ServiceAPIView,
    ServiceErrorsMixin,
    SizeLimitedUploadMixin,
    form_cleaned_data,
    form_data,
)
from sswis.indicators.definitions import FIRST_YEAR, LAST_YEAR
from sswis.regulation.cpd_import import cpd_records_import_upload
from sswis.regulation.models import (
    CpdActivity,
    CpdProvider,
    Register,
    Registration,
    RegistrationStatus,
    RegulatoryBody,
)
from sswis.regulation.records import as_identity, registration_record, registrations_filtered
from sswis.regulation.selectors_discipline import sanctions_in_force
from sswis.regulation.services import registration_apply
from sswis.regulation.setup import SETUP_FORMS, setup_form
from sswis.regulation.statistics import regulation_statistics, small_cells_for
from sswis.regulation.steps import STEPS, step_form


class RegisterSerializer(serializers.ModelSerializer[Register]):
    body = serializers.CharField(source="body.code")
    body_name = serializers.CharField(source="body.name")
    currency = serializers.CharField(source="body.currency")
    cadres: serializers.SlugRelatedField[Any] = serializers.SlugRelatedField(
        slug_field="code", many=True, read_only=True
    )
    # Plain text, not enums: the choice lists are the registry's and the model's, documented there.
    minimum_education = serializers.CharField()
    licence_validity = serializers.CharField()

    class Meta:
        model = Register
        fields = [
            "code",
            "name",
            "body",
            "body_name",
            "currency",
            "cadres",
            "minimum_education",
            "exam_required",
            "licence_validity",
            "licence_months",
            "renewal_month",
            "renewal_day",
            "cpd_points_per_cycle",
            "cpd_required_categories",
            "renewal_fee",
            "late_fine",
            "grace_days",
            "restoration_fee",
            "cpd_exempt_from_age",
        ]


class RegistrationListedSerializer(serializers.ModelSerializer[Registration]):
    register = serializers.CharField(source="register.code")
    worker_id = serializers.CharField(source="worker.worker_id")
    given_name = serializers.CharField(source="worker.given_name")
    family_name = serializers.CharField(source="worker.family_name")
    status = serializers.CharField(
        help_text=gettext_lazy("applied, refused, registered, suspended, lapsed or removed")
    )

    class Meta:
        model = Registration
        fields = [
            "id",
            "register",
            "number",
            "worker_id",
            "given_name",
            "family_name",
            "status",
            "status_since",
        ]


class ApplicationSerializer(serializers.Serializer[Any]):
    register = serializers.CharField()
    worker_id = serializers.CharField(max_length=64)
    applied_on = serializers.DateField()


def _record_json(registration: Registration) -> dict[str, Any]:
    today = timezone.localdate()
    record = registration_record(registration=registration, day=today)
    renewal = record.renewal
    return {
        "id": registration.pk,
        "register": registration.register.code,
        "number": registration.number,
        "status": registration.status,
        "status_since": registration.status_since,
        "applied_on": registration.applied_on,
        "registered_on": registration.registered_on,
        "documents_checked": registration.documents_checked,
        "worker": as_identity(registration.worker),
        "sanctions_in_force": [
            {
                "kind": sanction.kind,
                "starts_on": sanction.starts_on,
                "ends_on": sanction.ends_on,
                "conditions": sanction.conditions,
            }
            for sanction in sanctions_in_force(registration=registration, day=today)
        ],
        "history": [
            {"status": change.status, "since": change.since, "reason": change.reason}
            for change in record.history
        ],
        "licences": [
            {"number": lic.number, "valid_from": lic.valid_from, "valid_until": lic.valid_until}
            for lic in record.licences
        ],
        "charges": [
            {
                "id": line.charge.pk,
                "kind": line.charge.kind,
                "amount": line.charge.amount,
                "currency": line.charge.currency,
                "due_on": line.charge.due_on,
                "paid": line.paid,
                "owed": line.owed,
            }
            for line in record.charges
        ],
        "cpd": [
            {
                "activity": cpd.activity.code,
                "category": cpd.activity.category,
                "points": cpd.activity.points,
                "completed_on": cpd.completed_on,
            }
            for cpd in record.cpd
        ],
        "eligibility": None
        if record.eligibility is None
        else [{"rule": r.rule, "met": r.met, "found": r.found} for r in record.eligibility],
        "renewal": None
        if renewal is None
        else {
            "cycle_start": renewal.cycle_start,
            "cycle_end": renewal.cycle_end,
            "points_required": renewal.points_required,
            "points_earned": renewal.points_earned,
            "categories_missing": renewal.categories_missing,
            "exempt": renewal.exempt,
            "shortfall": renewal.shortfall,
        },
        "steps": [name for name, step in STEPS.items() if registration.status in step.statuses],
    }


class RegisterListView(ServiceAPIView):
    """The registers the user may see (a registrar their body's), with their rules."""

    permission_classes = REGISTERS

    @extend_schema(responses=RegisterSerializer(many=True))
    def get(self, request: Request) -> Response:
        registers = regulation_policy.registers_visible(
            user=request.user, queryset=Register.objects.select_related("body").prefetch_related("cadres")
        )
        return Response(RegisterSerializer(registers, many=True).data)


class RegistrationListView(ServiceErrorsMixin, generics.ListAPIView):
    """Registrations the user may see; an application (POST) to a register the user keeps."""

    permission_classes = REGISTERS
    pagination_class = ApiPagination
    serializer_class = RegistrationListedSerializer

    def get_queryset(self) -> Any:
        status_value = self.request.query_params.get("status", "")
        if status_value and status_value not in RegistrationStatus.values:
            raise ValidationError(
                {
                    "status": [
                        gettext("Choose one of: %(values)s.")
                        % {"values": ", ".join(RegistrationStatus.values)}
                    ]
                }
            )
        visible = regulation_policy.registrations_visible(
            user=self.request.user, queryset=Registration.objects.all()
        )
        return registrations_filtered(
            queryset=visible,
            register_code=self.request.query_params.get("register", ""),
            status=status_value,
            query=self.request.query_params.get("q", ""),
        )

    @extend_schema(
        parameters=[
            OpenApiParameter("register", str, description=gettext_lazy("a register's code")),
            OpenApiParameter("status", str, enum=RegistrationStatus.values),
            OpenApiParameter(
                "q", str, description=gettext_lazy("a name, a worker ID or a registration number")
            ),
        ]
    )
    def get(self, request: Request, *args: Any, **kwargs: Any) -> Response:
        return super().get(request, *args, **kwargs)

    @extend_schema(request=ApplicationSerializer, responses={201: OpenApiTypes.OBJECT})
    def post(self, request: Request) -> Response:
        """Record an application; 400 naming the field, 403 for a register the user does not keep."""
        given = ApplicationSerializer(data=request.data)
        given.is_valid(raise_exception=True)
        register = (
            regulation_policy.registers_visible(user=request.user, queryset=Register.objects.all())
            .filter(code=given.validated_data["register"])
            .first()
        )
        if register is None:
            raise ValidationError({"register": [gettext("There is no register with this code.")]})
        worker = (
            regulation_policy.workers_identifiable(user=request.user)
            .filter(worker_id=given.validated_data["worker_id"])
            .first()
        )
        if worker is None:
            raise ValidationError({"worker_id": [gettext("No worker has this worker ID.")]})
        registration = registration_apply(
            actor=request.user,
            register=register,
            worker=worker,
            applied_on=given.validated_data["applied_on"],
        )
        return Response(_record_json(registration), status=status.HTTP_201_CREATED)


def _registration(request: Request, pk: int) -> Registration:
    visible = regulation_policy.registrations_visible(
        user=request.user,
        queryset=Registration.objects.select_related("register", "register__body", "worker"),
    )
    return get_object_or_404(visible, pk=pk)


class RegistrationDetailView(ServiceAPIView):
    """One registration's whole record: identity, eligibility, the sanctions in force today (suspensions,
    conditions on practice), history, licences, charges, CPD, renewal today, and the steps that apply
    now."""

    permission_classes = REGISTERS

    @extend_schema(responses=OpenApiTypes.OBJECT)
    def get(self, request: Request, pk: int) -> Response:
        return Response(_record_json(_registration(request, pk)))


class RegistrationStepView(ServiceAPIView):
    """Take one step of a registration's life: ``review``, ``approve``, ``refuse``, ``licence``, ``charges``,
    ``renew``, ``payment``, ``cpd``, ``evidence_accept``, ``evidence_reject``, ``lapse``, ``restoration_fee``,
    ``restore``, ``remove`` — the body holds the step's fields (as the page's form). Refused (403) to anyone
    but the body's registrar or a national data manager; a step that does not apply now or bad input is a
    400 and writes nothing; the answer is the registration's record after the step."""

    permission_classes = REGISTERS

    @extend_schema(
        operation_id="regulation_registration_step",
        request=OpenApiTypes.OBJECT,
        responses=OpenApiTypes.OBJECT,
    )
    def post(self, request: Request, pk: int, step: str) -> Response:
        if step not in STEPS:
            raise NotFound(gettext("There is no step %(step)r.") % {"step": step})
        registration = _registration(request, pk)
        regulation_policy.require_regulation_change(user=request.user, body_id=registration.register.body_id)
        if registration.status not in STEPS[step].statuses:
            raise ValidationError(
                {
                    "status": [
                        gettext("The registration is %(status)s: this step is not possible now.")
                        % {"status": RegistrationStatus(registration.status).label}
                    ]
                }
            )
        form = step_form(step, registration=registration, data=form_data(request), prefixed=False)
        STEPS[step].run(request.user, registration, form_cleaned_data(form))
        registration.refresh_from_db()
        return Response(_record_json(registration))


class StatisticsQuerySerializer(serializers.Serializer[dict[str, Any]]):
    year = serializers.IntegerField(min_value=FIRST_YEAR, max_value=LAST_YEAR)
    depth = serializers.IntegerField(
        min_value=0,
        max_value=10,
        default=1,
        help_text=gettext_lazy("location levels below the country (default 1)"),
    )


class RegulationStatisticsView(ServiceAPIView):
    """Each register's figures of a year (``regulation.statistics``): registrations by status on 31
    December, by location (``depth`` levels below the country, default 1), renewals due, renewed in time,
    lapsed, the lapse rate and CPD compliance. National data managers, and registrars for their body."""

    permission_classes = REGISTER_KEEPERS

    @extend_schema(parameters=[StatisticsQuerySerializer], responses=OpenApiTypes.OBJECT)
    def get(self, request: Request) -> Response:
        query = StatisticsQuerySerializer(data=request.query_params)
        query.is_valid(raise_exception=True)
        year, depth = query.validated_data["year"], query.validated_data["depth"]
        registers = regulation_policy.registers_visible(user=request.user, queryset=Register.objects.all())
        figures = regulation_statistics(
            registers=registers, year=year, depth=depth, withheld_below=small_cells_for(user=request.user)
        )
        return Response({"year": year, "registers": [figure.as_json() for figure in figures]})


class RegulationSetupView(ServiceAPIView):
    """What the user may set up (national data manager: every body; registrar: their body): the bodies,
    registers, CPD providers and activities (GET); and one of them saved (``POST .../setup/{what}/`` with
    ``what`` = ``body``, ``register``, ``provider`` or ``activity`` and the fields of the page's form, e.g.
    ``activity`` ``{"provider": 3, "code": "ETH-2025", "title": "Ethics", "category": "ethics",
    "points": "5", "held_on": "2025-03-15"}``; a register's ``cadres`` a list of cadre codes)."""

    permission_classes = REGISTER_KEEPERS

    @extend_schema(responses=OpenApiTypes.OBJECT)
    def get(self, request: Request) -> Response:
        bodies = regulation_policy.bodies_changeable(
            user=request.user, queryset=RegulatoryBody.objects.order_by("code")
        )
        providers = CpdProvider.objects.filter(body__in=bodies).select_related("body").order_by("code")
        activities = (
            CpdActivity.objects.filter(provider__body__in=bodies)
            .select_related("provider")
            .order_by("held_on", "code")
        )
        return Response(
            {
                "bodies": [
                    {
                        "id": b.pk,
                        "code": b.code,
                        "name": b.name,
                        "currency": b.currency,
                        "appeal_days": b.appeal_days,
                    }
                    for b in bodies
                ],
                "providers": [
                    {
                        "id": p.pk,
                        "body": p.body.code,
                        "code": p.code,
                        "name": p.name,
                        "accredited_from": p.accredited_from,
                        "accredited_until": p.accredited_until,
                    }
                    for p in providers
                ],
                "activities": [
                    {
                        "id": a.pk,
                        "provider": a.provider.code,
                        "code": a.code,
                        "title": a.title,
                        "category": a.category,
                        "points": a.points,
                        "held_on": a.held_on,
                    }
                    for a in activities
                ],
            }
        )


class RegulationSetupSaveView(ServiceAPIView):
    """Save one thing set up (see ``RegulationSetupView``); 400 naming the field, nothing written."""

    permission_classes = REGISTER_KEEPERS

    @extend_schema(
        operation_id="regulation_setup_save", request=OpenApiTypes.OBJECT, responses=OpenApiTypes.OBJECT
    )
    def post(self, request: Request, what: str) -> Response:
        if what not in SETUP_FORMS:
            raise NotFound(gettext("There is nothing called %(what)r to set up.") % {"what": what})
        if what == "body" and not regulation_policy.may_change_regulation(user=request.user, body_id=None):
            raise PermissionDenied(gettext("Only a national data manager sets up regulatory bodies."))
        bodies = regulation_policy.bodies_changeable(user=request.user, queryset=RegulatoryBody.objects.all())
        form = setup_form(what, bodies=bodies, data=form_data(request), prefixed=False)
        saved = SETUP_FORMS[what].save(request.user, form_cleaned_data(form))
        return Response({"id": saved.pk, "code": saved.code, "saved": str(saved)}, status=status.HTTP_200_OK)


class CpdImportSerializer(serializers.Serializer[Any]):
    provider = serializers.CharField(max_length=50, help_text=gettext_lazy("the CPD provider's code"))
    file = serializers.FileField(
        help_text=gettext_lazy("CSV: person_identifier, course, completion_date, certificate_id")
    )
    dry_run = serializers.BooleanField(default=False)


class CpdImportView(SizeLimitedUploadMixin, ServiceAPIView):
    """Import a CPD provider's attendance list or an online-course platform's certificates (multipart:
    ``provider``, ``file``, ``dry_run``), all or nothing, with the template importer's report: 200 when
    imported (or, for a dry run, without problems), 400 with the report when the file has problems
    (nothing written). The provider must be of a body the user keeps (its registrar, or a national data
    manager)."""

    permission_classes = REGISTER_KEEPERS
    parser_classes = [MultiPartParser]

    @extend_schema(
        operation_id="regulation_cpd_import",
        request={"multipart/form-data": CpdImportSerializer},
        responses={200: OpenApiTypes.OBJECT, 400: OpenApiTypes.OBJECT, 413: OpenApiTypes.OBJECT},
    )
    def post(self, request: Request) -> Response:
        received, too_large = self.uploaded_data(request)
        if too_large is not None:
            return too_large
        given = CpdImportSerializer(data=received)
        given.is_valid(raise_exception=True)
        bodies = regulation_policy.bodies_changeable(user=request.user, queryset=RegulatoryBody.objects.all())
        provider = CpdProvider.objects.filter(body__in=bodies, code=given.validated_data["provider"]).first()
        if provider is None:
            raise ValidationError({"provider": [gettext("No provider of a body you keep has this code.")]})
        upload = given.validated_data["file"]
        report = cpd_records_import_upload(
            actor=request.user,
            file_name=upload.name,
            chunks=upload.chunks(),
            provider=provider,
            dry_run=given.validated_data["dry_run"],
        )
        return self.report_response(report)
