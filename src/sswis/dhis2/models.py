"""The DHIS2 link's rows: the mapping (kept in the database, imported from a file) and the push history.

* :class:`Dhis2Mapping` — the one mapping of the country: the DHIS2 data set, the id scheme (``uid`` or
  ``code``) of the data set, data elements, category option combos and org units, and who imported it
  from which file, when.
* :class:`DataElementMapping` — one line of it: an indicator's numerator or denominator (``kind``
  ``value``), for the total (no disaggregation) or for one group of one disaggregation, or the child
  population (``kind`` ``child_population``), to a data element and a category option combo (and an
  attribute option combo, and for ADX the category attributes).
* :class:`OrgUnitMapping` — a location's org unit when it differs from the default (the location's
  ``dhis2_uid`` under the ``uid`` scheme, its ``code`` under the ``code`` scheme).
* :class:`Dhis2Push` and :class:`Dhis2PushConflict` — every push (or dry run) to DHIS2: who, when, what
  was sent, DHIS2's import summary and each conflict with the data value it concerns.

The mapping's rows are audited (``AuditHistory``) with the author of the import. A push holds aggregate
counts only, never a person, but every figure (no small cell withheld): the history is for national data
managers only (``access.dhis2_policy``).
"""

from __future__ import annotations

import uuid

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _

from sswis.auditing import AuditHistory


class IdScheme(models.TextChoices):
    UID = "uid", _("DHIS2 uid")
    CODE = "code", _("DHIS2 code")


class Part(models.TextChoices):
    NUMERATOR = "numerator", _("numerator")
    DENOMINATOR = "denominator", _("denominator")


class MappingKind(models.TextChoices):
    VALUE = "value", _("an indicator's numerator or denominator")
    CHILD_POPULATION = "child_population", _("the child population (0-17)")


class Dhis2Mapping(models.Model):
    """The mapping in force (one row; a new import replaces it and its lines whole)."""

    data_set = models.CharField(_("data set"), max_length=50)
    id_scheme = models.CharField(_("id scheme"), max_length=4, choices=IdScheme.choices)
    file_name = models.CharField(_("imported from"), max_length=255, blank=True)
    imported_at = models.DateTimeField(_("imported at"), auto_now=True)
    imported_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
        verbose_name=_("imported by"),
    )
    history = AuditHistory()

    class Meta:
        verbose_name = _("DHIS2 mapping")

    def __str__(self) -> str:
        return f"{self.data_set} ({self.id_scheme})"


class DataElementMapping(models.Model):
    """One figure -> one DHIS2 data element and category option combo.

    ``dimension`` and ``group`` are both empty for the total of the indicator (its ``{}`` row); otherwise
    a dimension of ``sswis.indicators.definitions.DIMENSIONS`` the indicator accepts and one of its groups.
    ``category_option_combo`` empty: DHIS2's default combo. ``adx_categories`` ``{category code: option
    code}``: the disaggregation in an ADX message (empty: the combo is sent as ``categoryOptionCombo``).
    """

    kind = models.CharField(_("kind"), max_length=20, choices=MappingKind.choices)
    indicator = models.CharField(_("indicator"), max_length=64, blank=True)
    part = models.CharField(_("part"), max_length=11, choices=Part.choices, blank=True)
    dimension = models.CharField(_("disaggregation"), max_length=32, blank=True)
    group = models.CharField(_("group"), max_length=64, blank=True)
    data_element = models.CharField(_("data element"), max_length=50)
    category_option_combo = models.CharField(_("category option combo"), max_length=50, blank=True)
    attribute_option_combo = models.CharField(_("attribute option combo"), max_length=50, blank=True)
    adx_categories = models.JSONField(_("ADX categories"), default=dict, blank=True)
    line = models.PositiveIntegerField(_("line of the file"), default=0)
    history = AuditHistory()

    class Meta:
        ordering = ["line", "id"]
        constraints = [
            models.UniqueConstraint(
                fields=["kind", "indicator", "part", "dimension", "group"],
                name="dhis2_one_mapping_per_figure",
            )
        ]
        verbose_name = _("DHIS2 data element mapping")

    def __str__(self) -> str:
        figure = self.indicator or self.kind
        return f"{figure} {self.part} {self.dimension}={self.group} -> {self.data_element}"


class OrgUnitMapping(models.Model):
    """A location's org unit (uid or code, by the mapping's scheme) when it is not the default."""

    location = models.OneToOneField(
        "geo.Location", on_delete=models.CASCADE, related_name="dhis2_org_unit", verbose_name=_("location")
    )
    org_unit = models.CharField(_("org unit"), max_length=50)
    history = AuditHistory()

    class Meta:
        verbose_name = _("DHIS2 org unit mapping")

    def __str__(self) -> str:
        return f"{self.location_id} -> {self.org_unit}"


class PushStatus(models.TextChoices):
    QUEUED = "queued", _("Queued")
    RUNNING = "running", _("Running")
    SUCCESS = "success", _("Success")
    WARNING = "warning", _("Warning (some values rejected)")
    ERROR = "error", _("Error (DHIS2 refused the import)")
    FAILED = "failed", _("Failed (no import summary)")


class PushOrigin(models.TextChoices):
    COMMAND = "command", _("Command line")
    PAGE = "page", _("Page")
    API = "api", _("API")


class PushFormat(models.TextChoices):
    JSON = "json", _("dataValueSets JSON")
    ADX = "adx", _("ADX XML")


class Dhis2Push(models.Model):
    """One push (or dry run) of a year's counts to DHIS2 (``sswis.dhis2.push``)."""

    uuid = models.UUIDField(default=uuid.uuid4, unique=True, editable=False)
    user = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="dhis2_pushes",
        verbose_name=_("user"),
    )
    origin = models.CharField(_("run from"), max_length=10, choices=PushOrigin.choices)
    url = models.CharField(_("DHIS2 server"), max_length=500, help_text=_("without credentials"))
    year = models.PositiveSmallIntegerField(_("year"))
    format = models.CharField(_("format"), max_length=4, choices=PushFormat.choices)
    dry_run = models.BooleanField(_("dry run"), default=False)
    status = models.CharField(
        _("status"), max_length=10, choices=PushStatus.choices, default=PushStatus.QUEUED
    )
    created_at = models.DateTimeField(_("asked at"), auto_now_add=True)
    started_at = models.DateTimeField(_("started at"), null=True, blank=True)
    finished_at = models.DateTimeField(_("finished at"), null=True, blank=True)
    values_sent = models.PositiveIntegerField(_("values sent"), default=0)
    http_status = models.PositiveSmallIntegerField(_("HTTP status"), null=True, blank=True)
    imported = models.PositiveIntegerField(_("imported"), default=0)
    updated = models.PositiveIntegerField(_("updated"), default=0)
    ignored = models.PositiveIntegerField(_("ignored"), default=0)
    deleted = models.PositiveIntegerField(_("deleted"), default=0)
    message = models.TextField(_("DHIS2's message"), blank=True)
    unmapped = models.JSONField(
        _("not sent"),
        default=dict,
        blank=True,
        help_text=_('{"locations": [...], "indicators": [...], "groups": [...]}: figures with no mapping'),
    )
    rejected_indexes = models.JSONField(_("rejected indexes"), default=list, blank=True)
    error = models.TextField(_("error"), blank=True)

    class Meta:
        ordering = ["-created_at", "-id"]
        verbose_name = _("DHIS2 push")
        verbose_name_plural = _("DHIS2 pushes")

    def __str__(self) -> str:
        return f"{self.url} {self.year} {self.format} ({self.status})"


class Dhis2PushConflict(models.Model):
    """One conflict of a push's import summary, for one data value sent (``index``: its position in the
    message; empty when DHIS2 named no value, and then the value's fields are empty too)."""

    push = models.ForeignKey(Dhis2Push, on_delete=models.CASCADE, related_name="conflicts")
    object = models.CharField(_("object"), max_length=255, blank=True)
    value = models.TextField(_("DHIS2's message"), blank=True)
    error_code = models.CharField(_("error code"), max_length=20, blank=True)
    property = models.CharField(_("property"), max_length=100, blank=True)
    index = models.PositiveIntegerField(_("index"), null=True, blank=True)
    data_element = models.CharField(_("data element"), max_length=50, blank=True)
    org_unit = models.CharField(_("org unit"), max_length=50, blank=True)
    category_option_combo = models.CharField(_("category option combo"), max_length=50, blank=True)
    attribute_option_combo = models.CharField(_("attribute option combo"), max_length=50, blank=True)
    sent_value = models.CharField(_("value sent"), max_length=40, blank=True)
    location = models.CharField(_("location"), max_length=64, blank=True)
    figure = models.CharField(_("figure"), max_length=200, blank=True)

    class Meta:
        ordering = ["push", "index", "id"]
        verbose_name = _("DHIS2 push conflict")

    def __str__(self) -> str:
        return f"{self.object}: {self.value}"
