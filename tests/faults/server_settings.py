"""Settings of the server the database-gone tests run: the test settings (their fast password hasher made
the demo's passwords), but a kept database connection as in production (``CONN_MAX_AGE``), so a server's
connection can go away between two requests."""

from __future__ import annotations

from sswis.settings.test import *  # noqa: F403
from sswis.settings.test import DATABASES

DATABASES["default"]["CONN_MAX_AGE"] = 0 if DATABASES["default"]["ENGINE"].endswith("sqlite3") else 60
