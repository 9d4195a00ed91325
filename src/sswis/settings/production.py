"""Production settings: secrets from the environment, HTTPS only, strict cookies.

Passes ``sswis check --deploy`` when ``SSWIS_SECRET_KEY`` is set to a long random value.
"""

from __future__ import annotations

import os

from django.core.exceptions import ImproperlyConfigured

from .base import *  # noqa: F403

DEBUG = False
try:
    SECRET_KEY = os.environ["SSWIS_SECRET_KEY"]
except KeyError as error:  # a development key must never reach a ministry's server
    raise ImproperlyConfigured("Set SSWIS_SECRET_KEY to a long random value in production.") from error

STORAGES = {
    "default": {"BACKEND": "django.core.files.storage.FileSystemStorage"},
    "staticfiles": {"BACKEND": "whitenoise.storage.CompressedManifestStaticFilesStorage"},
}
SECURE_SSL_REDIRECT = os.environ.get("SSWIS_SECURE_SSL_REDIRECT", "1") == "1"
SECURE_PROXY_SSL_HEADER = ("HTTP_X_FORWARDED_PROTO", "https")
SECURE_HSTS_SECONDS = int(os.environ.get("SSWIS_HSTS_SECONDS", 31536000))
SECURE_HSTS_INCLUDE_SUBDOMAINS = True
SECURE_HSTS_PRELOAD = True
SESSION_COOKIE_SECURE = True
CSRF_COOKIE_SECURE = True
CSRF_COOKIE_HTTPONLY = True
SESSION_COOKIE_SAMESITE = "Strict"
CSRF_COOKIE_SAMESITE = "Strict"
CSRF_TRUSTED_ORIGINS = [o for o in os.environ.get("SSWIS_CSRF_TRUSTED_ORIGINS", "").split(",") if o]

# The indicators' computed years (sswis.indicators.cache) are kept in files of the data folder, shared by
# every process of the server: gunicorn's workers, a worker that replaces one after max_requests, the
# background worker. A year is then computed once per change of the data, not once per process (at
# 1,000,000 workers the national year is about 1 s of PostgreSQL and a sort of 60 MB). Django writes each
# entry to a temporary file and renames it, so a process never reads half an entry.
CACHES["indicators"] = {  # noqa: F405
    "BACKEND": "django.core.cache.backends.filebased.FileBasedCache",
    "LOCATION": str(DATA_DIR / "cache" / "indicators"),  # noqa: F405
    "TIMEOUT": 24 * 60 * 60,
    "OPTIONS": {"MAX_ENTRIES": int(os.environ.get("SSWIS_INDICATOR_CACHE_ENTRIES", 256))},
}
