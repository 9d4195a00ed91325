"""Schemathesis against the API's own OpenAPI schema, as a national data manager with an API token.

Every operation of the schema gets generated requests, valid and invalid, and every response goes
through all of Schemathesis's checks: no server error, the status code and the body as the schema
documents them, invalid input refused, valid input accepted, nothing served without the token, and
the rest of its defaults. Bounded so CI stays quick: ``SSWIS_FUZZ_EXAMPLES`` requests per operation
(default 25), derandomised (the same requests on every run; set ``SSWIS_FUZZ_SEED`` to explore other
ones, e.g. ``SSWIS_FUZZ_EXAMPLES=500 SSWIS_FUZZ_SEED=$RANDOM bin/test tests/api/test_fuzz.py``).

A request meant to be valid (it fits the schema) may still be refused with 400 for the rules the
schema cannot state, and only for those: the refusal must name the parameters that break them.

* the text rule (``sswis.text``): text with a control, format or unassigned character is refused
  everywhere, the address too (named ``path``); OpenAPI has no portable way to name Unicode categories;
* a code in a query parameter (``location``, ``cadre``, ...) must name an existing record;
* dates and years from 1900 to 2100 (``sswis.registry.dates``); ``years`` is a range or a list;
  the posts' ``date`` and ``vacant_on`` (both the reference date) must be the same day if both given;
* the indicators need ``year`` or ``years`` (one of two query parameters);
* the public register's ``q``, when it is not a registration number, is a name of at least 3 characters
  (``sswis.regulation.public.NAME_MINIMUM_LENGTH``); its rate limit is lifted here, so that every
  generated request is answered (its 429 is documented and tested in tests/api/test_public_register.py);
* a write names records by their codes, which must exist and be in the user's area, with dates that
  must be plausible together: a generated body that fits the schema is rarely such a write, so a
  write's refusal is not checked this way. Its refusals must still be documented 400s, and invalid
  bodies must still be refused.
"""

from __future__ import annotations

import datetime
import itertools
import json
import os
from collections.abc import Iterator
from typing import Any
from urllib.parse import unquote

import pytest
import schemathesis
from django.conf import settings as django_settings
from django.core.signals import request_finished, request_started
from django.core.wsgi import get_wsgi_application
from django.db import close_old_connections
from drf_spectacular.generators import SchemaGenerator
from drf_spectacular.renderers import OpenApiJsonRenderer
from hypothesis import HealthCheck, settings
from knox.models import AuthToken
from schemathesis.generation import GenerationMode
from schemathesis.specs.openapi.checks import positive_data_acceptance

from sswis.indicators.definitions import years_parsed
from sswis.registry.dates import EARLIEST_YEAR, LATEST_YEAR
from sswis.regulation.public import NAME_MINIMUM_LENGTH
from sswis.support.caseloads import month_parse
from sswis.text import text_problem
from tests.api.conftest import Staffing
from tests.conftest import Personas

EXAMPLES = int(os.environ.get("SSWIS_FUZZ_EXAMPLES", "25"))
LANGUAGES = itertools.cycle([code for code, _name in django_settings.LANGUAGES])
SEED = os.environ.get("SSWIS_FUZZ_SEED")
APPLICATION = get_wsgi_application()


def _schema() -> Any:
    """The schema as ``/api/v1/schema/`` serves it (built without a request or a database)."""
    document = SchemaGenerator().get_schema(request=None, public=True)
    loaded = schemathesis.openapi.from_dict(json.loads(OpenApiJsonRenderer().render(document)))
    loaded.app = APPLICATION
    return loaded


schema = _schema()


CODE_PARAMETERS = frozenset(
    {"location", "within", "parent", "cadre", "organisation", "round", "worker", "scenarios", "association"}
)
DATE_PARAMETERS = frozenset({"vacant_on", "active_on", "date", "day", "active", "date_from", "date_to"})


def _texts(value: Any) -> list[str]:
    """Every string in a generated value: keys and values of mappings, items of lists."""
    if isinstance(value, str):
        return [value]
    if isinstance(value, dict):
        return [text for key, item in value.items() for text in (*_texts(key), *_texts(item))]
    if isinstance(value, list | tuple):
        return [text for item in value for text in _texts(item)]
    return []


def _implausible_date(text: str) -> bool:
    try:
        day = datetime.date.fromisoformat(text)
    except ValueError:
        return True
    return not EARLIEST_YEAR <= day.year <= LATEST_YEAR


def _not_a_month(text: str) -> bool:
    """Whether the API refuses ``text`` as a month (``YYYY-MM``, a real month, in the years it accepts)."""
    try:
        first = month_parse(text)
    except ValueError:
        return True
    return not EARLIEST_YEAR <= first.year <= LATEST_YEAR


def _refusable(case: Any) -> set[str]:
    """The names a 400 may give for a request that fits the schema: the parameters (and ``path``)
    whose values break a rule the schema cannot state (module docstring)."""
    names: set[str] = set()
    path_texts = [unquote(text) for text in _texts(case.path_parameters)]  # as the server reads them
    if any(text_problem(text) is not None for text in path_texts):
        names.add("path")
    query = case.query or {}
    for name, value in query.items():
        texts = _texts(value)
        if any(text_problem(text) is not None for text in [name, *texts]):
            names.update({name, "query"})
        if name in CODE_PARAMETERS or (name in DATE_PARAMETERS and any(map(_implausible_date, texts))):
            names.add(name)
        if name == "month" and any(map(_not_a_month, texts)):  # YYYY-MM of a real month, in range
            names.add(name)
        if name == "years":
            try:
                years_parsed(text=str(value))
            except ValueError:
                names.add(name)
    given = {name for name, value in query.items() if any(_texts(value))}  # an empty value is no value
    if case.operation.path == "/api/v1/indicators/" and not {"year", "years"} & given:
        names.add("year")
    if case.operation.path == "/api/v1/public/register/" and "q" in given:
        text = str(query["q"]).strip()
        if 0 < len(text) < NAME_MINIMUM_LENGTH:  # the fuzzed world has no registration numbers
            names.add("q")
    if case.operation.path == "/api/v1/posts/" and {"date", "vacant_on"} <= given:
        names.add("date")  # two reference dates that differ
    return names


def _valid_request_accepted(case: Any, response: Any) -> None:
    """A request that fits the schema is not refused but for the rules the schema cannot state."""
    if case.meta is None or case.meta.generation.mode != GenerationMode.POSITIVE:
        return
    if response.status_code != 400 or case.method.upper() != "GET":
        return
    named = set(response.json())
    assert named <= _refusable(case), f"{case.method} {case.formatted_path} {case.query}: refused {named}"


@pytest.fixture(autouse=True)
def public_register_unlimited(settings: Any) -> None:
    """No rate limit on the public register while fuzzing (module docstring)."""
    settings.SSWIS_PUBLIC_REGISTER_RATE = ""


@pytest.fixture(autouse=True)
def connection_kept_open() -> Iterator[None]:
    """Requests reach the WSGI application directly, not through Django's test client, so its end would
    close the database connection (``close_old_connections``: inside the test's transaction the
    connection is not in autocommit) and with it the test's transaction on PostgreSQL. The test client
    keeps it open the same way."""
    request_started.disconnect(close_old_connections)
    request_finished.disconnect(close_old_connections)
    yield
    request_started.connect(close_old_connections)
    request_finished.connect(close_old_connections)


@schema.parametrize()
@settings(
    max_examples=EXAMPLES,
    deadline=None,
    derandomize=SEED is None,
    database=None,
    suppress_health_check=list(HealthCheck),
)
def test_api_keeps_its_schema(case: Any, personas: Personas, staffing: Staffing) -> None:
    """Requests take turns at the languages (``Accept-Language``): refusals in every language, Arabic
    included, must keep to the schema as the English ones do."""
    _, secret = AuthToken.objects.create(user=personas.national)
    language = next(LANGUAGES)
    response = case.call_and_validate(
        headers={"Authorization": f"Token {secret}", "Accept-Language": language},
        excluded_checks=[positive_data_acceptance],
    )
    assert response.headers.get("content-language") == [language]  # answered in the language asked
    _valid_request_accepted(case, response)
