"""WSGI entry point: ``gunicorn sswis.wsgi`` (or any WSGI server; ``sswis runserver`` loads it too)."""

import os
import threading

from django.core.wsgi import get_wsgi_application

os.environ.setdefault("DJANGO_SETTINGS_MODULE", "sswis.settings.production")
application = get_wsgi_application()


def _warm_up() -> None:
    from sswis.presentation.charts import charts_warm_up

    charts_warm_up()


# In the background: the server answers at once, and the first dashboard is not slowed by the chart engine.
threading.Thread(target=_warm_up, name="sswis-charts-warm-up", daemon=True).start()
