"""Writes to the location tree. The only code that sets ``Location.path`` and ``Location.depth``."""

from __future__ import annotations

from django.contrib.auth.models import AbstractBaseUser, AnonymousUser
from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils.translation import gettext as _

from sswis.access import policy
from sswis.auditing import instance_apply_changes, instance_save_audited
from sswis.concurrency import version_expect
from sswis.geo.boundaries import geometry_problem
from sswis.geo.models import Location, PopulationEstimate

Actor = AbstractBaseUser | AnonymousUser | None


def _path_for(location: Location) -> tuple[str, int]:
    if location.parent_id is None:
        return f"{location.pk}/", 0
    parent = location.parent
    assert parent is not None
    return f"{parent.path}{location.pk}/", parent.depth + 1


@transaction.atomic
def location_create(
    *,
    actor: Actor,
    code: str,
    name: str,
    parent: Location | None,
    level: str = "",
    setting: str = "",
    dhis2_uid: str = "",
    boundary: dict[str, object] | None = None,
) -> Location:
    """Create a location under ``parent`` (``None`` only for the single root) and set its path.

    Raises ``ValidationError`` when the code is taken or a second root is attempted.
    """
    policy.require_reference_lists(user=actor)
    if parent is None and Location.objects.filter(parent__isnull=True).exists():
        raise ValidationError({"parent": _("The country already has a root location; choose a parent.")})
    location = Location(
        code=code,
        name=name,
        parent=parent,
        level=level,
        setting=setting,
        dhis2_uid=dhis2_uid,
        boundary=boundary,
    )
    location.full_clean(exclude=["path"])
    instance_save_audited(location, actor=actor)
    location.path, location.depth = _path_for(location)
    # The path is derived from the primary key, known only after the insert; a queryset update keeps it
    # out of the audit trail, which records the user's change (the insert) once.
    Location.objects.filter(pk=location.pk).update(path=location.path, depth=location.depth)
    return location


def location_paths_rebuild() -> int:
    """Recompute every location's path and depth from the parent links; return how many changed.

    Used after bulk loads. Raises ``ValidationError`` if the parent links contain a cycle.
    """
    rows = list(Location.objects.values_list("pk", "parent_id", "path", "depth"))
    parent_of = {pk: parent_id for pk, parent_id, _, _ in rows}
    computed: dict[int, tuple[str, int]] = {}

    def resolve(pk: int, seen: frozenset[int] = frozenset()) -> tuple[str, int]:
        if pk in computed:
            return computed[pk]
        if pk in seen:
            raise ValidationError(_("The location tree contains a cycle."))
        parent_id = parent_of[pk]
        if parent_id is None:
            result = (f"{pk}/", 0)
        else:
            parent_path, parent_depth = resolve(parent_id, seen | {pk})
            result = (f"{parent_path}{pk}/", parent_depth + 1)
        computed[pk] = result
        return result

    changed = []
    for pk, _parent, path, depth in rows:
        new_path, new_depth = resolve(pk)
        if (new_path, new_depth) != (path, depth):
            changed.append(Location(pk=pk, path=new_path, depth=new_depth))
    Location.objects.bulk_update(changed, ["path", "depth"], batch_size=500)
    return len(changed)


@transaction.atomic
def population_estimate_set(
    *,
    actor: Actor,
    location: Location,
    year: int,
    children: int,
    total: int | None = None,
    version: int | None = None,
) -> PopulationEstimate:
    """Record (or replace) the child population of ``location`` in ``year``.

    ``version``: the version of the stored estimate the change is based on; one changed since is refused
    (``EditConflict``). Without it, the figure is replaced whatever it was.
    """
    policy.require_reference_lists(user=actor)
    estimate = PopulationEstimate.objects.filter(location=location, year=year).first()
    if estimate is None:
        estimate = PopulationEstimate(location=location, year=year)
    else:
        version_expect(estimate, version=version)
    estimate.children = children
    estimate.total = total
    estimate.full_clean(validate_unique=False)
    instance_save_audited(estimate, actor=actor)
    return estimate


LOCATION_FIELDS = ("code", "name", "parent", "level", "setting", "dhis2_uid", "boundary")


@transaction.atomic
def location_update(
    *, actor: Actor, location: Location, version: int | None = None, **changes: object
) -> Location:
    """Change a location; moving it under another parent re-paths its whole subtree.

    Refuses moving a location under itself or one of its descendants, un-parenting a non-root, and
    (``EditConflict``) a location changed since ``version``.
    """
    policy.require_reference_lists(user=actor)
    version_expect(location, version=version)
    if "parent" in changes and changes["parent"] != location.parent:
        new_parent = changes["parent"]
        if new_parent is None:
            raise ValidationError({"parent": _("Only the country root has no parent.")})
        assert isinstance(new_parent, Location)
        if new_parent.path.startswith(location.path):
            raise ValidationError(
                {"parent": "A location cannot be moved under itself or its own descendants."}
            )
    changed = instance_apply_changes(location, actor=actor, changes=changes, allowed_fields=LOCATION_FIELDS)
    if "parent" in changed:
        location_paths_rebuild()
        location.refresh_from_db(fields=["path", "depth"])
    return location


def _boundary_features(collection: object) -> tuple[dict[str, dict[str, object]], list[str]]:
    """The boundaries of a FeatureCollection by location code, and every problem found in it."""
    if not isinstance(collection, dict) or collection.get("type") != "FeatureCollection":
        return {}, [_("The boundaries must be a GeoJSON FeatureCollection.")]
    features = collection.get("features")
    if not isinstance(features, list):
        return {}, [_("The FeatureCollection has no list of features.")]
    problems: list[str] = []
    boundaries: dict[str, dict[str, object]] = {}
    for number, feature in enumerate(features, start=1):
        properties = feature.get("properties") if isinstance(feature, dict) else None
        code = properties.get("code") if isinstance(properties, dict) else None
        if not isinstance(code, str | int) or isinstance(code, bool) or not str(code).strip():
            problems.append(_("Feature %(n)d: no location code in properties.code.") % {"n": number})
            continue
        code = str(code).strip()
        if code in boundaries:
            problems.append(
                _("Feature %(n)d (%(code)s): a second boundary for the same location.")
                % {"n": number, "code": code}
            )
            continue
        assert isinstance(feature, dict)
        geometry = feature.get("geometry")
        problem = geometry_problem(geometry)
        if problem:
            problems.append(
                _("Feature %(n)d (%(code)s): %(problem)s") % {"n": number, "code": code, "problem": problem}
            )
            continue
        assert isinstance(geometry, dict)
        boundaries[code] = {"type": geometry["type"], "coordinates": geometry["coordinates"]}
    return boundaries, problems


@transaction.atomic
def location_boundaries_set(*, actor: Actor, collection: object) -> int:
    """Set the boundaries of a GeoJSON FeatureCollection (WGS 84) whose features carry a location's
    code in ``properties.code`` and a Polygon or MultiPolygon geometry; return how many changed.

    All or nothing: raises ``ValidationError`` listing every problem (not a FeatureCollection, a feature
    without a code, a code that is not a location, a second feature for a location, an invalid
    geometry), each naming the feature's number and code, and writes nothing. Each change is audited.
    """
    policy.require_reference_lists(user=actor)
    boundaries, problems = _boundary_features(collection)
    locations = {location.code: location for location in Location.objects.filter(code__in=list(boundaries))}
    problems.extend(
        _("No location has the code %(code)s.") % {"code": code}
        for code in boundaries
        if code not in locations
    )
    if problems:
        raise ValidationError(problems)
    changed = 0
    for code, geometry in boundaries.items():
        location = locations[code]
        if location.boundary != geometry:
            location.boundary = geometry
            instance_save_audited(location, actor=actor, update_fields=["boundary", "updated_at"])
            changed += 1
    return changed
