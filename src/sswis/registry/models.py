"""The registry: organisations, cadres, workers, their assignments and the establishment of posts.

Every row has a stable UUID besides its business code and a last-updated instant (FHIR mCSD sync), and
a full change history with the acting user (django-simple-history). History of employment is never
overwritten: a transfer ends one assignment and starts another.
"""

from __future__ import annotations

import datetime
import uuid
from dataclasses import dataclass
from decimal import Decimal
from typing import Any

from django.core.exceptions import ValidationError
from django.core.validators import MaxValueValidator, MinValueValidator
from django.db import models, transaction
from django.utils.translation import gettext_lazy
from django.utils.translation import gettext_lazy as _

from sswis.auditing import AuditHistory
from sswis.concurrency import Versioned
from sswis.database import lookup_batch_size
from sswis.geo.models import Location
from sswis.registry.dates import birth_date_problem, working_age_problem


class OrganisationType(models.TextChoices):
    GOVERNMENT = "government", _("Government")
    NGO = "ngo", _("Non-governmental organisation")
    FAITH_BASED = "faith_based", _("Faith-based organisation")
    COMMUNITY_BASED = "community_based", _("Community-based organisation")
    PRIVATE = "private", _("Private")
    ACADEMIC = "academic", _("Academic")
    UN_OR_DONOR = "un_or_donor", _("UN agency or donor")
    OTHER = "other", _("Other")


class Sector(models.TextChoices):
    SOCIAL_WELFARE = "social_welfare", _("Social welfare")
    JUSTICE = "justice", _("Justice")
    HEALTH = "health", _("Health")
    EDUCATION = "education", _("Education")
    SOCIAL_PROTECTION = "social_protection", _("Social protection")
    DISASTER_RISK_REDUCTION = "disaster_risk_reduction", _("Disaster risk reduction")
    OTHER = "other", _("Other")


class CadreCategory(models.TextChoices):
    PROFESSIONAL = "professional", _("Professional")
    PARA_PROFESSIONAL = "para_professional", _("Para-professional")
    VOLUNTEER = "volunteer", _("Volunteer")
    ALLIED = "allied", _("Allied")


class Sex(models.TextChoices):
    FEMALE = "female", _("Female")
    MALE = "male", _("Male")
    OTHER = "other", _("Other")
    UNKNOWN = "unknown", _("Unknown")


class Disability(models.TextChoices):
    YES = "yes", _("Yes")
    NO = "no", _("No")
    UNKNOWN = "unknown", _("Unknown")


class EducationLevel(models.TextChoices):
    NONE = "none", _("None")
    PRIMARY = "primary", _("Primary")
    SECONDARY = "secondary", _("Secondary")
    CERTIFICATE = "certificate", _("Certificate")
    DIPLOMA = "diploma", _("Diploma")
    BACHELOR = "bachelor", _("Bachelor")
    MASTER = "master", _("Master")
    DOCTORATE = "doctorate", _("Doctorate")
    UNKNOWN = "unknown", _("Unknown")


POST_SECONDARY_LEVELS = (
    EducationLevel.CERTIFICATE,
    EducationLevel.DIPLOMA,
    EducationLevel.BACHELOR,
    EducationLevel.MASTER,
    EducationLevel.DOCTORATE,
)
NO_POST_SECONDARY_LEVELS = (EducationLevel.NONE, EducationLevel.PRIMARY, EducationLevel.SECONDARY)


class ExitReason(models.TextChoices):
    RESIGNED = "resigned", _("Resigned")
    RETIRED = "retired", _("Retired")
    DIED = "died", _("Died")
    DISMISSED = "dismissed", _("Dismissed")
    TRANSFERRED = "transferred", _("Transferred")
    CONTRACT_ENDED = "contract_ended", _("Contract ended")
    OTHER = "other", _("Other")


class Organisation(Versioned):
    """An employer or host of workers: a ministry, a department, an NGO, a community group...

    It is governmental exactly when its type is ``government``.
    """

    uuid = models.UUIDField(default=uuid.uuid4, unique=True, editable=False)
    code = models.CharField(max_length=64, unique=True)
    name = models.CharField(max_length=255)
    type = models.CharField(max_length=20, choices=OrganisationType.choices)
    sector = models.CharField(max_length=30, choices=Sector.choices, blank=True)
    location = models.ForeignKey(Location, on_delete=models.PROTECT, related_name="organisations")
    parent = models.ForeignKey(
        "self", null=True, blank=True, on_delete=models.PROTECT, related_name="children"
    )
    # The jurisdiction this organisation governs (a district's social welfare office manages the
    # district): the FHIR directory pairs the Location with it as its managingOrganization (mCSD).
    manages_location = models.OneToOneField(
        Location,
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="managing_organisation",
        help_text=gettext_lazy("The jurisdiction (location) this organisation administers, if any."),
    )
    updated_at = models.DateTimeField(auto_now=True, db_index=True)
    history = AuditHistory()

    class Meta:
        ordering = ["name"]

    def __str__(self) -> str:
        return f"{self.name} ({self.code})"

    @property
    def is_government(self) -> bool:
        return self.type == OrganisationType.GOVERNMENT


class Cadre(Versioned):
    """A job title as the country names it, with its category and optional ISCO-08 unit group."""

    uuid = models.UUIDField(default=uuid.uuid4, unique=True, editable=False)
    code = models.CharField(max_length=64, unique=True)
    name = models.CharField(max_length=200)
    category = models.CharField(max_length=20, choices=CadreCategory.choices)
    isco08 = models.CharField("ISCO-08 code", max_length=4, blank=True)
    updated_at = models.DateTimeField(auto_now=True, db_index=True)
    history = AuditHistory()

    class Meta:
        ordering = ["name"]

    def __str__(self) -> str:
        return f"{self.name} ({self.code})"


# What the worker list shows of each worker (``sswis.web.views.workers``), held by the index
# ``worker_live_listed`` so that a page of the list can be chosen from it alone.
WORKER_LISTED_FIELDS = ("id", "family_name", "given_name", "worker_id", "sex")


class Worker(Versioned):
    """A person of the workforce. Personal data: read only through ``sswis.access``."""

    uuid = models.UUIDField(default=uuid.uuid4, unique=True, editable=False)
    worker_id = models.CharField("worker ID", max_length=64, unique=True)
    given_name = models.CharField(max_length=150)
    family_name = models.CharField(max_length=150, db_index=True)
    sex = models.CharField(max_length=10, choices=Sex.choices, default=Sex.UNKNOWN)
    birth_date = models.DateField(null=True, blank=True)
    disability = models.CharField(max_length=10, choices=Disability.choices, default=Disability.UNKNOWN)
    education_level = models.CharField(
        max_length=20, choices=EducationLevel.choices, default=EducationLevel.UNKNOWN
    )
    education_field = models.CharField(max_length=200, blank=True)
    national_id = models.CharField("national ID", max_length=64, blank=True)
    phone = models.CharField(max_length=40, blank=True)
    email = models.EmailField(blank=True)
    primero_user_name = models.CharField(max_length=150, blank=True)
    # A record found to be the same person as another: kept with its identifiers and history, but no
    # longer a live worker (``sswis.registry.merging``). Only the merge service writes these two.
    merged_into = models.ForeignKey(
        "self", null=True, blank=True, editable=False, on_delete=models.PROTECT, related_name="merged_records"
    )
    merged_at = models.DateTimeField(null=True, blank=True, editable=False)
    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True, db_index=True)
    history = AuditHistory()

    class Meta:
        ordering = ["family_name", "given_name", "worker_id"]
        indexes = [
            # The live workers by primary key with what the worker list shows (``WORKER_LISTED_FIELDS``):
            # the few matches of a narrow filter are sorted by name from this index alone
            # (``registry.selectors.worker_list_counted``), without reading each worker's row.
            models.Index(
                fields=list(WORKER_LISTED_FIELDS),
                name="worker_live_listed",
                condition=models.Q(merged_into__isnull=True),
            ),
        ]
        constraints = [
            models.CheckConstraint(
                condition=~models.Q(merged_into=models.F("id")), name="worker_not_merged_into_itself"
            ),
            models.CheckConstraint(
                condition=models.Q(merged_into__isnull=True, merged_at__isnull=True)
                | models.Q(merged_into__isnull=False, merged_at__isnull=False),
                name="worker_merged_at_with_merged_into",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.given_name} {self.family_name} ({self.worker_id})"

    def save(self, *args: Any, **kwargs: Any) -> None:
        """Save; a change of sex reaches the copy kept with the worker's assignments in the same transaction.

        Updating the worker's row locks it until the transaction ends, and a new assignment reads the sex
        under a lock that waits for that (``Assignment.save``, ``TableWriter``): an assignment created
        at the same time as the change either waits for it or is seen by it.
        """
        update_fields = kwargs.get("update_fields")
        if update_fields is not None and "sex" not in update_fields:
            super().save(*args, **kwargs)
            return
        with transaction.atomic(using=kwargs.get("using"), savepoint=False):
            super().save(*args, **kwargs)
            WORKER_SEX.carry(values={self.pk: self.sex}, using=kwargs.get("using"))

    def clean(self) -> None:
        """A birth date is not in the future, nor after the start of an assignment minus 15 years
        (``sswis.registry.dates``)."""
        problem = birth_date_problem(birth_date=self.birth_date)
        if problem is None and self.birth_date is not None and self.pk is not None:
            first = self.assignments.order_by("start_date").values_list("start_date", flat=True).first()
            problem = working_age_problem(birth_date=self.birth_date, start_date=first)
        if problem is not None:
            raise ValidationError({"birth_date": problem})

    @property
    def full_name(self) -> str:
        return f"{self.given_name} {self.family_name}"


class Post(Versioned):
    """An approved position of the establishment. Vacant on a date when no assignment filling it is active."""

    uuid = models.UUIDField(default=uuid.uuid4, unique=True, editable=False)
    code = models.CharField(max_length=64, unique=True)
    organisation = models.ForeignKey(Organisation, on_delete=models.PROTECT, related_name="posts")
    location = models.ForeignKey(Location, on_delete=models.PROTECT, related_name="posts")
    cadre = models.ForeignKey(Cadre, on_delete=models.PROTECT, related_name="posts")
    grade = models.CharField(max_length=50, blank=True)
    funded = models.BooleanField(default=True)
    established_on = models.DateField(null=True, blank=True)
    abolished_on = models.DateField(null=True, blank=True)
    updated_at = models.DateTimeField(auto_now=True, db_index=True)
    history = AuditHistory()

    class Meta:
        ordering = ["code"]
        constraints = [
            models.CheckConstraint(
                condition=models.Q(abolished_on__isnull=True)
                | models.Q(established_on__isnull=True)
                | models.Q(abolished_on__gt=models.F("established_on")),
                name="post_abolished_after_established",
            ),
        ]

    def __str__(self) -> str:
        return self.code

    def exists_on(self, day: datetime.date) -> bool:
        return (self.established_on is None or self.established_on <= day) and (
            self.abolished_on is None or self.abolished_on > day
        )


class Assignment(Versioned):
    """A worker's role in an organisation, at a location, in a cadre, over a period (FHIR PractitionerRole).

    Identity for imports: (worker, organisation, location, cadre, start_date).
    """

    uuid = models.UUIDField(default=uuid.uuid4, unique=True, editable=False)
    # No index of its own: the identity constraint and assignment_worker_start both start with it.
    worker = models.ForeignKey(Worker, on_delete=models.PROTECT, related_name="assignments", db_index=False)
    organisation = models.ForeignKey(Organisation, on_delete=models.PROTECT, related_name="assignments")
    # No index of their own: assignment_location_listed and assignment_cadre_listed start with them.
    location = models.ForeignKey(
        Location, on_delete=models.PROTECT, related_name="assignments", db_index=False
    )
    cadre = models.ForeignKey(Cadre, on_delete=models.PROTECT, related_name="assignments", db_index=False)
    # Indexed by assignment_post_dates, which holds only the assignments that fill a post.
    post = models.ForeignKey(
        Post, null=True, blank=True, on_delete=models.PROTECT, related_name="assignments", db_index=False
    )
    start_date = models.DateField()
    end_date = models.DateField(null=True, blank=True)
    paid = models.BooleanField()
    fte = models.DecimalField(
        "FTE",
        max_digits=4,
        decimal_places=3,
        default=Decimal("1"),
        validators=[MinValueValidator(Decimal("0.001")), MaxValueValidator(Decimal("1"))],
    )
    child_protection = models.BooleanField(
        default=True,
        help_text=gettext_lazy("Has responsibility for child protection or child welfare services."),
    )
    exit_reason = models.CharField(max_length=20, choices=ExitReason.choices, blank=True)
    # A copy of the worker's sex, so that the indicators count the workforce by sex from the assignments
    # alone, without joining every counted worker (see ``COPIED_COLUMNS``). Not an assignment fact:
    # not in the assignment's audit trail (the worker's records the change), never edited.
    worker_sex = models.CharField(max_length=10, choices=Sex.choices, default=Sex.UNKNOWN, editable=False)
    updated_at = models.DateTimeField(auto_now=True, db_index=True)
    history = AuditHistory(excluded_fields=["worker_sex"])

    class Meta:
        ordering = ["worker_id", "start_date", "id"]
        constraints = [
            models.UniqueConstraint(
                fields=["worker", "organisation", "location", "cadre", "start_date"],
                name="assignment_identity",
            ),
            models.CheckConstraint(
                condition=models.Q(end_date__isnull=True) | models.Q(end_date__gte=models.F("start_date")),
                name="assignment_ends_after_start",
            ),
            models.CheckConstraint(
                condition=models.Q(fte__gt=0) & models.Q(fte__lte=1), name="assignment_fte_in_range"
            ),
            models.CheckConstraint(
                condition=models.Q(exit_reason="") | models.Q(end_date__isnull=False),
                name="assignment_exit_reason_needs_end",
            ),
        ]
        indexes = [
            models.Index(fields=["worker", "start_date"], name="assignment_worker_start"),
            models.Index(fields=["start_date", "end_date"], name="assignment_period"),
            # Which posts are filled on a date (the vacancy rate), read from this index alone; also the
            # index of the post foreign key (a lookup by post implies it is not null).
            models.Index(
                fields=["post", "start_date", "end_date"],
                name="assignment_post_dates",
                condition=models.Q(post__isnull=False),
            ),
            # The worker list filtered by a place (and a cadre, paid or not), or by a cadre (paid or not):
            # which workers match, and how many, read from these indexes alone (``registry.selectors``).
            # Each also serves every lookup by its foreign key.
            models.Index(fields=["location", "cadre", "paid", "worker"], name="assignment_location_listed"),
            models.Index(fields=["cadre", "paid", "worker"], name="assignment_cadre_listed"),
        ]

    def __str__(self) -> str:
        return f"{self.worker_id} {self.cadre_id} {self.start_date}"

    def save(self, *args: Any, **kwargs: Any) -> None:
        """Save, with ``worker_sex`` read again from the worker as stored whenever it is written (every
        save but one whose ``update_fields`` leave it and the worker out): a copy loaded before the
        worker's sex changed is never written back.

        The worker's row is read under a lock (``FOR NO KEY UPDATE`` on PostgreSQL) held until the
        transaction ends, so a change of the worker's sex made at the same time waits and then reaches
        this assignment too. Without a worker, Django's own error is raised.
        """
        update_fields = kwargs.get("update_fields")
        rereads = update_fields is None or {"worker", "worker_id", "worker_sex"} & set(update_fields)
        if not rereads or self.worker_id is None:
            super().save(*args, **kwargs)
            return
        with transaction.atomic(using=kwargs.get("using"), savepoint=False):
            stored = (
                Worker.objects.using(kwargs.get("using"))
                .select_for_update(no_key=True)
                .filter(pk=self.worker_id)
                .values_list("sex", flat=True)
                .first()
            )
            if stored is not None:  # else the foreign key check refuses the row
                self.worker_sex = stored
            if update_fields is not None and "worker_sex" not in update_fields:
                kwargs["update_fields"] = [*update_fields, "worker_sex"]  # a new worker: their sex too
            super().save(*args, **kwargs)

    def clean(self) -> None:
        """The assignment starts on or after the worker's 15th birthday (``sswis.registry.dates``)."""
        if self.worker_id is None or self.start_date is None:
            return
        birth_date = Worker.objects.filter(pk=self.worker_id).values_list("birth_date", flat=True).first()
        problem = working_age_problem(birth_date=birth_date, start_date=self.start_date)
        if problem is not None:
            raise ValidationError({"start_date": problem})

    def is_active_on(self, day: datetime.date) -> bool:
        return self.start_date <= day and (self.end_date is None or self.end_date >= day)


@dataclass(frozen=True, slots=True)
class CopiedColumn:
    """A column of ``model`` that holds a copy of ``source`` of the row its foreign key ``via`` points to.

    Kept equal by the models' ``save()`` (ORM writes) and by ``sswis.imports.writing.TableWriter`` (bulk
    writes): each fills the copy of new rows from the stored source, and carries a changed source to
    every row that copies it with :meth:`carry`.
    """

    model: type[models.Model]
    column: str  # attname of the copy
    via: str  # attname of the foreign key
    source_model: type[models.Model]
    source: str  # attname copied

    def carry(self, *, values: dict[Any, Any], using: str | None = None) -> None:
        """Write new source values (source primary key -> value) into the rows that copy them; rows that
        already hold the value are left alone. A plain update: the copying rows' ``updated_at`` and audit
        trail do not change."""
        by_value: dict[Any, list[Any]] = {}
        for pk, value in values.items():
            by_value.setdefault(value, []).append(pk)
        manager = self.model._default_manager.db_manager(using)
        size = lookup_batch_size()
        for value, pks in by_value.items():
            for start in range(0, len(pks), size):
                manager.filter(**{f"{self.via}__in": pks[start : start + size]}).exclude(
                    **{self.column: value}
                ).update(**{self.column: value})


WORKER_SEX = CopiedColumn(
    model=Assignment, column="worker_sex", via="worker_id", source_model=Worker, source="sex"
)
COPIED_COLUMNS = (WORKER_SEX,)


from sswis.registry import models_merging  # noqa: E402, F401  (Django finds WorkerMerge here)
