"""gunicorn's settings for sswis: ``gunicorn --config python:sswis.gunicorn_config sswis.wsgi`` (compose.yaml,
the Dockerfile, bench/load.py and the README run it so). Memory is what these settings are about
(docs/load.md, "Memory"; the README's deployment section):

* ``preload_app``: the master loads the application (Django, every view, the chart libraries:
  ``sswis.wsgi.application_preload``) once, then forks the workers, which share those pages with it
  instead of each importing its own copy. ``gc.freeze`` keeps the collector from writing to every
  preloaded object in each worker (which would copy the pages it shares).
* ``post_fork``: each worker starts its own chart engine's warm-up (the engine runs threads, which do not
  survive a fork; ``sswis.wsgi`` starts none at import, so the fork is safe).
* ``max_requests`` with jitter: a worker is replaced after about 2,000 requests (the two not at the same
  time), which bounds what its caches and heap grow to; the new one is forked from the preloaded master.

Other settings (``--workers``, ``--bind``, ``--access-logfile``) stay on the command line, which overrides
this file.
"""

from __future__ import annotations

import gc
from typing import Any

preload_app = True
max_requests = 2000
max_requests_jitter = 200
# gunicorn 23+ runs a control socket (a thread in the master, one path per user shared by every gunicorn on
# the machine); sswis does not use it.
control_socket_disable = True


def when_ready(server: Any) -> None:
    """In the master, after the application is loaded and before any worker is forked."""
    from sswis.wsgi import application_preload

    application_preload()
    gc.collect()
    gc.freeze()


def post_fork(server: Any, worker: Any) -> None:
    """In each new worker, right after the fork: no parallel query plans in its database sessions
    (:func:`web_database_sessions`), and its own chart engine's warm-up."""
    from django.conf import settings

    from sswis.wsgi import charts_warm_up_start

    web_database_sessions(settings.DATABASES["default"])
    charts_warm_up_start()


def web_database_sessions(config: dict[str, Any]) -> None:
    """A web worker's PostgreSQL sessions plan no parallel workers (``max_parallel_workers_per_gather=0``).

    Web requests run side by side: a parallel plan takes for one request the cores the others are
    waiting for, and each parallel worker process is about 25 MB more (docs/load.md). Background jobs
    (reports, indicators of the whole country) keep them, where one long query has the machine."""
    from sswis.settings.base import postgresql_session_settings

    if config.get("ENGINE") == "django.db.backends.postgresql":
        postgresql_session_settings(config, "max_parallel_workers_per_gather=0")
