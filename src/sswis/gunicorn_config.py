"""gunicorn's settings for sswis: ``gunicorn --config python:sswis.gunicorn_config sswis.wsgi`` (compose.yaml,
the Dockerfile, bench/load.py and the README run it so). Memory is what these settings are about
(docs/load.md, "Memory"; the README's deployment section):

* ``preload_app``: the master loads the application (Django, every view, the chart libraries:
  ``sswis.wsgi.application_preload``) once, then forks the workers, which share those pages with it
  instead of each importing its own copy. ``gc.freeze`` keeps the collector from writing to every
  preloaded object in each worker (which would copy the pages it shares).
* One chart renderer for all the workers (``when_ready``, :mod:`sswis.presentation.chart_renderer`): the
  master forks a process that shares its preloaded pages and runs the only chart engine (vl-convert's V8,
  about 65 MB private, which each worker used to start for itself: the engine's threads do not survive a
  fork); the workers send it their charts over a Unix socket in a private directory and start no engine,
  unless the renderer does not answer (they then draw in their own process). A keeper process restarts the
  renderer if it ends; ``on_exit`` ends both (and they end by themselves within a second of the master).
* The master runs no thread before it forks (``sswis.wsgi`` starts none at import, the renderer is a
  process), so the workers do not hang.
* ``max_requests`` with jitter: a worker is replaced after about 2,000 requests (the two not at the same
  time), which bounds what its caches and heap grow to; the new one is forked from the preloaded master.

Other settings (``--workers``, ``--bind``, ``--access-logfile``) stay on the command line, which overrides
this file.
"""

from __future__ import annotations

import gc
import logging
from typing import Any

preload_app = True
max_requests = 2000
max_requests_jitter = 200
# gunicorn 23+ runs a control socket (a thread in the master, one path per user shared by every gunicorn on
# the machine); sswis does not use it.
control_socket_disable = True


def when_ready(server: Any) -> None:
    """In the master, after the application is loaded and before any worker is forked: preload, freeze
    the heap, start the chart renderer (after the freeze, so that it shares the frozen pages too). Without
    a renderer (its socket could not be made) each worker starts its own engine, as before."""
    from sswis.presentation import chart_renderer
    from sswis.wsgi import application_preload

    application_preload()
    gc.collect()
    gc.freeze()
    # The master's listening sockets and signal pipe: the renderer must hold neither.
    inherited = [listener.fileno() for listener in getattr(server, "LISTENERS", [])]
    inherited += list(getattr(server, "PIPE", []))
    try:
        chart_renderer.start(inherited=inherited)
    except OSError:
        logging.getLogger(__name__).exception("No chart renderer: each worker starts its own chart engine.")


def on_exit(server: Any) -> None:
    """In the master, as it exits: end the chart renderer and remove its socket."""
    from sswis.presentation import chart_renderer

    chart_renderer.stop()


def post_fork(server: Any, worker: Any) -> None:
    """In each new worker, right after the fork: no parallel query plans in its database sessions
    (:func:`web_database_sessions`), and its own chart engine's warm-up when there is no renderer."""
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
