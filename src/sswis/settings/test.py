"""Test settings: the database still comes from ``SSWIS_DATABASE_URL`` so CI runs on SQLite and PostgreSQL."""

from __future__ import annotations

from .base import *  # noqa: F403
from .base import DATABASES

PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]
TASKS = {"default": {"BACKEND": "django_tasks.backends.immediate.ImmediateBackend"}}
DATABASES["default"]["CONN_MAX_AGE"] = 0
AXES_ENABLED = True
