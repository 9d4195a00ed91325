"""The one place that decides what a user may see and change.

Every list, detail, form, export, search and API endpoint asks this module, never the models directly:

* ``scope_of(user)`` — the user's ``Scope`` (role and what it covers);
* ``workers_visible`` / ``assignments_visible`` / ``posts_visible`` / ``organisations_visible`` —
  querysets restricted to what the user may see as person-level or establishment records;
* ``require_*`` — raise ``PermissionDenied`` for a refused action.

Personas:

======================== =========================================== ====================================
role                     person records                              changes
======================== =========================================== ====================================
national data manager    whole country                               registry rows, imports
subnational officer      workers with an assignment in their subtree assignments in their subtree;
                                                                     imports of rows there
organisation focal point their organisation's assignments & workers  assignments of their organisation;
                                                                     imports of its rows
analyst                  none (aggregates only)                      none
system administrator     none (reference lists and users only)       reference lists, users
registrar of a body      identity of workers; the body's registrations the body's registers, exams, cases
worker (own login)       their own record only, no aggregates         CPD evidence of their own
institution focal point  their institution's graduates and students   their institution's programmes,
                                                                     completions, students, placements
outsider (no scope)      none, and no aggregates either              none
======================== =========================================== ====================================

What the regulation's users may see and change is in ``sswis.access.regulation_policy``; the training's in
``sswis.access.training_policy``.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

from django.apps import apps
from django.core.exceptions import PermissionDenied
from django.db.models import Exists, OuterRef, Q, QuerySet
from django.utils.translation import gettext, gettext_lazy

from sswis.access.models import Role, UserScope
from sswis.geo.models import Location
from sswis.registry.models import Assignment, Organisation, Post, Worker

PERSON_ROLES = frozenset(
    {Role.NATIONAL_DATA_MANAGER, Role.SUBNATIONAL_OFFICER, Role.ORGANISATION_FOCAL_POINT}
)

REGISTER_READERS = frozenset(
    {Role.NATIONAL_DATA_MANAGER, Role.REGISTRAR, Role.SUBNATIONAL_OFFICER, Role.ORGANISATION_FOCAL_POINT}
)

EXAM_AND_CASE_READERS = frozenset({Role.NATIONAL_DATA_MANAGER, Role.REGISTRAR})
"""Who may open the national exams and the complaints at all (a registrar their body's only)."""


@dataclass(frozen=True)
class Scope:
    """What one user covers. ``role`` is ``None`` for an outsider (or an anonymous user)."""

    role: Role | None
    location_path: str | None = None
    location_id: int | None = None
    organisation_id: int | None = None
    regulatory_body_id: int | None = None  # a registrar's body
    worker_id: int | None = None  # a worker's own record (self-service login)
    training_institution_id: int | None = None  # a training institution focal point's institution

    @property
    def is_outsider(self) -> bool:
        return self.role is None

    def covers_location(self, location: Location | None) -> bool:
        """Whether the scope answers for ``location`` (``None``: the country as a whole): a national data
        manager everywhere, a subnational officer in their part of the location tree, nobody else."""
        if self.is_national:
            return True
        if self.role == Role.SUBNATIONAL_OFFICER and self.location_path and location is not None:
            return bool(location.path) and location.path.startswith(self.location_path)
        return False

    @property
    def sees_people(self) -> bool:
        return self.role in PERSON_ROLES

    @property
    def sees_aggregates(self) -> bool:
        """Everyone with a role but a worker's own login, which shows that worker's record only."""
        return self.role is not None and self.role != Role.WORKER

    @property
    def reads_registers(self) -> bool:
        """May open the regulation's registration pages (``sswis.access.regulation_policy``)."""
        return self.role in REGISTER_READERS

    @property
    def reads_exams_and_cases(self) -> bool:
        """May open the national exams' and the complaints' pages (``sswis.access.regulation_policy``)."""
        return self.role in EXAM_AND_CASE_READERS

    @property
    def is_worker_login(self) -> bool:
        """A worker's own login: their record, registrations and CPD only."""
        return self.role == Role.WORKER

    @property
    def is_national(self) -> bool:
        return self.role == Role.NATIONAL_DATA_MANAGER

    @property
    def manages_reference_lists(self) -> bool:
        return self.role in (Role.SYSTEM_ADMINISTRATOR, Role.NATIONAL_DATA_MANAGER)

    @property
    def imports_templates(self) -> bool:
        """May import a mapping template: the whole template nationally, workers, posts and assignments
        of their own part (organisation or subtree), and the supervision and caseloads of the workers they
        see, for an officer or an organisation focal point, the
        programmes and completions of their own institution for a training institution's focal point; see
        :func:`import_limits`."""
        return self.role in PERSON_ROLES or self.role == Role.INSTITUTION_FOCAL_POINT


OUTSIDER = Scope(role=None)


def scope_of(user: Any) -> Scope:
    """Return the user's scope; anonymous and inactive users and users without a role are outsiders.

    A Django superuser without a ``UserScope`` is a system administrator. The result is cached on the user.
    """
    if user is None or not getattr(user, "is_authenticated", False) or not user.is_active:
        return OUTSIDER
    cached = getattr(user, "_sswis_scope", None)
    if cached is not None:
        return cached
    row = UserScope.objects.select_related("location").filter(user=user).first()
    if row is None:
        scope = Scope(role=Role.SYSTEM_ADMINISTRATOR) if user.is_superuser else OUTSIDER
    else:
        scope = Scope(
            role=Role(row.role),
            location_path=row.location.path if row.location else None,
            location_id=row.location_id,
            organisation_id=row.organisation_id,
            regulatory_body_id=row.regulatory_body_id,
            worker_id=row.worker_id,
            training_institution_id=row.training_institution_id,
        )
    user._sswis_scope = scope
    return scope


def _assignment_condition(scope: Scope, prefix: str = "") -> Q:
    """Q over assignments (fields prefixed by ``prefix``) that the scope covers as person records."""
    if scope.role == Role.NATIONAL_DATA_MANAGER:
        return Q()
    if scope.role == Role.SUBNATIONAL_OFFICER and scope.location_path:
        return Q(**{f"{prefix}location__path__startswith": scope.location_path})
    if scope.role == Role.ORGANISATION_FOCAL_POINT and scope.organisation_id:
        return Q(**{f"{prefix}organisation_id": scope.organisation_id})
    return Q(pk__in=[])


def assignments_visible(*, user: Any, queryset: QuerySet[Assignment] | None = None) -> QuerySet[Assignment]:
    """Assignments the user may see: national all; subnational in the subtree; focal point their org's.

    A worker visible through one assignment does not make their other assignments visible.
    """
    scope = scope_of(user)
    base = Assignment.objects.all() if queryset is None else queryset
    if not scope.sees_people:
        return base.none()
    return base.filter(_assignment_condition(scope))


def workers_visible(*, user: Any, queryset: QuerySet[Worker] | None = None) -> QuerySet[Worker]:
    """Workers the user may see: national all; others those with at least one visible assignment (any time).

    Workers with no assignment at all are visible to the national data manager only. A record merged into
    another (the same person recorded twice, ``sswis.registry.merging``) is no live worker: it is in no
    list, export or search, and its page leads to the survivor (``registry.selectors.worker_merged_record``).
    """
    scope = scope_of(user)
    base = Worker.objects.all() if queryset is None else queryset
    if not scope.sees_people:
        return base.none()
    base = base.filter(merged_into__isnull=True)
    if scope.is_national:
        return base
    visible_assignments = Assignment.objects.filter(_assignment_condition(scope), worker_id=OuterRef("pk"))
    return base.filter(Exists(visible_assignments))


def posts_visible(*, user: Any, queryset: QuerySet[Post] | None = None) -> QuerySet[Post]:
    """Posts of the establishment the user may see (same rule as assignments, by post location/org)."""
    scope = scope_of(user)
    base = Post.objects.all() if queryset is None else queryset
    if not scope.sees_people:
        return base.none()
    return base.filter(_assignment_condition(scope))


def organisations_visible(
    *, user: Any, queryset: QuerySet[Organisation] | None = None
) -> QuerySet[Organisation]:
    """Organisations the user may list: everyone with a role sees the reference list except outsiders;
    a subnational officer sees those based in their subtree or with a post or an assignment there, a focal
    point their own."""
    scope = scope_of(user)
    base = Organisation.objects.all() if queryset is None else queryset
    if not scope.sees_aggregates:
        return base.none()
    if scope.role == Role.SUBNATIONAL_OFFICER and scope.location_path:
        # An officer also sees the national bodies that have posts or staff in their subtree.
        in_subtree = {"location__path__startswith": scope.location_path}
        return base.filter(
            Q(**in_subtree)
            | Exists(Post.objects.filter(organisation_id=OuterRef("pk"), **in_subtree))
            | Exists(Assignment.objects.filter(organisation_id=OuterRef("pk"), **in_subtree))
        )
    if scope.role == Role.ORGANISATION_FOCAL_POINT:
        return base.filter(pk=scope.organisation_id or 0)
    return base


def require_aggregates(*, user: Any) -> Scope:
    """Refuse outsiders; return the scope of anyone who may see aggregate indicators."""
    scope = scope_of(user)
    if not scope.sees_aggregates:
        raise PermissionDenied(
            gettext("You have no role in sswis. Ask your system administrator for access.")
        )
    return scope


def sees_every_figure(*, user: Any, location: Location | None = None) -> bool:
    """Whether ``user`` gets every indicator figure of ``location`` (``None``: the country as a whole),
    small cells included (contract ``indicators.md``, "Small cells").

    A national data manager does everywhere, a subnational officer in their part of the location tree.
    Everyone else gets the small cells withheld (``sswis.indicators.disclosure``): analysts and system
    administrators (aggregates only), organisation focal points (their scope is an organisation, not the
    workers of a location), and any later public page. The command line does not ask: it gets every figure.
    """
    return scope_of(user).covers_location(location)


def require_people(*, user: Any) -> Scope:
    """Refuse anyone who may not see person-level records (outsiders, analysts, system administrators)."""
    scope = scope_of(user)
    if not scope.sees_people:
        raise PermissionDenied(
            gettext("Your role gives access to aggregate figures only, not to people's records.")
        )
    return scope


def require_worker_visible(*, user: Any, worker: Worker) -> None:
    if not workers_visible(user=user).filter(pk=worker.pk).exists():
        raise PermissionDenied(gettext("This worker is outside your scope."))


def _covers(scope: Scope, *, organisation: Organisation, location: Location) -> bool:
    """Whether ``scope`` covers an assignment or a post of ``organisation`` at ``location``.

    The same rule as :func:`_assignment_condition`, for one row in memory.
    """
    if scope.is_national:
        return True
    if scope.role == Role.SUBNATIONAL_OFFICER and scope.location_path:
        return location.path.startswith(scope.location_path)
    if scope.role == Role.ORGANISATION_FOCAL_POINT and scope.organisation_id:
        return organisation.pk == scope.organisation_id
    return False


def require_assignment_change(*, user: Any, organisation: Organisation, location: Location) -> None:
    """Refuse a change to an assignment at ``location`` in ``organisation`` outside the user's scope."""
    scope = require_people(user=user)
    if not _covers(scope, organisation=organisation, location=location):
        raise PermissionDenied(gettext("This assignment is outside your scope."))


WORKER_NOT_YOURS = gettext_lazy(
    "This worker is not one of the workers you may see, so you may not give them an assignment. To move "
    "a worker of another organisation or area into yours, ask a national data manager."
)


def require_assignment_start(
    *, user: Any, worker: Worker | None, organisation: Organisation, location: Location
) -> None:
    """Refuse starting an assignment of ``worker`` in ``organisation`` at ``location``.

    The assignment must be in the user's scope (:func:`require_assignment_change`) and the worker one
    the user may see (``None``: a worker being registered together with this assignment). Otherwise a
    focal point or an officer could take over any worker of the registry, and see and change their
    record, just by giving them an assignment of their own.

    How a worker moves: within the user's scope (a transfer between two places the user covers) the
    user does it; into the user's organisation or area from outside it, a national data manager does
    it (or an officer whose area covers both places), since the new organisation's focal point cannot
    see the worker. The template import applies the same rule (``worker_ids_outside_scope``).
    """
    require_assignment_change(user=user, organisation=organisation, location=location)
    if worker is None or scope_of(user).is_national:
        return
    if not workers_visible(user=user).filter(pk=worker.pk).exists():
        raise PermissionDenied(WORKER_NOT_YOURS)


def require_post_change(
    *, user: Any, post: Post | None, organisation: Organisation, location: Location
) -> None:
    """Refuse creating (``post`` is ``None``) or changing a post unless the user's scope covers both the
    post as stored and its (new) ``organisation`` and ``location``.

    Checking the stored post too keeps a user from taking over another organisation's or area's post by
    moving it into their own. The template import applies the same rule (``post_codes_outside_scope``).
    """
    scope = require_people(user=user)
    stored_outside = (
        post is not None
        and post.pk is not None
        and not scope.is_national
        and not posts_visible(user=user).filter(pk=post.pk).exists()
    )
    if stored_outside or not _covers(scope, organisation=organisation, location=location):
        raise PermissionDenied(gettext("This post is outside your scope."))


def require_worker_change(*, user: Any, worker: Worker | None) -> None:
    """Refuse editing a worker's personal details unless the worker is in scope (``None``: registering)."""
    require_people(user=user)
    if worker is not None:
        require_worker_visible(user=user, worker=worker)


def require_import(*, user: Any) -> None:
    if not scope_of(user).imports_templates:
        raise PermissionDenied(
            gettext(
                "Only a national data manager, a subnational officer, an organisation focal point or a training "
                "institution's focal point may import a mapping template."
            )
        )


def require_national_import(*, user: Any) -> None:
    """Refuse anyone but a national data manager: national data collections (survey rounds, field
    survey submissions) span the whole country, so they are not split by organisation or area."""
    scope = scope_of(user)
    if not (scope.is_national and scope.imports_templates):
        raise PermissionDenied(
            gettext("Only a national data manager may import field surveys and manage survey rounds.")
        )


SUPPORT_IMPORT_FILES = frozenset({"supervision", "supervision_sessions", "caseloads"})
"""The support files of the template: an officer or a focal point imports the rows of the workers they see."""

SCOPED_IMPORT_FILES = frozenset({"posts", "workers", "assignments"}) | SUPPORT_IMPORT_FILES
"""The template files that users with a part of the country (officers, focal points) may import."""

TRAINING_IMPORT_FILES = frozenset({"programmes", "completions"})
"""The template files that a training institution's focal point may import (their institution's rows)."""


@dataclass(frozen=True)
class ImportLimits:
    """What one user's import may contain. ``None`` everywhere: the whole template (national).

    * ``files``: the template files (names without ``.csv``) the user may import;
    * ``organisation_id``: posts and assignments must be in this organisation (supervision, sessions and
      caseloads: of workers the user sees, see :func:`worker_ids_outside_scope`);
    * ``location_ids``: posts and assignments must be at one of these locations (a subtree);
    * ``training_institution_id``: programmes must be of this training institution, completions of its
      programmes (a training institution's focal point);
    * ``where``: the part of the country in words, for messages ("organisation NGO1", "North and below",
      "institution ISW (Institute of Social Work)").

    Workers: a new worker may be registered, together with an assignment within the limits (a new worker
    left without one is rejected: no one in the user's scope could see them); an existing one may be
    updated, or given an assignment, only when the user may see them (see :func:`worker_ids_outside_scope`).
    Posts: an existing post may be changed only when the user may change it as stored (see
    :func:`post_codes_outside_scope`), and only within the limits.
    """

    files: frozenset[str] | None = None
    organisation_id: int | None = None
    location_ids: frozenset[int] | None = None
    training_institution_id: int | None = None
    where: str = "the whole country"

    @property
    def restricted(self) -> bool:
        return self.files is not None

    @property
    def restricts_workers(self) -> bool:
        """Whether the limits are a part of the country (an organisation or an area), so that the workers
        outside it are hidden: an unknown worker ID and a worker of someone else then get the same words."""
        return self.organisation_id is not None or self.location_ids is not None

    def covers(self, *, organisation_id: int | None, location_id: int | None) -> bool:
        """Whether a post or an assignment of this organisation at this location is within the limits."""
        if self.organisation_id is not None and organisation_id != self.organisation_id:
            return False
        return self.location_ids is None or location_id in self.location_ids


def import_limits(*, user: Any) -> ImportLimits:
    """The limits of ``user``'s imports; ``PermissionDenied`` for users who may not import at all."""
    require_import(user=user)
    scope = scope_of(user)
    if scope.is_national:
        return ImportLimits()
    if scope.role == Role.ORGANISATION_FOCAL_POINT:
        organisation = Organisation.objects.filter(pk=scope.organisation_id or 0).first()
        where = (
            gettext("organisation %(code)s") % {"code": organisation.code}
            if organisation
            else gettext("your organisation")
        )
        return ImportLimits(
            files=SCOPED_IMPORT_FILES, organisation_id=scope.organisation_id or 0, where=where
        )
    if scope.role == Role.INSTITUTION_FOCAL_POINT:
        # By name: the training domain imports this app, not the other way round.
        institutions = apps.get_model("training", "TrainingInstitution")._default_manager
        institution = institutions.filter(pk=scope.training_institution_id or 0).first()
        return ImportLimits(
            files=TRAINING_IMPORT_FILES,
            training_institution_id=scope.training_institution_id or 0,
            where=(
                gettext("institution %(code)s (%(name)s)")
                % {"code": institution.code, "name": institution.name}
                if institution
                else gettext("your institution")
            ),
        )
    locations = Location.objects.filter(path__startswith=scope.location_path or "\0")
    root = Location.objects.filter(pk=scope.location_id or 0).first()
    return ImportLimits(
        files=SCOPED_IMPORT_FILES,
        location_ids=frozenset(locations.values_list("pk", flat=True)),
        where=(
            gettext("%(code)s (%(name)s) and below") % {"code": root.code, "name": root.name}
            if root
            else gettext("your area")
        ),
    )


def import_records_visible(*, user: Any, queryset: QuerySet[Any]) -> QuerySet[Any]:
    """Records of the import history (``imports.ImportRecord``) the user may see: a national data manager
    all of them, the other importing roles their own, everyone else none (their reports name people)."""
    scope = scope_of(user)
    if scope.is_national:
        return queryset
    if scope.imports_templates:
        return queryset.filter(user_id=user.pk)
    return queryset.none()


def _existing_out_of_sight(
    *, user: Any, keys: set[str], queryset: QuerySet[Any], key: str, visible: Callable[..., QuerySet[Any]]
) -> set[str]:
    """Of ``keys`` (values of ``key``), those of existing rows of ``queryset`` that ``visible`` hides from
    ``user``; none for a national data manager. Keys of rows not in the registry are not returned."""
    if not keys or scope_of(user).is_national:
        return set()
    existing = set(queryset.filter(**{f"{key}__in": keys}).values_list(key, flat=True))
    seen = visible(user=user, queryset=queryset.filter(**{f"{key}__in": existing}))
    return existing - set(seen.values_list(key, flat=True))


def worker_ids_outside_scope(*, user: Any, worker_ids: set[str]) -> set[str]:
    """Of ``worker_ids``, those of existing workers ``user`` may not change nor give an assignment (not
    visible to them; see :func:`require_assignment_start`).

    IDs of workers not in the registry are not returned: registering a new worker is allowed.
    """
    return _existing_out_of_sight(
        user=user, keys=worker_ids, queryset=Worker.objects.all(), key="worker_id", visible=workers_visible
    )


def post_codes_outside_scope(*, user: Any, codes: set[str]) -> set[str]:
    """Of ``codes``, those of existing posts ``user`` may not change: their stored organisation and
    location are outside the user's scope (the rule of :func:`require_post_change`, in bulk).

    Codes of posts not in the registry are not returned: creating a post is checked by its new values.
    """
    return _existing_out_of_sight(
        user=user, keys=codes, queryset=Post.objects.all(), key="code", visible=posts_visible
    )


def require_reference_lists(*, user: Any) -> None:
    if not scope_of(user).manages_reference_lists:
        raise PermissionDenied(
            gettext("Only system administrators and national data managers maintain reference lists.")
        )


def locations_in_scope(*, user: Any) -> QuerySet[Location]:
    """Locations whose aggregates the user may browse: all for roles with aggregates, none for outsiders."""
    if not scope_of(user).sees_aggregates:
        return Location.objects.none()
    return Location.objects.all()


def default_location_for(*, user: Any) -> Location | None:
    """The location a user's dashboard opens on: their subtree root, else the country root."""
    scope = scope_of(user)
    if scope.location_id is not None:
        return Location.objects.filter(pk=scope.location_id).first()
    return Location.objects.filter(parent__isnull=True).first()


def may_change_plans(*, user: Any) -> bool:
    """Whether the user may change some plan (norms, studies, scenarios): a national data manager
    anywhere, a subnational officer in their area."""
    scope = scope_of(user)
    return scope.is_national or scope.role == Role.SUBNATIONAL_OFFICER


def locations_plannable(*, user: Any) -> QuerySet[Location]:
    """The locations whose plans the user may change: every one for a national data manager, a
    subnational officer's part of the tree, none for anyone else."""
    scope = scope_of(user)
    if scope.is_national:
        return Location.objects.all()
    if scope.role == Role.SUBNATIONAL_OFFICER and scope.location_path:
        return Location.objects.filter(path__startswith=scope.location_path)
    return Location.objects.none()


def require_plan_role(*, user: Any) -> None:
    """Refuse, before anything else is looked at, users who may change no plan anywhere: everyone but a
    national data manager and a subnational officer."""
    if may_change_plans(user=user):
        return
    raise PermissionDenied(
        gettext("Only a national data manager, or a subnational officer in their own area, may change plans.")
    )


def require_plan_change(*, user: Any, location: Location | None) -> None:
    """Refuse changing the plans (norms, studies, scenarios) of ``location`` to anyone but a national data
    manager, or a subnational officer for a location in their part of the tree. ``None``: the country's
    own plans (salary scales, costs), a national data manager's only."""
    if scope_of(user).covers_location(location):
        return
    if location is None:
        raise PermissionDenied(
            gettext("Only a national data manager may change the country's salary scales and costs.")
        )
    raise PermissionDenied(
        gettext(
            "Only a national data manager, or a subnational officer in their own area, may change the plans "
            "of %(location)s."
        )
        % {"location": location.code}
    )
