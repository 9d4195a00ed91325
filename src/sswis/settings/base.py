"""Settings shared by every deployment of sswis.

The database comes from ``SSWIS_DATABASE_URL`` (``sqlite:///path`` or ``postgres://...``); without it an
SQLite file in the local data folder (``SSWIS_DATA_DIR``, default ``./data``) is used, so a fresh machine
needs no database server.
"""

from __future__ import annotations

import datetime
import os
from pathlib import Path
from typing import Any

import dj_database_url
from django.core.exceptions import ImproperlyConfigured

PACKAGE_DIR = Path(__file__).resolve().parent.parent
DATA_DIR = Path(os.environ.get("SSWIS_DATA_DIR", Path.cwd() / "data")).resolve()

SECRET_KEY = os.environ.get("SSWIS_SECRET_KEY", "sswis-development-only-key-not-for-production")
DEBUG = os.environ.get("SSWIS_DEBUG", "") == "1"
ALLOWED_HOSTS = [h for h in os.environ.get("SSWIS_ALLOWED_HOSTS", "127.0.0.1,localhost").split(",") if h]

INSTALLED_APPS = [
    "django.contrib.admin",
    "django.contrib.auth",
    "django.contrib.contenttypes",
    "django.contrib.sessions",
    "django.contrib.messages",
    "django.contrib.staticfiles",
    "django.contrib.humanize",
    "rest_framework",
    "knox",
    "drf_spectacular",
    "drf_spectacular_sidecar",
    "django_filters",
    "simple_history",
    "axes",
    "django_htmx",
    "django_tasks",
    "django_tasks_db",
    "sswis.geo",
    "sswis.registry",
    "sswis.access",
    "sswis.indicators",
    "sswis.imports",
    "sswis.surveys",
    "sswis.exports",
    "sswis.planning",
    "sswis.regulation",
    "sswis.training",
    "sswis.support",
    "sswis.quality",
    "sswis.duplicates",
    "sswis.rapidpro",
    "sswis.primero",
    "sswis.dhis2",
    "sswis.fhir",
    "sswis.reports",
    "sswis.demo",
    "sswis.backup",
    "sswis.web",
    "sswis.api",
]

MIDDLEWARE = [
    "django.middleware.security.SecurityMiddleware",
    "sswis.security.ContentSecurityPolicyMiddleware",
    "sswis.security.NoStoreMiddleware",
    "whitenoise.middleware.WhiteNoiseMiddleware",
    "django.contrib.sessions.middleware.SessionMiddleware",
    # The language: the browser's cookie or Accept-Language, else SSWIS_LANGUAGE ...
    "django.middleware.locale.LocaleMiddleware",
    "django.middleware.common.CommonMiddleware",
    "django.middleware.csrf.CsrfViewMiddleware",
    "django.contrib.auth.middleware.AuthenticationMiddleware",
    # ... unless the signed-in user has chosen one (kept in their session: no query).
    "sswis.web.middleware.UserLanguageMiddleware",
    # After authentication: the 400 page shows the menu of the signed-in user.
    "sswis.web.middleware.UnprintableRequestMiddleware",
    "django.contrib.messages.middleware.MessageMiddleware",
    "django.middleware.clickjacking.XFrameOptionsMiddleware",
    "simple_history.middleware.HistoryRequestMiddleware",
    "django_htmx.middleware.HtmxMiddleware",
    "sswis.web.middleware.DatabaseBusyMiddleware",
    # Axes must be last: it inspects the response of the login view.
    "axes.middleware.AxesMiddleware",
]

ROOT_URLCONF = "sswis.urls"
WSGI_APPLICATION = "sswis.wsgi.application"

TEMPLATES = [
    {
        "BACKEND": "django.template.backends.django.DjangoTemplates",
        "DIRS": [],
        "APP_DIRS": True,
        "OPTIONS": {
            "context_processors": [
                "django.template.context_processors.request",
                "django.template.context_processors.i18n",
                "django.contrib.auth.context_processors.auth",
                "django.contrib.messages.context_processors.messages",
                "sswis.access.context_processors.access_scope",
            ],
        },
    },
]


def postgresql_session_settings(config: dict[str, Any], *settings: str) -> None:
    """Add ``settings`` (``"name=value"``) to the session settings of a PostgreSQL database's ``config``
    (its ``OPTIONS["options"]``), after any the URL gives; a new connection starts with them."""
    options = dict(config.get("OPTIONS") or {})
    options["options"] = " ".join(
        filter(None, [options.get("options", ""), *(f"-c {setting}" for setting in settings)])
    )
    config["OPTIONS"] = options


def database_from_environment() -> dict[str, Any]:
    """Return the default database settings from ``SSWIS_DATABASE_URL`` or the embedded SQLite file."""
    url = os.environ.get("SSWIS_DATABASE_URL", "")
    if not url:
        DATA_DIR.mkdir(parents=True, exist_ok=True)
        url = f"sqlite:///{DATA_DIR / 'sswis.sqlite3'}"
    config: dict[str, Any] = dict(dj_database_url.parse(url, conn_max_age=60))
    # A kept connection is checked before each request reuses it: after the database server restarted
    # or ended the session, the request connects afresh instead of failing (docs/resilience.md).
    config["CONN_HEALTH_CHECKS"] = True
    if config["ENGINE"] == "django.db.backends.postgresql":
        # No JIT compilation in sswis's sessions: on a large registry PostgreSQL would compile the
        # dashboard's and the lists' queries, loading LLVM (about 50 MB) into every backend and parallel
        # worker that does, for queries that take milliseconds to plan and run (docs/load.md, memory).
        # Added to any options the URL gives (``?options=-c%20statement_timeout%3D5000``).
        postgresql_session_settings(config, "jit=off")
    if config["ENGINE"] == "django.db.backends.sqlite3":
        config["CONN_MAX_AGE"] = 0
        config["OPTIONS"] = {
            # WAL lets the web server read while an import or a background job writes.
            "init_command": "PRAGMA journal_mode=WAL; PRAGMA synchronous=NORMAL; PRAGMA busy_timeout=10000;",
            "transaction_mode": "IMMEDIATE",
        }
        config["TEST"] = {"NAME": None}
    return config


DATABASES = {"default": database_from_environment()}
DEFAULT_AUTO_FIELD = "django.db.models.BigAutoField"

AUTH_PASSWORD_VALIDATORS = [
    {"NAME": "django.contrib.auth.password_validation.UserAttributeSimilarityValidator"},
    {"NAME": "django.contrib.auth.password_validation.MinimumLengthValidator", "OPTIONS": {"min_length": 10}},
    {"NAME": "django.contrib.auth.password_validation.CommonPasswordValidator"},
    {"NAME": "django.contrib.auth.password_validation.NumericPasswordValidator"},
]
PASSWORD_HASHERS = [
    "django.contrib.auth.hashers.Argon2PasswordHasher",
    "django.contrib.auth.hashers.PBKDF2PasswordHasher",
]
AUTHENTICATION_BACKENDS = [
    "axes.backends.AxesStandaloneBackend",
    "django.contrib.auth.backends.ModelBackend",
]
AXES_FAILURE_LIMIT = 5
AXES_COOLOFF_TIME = 1  # hours
AXES_LOCKOUT_PARAMETERS = [["username", "ip_address"]]
AXES_RESET_ON_SUCCESS = True
AXES_LOCKOUT_TEMPLATE = "web/lockout.html"
# One address is also locked out, for every user name, after this many failures within the cool-off
# period, whatever user names they tried (sswis/lockout.py, docs/security.md).
SSWIS_LOGIN_FAILURE_LIMIT_PER_ADDRESS = int(os.environ.get("SSWIS_LOGIN_FAILURE_LIMIT_PER_ADDRESS", 100))
AXES_HANDLER = "sswis.lockout.AddressLimitHandler"
AXES_LOCKOUT_CALLABLE = "sswis.lockout.lockout_response"

LOGIN_URL = "web:login"
LOGIN_REDIRECT_URL = "web:dashboard"
LOGOUT_REDIRECT_URL = "web:login"

# The languages of the interface, each named in itself (the chooser shows them so). Until a user chooses,
# the browser's Accept-Language decides, then SSWIS_LANGUAGE (docs/languages.md).
LANGUAGES = [
    ("en", "English"),
    ("fr", "Français"),
    ("pt", "Português"),
    ("es", "Español"),
    ("ar", "العربية"),
    ("sw", "Kiswahili"),
]
LANGUAGE_CODE = os.environ.get("SSWIS_LANGUAGE", "en")
if LANGUAGE_CODE not in {code for code, _ in LANGUAGES}:
    raise ImproperlyConfigured(
        f"SSWIS_LANGUAGE is {LANGUAGE_CODE!r}; choose one of: {', '.join(code for code, _ in LANGUAGES)}."
    )
LOCALE_PATHS = [PACKAGE_DIR / "locale"]
# Arabic pages write numbers in Arabic-Indic digits (٠١٢٣), as the Arabic locale does; countries that write
# Arabic with Latin digits (the Maghreb) set SSWIS_LATIN_DIGITS=1 (sswis/presentation/number_text.py).
LATIN_DIGITS = os.environ.get("SSWIS_LATIN_DIGITS", "0") == "1"
FORMAT_MODULE_PATH = ["sswis.formats"]  # dates and numbers where Django's own do not suit (sswis/formats)
LANGUAGE_COOKIE_NAME = "sswis_language"
LANGUAGE_COOKIE_AGE = 365 * 24 * 3600
LANGUAGE_COOKIE_SAMESITE = "Lax"
LANGUAGE_COOKIE_HTTPONLY = True
TIME_ZONE = os.environ.get("SSWIS_TIME_ZONE", "UTC")
USE_I18N = True
USE_TZ = True

STATIC_URL = "/static/"
STATIC_ROOT = Path(os.environ.get("SSWIS_STATIC_ROOT", DATA_DIR / "static"))
STORAGES = {
    "default": {"BACKEND": "django.core.files.storage.FileSystemStorage"},
    "staticfiles": {"BACKEND": "django.contrib.staticfiles.storage.StaticFilesStorage"},
}
MEDIA_ROOT = DATA_DIR / "media"

SESSION_COOKIE_HTTPONLY = True
SESSION_COOKIE_SAMESITE = "Lax"
CSRF_COOKIE_SAMESITE = "Lax"
X_FRAME_OPTIONS = "DENY"
SECURE_CONTENT_TYPE_NOSNIFF = True
SECURE_REFERRER_POLICY = "same-origin"

# Content security policy: everything is served from this host (no CDN, works on an intranet).
SSWIS_CONTENT_SECURITY_POLICY = (
    "default-src 'self'; img-src 'self' data:; style-src 'self'; script-src 'self'; "
    "font-src 'self'; connect-src 'self'; frame-ancestors 'none'; base-uri 'self'; form-action 'self'"
)

# Computed years of indicators (sswis/indicators/cache.py: kept until their data change, never stale).
# Memory of each process here (production: files of the data folder, shared by every process of the
# server: settings/production.py), at most SSWIS_INDICATOR_CACHE_ENTRIES years x split x area.
CACHES = {
    "default": {"BACKEND": "django.core.cache.backends.locmem.LocMemCache", "LOCATION": "default"},
    "indicators": {
        "BACKEND": "django.core.cache.backends.locmem.LocMemCache",
        "LOCATION": "indicators",
        "TIMEOUT": 24 * 60 * 60,
        "OPTIONS": {"MAX_ENTRIES": int(os.environ.get("SSWIS_INDICATOR_CACHE_ENTRIES", 256))},
    },
}

REST_FRAMEWORK = {
    "DEFAULT_AUTHENTICATION_CLASSES": [
        "knox.auth.TokenAuthentication",
        "rest_framework.authentication.SessionAuthentication",
    ],
    "DEFAULT_PERMISSION_CLASSES": ["rest_framework.permissions.IsAuthenticated"],
    "DEFAULT_PAGINATION_CLASS": "rest_framework.pagination.PageNumberPagination",
    "PAGE_SIZE": 50,
    "DEFAULT_FILTER_BACKENDS": ["django_filters.rest_framework.DjangoFilterBackend"],
    "DEFAULT_SCHEMA_CLASS": "sswis.api.schema.ApiAutoSchema",
}
SPECTACULAR_SETTINGS = {
    "TITLE": "sswis API",
    "DESCRIPTION": "Social service workforce registry and indicators.",
    "VERSION": "1.0.0",
    "SERVE_INCLUDE_SCHEMA": False,
    "SWAGGER_UI_DIST": "SIDECAR",
    "SWAGGER_UI_FAVICON_HREF": "SIDECAR",
    "REDOC_DIST": "SIDECAR",
    # Two fields named "status" (an import's, a public register entry's): each enum keeps a name of its own.
    "ENUM_NAME_OVERRIDES": {
        "StatusEnum": "sswis.imports.models.ImportStatus",
        "PublicRegistrationStatusEnum": "sswis.api.public_serializers.PUBLIC_STATUS_CHOICES",
        # Two fields named "kind" (a training institution's, a programme's).
        "InstitutionKindEnum": "sswis.training.models.InstitutionKind",
        "ProgrammeKindEnum": "sswis.training.models.ProgrammeKind",
        # A worker's education level and the level a programme awards: one choice set, one name.
        "EducationLevelEnum": "sswis.registry.models.EducationLevel",
        # The kind of a worker's membership of a professional association.
        "MembershipKindEnum": "sswis.support.models_associations.MembershipKind",
        # Supervision's "kind" and "mode" (beside a programme's kind and an import's mode).
        "SupervisionKindEnum": "sswis.support.models.SupervisionKind",
        "SupervisionModeEnum": "sswis.support.models.SupervisionMode",
        "ModeEnum": "sswis.imports.modes.ImportMode",
        # The quality score's criteria (a score's criterion, a year's missing ones), an instrument's kind
        # and status.
        "CriterionEnum": "sswis.quality.models.Criterion",
        "InstrumentKindEnum": "sswis.quality.models.InstrumentKind",
        "InstrumentStatusEnum": "sswis.quality.models.InstrumentStatus",
        # Where a background run was asked from, and a profile's status (the same sets as a Primero sync's).
        "RunOriginEnum": "sswis.reports.models.ReportOrigin",
        "RunStatusEnum": "sswis.reports.models.ReportStatus",
        # A DHIS2 push: its message format and its outcome.
        "Dhis2FormatEnum": "sswis.dhis2.models.PushFormat",
        "Dhis2PushStatusEnum": "sswis.dhis2.models.PushStatus",
    },
}

# API tokens (django-rest-knox): only a SHA-512 digest is stored, the token is shown once when it is made.
# A token expires this many days after it was made (at least 1); `sswis api_token create --expires-in`
# may choose another period for one token. See docs/security.md.
SSWIS_API_TOKEN_TTL_DAYS = max(1, int(os.environ.get("SSWIS_API_TOKEN_TTL_DAYS", 30)))
REST_KNOX = {
    "TOKEN_TTL": datetime.timedelta(days=SSWIS_API_TOKEN_TTL_DAYS),
    "AUTH_HEADER_PREFIX": "Token",
    "AUTO_REFRESH": False,
}

TASKS = {"default": {"BACKEND": "django_tasks_db.DatabaseBackend"}}

# The Primero (CPIMS+) server whose open cases the sync page reads (``docs/support.md``, "Caseloads from
# Primero"); its service account is SSWIS_PRIMERO_USERNAME / SSWIS_PRIMERO_PASSWORD, read when a sync runs.
# Empty: the page cannot run a sync (the command line names the server with --url).
SSWIS_PRIMERO_URL = os.environ.get("SSWIS_PRIMERO_URL", "").strip()

# Upper bound for an uploaded or imported template file (a CSV file, a member of a zip, a workbook, a zip).
SSWIS_IMPORT_MAX_BYTES = int(os.environ.get("SSWIS_IMPORT_MAX_BYTES", 200 * 1024 * 1024))
# Limits against files built to overwhelm the server (see sswis/imports/safety.py): what one source may
# unpack to in all, how much a member of a zip or workbook may be compressed, how many members it may have.
SSWIS_IMPORT_MAX_TOTAL_BYTES = int(os.environ.get("SSWIS_IMPORT_MAX_TOTAL_BYTES", 2 * 1024 * 1024 * 1024))
SSWIS_IMPORT_MAX_COMPRESSION_RATIO = int(os.environ.get("SSWIS_IMPORT_MAX_COMPRESSION_RATIO", 100))
SSWIS_IMPORT_MAX_ARCHIVE_MEMBERS = int(os.environ.get("SSWIS_IMPORT_MAX_ARCHIVE_MEMBERS", 1000))
# These limits are read only through sswis.imports.safety.limits_current(): 0 means the default, never
# "no limit". A running import whose heartbeat file is older than this is shown as interrupted (its
# worker died); see sswis.imports.services.import_records_interrupted_mark.
SSWIS_IMPORT_STALE_SECONDS = int(os.environ.get("SSWIS_IMPORT_STALE_SECONDS", 300))

# Small cells (contract indicators.md): readers who see aggregates only never get a figure describing
# 1 to SSWIS_SMALL_CELL_MIN - 1 people by a personal attribute (see sswis/indicators/disclosure.py).
SSWIS_SMALL_CELL_MIN = int(os.environ.get("SSWIS_SMALL_CELL_MIN", 5))

# Districts (contract quality-score.md): the locations at this depth of the tree, the root being 0
# (country > region > district). The practicum's places and students are counted per district.
SSWIS_REPORTING_DEPTH = int(os.environ.get("SSWIS_REPORTING_DEPTH", 2))

# The public register (docs/regulation.md): searches per client address (the address django-axes uses,
# sswis/security.py), counted in the default cache by django-ratelimit: per server process with the
# local-memory cache, so a deployment with several processes names a shared cache (memcached, Redis) in
# CACHES; and whether search engines may index it (by default they are asked not to).
SSWIS_PUBLIC_REGISTER_RATE = os.environ.get("SSWIS_PUBLIC_REGISTER_RATE", "30/m")
SSWIS_PUBLIC_REGISTER_INDEXABLE = os.environ.get("SSWIS_PUBLIC_REGISTER_INDEXABLE", "0") == "1"
RATELIMIT_USE_CACHE = "default"

LOGGING = {
    "version": 1,
    "disable_existing_loggers": False,
    "handlers": {"console": {"class": "logging.StreamHandler"}},
    "root": {"handlers": ["console"], "level": os.environ.get("SSWIS_LOG_LEVEL", "WARNING")},
}

# Serve static files straight from the installed apps, so `sswis runserver` and a WSGI server work without
# a collectstatic step on the embedded set-up; production collects them (see README).
WHITENOISE_USE_FINDERS = True

# E-mail (licence reminders): printed on the console unless a country sets its mail server.
EMAIL_BACKEND = os.environ.get("SSWIS_EMAIL_BACKEND", "django.core.mail.backends.console.EmailBackend")
EMAIL_HOST = os.environ.get("SSWIS_EMAIL_HOST", "localhost")
EMAIL_PORT = int(os.environ.get("SSWIS_EMAIL_PORT", 25))
EMAIL_HOST_USER = os.environ.get("SSWIS_EMAIL_USER", "")
EMAIL_HOST_PASSWORD = os.environ.get("SSWIS_EMAIL_PASSWORD", "")
EMAIL_USE_TLS = os.environ.get("SSWIS_EMAIL_TLS", "0") == "1"
DEFAULT_FROM_EMAIL = os.environ.get("SSWIS_EMAIL_FROM", "sswis@localhost")
# Days before a licence's last day on which its holder is reminded by e-mail (the daily job).
SSWIS_LICENCE_REMINDER_DAYS = tuple(
    int(days) for days in os.environ.get("SSWIS_LICENCE_REMINDER_DAYS", "30,7").split(",") if days.strip()
)

# SMS through RapidPro (docs/support.md, "SMS through RapidPro"): the country calling code that turns a
# national phone number (0712 345 678) into an international one (255712345678) when phones are matched.
SSWIS_PHONE_COUNTRY_CODE = os.environ.get("SSWIS_PHONE_COUNTRY_CODE", "255")
