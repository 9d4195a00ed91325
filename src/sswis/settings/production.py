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
