"""WSGI entry point: ``gunicorn sswis.wsgi`` (or any WSGI server)."""

import os

from django.core.wsgi import get_wsgi_application

os.environ.setdefault("DJANGO_SETTINGS_MODULE", "sswis.settings.production")
application = get_wsgi_application()
