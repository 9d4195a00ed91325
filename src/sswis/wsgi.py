"""WSGI entry point: ``gunicorn --config python:sswis.gunicorn_config sswis.wsgi`` (or any WSGI server;
``sswis runserver`` loads it too).

Importing this module starts no thread, so a server may load it once and fork its workers from it
(gunicorn's ``preload_app``, ``sswis.gunicorn_config``): a thread that holds the import lock or a library's
runtime at the fork would leave the children hung. Under ``sswis.gunicorn_config`` one renderer process
forked from the master runs the only chart engine (``sswis.presentation.chart_renderer``), so the workers
start none; under another server the engine is warmed up in each serving process
(:func:`charts_warm_up_start`) at the process's first request.
"""

import os
import threading
from typing import Any

from django.core.signals import request_started
from django.core.wsgi import get_wsgi_application

os.environ.setdefault("DJANGO_SETTINGS_MODULE", "sswis.settings.production")
application = get_wsgi_application()

_warm_up_lock = threading.Lock()
_warm_up_process: int | None = None  # the process that has started its warm-up (a fork has not)


def application_preload() -> None:
    """Import what requests need (every URL module and view, the chart libraries) without starting a
    thread or a connection: called once in a server's parent process before it forks its workers, so that
    they share these modules' memory instead of importing a copy each at their first request."""
    from django.urls import get_resolver

    from sswis.presentation.charts import chart_libraries_import

    get_resolver().url_patterns  # noqa: B018  (imports every URL module, and so every view)
    chart_libraries_import()


def _warm_up() -> None:
    from sswis.presentation.charts import charts_warm_up

    charts_warm_up()


def charts_warm_up_start() -> None:
    """Start the chart engine's warm-up in a thread of this process, once per process (a forked child
    starts its own: the engine's threads do not survive a fork), so the first dashboard it serves is not
    slowed by the engine's start. Nothing to start when a renderer process draws this process's charts
    (it has started its engine)."""
    from sswis.presentation import chart_renderer

    global _warm_up_process
    if _warm_up_process == os.getpid():
        return  # started already: every request after the first asks, and needs no lock to hear it
    with _warm_up_lock:
        if _warm_up_process == os.getpid():
            return
        _warm_up_process = os.getpid()
    if chart_renderer.configured():
        return
    threading.Thread(target=_warm_up, name="sswis-charts-warm-up", daemon=True).start()


def _first_request(**kwargs: Any) -> None:
    charts_warm_up_start()


# A server without the post_fork hook (or runserver) warms up at the first request of each process.
request_started.connect(_first_request, dispatch_uid="sswis-charts-warm-up")
