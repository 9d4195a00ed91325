"""The access matrix: for every route of the URL configuration, what each persona gets.

One row per route (``tests/access/routes.py`` names them); the API's format-suffix variant of a route
(``/api/v1/workers.json``) is checked against the same row. Columns, in this order:

    administrator  national  subnational  focal_point  analyst  outsider  anonymous  registrar  worker
    institution

A row may give the first seven cells only: the registrar then gets the analyst's outcome (a role that
sees aggregates, not the registry's people) and a worker's own login the outsider's (nothing but their
own page). Rows of the regulation give nine: the training institution focal point then gets the
analyst's outcome. Rows of the training give all ten.

A cell is the outcome of a GET: a status code, ``login`` (redirect to the sign-in page, back to the
route after), ``admin-login`` (redirect to the administration's sign-in page) or ``redirect`` (any other
redirect). ``200/404`` means: 200 for the persona's object in scope, 404 for one out of scope (see
``tests/access/world.py`` for which objects those are). ``writes`` names the write methods the route
accepts; the write cells (``write=``, same columns) give the outcome of those methods, where ``ok`` means
the persona may write (covered by the feature's own tests, not here). Without ``write=``, a persona's write
outcome is its GET refusal (login, admin-login, 401, 403, 404) and ``ok`` where GET is allowed.

Add a route: add one ``row(...)`` line. A route without a row fails ``test_every_route_has_a_row``. ``suffix``: the format suffix
its API variant is requested with (``json`` unless the route serves files).

Regenerate ``docs/access-matrix.md``: ``.venv/bin/python -m tests.access.matrix --write``.
"""

from __future__ import annotations

import sys
from dataclasses import dataclass
from pathlib import Path

PERSONAS = (
    "administrator",
    "national",
    "subnational",
    "focal_point",
    "analyst",
    "outsider",
    "anonymous",
    "registrar",
    "worker",
    "institution",
)
TITLES = (
    "system administrator",
    "national data manager",
    "subnational officer",
    "organisation focal point",
    "analyst",
    "outsider (no role)",
    "anonymous",
    "registrar",
    "worker (own login)",
    "training institution focal point",
)
ANALYST, OUTSIDER = PERSONAS.index("analyst"), PERSONAS.index("outsider")
REFUSALS = frozenset({"login", "admin-login", "401", "403", "404", "405"})


@dataclass(frozen=True)
class Row:
    route: str
    object: str | None
    get: tuple[str, ...]
    writes: tuple[str, ...]
    write: tuple[str, ...]
    suffix: str = "json"

    def expected(self, cell: str, *, in_scope: bool) -> str:
        """The outcome a cell gives for the persona's in-scope (or out-of-scope) object."""
        inside, _, outside = cell.partition("/")
        return inside if in_scope or not outside else outside


def _write_default(cell: str) -> str:
    """Writes are refused where reading is; allowed (``ok``) elsewhere, and scoped the same way."""
    return "/".join(part if part in REFUSALS else "ok" for part in cell.split("/"))


def _complete(cells: tuple[str, ...]) -> tuple[str, ...]:
    """Seven cells completed with the registrar's (the analyst's) and the worker's (the outsider's); seven
    or nine with the training institution focal point's (the analyst's)."""
    if len(cells) == 7:
        cells = (*cells, cells[ANALYST], cells[OUTSIDER])
    if len(cells) == 9:
        cells = (*cells, cells[ANALYST])
    return cells


def row(
    route: str, obj: str | None, get: str, *, writes: str = "", write: str = "", suffix: str = "json"
) -> Row:
    cells = _complete(tuple(get.split()))
    if len(cells) != len(PERSONAS):
        raise ValueError(f"Row {route}: {len(cells)} GET cells, one per persona ({len(PERSONAS)}) expected.")
    write_cells = _complete(tuple(write.split())) if write else tuple(_write_default(cell) for cell in cells)
    if len(write_cells) != len(PERSONAS):
        raise ValueError(f"Row {route}: {len(write_cells)} write cells, {len(PERSONAS)} expected.")
    return Row(route, obj, cells, tuple(writes.split()), write_cells, suffix)


# Shorthands for the most common rows (seven cells, completed by ``_complete``, in the column order).
ADMIN_ALL = "200 200 admin-login admin-login admin-login admin-login admin-login"  # reference lists
SUPERUSER = "200 403 admin-login admin-login admin-login admin-login admin-login"  # users, tokens, logs
NOBODY_ADMIN = "403 403 admin-login admin-login admin-login admin-login admin-login"
REDIRECT_ADMIN = "redirect redirect admin-login admin-login admin-login admin-login admin-login"
PUBLIC = "200 200 200 200 200 200 200"  # the public register
PUBLIC_WRITE = "405 405 405 405 405 405 405"
API_AGGREGATES = "200 200 200 200 200 403 401"
API_PEOPLE = "403 200 200 200 403 403 401"
API_PERSON = "403 200 200/404 200/404 403 403 401"
API_REFERENCE_WRITE = "ok ok 403 403 403 403 401"
WEB_AGGREGATES = "200 200 200 200 200 403 login"
WEB_PEOPLE = "403 200 200 200 403 403 login"
WEB_PERSON = "403 200 200/404 200/404 403 403 login"
WEB_PLANNERS = "403 200 200 403 403 403 login"  # national data manager; subnational officer (their area)
WEB_PLANNER_OBJECT = "403 200 200/403 403 403 403 login"
WEB_PLAN_POST = "403 405 405 403 403 403 login"  # POST only, for planners
# Competency frameworks are changed by a system administrator or a national data manager.
WEB_FRAMEWORK_WRITE = "ok ok 403 403 403 403 login 403 403 403"
API_FRAMEWORK_WRITE = "ok ok 403 403 403 403 401 403 403 403"
API_FRAMEWORK_POST_ONLY = "405 405 403 403 403 403 401 403 403 403"
WEB_PLAN_POST_WRITE = "403 ok ok/403 403 403 403 login"
WEB_REGISTERS = "403 200 200 200 403 403 login 200 403"
API_REGISTERS = "403 200 200 200 403 403 401 200 403"
API_REGISTERS_WRITE = "403 ok ok ok 403 403 401 ok 403"  # then refused by the register's body (400/403)  # registration readers; a registrar their body's
# National exams and complaints: a national data manager (every body's) and a registrar (their body's) only.
WEB_CASES = "403 200 403 403 403 403 login 200 403"
WEB_CASE = "403 200 403 403 403 403 login 200/404 403"
WEB_CASE_STEP = "403 405 403 403 403 403 login 405 403"  # POST only
WEB_CASE_STEP_WRITE = "403 ok 403 403 403 403 login ok/404 403"
API_CASES = "403 200 403 403 403 403 401 200 403"
API_CASE = "403 200 403 403 403 403 401 200/404 403"
API_CASE_STEP = "403 405 403 403 403 403 401 405 403"
API_CASE_STEP_WRITE = "403 ok 403 403 403 403 401 ok/404 403"
# Template imports: the person roles, and a training institution's focal point (their institution's
# programmes and completions; their own imports only, none of the world's).
WEB_IMPORTERS = "403 200 200 200 403 403 login 403 403 200"
WEB_IMPORT = "403 200 200/404 200/404 403 403 login 403 403 404"
API_IMPORTERS = "403 200 200 200 403 403 401 403 403 200"
API_IMPORT = "403 200 200/404 200/404 403 403 401 403 403 404"
# What changes training (completions lists and their unmatched rows): a national data manager, and a
# training institution's focal point (their institution's rows: I-north's).
WEB_TRAINING_STEP = "403 405 403 403 403 403 login 403 403 405"  # POST only
WEB_TRAINING_STEP_WRITE = "403 ok 403 403 403 403 login 403 403 ok/404"
API_TRAINING_MANAGERS = "403 200 403 403 403 403 401 403 403 200"
API_TRAINING_POST = "403 405 403 403 403 403 401 403 403 405"  # POST only
API_TRAINING_POST_WRITE = "403 ok 403 403 403 403 401 403 403 ok"
API_TRAINING_STEP_WRITE = "403 ok 403 403 403 403 401 403 403 ok/404"
# The training's catalogue: every role but a worker's own login reads it; a national data manager changes
# it, an institution focal point (the last column) their own institution's. Completions name persons.
WEB_CATALOGUE = "200 200 200 200 200 403 login 200 403 200"
API_CATALOGUE = "200 200 200 200 200 403 401 200 403 200"
WEB_TRAINING_NATIONAL = "403 200 403 403 403 403 login 403 403 403"
WEB_TRAINING_MANAGERS = "403 200 403 403 403 403 login 403 403 200"
WEB_TRAINING_CHANGE = "403 200 403 403 403 403 login 403 403 200/403"  # the focal point: their own only
WEB_TRAINING_PERSON = "403 200 403 403 403 403 login 403 403 200/404"  # an instructor, a completion
WEB_COMPLETIONS = "403 200 200 200 403 403 login 403 403 200"
API_TRAINING_NATIONAL_WRITE = "403 ok 403 403 403 403 401 403 403 403"
API_TRAINING_MANAGERS_WRITE = "403 ok 403 403 403 403 401 403 403 ok"
API_TRAINING_CHANGE_WRITE = "403 ok 403 403 403 403 401 403 403 ok/403"
API_TRAINING_PERSON = "403 200 403 403 403 403 401 403 403 200/404"  # an instructor
# The training (ten cells): counts for every role but a worker's own login; the practicum's people for
# national, officers and organisation focal points (those placed at what they cover), the institution's
# focal point (its own); changes by national and the institution's focal point.
WEB_PRACTICUM_PEOPLE = "403 200 200 200 403 403 login 403 403 200"
API_PRACTICUM_PEOPLE = "403 200 200 200 403 403 401 403 403 200"
# North's placement is at the ministry (the country root), out of the R1 officer's sight: 404 both sides.
WEB_PRACTICUM_PERSON = "403 200 404 200/404 403 403 login 403 403 200/404"
API_PRACTICUM_PERSON = "403 200 404 200/404 403 403 401 403 403 200/404"
WEB_TRAINING_MANAGER_OBJECT = "403 200 403 403 403 403 login 403 403 200/404"

# Professional associations' memberships (persons): national, officers and organisation focal points, the
# workers they see (ten cells).
WEB_MEMBERSHIPS = "403 200 200 200 403 403 login 403 403 403"
API_MEMBERSHIPS = "403 200 200 200 403 403 401 403 403 403"
WEB_MEMBERSHIP_PERSON = "403 200 200/404 200/404 403 403 login 403 403 403"
API_MEMBERSHIP_PERSON = "403 200 200/404 200/404 403 403 401 403 403 403"
# Worker merges: a national data manager (all), a subnational officer (their area's); no one else.
WEB_MERGES = "403 200 200 403 403 403 login"
API_MERGES = "403 200 200 403 403 403 401"
WEB_MERGE_PERSON = "403 200 200/404 403 403 403 login"
API_MERGE_PERSON = "403 200 200/404 403 403 403 401"
# Caseloads (support): persons' figures for national, officers and organisation focal points.
WEB_CASELOADS = "403 200 200 200 403 403 login 403 403 403"
API_CASELOADS = "403 200 200 200 403 403 401 403 403 403"


def _admin_model(
    prefix: str, path: str, obj: str, get: str, *, add: str = "", delete: str = "", read_only: bool = False
) -> list[Row]:
    """The routes of one model's administration: list, add, history, delete, change and the old change
    URL (``<id>/``, which redirects to ``<id>/change/``). ``read_only``: nobody may save a change."""
    add_cells = add or get
    delete_cells = delete or get
    return [
        row(f"admin:{prefix}_changelist", None, get, writes="POST"),
        row(f"admin:{prefix}_add", None, add_cells, writes="POST"),
        row(f"admin:{prefix}_history", obj, get),
        row(f"admin:{prefix}_delete", obj, delete_cells, writes="POST"),
        row(f"admin:{prefix}_change", obj, get, writes="POST", write=NOBODY_ADMIN if read_only else ""),
        row(f"admin/{path}/<path:object_id>/", obj, REDIRECT_ADMIN),
    ]


ROWS: list[Row] = [
    # --- pages ------------------------------------------------------------------------------------------
    #   route                      object          admin national sub   focal analyst outsider anonymous
    row(
        "web:login",
        None,
        "redirect redirect redirect redirect redirect redirect 200",
        writes="POST",
        write="ok ok ok ok ok ok ok",
    ),
    row("web:logout", None, "405 405 405 405 405 405 405", writes="POST", write="ok ok ok ok ok ok ok"),
    row("web:language", None, "405 405 405 405 405 405 405", writes="POST", write="ok ok ok ok ok ok ok"),
    row("web:dashboard", None, WEB_AGGREGATES),
    row("web:register_list", None, WEB_REGISTERS),
    row("web:regulation_statistics", None, "403 200 403 403 403 403 login 200 403"),
    row("web:regulation_setup", None, "403 200 403 403 403 403 login 200 403"),
    row("web:cpd_import", None, "403 200 403 403 403 403 login 200 403", writes="POST"),
    row(
        "web:regulation_setup_save",
        "setup",
        "403 405 403 403 403 403 login 405 403",
        writes="POST",
        write="403 ok 403 403 403 403 login ok 403",
    ),
    row("web:registration_list", None, WEB_REGISTERS),
    row("web:registration_apply", None, "403 200 403 403 403 403 login 200 403", writes="POST"),
    row("web:registration_detail", "registration", "403 200 200/404 200/404 403 403 login 200/404 403"),
    row(
        "web:registration_step",
        "registration",
        "403 405 405 405 403 403 login 405 403",
        writes="POST",
        write="403 ok 403/404 403/404 403 403 login ok/404 403",
    ),
    row("web:exam_list", None, WEB_CASES),
    row("web:exam_session_new", None, WEB_CASES, writes="POST"),
    row("web:exam_detail", "exam", WEB_CASE),
    row("web:exam_step", "exam", WEB_CASE_STEP, writes="POST", write=WEB_CASE_STEP_WRITE),
    row("web:complaint_list", None, WEB_CASES),
    row("web:complaint_receive", None, WEB_CASES, writes="POST"),
    row("web:complaint_detail", "complaint", WEB_CASE),
    row("web:complaint_step", "complaint", WEB_CASE_STEP, writes="POST", write=WEB_CASE_STEP_WRITE),
    row("web:own_record", None, "403 403 403 403 403 403 login 403 200"),
    row(
        "web:cpd_evidence_submit",
        None,
        "405 405 405 405 405 405 login 405 405",
        writes="POST",
        write="403 403 403 403 403 403 login 403 ok",
    ),
    # the public register: everyone, signed in or not (names of people on a register only)
    row("web:public_register", None, PUBLIC, writes="POST", write=PUBLIC_WRITE),
    row("web:worker_list", None, WEB_PEOPLE),
    row("web:worker_register", None, WEB_PEOPLE, writes="POST"),
    row("web:worker_export", None, WEB_PEOPLE),
    row("web:worker_detail", "worker", WEB_PERSON),
    row("web:worker_edit", "worker", WEB_PERSON, writes="POST"),
    # Merging two records of the same person: a national data manager, an officer for their area.
    row("web:worker_merge", "worker", WEB_MERGE_PERSON, writes="POST"),
    row("web:worker_merges", None, WEB_MERGES),
    row("web:worker_merge_detail", "merge", WEB_MERGE_PERSON),
    row(
        "web:worker_unmerge",
        "merge",
        "403 405 405 403 403 403 login",
        writes="POST",
        write="403 ok ok/404 403 403 403 login",
    ),
    row("web:assignment_start", "worker", WEB_PERSON, writes="POST"),
    row("web:assignment_end", "assignment", WEB_PERSON, writes="POST"),
    row("web:assignment_transfer", "assignment", WEB_PERSON, writes="POST"),
    row("web:organisation_list", None, WEB_AGGREGATES),
    # every role with aggregates sees an organisation's figures; only roles that see people its staff
    row("web:organisation_detail", "organisation", "200 200 200/404 200/404 200 403 login"),
    row("web:post_list", None, WEB_PEOPLE),
    # imports: a training institution's focal point imports their institution's programmes and completions
    row("web:import_list", None, WEB_IMPORTERS),
    row("web:import_upload", None, WEB_IMPORTERS, writes="POST"),
    row("web:import_detail", "import", WEB_IMPORT),
    row("web:import_problems", "import", WEB_IMPORT),
    row("web:mapping_template", None, WEB_IMPORTERS),
    # field surveys: the national data manager only (national data collections are not split by area)
    row("web:submissions_import", None, "403 200 403 403 403 403 login", writes="POST"),
    row("web:xlsform", None, "403 200 403 403 403 403 login"),
    row("web:perceptions", None, WEB_AGGREGATES),
    # planning: everyone with a role reads and runs plans; national or subnational (their area) change them
    row("web:plan_norms", None, WEB_AGGREGATES),
    row("web:norm_set", None, WEB_PLANNERS, writes="POST"),
    row("web:norm_delete", "norm", WEB_PLAN_POST, writes="POST", write=WEB_PLAN_POST_WRITE),
    row("web:scenario_list", None, WEB_AGGREGATES),
    row("web:scenario_new", None, WEB_PLANNERS, writes="POST"),
    row("web:scenario_comparison", None, WEB_AGGREGATES),
    row("web:scenario_detail", "scenario", WEB_AGGREGATES),
    row("web:scenario_edit", "scenario", WEB_PLANNER_OBJECT, writes="POST"),
    row("web:scenario_delete", "scenario", WEB_PLAN_POST, writes="POST", write=WEB_PLAN_POST_WRITE),
    row("web:scenario_projection_download", "scenario", WEB_AGGREGATES),
    row("web:plan_costs", None, WEB_AGGREGATES),
    # salary scales and costs are the country's: a national data manager's only
    row("web:salary_scale_set", None, WEB_PLAN_POST, writes="POST", write="403 ok 403 403 403 403 login"),
    row("web:cadre_cost_set", None, WEB_PLAN_POST, writes="POST", write="403 ok 403 403 403 403 login"),
    row("web:wisn", None, WEB_AGGREGATES),
    row("web:wisn_study_new", None, WEB_PLANNERS, writes="POST"),
    row("web:wisn_study", "study", WEB_AGGREGATES, writes="POST"),  # POST: rank locations, stores nothing
    row("web:wisn_study_edit", "study", WEB_PLANNER_OBJECT, writes="POST"),
    row("web:wisn_study_delete", "study", WEB_PLAN_POST, writes="POST", write=WEB_PLAN_POST_WRITE),
    row("web:wisn_workloads_template", "study", WEB_AGGREGATES),
    # the training's catalogue and completions
    row("web:training_hub", None, WEB_CATALOGUE),
    row("web:training_institution_list", None, WEB_CATALOGUE),
    row("web:training_institution_new", None, WEB_TRAINING_NATIONAL, writes="POST"),
    row("web:training_institution_detail", "institution", WEB_CATALOGUE),
    row("web:training_institution_edit", "institution", WEB_TRAINING_CHANGE, writes="POST"),
    row("web:training_accreditation_add", "institution", WEB_TRAINING_CHANGE, writes="POST"),
    row("web:training_accreditation_end", "accreditation", WEB_TRAINING_CHANGE, writes="POST"),
    row("web:training_instructor_add", "institution", WEB_TRAINING_CHANGE, writes="POST"),
    row("web:training_instructor_edit", "instructor", WEB_TRAINING_PERSON, writes="POST"),
    row("web:training_instructor_end", "instructor", WEB_TRAINING_PERSON, writes="POST"),
    row("web:training_programme_list", None, WEB_CATALOGUE),
    row("web:training_programme_new", None, WEB_TRAINING_MANAGERS, writes="POST"),
    row("web:training_programme_detail", "programme", WEB_CATALOGUE),
    row("web:training_programme_edit", "programme", WEB_TRAINING_CHANGE, writes="POST"),
    row("web:training_intake_set", "programme", WEB_TRAINING_CHANGE, writes="POST"),
    row("web:training_completion_list", None, WEB_COMPLETIONS),
    row("web:training_completion_record", None, WEB_TRAINING_MANAGERS, writes="POST"),
    row("web:training_completion_withdraw", "completion", WEB_TRAINING_PERSON, writes="POST"),
    row(
        "web:scenario_training_graduates",
        "scenario",
        "403 405 405 403 403 403 login 403 403 403",
        writes="POST",
        write="403 ok ok/403 403 403 403 login 403 403 403",
    ),
    # the field practicum: counts for every role with aggregates; students and placements for national,
    # officers and organisation focal points (those placed at what they cover) and the institution's focal
    # point (its own); changed by national or the institution; offers set by national, officer, focal point
    row("web:practicum_availability", None, WEB_CATALOGUE),
    row("web:practicum_offer_list", None, WEB_CATALOGUE),
    row("web:practicum_offer_set", None, "403 200 200 200 403 403 login 403 403 403", writes="POST"),
    row("web:practicum_student_list", None, WEB_PRACTICUM_PEOPLE),
    row("web:practicum_student_new", None, WEB_TRAINING_MANAGERS, writes="POST"),
    row("web:practicum_student_detail", "student", WEB_PRACTICUM_PERSON),
    row("web:practicum_student_edit", "student", WEB_TRAINING_MANAGER_OBJECT, writes="POST"),
    row("web:practicum_placement_list", None, WEB_PRACTICUM_PEOPLE),
    row("web:practicum_placement_new", None, WEB_TRAINING_MANAGERS, writes="POST"),
    row("web:practicum_placement_detail", "placement", WEB_PRACTICUM_PERSON),
    row(
        "web:practicum_placement_step",
        "placement",
        "403 405 403 403 403 403 login 403 403 405",
        writes="POST",
        write="403 ok 403 403 403 403 login 403 403 ok/404",
    ),
    # training: completions lists and their unmatched rows (a national data manager; an institution's focal
    # point their institution's)
    row("web:training_completion_import", None, WEB_TRAINING_MANAGERS, writes="POST"),
    row(
        "web:training_unmatched_match",
        "unmatched",
        WEB_TRAINING_STEP,
        writes="POST",
        write=WEB_TRAINING_STEP_WRITE,
    ),
    row(
        "web:training_unmatched_set_aside",
        "unmatched",
        WEB_TRAINING_STEP,
        writes="POST",
        write=WEB_TRAINING_STEP_WRITE,
    ),
    # --- training: competency frameworks, gaps, training needs ----------------------------------------
    # (administrator national subnational focal_point analyst outsider anonymous registrar worker institution)
    row("web:training_frameworks", None, WEB_CATALOGUE, writes="POST", write=WEB_FRAMEWORK_WRITE),
    row("web:training_framework", "framework", WEB_CATALOGUE),
    row(
        "web:training_framework_change",
        "framework",
        "405 405 403 403 403 403 login 403 403 403",
        writes="POST",
        write=WEB_FRAMEWORK_WRITE,
    ),
    row("web:training_framework_import", None, "200 200 403 403 403 403 login 403 403 403", writes="POST"),
    row("web:training_framework_export", None, WEB_CATALOGUE),
    row(
        "web:training_programme_competencies",
        None,
        WEB_CATALOGUE,
        writes="POST",
        write="403 ok 403 403 403 403 login 403 403 ok",
    ),
    row("web:training_gaps", None, WEB_CATALOGUE),
    row("web:training_missing", None, "403 200 200 200 403 403 login 403 403 403"),
    row("web:training_needs", None, WEB_CATALOGUE),
    row("web:training_needs_csv", None, WEB_CATALOGUE),
    row(
        "web:training_worker_competencies",
        "worker",
        "403 200 200/404 200/404 403 403 login 403 200/404 403",
        writes="POST",
        write="403 ok ok/404 ok/404 403 403 login 403 403/404 403",
    ),
    # SMS through RapidPro (issue 13 item 7): the page of webhook tokens, calls and reminders is a national
    # data manager's only; the webhook takes POST only, with a webhook token (a signed-in session is no token)
    row("web:rapidpro", None, "403 200 403 403 403 403 login 403 403 403"),
    row(
        "web:rapidpro_token_create",
        None,
        "403 405 403 403 403 403 login 403 403 403",
        writes="POST",
        write="403 ok 403 403 403 403 login 403 403 403",
    ),
    row(
        "web:rapidpro_token_revoke",
        "webhook_token",
        "403 405 403 403 403 403 login 403 403 403",
        writes="POST",
        write="403 ok 403 403 403 403 login 403 403 403",
    ),
    row("rapidpro:webhook_session", None, "405 " * 9 + "405", writes="POST", write="401 " * 9 + "401"),
    row("rapidpro:webhook_caseload", None, "405 " * 9 + "405", writes="POST", write="401 " * 9 + "401"),
    # --- API --------------------------------------------------------------------------------------------
    row("api:api-root", None, API_AGGREGATES),
    row("api:token", None, "405 405 405 405 405 405 405", writes="POST", write="ok ok ok ok ok ok ok"),
    # revoke: the token the request is made with (sessions are not accepted, hence 401 here)
    row("api:token-revoke", None, "401 401 401 401 401 401 401", writes="POST"),
    # revoke all: every user's own tokens, whatever their role; nobody else's
    row(
        "api:token-revoke-all",
        None,
        "405 405 405 405 405 405 401",
        writes="POST",
        write="ok ok ok ok ok ok 401",
    ),
    row("api:schema", None, "200 200 200 200 200 200 200"),
    row("api:docs", None, "200 200 200 200 200 200 200"),
    row("api:redoc", None, "200 200 200 200 200 200 200"),
    row("api:indicators", None, "400 400 400 400 400 403 401"),  # 400: the year is required
    row("api:regulation-registers", None, API_REGISTERS),
    row(
        "api:regulation-statistics", None, "403 400 403 403 403 403 401 400 403"
    ),  # 400: the year is required
    row("api:regulation-setup", None, "403 200 403 403 403 403 401 200 403"),
    row(
        "api:regulation-cpd-import",
        None,
        "403 405 403 403 403 403 401 405 403",
        writes="POST",
        write="403 ok 403 403 403 403 401 ok 403",
    ),
    row(
        "api:regulation-setup-save",
        "setup",
        "403 405 403 403 403 403 401 405 403",
        writes="POST",
        write="403 ok 403 403 403 403 401 ok 403",
    ),
    row("api:regulation-registrations", None, API_REGISTERS, writes="POST", write=API_REGISTERS_WRITE),
    row("api:regulation-registration", "registration", "403 200 200/404 200/404 403 403 401 200/404 403"),
    row(
        "api:regulation-registration-step",
        "registration",
        "403 405 405 405 403 403 401 405 403",
        writes="POST",
        write="403 ok 403/404 403/404 403 403 401 ok/404 403",
    ),
    row("api:regulation-exams", None, API_CASES, writes="POST"),
    row("api:regulation-exam", "exam", API_CASE),
    row("api:regulation-exam-step", "exam", API_CASE_STEP, writes="POST", write=API_CASE_STEP_WRITE),
    row("api:regulation-complaints", None, API_CASES, writes="POST"),
    row("api:regulation-complaint", "complaint", API_CASE),
    row(
        "api:regulation-complaint-step", "complaint", API_CASE_STEP, writes="POST", write=API_CASE_STEP_WRITE
    ),
    row("api:plan-norms", None, "400 400 400 400 400 403 401"),  # 400: the year is required
    # scenarios: everyone with a role reads and runs them; national or subnational (their area) change them
    row("api:plan-scenarios", None, API_AGGREGATES, writes="POST", write="ok ok ok 403 403 403 401"),
    row(
        "api:plan-scenario",
        "scenario",
        API_AGGREGATES,
        writes="PUT DELETE",
        write="ok ok ok/403 403 403 403 401",
    ),
    row("api:plan-scenario-projection", "scenario", API_AGGREGATES),
    row(
        "api:plan-scenario-training-graduates",
        "scenario",
        "200 200 200 200 200 403 401 200 403 200",
        writes="POST",
        write="403 ok ok/403 403 403 403 401 403 403 403",
    ),
    row("api:plan-scenario-comparison", None, "400 400 400 400 400 403 401"),  # 400: the codes are required
    row("api:plan-wisn", None, "405 405 405 405 405 403 401", writes="POST", write="ok ok ok ok ok 403 401"),
    row("api:plan-studies", None, API_AGGREGATES, writes="POST", write="ok ok ok 403 403 403 401"),
    row("api:plan-study", "study", API_AGGREGATES, writes="PUT DELETE", write="ok ok ok/403 403 403 403 401"),
    row(
        "api:plan-study-locations",
        "study",
        "405 405 405 405 405 403 401",
        writes="POST",
        write="ok ok ok ok ok 403 401",
    ),
    row("api:plan-targets", None, API_AGGREGATES, writes="POST", write="ok ok ok 403 403 403 401"),
    row(
        "api:plan-target",
        "norm",
        "405 405 405 405 405 403 401",
        writes="DELETE",
        write="403 ok ok/403 403 403 403 401",
    ),
    row("api:plan-settings", None, "400 400 400 400 400 403 401"),  # 400: the year is required
    row("api:plan-costs", None, "400 400 400 400 400 403 401"),  # 400: the year is required
    # salary scales and costs are the country's: a national data manager's only
    row("api:plan-salary-scales", None, API_AGGREGATES, writes="POST", write="403 ok 403 403 403 403 401"),
    row("api:plan-cadre-costs", None, API_AGGREGATES, writes="POST", write="403 ok 403 403 403 403 401"),
    row("api:training-practicum-availability", None, "400 400 400 400 400 403 401 400 403 400"),  # the year
    row(
        "api:training-practicum-offers",
        None,
        API_CATALOGUE,
        writes="POST",
        write="403 ok ok ok 403 403 401 403 403 403",
    ),
    row(
        "api:training-practicum-students",
        None,
        API_PRACTICUM_PEOPLE,
        writes="POST",
        write=API_TRAINING_MANAGERS_WRITE,
    ),
    row(
        "api:training-practicum-student",
        "student",
        API_PRACTICUM_PERSON,
        writes="PATCH",
        write="403 ok 403 403 403 403 401 403 403 ok/404",
    ),
    row(
        "api:training-practicum-placements",
        None,
        API_PRACTICUM_PEOPLE,
        writes="POST",
        write=API_TRAINING_MANAGERS_WRITE,
    ),
    row("api:training-practicum-placement", "placement", API_PRACTICUM_PERSON),
    *(
        row(
            f"api:training-practicum-placement-{step}",
            "placement",
            "403 405 405 405 403 403 401 403 403 405",
            writes="POST",
            write="403 ok 403 403 403 403 401 403 403 ok/404",
        )
        for step in ("hours", "evaluation", "end")
    ),
    row("api:indicator-definitions", None, API_AGGREGATES),
    row("api:perceptions", None, "400 400 400 400 400 403 401"),  # 400: the round is required
    row("api:public-register", None, PUBLIC, writes="POST", write=PUBLIC_WRITE),  # everyone
    row("api:template", None, API_IMPORTERS),
    row("api:xlsform", None, "403 200 403 403 403 403 401"),
    row(
        "api:submissions-import",
        None,
        "403 405 403 403 403 403 401",
        writes="POST",
        write="403 ok 403 403 403 403 401",
    ),
    row("api:location-list", None, API_AGGREGATES, writes="POST", write=API_REFERENCE_WRITE),
    row("api:location-detail", "location", API_AGGREGATES, writes="PUT PATCH", write=API_REFERENCE_WRITE),
    row("api:population-list", None, API_AGGREGATES, writes="POST", write=API_REFERENCE_WRITE),
    row("api:population-detail", "population", API_AGGREGATES, writes="PUT PATCH", write=API_REFERENCE_WRITE),
    row("api:organisation-list", None, API_AGGREGATES, writes="POST", write=API_REFERENCE_WRITE),
    row(
        "api:organisation-detail",
        "organisation",
        "200 200 200/404 200/404 200 403 401",
        writes="PUT PATCH",
        write="ok ok 403 403 403 403 401",
    ),
    row("api:cadre-list", None, API_AGGREGATES, writes="POST", write=API_REFERENCE_WRITE),
    row("api:cadre-detail", "cadre", API_AGGREGATES, writes="PUT PATCH", write=API_REFERENCE_WRITE),
    row("api:post-list", None, API_PEOPLE, writes="POST"),
    row("api:post-detail", "post", API_PERSON, writes="PUT PATCH"),
    row("api:worker-list", None, API_PEOPLE, writes="POST"),
    row("api:worker-export", None, API_PEOPLE, suffix="csv"),  # export.csv: the file format
    row("api:worker-detail", "worker", API_PERSON, writes="PUT PATCH"),
    row("api:worker-merges", None, API_MERGES, writes="POST"),
    row("api:worker-merge", "merge", API_MERGE_PERSON),
    row(
        "api:worker-unmerge",
        "merge",
        "403 405 405 403 403 403 401",
        writes="POST",
        write="403 ok ok/404 403 403 403 401",
    ),
    row("api:assignment-list", None, API_PEOPLE, writes="POST"),
    row("api:assignment-detail", "assignment", API_PERSON, writes="PUT PATCH"),
    row(
        "api:assignment-end",
        "assignment",
        "403 405 405 405 403 403 401",
        writes="POST",
        write=API_PERSON.replace("200", "ok"),
    ),
    row(
        "api:assignment-transfer",
        "assignment",
        "403 405 405 405 403 403 401",
        writes="POST",
        write=API_PERSON.replace("200", "ok"),
    ),
    row("api:import-list", None, API_IMPORTERS, writes="POST"),
    row("api:import-detail", "import", API_IMPORT),
    row("api:import-problems", "import", API_IMPORT, suffix="csv"),
    # the training's catalogue and completions
    row("api:training-institutions", None, API_CATALOGUE, writes="POST", write=API_TRAINING_NATIONAL_WRITE),
    row(
        "api:training-institution",
        "institution",
        API_CATALOGUE,
        writes="PATCH",
        write=API_TRAINING_CHANGE_WRITE,
    ),
    row(
        "api:training-institution-accreditations",
        "institution",
        API_CATALOGUE,
        writes="POST",
        write=API_TRAINING_CHANGE_WRITE,
    ),
    row(
        "api:training-accreditation-end",
        "accreditation",
        API_TRAINING_POST,
        writes="POST",
        write=API_TRAINING_CHANGE_WRITE,
    ),
    row(
        "api:training-institution-instructors",
        "institution",
        "403 200 403 403 403 403 401 403 403 200/403",
        writes="POST",
    ),
    row("api:training-instructor", "instructor", API_TRAINING_PERSON, writes="PATCH"),
    row(
        "api:training-instructor-end",
        "instructor",
        API_TRAINING_POST,
        writes="POST",
        write=API_TRAINING_STEP_WRITE,
    ),
    row("api:training-programmes", None, API_CATALOGUE, writes="POST", write=API_TRAINING_MANAGERS_WRITE),
    row(
        "api:training-programme", "programme", API_CATALOGUE, writes="PATCH", write=API_TRAINING_CHANGE_WRITE
    ),
    row(
        "api:training-programme-intakes",
        "programme",
        API_CATALOGUE,
        writes="PUT POST",
        write=API_TRAINING_CHANGE_WRITE,
    ),
    row(
        "api:training-completions",
        None,
        "403 200 200 200 403 403 401 403 403 200",
        writes="POST",
        write=API_TRAINING_MANAGERS_WRITE,
    ),
    row(
        "api:training-completion",
        "completion",
        "403 200 200/404 200/404 403 403 401 403 403 200/404",
        writes="DELETE",
        write="403 ok 403/404 403/404 403 403 401 403 403 ok/404",
    ),
    row("api:survey-round-list", None, API_AGGREGATES),
    row("api:survey-round-detail", "round", API_AGGREGATES),
    # training: completions lists and their unmatched rows
    row(
        "api:training-completions-import",
        None,
        API_TRAINING_POST,
        writes="POST",
        write=API_TRAINING_POST_WRITE,
    ),
    row("api:training-unmatched-completions", None, API_TRAINING_MANAGERS),
    row(
        "api:training-unmatched-completion-match",
        "unmatched",
        API_TRAINING_POST,
        writes="POST",
        write=API_TRAINING_STEP_WRITE,
    ),
    row(
        "api:training-unmatched-completion-set-aside",
        "unmatched",
        API_TRAINING_POST,
        writes="POST",
        write=API_TRAINING_STEP_WRITE,
    ),
    # --- training API: competency frameworks, gaps, training needs -----------------------------------
    row("api:training-competency-frameworks", None, API_CATALOGUE, writes="POST", write=API_FRAMEWORK_WRITE),
    row("api:training-competency-framework", "framework", API_CATALOGUE),
    row("api:training-competency-export", None, API_CATALOGUE),
    row(
        "api:training-competency-framework-change",
        "framework",
        API_FRAMEWORK_POST_ONLY,
        writes="POST",
        write=API_FRAMEWORK_WRITE,
    ),
    row(
        "api:training-competency-import",
        None,
        API_FRAMEWORK_POST_ONLY,
        writes="POST",
        write=API_FRAMEWORK_WRITE,
    ),
    row(
        "api:training-programme-competencies",
        None,
        API_CATALOGUE,
        writes="POST",
        write="403 ok 403 403 403 403 401 403 403 ok",
    ),
    row("api:training-competency-gaps", None, API_CATALOGUE),
    row("api:training-competency-missing", None, "403 200 200 200 403 403 401 403 403 403"),
    row("api:training-competency-needs", None, API_CATALOGUE),
    row(
        "api:training-worker-competencies",
        "worker",
        "403 200 200/404 200/404 403 403 401 403 200/404 403",
        writes="POST",
        write="403 ok ok/404 ok/404 403 403 401 403 403/404 403",
    ),
    # --- support: professional associations (read by every role but a worker's own login, kept by a national
    # data manager); memberships are persons: the roles that see people, each the workers they see.
    row("web:association_list", None, WEB_CATALOGUE),
    row("web:association_new", None, WEB_TRAINING_NATIONAL, writes="POST"),
    row("web:association_figures", None, WEB_CATALOGUE),
    row("web:association_worker", "worker", WEB_MEMBERSHIP_PERSON, writes="POST"),
    row("web:association_membership_end", "membership", WEB_MEMBERSHIP_PERSON, writes="POST"),
    row("web:association_detail", "association", WEB_CATALOGUE),
    row("web:association_edit", "association", WEB_TRAINING_NATIONAL, writes="POST"),
    row("web:association_memberships", "association", WEB_MEMBERSHIPS),
    row("web:association_membership_new", "association", WEB_MEMBERSHIPS, writes="POST"),
    row("api:support-associations", None, API_CATALOGUE, writes="POST", write=API_TRAINING_NATIONAL_WRITE),
    row("api:support-association-figures", None, API_CATALOGUE),
    row("api:support-association-worker-memberships", "worker", API_MEMBERSHIP_PERSON, writes="POST"),
    row("api:support-association-membership", "membership", API_MEMBERSHIP_PERSON, writes="PATCH"),
    row(
        "api:support-association-membership-end",
        "membership",
        "403 405 405 405 403 403 401 403 403 403",
        writes="POST",
        write="403 ok ok/404 ok/404 403 403 401 403 403 403",
    ),
    row(
        "api:support-association",
        "association",
        API_CATALOGUE,
        writes="PATCH",
        write=API_TRAINING_NATIONAL_WRITE,
    ),
    row("api:support-association-memberships", "association", API_MEMBERSHIPS, writes="POST"),
    # --- the quality-assurance score (ten cells): read by every role but outsiders and workers' own logins
    # (national figures and documents, no person); recorded and kept by a national data manager.
    row("web:quality", None, WEB_CATALOGUE),
    row("web:quality_record", None, WEB_TRAINING_NATIONAL, writes="POST"),
    row("web:quality_score_file", "quality_score", WEB_CATALOGUE),
    row("web:quality_framework", None, WEB_CATALOGUE),
    row("web:quality_instrument_new", None, WEB_TRAINING_NATIONAL, writes="POST"),
    row("web:quality_instrument", "instrument", WEB_CATALOGUE),
    row("web:quality_instrument_edit", "instrument", WEB_TRAINING_NATIONAL, writes="POST"),
    row("web:quality_instrument_end", "instrument", WEB_TRAINING_NATIONAL, writes="POST"),
    row("web:quality_instrument_file", "instrument", WEB_CATALOGUE),
    row("api:quality-proposals", None, API_CATALOGUE),
    row("api:quality-scores", None, API_CATALOGUE, writes="POST", write=API_TRAINING_NATIONAL_WRITE),
    row("api:quality-instruments", None, API_CATALOGUE, writes="POST", write=API_TRAINING_NATIONAL_WRITE),
    row(
        "api:quality-instrument",
        "instrument",
        API_CATALOGUE,
        writes="PATCH",
        write=API_TRAINING_NATIONAL_WRITE,
    ),
    row(
        "api:quality-instrument-end",
        "instrument",
        "403 405 403 403 403 403 401 403 403 403",
        writes="POST",
        write=API_TRAINING_NATIONAL_WRITE,
    ),
    # --- support: caseloads (ten cells): persons' caseloads for national, officers and organisation focal
    # points (the workers they see); the norms and the distribution for every role but outsiders and
    # workers' own logins; the norms changed by a system administrator or a national data manager.
    row("web:caseload_list", None, WEB_CASELOADS),
    row("web:caseload_new", None, WEB_CASELOADS, writes="POST"),
    row("web:caseload_grid", None, WEB_CASELOADS, writes="POST"),
    row(
        "web:caseload_remove",
        "caseload",
        "403 405 405 405 403 403 login 403 403 403",
        writes="POST",
        write="403 ok ok/404 ok/404 403 403 login 403 403 403",
    ),
    row("web:caseload_norms", None, WEB_CATALOGUE, writes="POST", write=WEB_FRAMEWORK_WRITE),
    row(
        "web:caseload_norm_remove",
        "caseload_norm",
        "405 405 403 403 403 403 login 403 403 403",
        writes="POST",
        write=WEB_FRAMEWORK_WRITE,
    ),
    row("web:caseload_distribution", None, WEB_CATALOGUE),
    row("api:support-caseloads", None, API_CASELOADS, writes="POST"),
    row(
        "api:support-caseload", "caseload", "403 200 200/404 200/404 403 403 401 403 403 403", writes="DELETE"
    ),
    row("api:support-caseload-distribution", None, "400 400 400 400 400 403 401 400 403 400"),  # the month
    row("api:support-caseload-norms", None, API_CATALOGUE, writes="POST", write=API_FRAMEWORK_WRITE),
    row(
        "api:support-caseload-norm",
        "caseload_norm",
        API_CATALOGUE,
        writes="DELETE",
        write=API_FRAMEWORK_WRITE,
    ),
    row("web:support_hub", None, WEB_CATALOGUE),  # the support's front page: links by role
    # --- support: retention and attrition (aggregates; every role but outsiders and workers' logins) ----
    row("web:retention", None, WEB_CATALOGUE),
    row("api:support-retention", None, API_CATALOGUE),
    # --- administration ---------------------------------------------------------------------------------
    row("admin:index", None, "200 200 admin-login admin-login admin-login admin-login admin-login"),
    row(
        "admin:login",
        None,
        "redirect redirect 200 200 200 200 200",
        writes="POST",
        write="ok ok ok ok ok ok ok",
    ),
    row(
        "admin:logout",
        None,
        "405 405 redirect redirect redirect redirect redirect",
        writes="POST",
        write="ok ok redirect redirect redirect redirect redirect",
    ),
    row("admin:password_change", None, ADMIN_ALL, writes="POST"),
    row("admin:password_change_done", None, ADMIN_ALL),
    row("admin:autocomplete", None, NOBODY_ADMIN),  # 403 without the field to complete
    row("admin:jsi18n", None, ADMIN_ALL),
    row(
        "admin:view_on_site", "content", "404 404 admin-login admin-login admin-login admin-login admin-login"
    ),
    row("admin:app_list", None, ADMIN_ALL),  # the registry's page
    row("admin/(?P<url>.*)$", None, "404 404 admin-login admin-login admin-login admin-login admin-login"),
    row("admin:auth_user_password_change", "user", SUPERUSER, writes="POST"),
    *_admin_model("auth_group", "auth/group", "group", SUPERUSER),
    *_admin_model("auth_user", "auth/user", "user", SUPERUSER),
    *_admin_model("knox_authtoken", "knox/authtoken", "token", SUPERUSER, add=NOBODY_ADMIN, read_only=True),
    *_admin_model("axes_accessattempt", "axes/accessattempt", "accessattempt", SUPERUSER, add=NOBODY_ADMIN),
    *_admin_model("axes_accesslog", "axes/accesslog", "accesslog", SUPERUSER, add=NOBODY_ADMIN),
    *_admin_model(
        "axes_accessfailurelog", "axes/accessfailurelog", "accessfailurelog", SUPERUSER, add=NOBODY_ADMIN
    ),
    *_admin_model(
        "django_tasks_database_dbtaskresult",
        "django_tasks_database/dbtaskresult",
        "task",
        SUPERUSER,
        add=NOBODY_ADMIN,
        delete=NOBODY_ADMIN,
        read_only=True,
    ),
    *_admin_model("geo_location", "geo/location", "location", ADMIN_ALL),
    row("admin:geo_location_simple_history", "location-history", ADMIN_ALL),
    *_admin_model("geo_populationestimate", "geo/populationestimate", "population", ADMIN_ALL),
    row("admin:geo_populationestimate_simple_history", "population-history", ADMIN_ALL),
    *_admin_model("registry_organisation", "registry/organisation", "organisation", ADMIN_ALL),
    row("admin:registry_organisation_simple_history", "organisation-history", ADMIN_ALL),
    *_admin_model("registry_cadre", "registry/cadre", "cadre", ADMIN_ALL),
    row("admin:registry_cadre_simple_history", "cadre-history", ADMIN_ALL),
    *_admin_model(
        "exports_exportrecord",
        "exports/exportrecord",
        "exportrecord",
        ADMIN_ALL,
        add=NOBODY_ADMIN,
        delete=NOBODY_ADMIN,
        read_only=True,
    ),
    # --- Primero (issue 13): the sync history (national data managers, system administrators), running a
    # sync (a national data manager), the case hand-over directory (the roles that see people, the workers
    # they see: the page and the API list north's worker to the officer, south's to the focal point)
    row("web:primero_syncs", None, "200 200 403 403 403 403 login 403 403 403"),
    row("web:primero_sync_run", None, "403 200 403 403 403 403 login 403 403 403", writes="POST"),
    row("web:primero_handover", None, "403 200 200 200 403 403 login 403 403 403"),
    row("api:primero-syncs", None, "200 200 403 403 403 403 401 403 403 403"),
    row("api:primero-transfer-to", None, "403 200 200 200 403 403 401 403 403 403"),
    # Duplicate detection (issue 16): reviewers only (``access.duplicates_policy``): the national data manager,
    # and a subnational officer for pairs whose two workers are in their area; runs are started nationally.
    row("web:duplicates", None, "403 200 200 403 403 403 login 403 403 403"),
    row(
        "web:duplicates_pair",
        "duplicate-pair",
        "403 200 200/404 403 403 403 login 403 403 403",
        writes="POST",
    ),
    row(
        "web:duplicates_runs",
        None,
        "403 200 200 403 403 403 login 403 403 403",
        writes="POST",
        write="403 ok 403 403 403 403 login 403 403 403",
    ),
    row("web:duplicates_run", "duplicate-run", "403 200 200 403 403 403 login 403 403 403"),
    row("web:duplicates_model", None, "403 200 200 403 403 403 login 403 403 403"),
    row("api:duplicates-pairs", None, "403 200 200 403 403 403 401 403 403 403"),
    row("api:duplicates-pair", "duplicate-pair", "403 200 200/404 403 403 403 401 403 403 403"),
    row(
        "api:duplicates-pair-confirm",
        "duplicate-pair",
        "403 405 405 403 403 403 401 403 403 403",
        writes="POST",
        write="403 ok ok/404 403 403 403 401 403 403 403",
    ),
    row(
        "api:duplicates-pair-reject",
        "duplicate-pair",
        "403 405 405 403 403 403 401 403 403 403",
        writes="POST",
        write="403 ok ok/404 403 403 403 401 403 403 403",
    ),
    row(
        "api:duplicates-runs",
        None,
        "403 200 200 403 403 403 401 403 403 403",
        writes="POST",
        write="403 ok 403 403 403 403 401 403 403 403",
    ),
    row("api:duplicates-run", "duplicate-run", "403 200 200 403 403 403 401 403 403 403"),
    row("api:duplicates-model", None, "403 200 200 403 403 403 401 403 403 403"),
    # DHIS2 (issue 14): national data managers only (``access.dhis2_policy``): every figure, small cells too.
    row("web:dhis2", None, "403 200 403 403 403 403 login 403 403 403"),
    row("web:dhis2_push", "dhis2-push", "403 200 403 403 403 403 login 403 403 403"),
    row("web:dhis2_push_run", None, "403 200 403 403 403 403 login 403 403 403", writes="POST"),
    row("web:dhis2_export", None, "403 200 403 403 403 403 login 403 403 403"),
    row("web:dhis2_mapping", None, "403 200 403 403 403 403 login 403 403 403", writes="POST"),
    row("web:dhis2_mapping_example", None, "403 200 403 403 403 403 login 403 403 403"),
    row("api:dhis2-pushes", None, "403 200 403 403 403 403 401 403 403 403", writes="POST"),
    row("api:dhis2-push-detail", "dhis2-push", "403 200 403 403 403 403 401 403 403 403"),
    row("api:dhis2-export", None, "403 400 403 403 403 403 401 403 403 403"),  # 400: the year is required
]
# --- The FHIR mCSD directory (issue 14): the CapabilityStatement is public; the directory names people, so
# only the roles that see people read it, each the resources of their scope (north's for the officer,
# south's for the focal point); POST-only _search answers GET with 405 to those it lets in.
ROWS += [row("fhir:metadata", None, PUBLIC)]
for _type in ("location", "organization", "practitioner", "practitionerrole"):
    ROWS += [
        row(f"fhir:{_type}-search", None, API_PEOPLE),
        row(
            f"fhir:{_type}-search-post",
            None,
            "403 405 405 405 403 403 401",
            writes="POST",
            write="403 ok ok ok 403 403 401",
        ),
        row(f"fhir:{_type}-read", f"fhir-{_type}", API_PERSON),
        row(f"fhir:{_type}-vread", f"fhir-{_type}", API_PERSON),
    ]
# ITI-91 history: the same readers; each reader's changes of their own scope (and DELETEs for what left it).
ROWS += [row("fhir:history", None, API_PEOPLE)]
ROWS += [
    row(f"fhir:{_type}-history", None, API_PEOPLE)
    for _type in ("location", "organization", "practitioner", "practitionerrole")
]
ROWS += [
    # The workforce profile (issue 15): any role that sees aggregates makes one; a kept profile is read by
    # its maker and the national data manager (and by everyone when it is for publication).
    row("reports:profile", None, WEB_AGGREGATES),
    row("reports:report_list", None, WEB_AGGREGATES),
    row(
        "reports:profile_request",
        None,
        "405 405 405 405 405 403 login",
        writes="POST",
        write="ok ok ok ok ok 403 login",
    ),
    row("reports:report_detail", "profile", "404 200 200/404 200/404 404 403 login"),
    row("reports:report_download", "profile", "404 200 200/404 200/404 404 403 login"),
    row("api:report-profiles", None, API_AGGREGATES, writes="POST"),
    row("api:report-profile-detail", "profile", "404 200 200/404 200/404 404 403 401"),
    row("api:report-profile-download", "profile", "404 200 200/404 200/404 404 403 401"),
]
# --- support: supervision (issue 13) --------------------------------------------------------------------
# The compliance view and the rules: every role but outsiders and workers' own logins (the lists of workers
# for readers of people only); the rules changed by a national data manager or a system administrator. The
# supervisor database, relationships and sessions: readers of people, those of the workers they see.
ROWS += [
    row("web:supervision_compliance", None, WEB_AGGREGATES),
    row("web:supervision_supervisors", None, WEB_PEOPLE),
    row("web:supervision_rules", None, WEB_AGGREGATES, writes="POST", write="ok ok 403 403 403 403 login"),
    row("web:supervision_relationship_list", None, WEB_PEOPLE),
    row("web:supervision_relationship_new", None, WEB_PEOPLE, writes="POST"),
    row("web:supervision_relationship_edit", "relationship", WEB_PERSON, writes="POST"),
    row("web:supervision_session_list", None, WEB_PEOPLE),
    row("web:supervision_session_new", None, WEB_PEOPLE, writes="POST"),
    row("web:supervision_session_edit", "session", WEB_PERSON, writes="POST"),
    row(
        "web:supervision_session_delete",
        "session",
        "403 405 405 405 403 403 login",
        writes="POST",
        write="403 ok ok/404 ok/404 403 403 login",
    ),
    row("api:supervision-supervisors", None, API_PEOPLE),
    row("api:supervision-compliance", None, API_AGGREGATES),
    row("api:supervision-rules", None, API_AGGREGATES, writes="PATCH", write="ok ok 403 403 403 403 401"),
    row("api:supervision-relationships", None, API_PEOPLE, writes="POST"),
    row("api:supervision-relationship", "relationship", API_PERSON, writes="PATCH"),
    row(
        "api:supervision-relationship-end",
        "relationship",
        "403 405 405 405 403 403 401",
        writes="POST",
        write="403 ok ok/404 ok/404 403 403 401",
    ),
    row("api:supervision-sessions", None, API_PEOPLE, writes="POST"),
    row("api:supervision-session", "session", API_PERSON, writes="PATCH DELETE"),
]
MATRIX = {entry.route: entry for entry in ROWS}
if len(MATRIX) != len(ROWS):
    raise ValueError("A route has two rows in the access matrix.")

DOC = Path(__file__).resolve().parents[2] / "docs" / "access-matrix.md"


def markdown() -> str:
    """``docs/access-matrix.md``: the matrix as tables, generated from ``ROWS``."""
    header = "| route | object | " + " | ".join(TITLES) + " |"
    rule = "|" + "---|" * (len(PERSONAS) + 2)
    lines = [
        "# Access matrix",
        "",
        "<!-- Generated by `.venv/bin/python -m tests.access.matrix --write` from tests/access/matrix.py;",
        "     tests/access/test_matrix.py checks every cell against the running application. -->",
        "",
        "Who gets what from every route of sswis: every page, API endpoint (and its `.json` format",
        "variant), export and administration page, for each persona. The test suite requests every route",
        "as every persona and fails when an outcome differs from this table, when a route has no row, and",
        "when a person's name, national ID, phone number or e-mail reaches someone who may not see that",
        "person (analysts, system administrators, outsiders and anonymous visitors never receive one;",
        "officers and focal points only those of their area or organisation).",
        "",
        "Cells: a status code; `login` — redirected to the sign-in page; `admin-login` — redirected to the",
        "administration's sign-in page; `redirect` — any other redirect. `200/404`: 200 for an object in",
        "the persona's scope (a subnational officer's area, a focal point's organisation, one's own import),",
        "404 for one outside it. Write cells: `ok` — the persona may write (the feature's own tests cover",
        "what happens); anything else is the refusal the matrix test checks.",
        "",
    ]
    sections = [
        ("Pages", "web:"),
        ("API (`/api/v1/`)", "api:"),
        ("FHIR directory (`/fhir/`)", "fhir:"),
        ("Reports (`/reports/`)", "reports:"),
        ("API (`/api/v1/`)", "api:"),
        ("Administration (`/admin/`)", "admin"),
    ]
    for title, prefix in sections:
        lines += [f"## {title}", "", "### Reading (GET)", "", header, rule]
        chosen = [entry for entry in ROWS if entry.route.startswith(prefix)]
        for entry in chosen:
            cells = " | ".join(entry.get)
            lines.append(f"| `{entry.route}` | {entry.object or ''} | {cells} |")
        lines += ["", "### Writing", "", header.replace("| route |", "| route (methods) |"), rule]
        for entry in chosen:
            if entry.writes:
                cells = " | ".join(entry.write)
                lines.append(
                    f"| `{entry.route}` ({', '.join(entry.writes)}) | {entry.object or ''} | {cells} |"
                )
        lines.append("")
    return "\n".join(lines)


if __name__ == "__main__":
    if sys.argv[1:] == ["--write"]:
        DOC.write_text(markdown(), encoding="utf-8")
    else:
        sys.stdout.write(markdown())
