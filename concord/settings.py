"""Concord's one settings file, driven by environment variables.

SQLite under ``var/`` is the embedded default; ``DATABASE_URL`` switches to PostgreSQL. Production sets
``DEBUG=0``, ``SECRET_KEY``, ``ALLOWED_HOSTS`` (and serves over HTTPS); ``manage.py check --deploy`` is clean
with those. Nothing here depends on who imports it: the test suite chooses its own environment in
``concord/settings_test.py``.
"""

from __future__ import annotations

import os
from pathlib import Path

import dj_database_url
from csp.constants import NONE, SELF
from django.core.exceptions import ImproperlyConfigured
from django.utils.translation import gettext_lazy as _


def envbool(name: str, default: bool) -> bool:
    value = os.getenv(name)
    if value is None or value == "":
        return default
    return value.strip().lower() in {"1", "true", "yes", "on"}


def envint(name: str, default: int) -> int:
    value = os.getenv(name)
    return int(value) if value not in (None, "") else default


def envlist(name: str, default: str) -> list[str]:
    return [item.strip() for item in os.getenv(name, default).split(",") if item.strip()]


BASE_DIR = Path(__file__).resolve().parent.parent
VAR_DIR = Path(os.getenv("CONCORD_VAR_DIR", BASE_DIR / "var"))

DEBUG = envbool("DEBUG", False)
SECRET_KEY = os.getenv("SECRET_KEY", "")
if not SECRET_KEY:
    if DEBUG:
        SECRET_KEY = "insecure-development-key-never-use-in-production-0123456789"  # noqa: S105
    else:
        raise ImproperlyConfigured(
            "SECRET_KEY is not set. Set the SECRET_KEY environment variable (50+ random characters), "
            "or DEBUG=1 for local development. `concord demo` creates one under var/."
        )

ALLOWED_HOSTS = envlist("ALLOWED_HOSTS", "127.0.0.1,localhost")
CSRF_TRUSTED_ORIGINS = envlist("CSRF_TRUSTED_ORIGINS", "")
SITE_URL = os.getenv("SITE_URL", "http://127.0.0.1:8000")

# HTTPS: on by default outside debug. The local demo serves plain HTTP on loopback and turns it off.
HTTPS = envbool("HTTPS", not DEBUG)
SESSION_COOKIE_SECURE = HTTPS
CSRF_COOKIE_SECURE = HTTPS
SECURE_SSL_REDIRECT = HTTPS and envbool("SECURE_SSL_REDIRECT", True)
SECURE_HSTS_SECONDS = envint("SECURE_HSTS_SECONDS", 31536000) if HTTPS else 0
SECURE_HSTS_INCLUDE_SUBDOMAINS = HTTPS
SECURE_HSTS_PRELOAD = HTTPS and envbool("SECURE_HSTS_PRELOAD", True)
SECURE_PROXY_SSL_HEADER = ("HTTP_X_FORWARDED_PROTO", "https") if envbool("BEHIND_PROXY", False) else None
SECURE_CONTENT_TYPE_NOSNIFF = True
SECURE_REFERRER_POLICY = "same-origin"
SECURE_CROSS_ORIGIN_OPENER_POLICY = "same-origin"
X_FRAME_OPTIONS = "DENY"
SESSION_COOKIE_HTTPONLY = True
SESSION_COOKIE_SAMESITE = "Lax"
SESSION_COOKIE_AGE = envint("SESSION_COOKIE_AGE", 8 * 3600)
CSRF_COOKIE_HTTPONLY = True

INSTALLED_APPS = [
    "concord.admin_apps.ConcordAdminConfig",
    "django.contrib.auth",
    "django.contrib.contenttypes",
    "django.contrib.sessions",
    "django.contrib.messages",
    "whitenoise.runserver_nostatic",
    "django.contrib.staticfiles",
    "django.contrib.humanize",
    "django_otp",
    "django_otp.plugins.otp_totp",
    "django_otp.plugins.otp_static",
    "axes",
    "csp",
    "django_htmx",
    "ninja",
    "django_tasks",
    "django_tasks_db",
    "concord.accounts",
    "concord.audit",
    "concord.core",
    "concord.library",
    "concord.harmonize",
    "concord.directory",
    "concord.knowledge",
    "concord.secretariat",
    "concord.commitments",
    "concord.reporting",
    "concord.minutes",
    "concord.talent",
    "concord.programmes",
    "concord.notices",
    "concord.api",
]

MIDDLEWARE = [
    "django.middleware.security.SecurityMiddleware",
    "concord.api.middleware.ApiEdgeMiddleware",
    "concord.core.middleware.StripNulMiddleware",
    "whitenoise.middleware.WhiteNoiseMiddleware",
    "django.contrib.sessions.middleware.SessionMiddleware",
    "django.middleware.locale.LocaleMiddleware",
    "django.middleware.common.CommonMiddleware",
    "django.middleware.csrf.CsrfViewMiddleware",
    "django.contrib.auth.middleware.AuthenticationMiddleware",
    "django_otp.middleware.OTPMiddleware",
    "concord.accounts.middleware.RequireTwoFactorMiddleware",
    "django.contrib.messages.middleware.MessageMiddleware",
    "django.middleware.clickjacking.XFrameOptionsMiddleware",
    "csp.middleware.CSPMiddleware",
    "django_htmx.middleware.HtmxMiddleware",
    "concord.audit.middleware.AuditContextMiddleware",
    "axes.middleware.AxesMiddleware",
]

ROOT_URLCONF = "concord.urls"
WSGI_APPLICATION = "concord.wsgi.application"

TEMPLATES = [
    {
        "BACKEND": "django.template.backends.django.DjangoTemplates",
        "DIRS": [BASE_DIR / "concord" / "templates"],
        "APP_DIRS": True,
        "OPTIONS": {
            "context_processors": [
                "django.template.context_processors.request",
                "django.contrib.auth.context_processors.auth",
                "django.contrib.messages.context_processors.messages",
                "django.template.context_processors.i18n",
                "concord.core.context_processors.concord",
                "concord.notices.context_processors.notices",
            ],
        },
    },
]

# Database: SQLite file by default, PostgreSQL through DATABASE_URL.
_default_db = f"sqlite:///{VAR_DIR / 'concord.sqlite3'}"
DATABASES = {"default": dj_database_url.parse(os.getenv("DATABASE_URL") or _default_db, conn_max_age=60)}
if DATABASES["default"]["ENGINE"] == "django.db.backends.sqlite3":
    if DATABASES["default"]["NAME"] not in ("", ":memory:"):
        Path(DATABASES["default"]["NAME"]).parent.mkdir(parents=True, exist_ok=True)
    # WAL lets the web server read while the worker writes; IMMEDIATE avoids lock upgrade deadlocks.
    DATABASES["default"]["OPTIONS"] = {
        "init_command": "PRAGMA journal_mode=WAL; PRAGMA synchronous=NORMAL; PRAGMA foreign_keys=ON;",
        "transaction_mode": "IMMEDIATE",
        "timeout": 30,
    }
    DATABASES["default"]["CONN_MAX_AGE"] = 0
DEFAULT_AUTO_FIELD = "django.db.models.BigAutoField"

AUTH_USER_MODEL = "accounts.User"
AUTHENTICATION_BACKENDS = [
    "axes.backends.AxesStandaloneBackend",
    "django.contrib.auth.backends.ModelBackend",
]
AUTH_PASSWORD_VALIDATORS = [
    {"NAME": "django.contrib.auth.password_validation.UserAttributeSimilarityValidator"},
    {"NAME": "django.contrib.auth.password_validation.MinimumLengthValidator", "OPTIONS": {"min_length": 12}},
    {"NAME": "django.contrib.auth.password_validation.CommonPasswordValidator"},
    {"NAME": "django.contrib.auth.password_validation.NumericPasswordValidator"},
]
if os.getenv("PASSWORD_HASHERS"):  # else Django's default list (PBKDF2 first)
    PASSWORD_HASHERS = envlist("PASSWORD_HASHERS", "")
LOGIN_URL = "accounts:login"
LOGIN_REDIRECT_URL = "core:home"
LOGOUT_REDIRECT_URL = "core:home"

# Two-factor authentication: required for these roles (the local demo turns it off).
CONCORD_REQUIRE_2FA = envbool("CONCORD_REQUIRE_2FA", True)
CONCORD_2FA_ROLES = ("secretariat", "delegate")
OTP_TOTP_ISSUER = "Concord"

# Log-in rate limiting (django-axes).
AXES_FAILURE_LIMIT = envint("AXES_FAILURE_LIMIT", 5)
AXES_COOLOFF_TIME = 0.25  # hours
AXES_LOCKOUT_PARAMETERS = [["username", "ip_address"]]
AXES_RESET_ON_SUCCESS = True
AXES_LOCKOUT_TEMPLATE = "accounts/locked_out.html"
AXES_VERBOSE = False
AXES_USERNAME_FORM_FIELD = "username"

# Content Security Policy: nothing from the internet, no inline script or style.
CONTENT_SECURITY_POLICY = {
    "DIRECTIVES": {
        "default-src": [SELF],
        "script-src": [SELF],
        "style-src": [SELF],
        "img-src": [SELF, "data:"],
        "font-src": [SELF],
        "connect-src": [SELF],
        "object-src": [NONE],
        "base-uri": [SELF],
        "form-action": [SELF],
        "frame-ancestors": [NONE],
    },
}

LANGUAGE_CODE = "en"
LANGUAGES = [("en", _("English")), ("ms", _("Malay")), ("ur", _("Urdu"))]
LANGUAGES_BIDI = ["ur"]
LOCALE_PATHS = [BASE_DIR / "concord" / "locale"]
TIME_ZONE = os.getenv("TIME_ZONE", "Asia/Kuala_Lumpur")
USE_I18N = True
USE_TZ = True

STATIC_URL = "/static/"
STATIC_ROOT = Path(os.getenv("STATIC_ROOT", VAR_DIR / "static"))
STATICFILES_DIRS = [BASE_DIR / "concord" / "static"]
# Static files come from the source folders in debug (and in tests); otherwise from `collectstatic`'s
# compressed, fingerprinted copies.
STATIC_FROM_SOURCE = envbool("CONCORD_STATIC_FROM_SOURCE", DEBUG)
STORAGES = {
    "default": {"BACKEND": "django.core.files.storage.FileSystemStorage"},
    "staticfiles": {
        "BACKEND": "django.contrib.staticfiles.storage.StaticFilesStorage"
        if STATIC_FROM_SOURCE
        else "whitenoise.storage.CompressedManifestStaticFilesStorage"
    },
}
WHITENOISE_USE_FINDERS = STATIC_FROM_SOURCE
MEDIA_ROOT = Path(os.getenv("MEDIA_ROOT", VAR_DIR / "media"))
MEDIA_URL = "/media/"

# Uploads: the library's limit is CONCORD_MAX_UPLOAD_BYTES; Django streams larger bodies to disk.
CONCORD_MAX_UPLOAD_BYTES = envint("CONCORD_MAX_UPLOAD_BYTES", 50 * 1024 * 1024)
# Originals of deleted documents stay this many days (to undo a mistake), then the daily chore removes them.
CONCORD_ORIGINAL_RETENTION_DAYS = envint("CONCORD_ORIGINAL_RETENTION_DAYS", 30)
# Limits by meaning: a document's text over this many characters is refused (E204), at upload for text
# files and before segmenting for the rest; a longer provision is split into numbered parts.
CONCORD_MAX_DOCUMENT_CHARS = envint("CONCORD_MAX_DOCUMENT_CHARS", 5_000_000)
CONCORD_MAX_PROVISION_CHARS = envint("CONCORD_MAX_PROVISION_CHARS", 20_000)
DATA_UPLOAD_MAX_MEMORY_SIZE = 5 * 1024 * 1024
FILE_UPLOAD_MAX_MEMORY_SIZE = 5 * 1024 * 1024

# Background tasks: django-tasks on the database (no extra server), or "immediate": run in the caller's
# process as they are queued (the tests).
TASK_BACKENDS = {
    "database": "django_tasks_db.DatabaseBackend",
    "immediate": "django_tasks.backends.immediate.ImmediateBackend",
}
_tasks = os.getenv("CONCORD_TASKS_BACKEND") or "database"
if _tasks not in TASK_BACKENDS:
    raise ImproperlyConfigured(
        f"CONCORD_TASKS_BACKEND={_tasks!r} is not a task backend: use one of {', '.join(TASK_BACKENDS)}."
    )
TASKS = {"default": {"BACKEND": TASK_BACKENDS[_tasks]}}
# A running task holds a lease that its worker renews while it lives. A lease left to expire (the worker was
# killed) is taken back by any worker: the task is queued again, up to CONCORD_TASK_MAX_ATTEMPTS runs in all,
# then failed with a message that says so.
CONCORD_TASK_LEASE_SECONDS = envint("CONCORD_TASK_LEASE_SECONDS", 120)
CONCORD_TASK_MAX_ATTEMPTS = envint("CONCORD_TASK_MAX_ATTEMPTS", 3)
if CONCORD_TASK_LEASE_SECONDS < 1 or CONCORD_TASK_MAX_ATTEMPTS < 1:
    raise ImproperlyConfigured("CONCORD_TASK_LEASE_SECONDS and CONCORD_TASK_MAX_ATTEMPTS must be 1 or more.")

# The text encoder used for embeddings: "e5" (multilingual-e5-small, bundled) or "hashing" (tests).
CONCORD_ENCODER = os.getenv("CONCORD_ENCODER") or "e5"

EMAIL_BACKEND = os.getenv("EMAIL_BACKEND", "django.core.mail.backends.console.EmailBackend")
DEFAULT_FROM_EMAIL = os.getenv("DEFAULT_FROM_EMAIL", "concord@localhost")

LOGGING = {
    "version": 1,
    "disable_existing_loggers": False,
    "handlers": {"console": {"class": "logging.StreamHandler"}},
    "root": {"handlers": ["console"], "level": os.getenv("LOG_LEVEL", "WARNING")},
}

CONCORD_API_PAGE_SIZE = 50
CONCORD_API_MAX_PAGE_SIZE = 200
CSRF_FAILURE_VIEW = "concord.core.views.csrf_failure"
