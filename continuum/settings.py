"""Continuum's one settings module, configured by environment variables.

Production differs from the demo and the tests by environment, not by code:

- ``DATABASE_URL``: defaults to an embedded SQLite file under ``var/``; PostgreSQL
  (psycopg 3) when it names one, e.g. ``postgres://postgres@127.0.0.1:5432/test``.
- ``SECRET_KEY``: required in production (a system check refuses the insecure default
  unless ``DEBUG`` or ``CONTINUUM_DEMO`` is on).
- ``DEBUG``, ``CONTINUUM_DEMO``, ``ALLOWED_HOSTS``, ``SESSION_IDLE_SECONDS``.
- A deployment's own (issue 16, docs/deploy.md): ``LOG_FORMAT``, ``SESSION_ENGINE``,
  ``VAR_DIR``, ``STATIC_ROOT``, ``DATABASE_CONN_MAX_AGE``; the web server's in
  deploy/gunicorn.conf.py.
"""

import os
from pathlib import Path
from typing import Any

import environ
from django.core.exceptions import ImproperlyConfigured

from continuum.logs import logging_config

BASE_DIR = Path(__file__).resolve().parent.parent
# Writable files (the SQLite database, collected static files, documents): var/ beside the
# code, or VAR_DIR (an installed package's own folder is not writable; docs/deploy.md).
VAR_DIR = Path(os.environ.get("VAR_DIR") or BASE_DIR / "var")

env = environ.Env()

INSECURE_SECRET_KEY = "insecure-continuum-key-for-demo-and-tests-only"  # noqa: S105

DEBUG = env.bool("DEBUG", default=False)
# Demo mode: the demo sign-ins' shared password works only when this is on.
CONTINUUM_DEMO = env.bool("CONTINUUM_DEMO", default=False)
SECRET_KEY = env.str("SECRET_KEY", default=INSECURE_SECRET_KEY)
ALLOWED_HOSTS = env.list("ALLOWED_HOSTS", default=["127.0.0.1", "localhost", "testserver"])
CSRF_TRUSTED_ORIGINS = env.list("CSRF_TRUSTED_ORIGINS", default=[])

INSTALLED_APPS = [
    "continuum.web.admin_apps.ContinuumAdminConfig",  # django.contrib.admin, our sign-in
    "django.contrib.auth",
    "django.contrib.contenttypes",
    "django.contrib.sessions",
    "django.contrib.messages",
    "whitenoise.runserver_nostatic",
    "django.contrib.staticfiles",
    "django.contrib.humanize",
    # Issue 16 (person search): PostgreSQL's trigram lookups; harmless on SQLite.
    "django.contrib.postgres",
    "simple_history",
    # The second factor (issue 10): authenticator apps, recovery codes, security keys.
    "django_otp",
    "django_otp.plugins.otp_totp",
    "django_otp.plugins.otp_static",
    "django_otp_webauthn",
    "ninja",
    # Background work (decision 0013): Django's tasks API, the database backend.
    "django_tasks",
    "django_tasks_db",
    "continuum.organisations",
    "continuum.accounts",
    "continuum.people",
    "continuum.thresholds",
    "continuum.access",
    "continuum.audit",
    "continuum.front_door",
    "continuum.early_help",
    "continuum.statutory",
    # Issue 11: files in (census, partner feeds) and what schools tell us.
    "continuum.imports",
    "continuum.education",
    "continuum.returns",
    # Issue 12: case notes on an episode or a contact.
    "continuum.case_notes",
    "continuum.performance",
    "continuum.web",
    "continuum.ui",
    "continuum.demo",
    # Issue 10, single sign-on (OpenID Connect), decision 0006.
    "continuum.single_sign_on",
    "continuum.documents",
    # Issue 12: notifications in the app and by email (GOV.UK Notify), the work tray.
    "continuum.notifications",
    "continuum.work",
    # Issue 13: consent, retention and disposal, data protection rights, backups.
    "continuum.consent",
    "continuum.retention",
    "continuum.rights",
    "continuum.backups",
    # Issue 14: case audits across councils, threshold consistency, local programmes.
    "continuum.case_audits",
    "continuum.programmes",
    # Issue 15: joint front doors under data-sharing agreements; early help spending.
    "continuum.hubs",
    "continuum.spending",
]

MIDDLEWARE = [
    # Issue 16: the request id first, so every log line of a request carries it; then the
    # health probes, answered before the host check, HTTPS redirect, sessions and sign-in
    # (continuum/web/health.py).
    "continuum.audit.middleware.RequestIdMiddleware",
    "continuum.web.health.HealthProbeMiddleware",
    "django.middleware.security.SecurityMiddleware",
    "whitenoise.middleware.WhiteNoiseMiddleware",
    "django.contrib.sessions.middleware.SessionMiddleware",
    "django.middleware.common.CommonMiddleware",
    "django.middleware.csrf.CsrfViewMiddleware",
    "django.contrib.auth.middleware.AuthenticationMiddleware",
    "continuum.accounts.middleware.SessionTimeoutMiddleware",
    "django_otp.middleware.OTPMiddleware",
    "continuum.accounts.middleware.SecondFactorMiddleware",
    "django.contrib.messages.middleware.MessageMiddleware",
    "django.middleware.clickjacking.XFrameOptionsMiddleware",
    "continuum.web.middleware.SecurityHeadersMiddleware",
    "continuum.web.middleware.AdminAddressMiddleware",
    "simple_history.middleware.HistoryRequestMiddleware",
    # Refuses input no database can store before any view reads it (issue 10, finding 14);
    # innermost, so its refusals carry the security headers too.
    "continuum.web.middleware.InputGuardMiddleware",
]

ROOT_URLCONF = "continuum.urls"

TEMPLATES = [
    {
        "BACKEND": "django.template.backends.django.DjangoTemplates",
        "DIRS": [BASE_DIR / "continuum" / "templates"],
        "APP_DIRS": True,
        "OPTIONS": {
            "context_processors": [
                "django.template.context_processors.request",
                "django.contrib.auth.context_processors.auth",
                "django.contrib.messages.context_processors.messages",
                "continuum.web.context_processors.service",
            ],
            # Dates in GOV.UK style in every template, one way (continuum/ui/dates.py).
            "builtins": ["continuum.ui.templatetags.govuk_dates"],
        },
    },
]

WSGI_APPLICATION = "continuum.wsgi.application"

VAR_DIR.mkdir(parents=True, exist_ok=True)
DATABASES = {
    "default": env.db_url("DATABASE_URL", default=f"sqlite:///{VAR_DIR / 'continuum.sqlite3'}"),
}
DATABASES["default"]["ATOMIC_REQUESTS"] = False
if DATABASES["default"]["ENGINE"] == "django.db.backends.sqlite3":
    DATABASES["default"].setdefault("OPTIONS", {})
    # Writes one at a time: a transaction takes the write lock when it starts (BEGIN
    # IMMEDIATE), and another waits up to ``timeout`` seconds for it rather than failing
    # with "database is locked"; it then sees the first one's change, so the services'
    # own refusals (409, "already decided") answer the second (issue 10, finding 14).
    DATABASES["default"]["OPTIONS"].update({"timeout": 20, "transaction_mode": "IMMEDIATE"})
    # A file, not memory, so browser tests' live server shares it; named after the database.
    _db_name = Path(str(DATABASES["default"]["NAME"]))
    DATABASES["default"]["TEST"] = {"NAME": str(_db_name.with_name(f"test-{_db_name.name}"))}
DEFAULT_AUTO_FIELD = "django.db.models.BigAutoField"

# Background tasks (decision 0013): Django's tasks API (the django-tasks backport) with its
# database backend; `manage.py db_worker` runs them (`make demo` starts one).
TASKS = {"default": {"BACKEND": "django_tasks_db.DatabaseBackend"}}
# Uploads: a request body larger than this is refused before it is read (the imports' own
# limits, per kind of file, are checked as a file streams to disk, above this size).
DATA_UPLOAD_MAX_MEMORY_SIZE = 2_621_440
# Files larger than this go to a temporary file, never held in memory whole.
FILE_UPLOAD_MAX_MEMORY_SIZE = 2_621_440

# Demo mode refuses to start with production settings (issue 10, finding 16).
if CONTINUUM_DEMO:
    from django.core.exceptions import ImproperlyConfigured

    from continuum.web.demo_mode import production_settings

    _production = production_settings(
        secret_key=SECRET_KEY,
        insecure_secret_key=INSECURE_SECRET_KEY,
        allowed_hosts=ALLOWED_HOSTS,
        database_engine=str(DATABASES["default"]["ENGINE"]),
        database_name=str(DATABASES["default"]["NAME"]),
    )
    if _production:
        raise ImproperlyConfigured(
            "Demo mode (CONTINUUM_DEMO) refuses to start with production settings: "
            + "; ".join(_production)
            + ". Turn CONTINUUM_DEMO off, or run the demo as `make demo` does."
        )

AUTH_USER_MODEL = "accounts.User"
AUTHENTICATION_BACKENDS = [
    "django.contrib.auth.backends.ModelBackend",
    "continuum.accounts.backends.DemoPasswordBackend",
]
# The demo sign-ins' shared password; the backend ignores it unless CONTINUUM_DEMO is on.
DEMO_PASSWORD = env.str("DEMO_PASSWORD", default="early-help-demo")
LOGIN_URL = "accounts:sign-in"
LOGIN_REDIRECT_URL = "web:home"
LOGOUT_REDIRECT_URL = "accounts:sign-in"
AUTH_PASSWORD_VALIDATORS = [
    {"NAME": "django.contrib.auth.password_validation.UserAttributeSimilarityValidator"},
    {
        "NAME": "django.contrib.auth.password_validation.MinimumLengthValidator",
        "OPTIONS": {"min_length": 12},
    },
    {"NAME": "django.contrib.auth.password_validation.CommonPasswordValidator"},
    {"NAME": "django.contrib.auth.password_validation.NumericPasswordValidator"},
]

LANGUAGE_CODE = "en-gb"
TIME_ZONE = "Europe/London"
USE_I18N = True
USE_TZ = True

STATIC_URL = "/assets/"
STATIC_ROOT = Path(env.str("STATIC_ROOT", default=str(VAR_DIR / "static")))
STATIC_ROOT.mkdir(parents=True, exist_ok=True)
# Needed only where assets are collected or found (the demo, collectstatic in an image build).
NODE_MODULES = Path(env.str("NODE_MODULES_DIR", default=str(BASE_DIR / "node_modules")))
# GOV.UK Frontend and MOJ Frontend are installed by npm (never committed); their CSS
# refers to fonts and images under /assets/, so both asset folders are served there.
STATICFILES_DIRS = [
    ("", NODE_MODULES / "govuk-frontend" / "dist" / "govuk" / "assets"),
    ("", NODE_MODULES / "@ministryofjustice" / "frontend" / "moj" / "assets"),
    ("govuk", NODE_MODULES / "govuk-frontend" / "dist" / "govuk"),
    ("moj", NODE_MODULES / "@ministryofjustice" / "frontend" / "moj"),
    # Continuum's own CSS and JavaScript (continuum/continuum.css, init.mjs, ...).
    BASE_DIR / "continuum" / "static",
]
if not NODE_MODULES.is_dir() and (STATIC_ROOT / "govuk").is_dir():
    # An installed image (issue 16): the assets were collected at build time and
    # node_modules is gone; only Continuum's own folder is left to find.
    STATICFILES_DIRS = STATICFILES_DIRS[-1:]
STORAGES = {
    "default": {"BACKEND": "django.core.files.storage.FileSystemStorage"},
    "staticfiles": {"BACKEND": "django.contrib.staticfiles.storage.StaticFilesStorage"},
}

# --- Documents (issue 12; continuum/documents, docs/documents.md) ----------------------------
# Kept through their own storage, "documents": never under STATIC or MEDIA, never served from
# a URL, downloaded only through the app. The filesystem (a private folder) by default;
# S3-compatible storage with DOCUMENTS_STORAGE=s3 and the bucket below.
DOCUMENTS_STORAGE = env.str("DOCUMENTS_STORAGE", default="filesystem")
DOCUMENTS_ROOT = env.path("DOCUMENTS_ROOT", default=VAR_DIR / "documents")


def documents_storage(kind: str, root: Path) -> dict[str, Any]:
    """The "documents" storage: ``filesystem`` (a private folder, ``root``) or ``s3``."""
    if kind == "filesystem":
        return {
            "BACKEND": "continuum.documents.storage.PrivateFileSystemStorage",
            "OPTIONS": {"location": root},
        }
    if kind != "s3":
        raise ImproperlyConfigured("DOCUMENTS_STORAGE must be filesystem or s3.")
    return {
        "BACKEND": "storages.backends.s3.S3Storage",
        "OPTIONS": {
            "bucket_name": env.str("DOCUMENTS_S3_BUCKET"),
            "endpoint_url": env.str("DOCUMENTS_S3_ENDPOINT_URL", default=None),
            "region_name": env.str("DOCUMENTS_S3_REGION", default=None),
            # Unset: boto3's own chain (an instance role, AWS_* variables).
            "access_key": env.str("DOCUMENTS_S3_ACCESS_KEY_ID", default=None),
            "secret_key": env.str("DOCUMENTS_S3_SECRET_ACCESS_KEY", default=None),
            "location": env.str("DOCUMENTS_S3_PREFIX", default="documents"),
            "default_acl": "private",
            "querystring_auth": True,
            "file_overwrite": False,
        },
    }


STORAGES["documents"] = documents_storage(DOCUMENTS_STORAGE, DOCUMENTS_ROOT)
# The largest document that may be uploaded, in bytes (20 MB).
DOCUMENT_MAX_BYTES = env.int("DOCUMENT_MAX_BYTES", default=20 * 1024 * 1024)
# How long after uploading a document its uploader may still delete it (a team manager may
# at any time), in minutes.
DOCUMENT_DELETE_MINUTES = env.int("DOCUMENT_DELETE_MINUTES", default=60)
# The malware scanner (continuum/documents/scanning.py): ClamAV's daemon on a Unix socket
# (CLAMD_SOCKET=/run/clamav/clamd.ctl) or over TCP (CLAMD_HOST, CLAMD_PORT); unset, each
# document is recorded as not scanned.
CLAMD_SOCKET = env.str("CLAMD_SOCKET", default="")
CLAMD_HOST = env.str("CLAMD_HOST", default="")
CLAMD_PORT = env.int("CLAMD_PORT", default=3310)
CLAMD_TIMEOUT_SECONDS = env.float("CLAMD_TIMEOUT_SECONDS", default=30.0)
# The demo serves assets straight from node_modules; production serves what collectstatic
# put in STATIC_ROOT. Tests serve none through WhiteNoise (the live server has its own
# handler), so nothing is scanned when each test client starts.
WHITENOISE_USE_FINDERS = DEBUG or CONTINUUM_DEMO
WHITENOISE_AUTOREFRESH = DEBUG or CONTINUUM_DEMO

# Sessions: idle and absolute timeouts, a new key at sign-in (Django's default).
SESSION_IDLE_SECONDS = env.int("SESSION_IDLE_SECONDS", default=30 * 60)
SESSION_COOKIE_AGE = env.int("SESSION_ABSOLUTE_SECONDS", default=10 * 60 * 60)
SESSION_COOKIE_HTTPONLY = True
SESSION_COOKIE_SAMESITE = "Lax"
CSRF_COOKIE_HTTPONLY = False
SECURE_CONTENT_TYPE_NOSNIFF = True
SECURE_REFERRER_POLICY = "same-origin"
X_FRAME_OPTIONS = "DENY"
if not DEBUG and not CONTINUUM_DEMO:
    SESSION_COOKIE_SECURE = env.bool("SECURE_COOKIES", default=True)
    CSRF_COOKIE_SECURE = env.bool("SECURE_COOKIES", default=True)
    SECURE_HSTS_SECONDS = env.int("SECURE_HSTS_SECONDS", default=31536000)
    SECURE_HSTS_INCLUDE_SUBDOMAINS = True
    SECURE_HSTS_PRELOAD = env.bool("SECURE_HSTS_PRELOAD", default=True)
    SECURE_SSL_REDIRECT = env.bool("SECURE_SSL_REDIRECT", default=False)

SIMPLE_HISTORY_HISTORY_ID_USE_UUID = False

# --- Sign-in, second factor, admin site, demo mode (issue 10, findings 1-3 and 16) ---------
# Sessions end when the browser closes (as well as on the idle and absolute timeouts).
SESSION_EXPIRE_AT_BROWSER_CLOSE = True
# The admin site (/reference-data/) answers only these addresses or networks (CIDR); empty:
# any address. E.g. ADMIN_ALLOWED_ADDRESSES=10.20.0.0/16,192.0.2.10
ADMIN_ALLOWED_ADDRESSES = env.list("ADMIN_ALLOWED_ADDRESSES", default=[])
# The second factor (continuum/accounts/second_factor.py, decision 0005).
OTP_TOTP_ISSUER = "Continuum"
OTP_WEBAUTHN_RP_NAME = "Continuum"
# The site's host name (a security key is bound to it; never an IP address) and the
# origins pages are served from, e.g. WEBAUTHN_RP_ID=continuum.example.gov.uk and
# WEBAUTHN_ORIGINS=https://continuum.example.gov.uk
OTP_WEBAUTHN_RP_ID = env.str("WEBAUTHN_RP_ID", default="localhost")
OTP_WEBAUTHN_ALLOWED_ORIGINS = env.list(
    "WEBAUTHN_ORIGINS", default=["http://localhost:8000", "http://localhost"]
)
# The demo sign-ins' published authenticator-app secret (base32); used in demo mode only.
DEMO_TOTP_SECRET = env.str("DEMO_TOTP_SECRET", default="CONTINUUMDEMOTOTPSECRET234567ABC")
# A security key is a second factor here, never a way to sign in without a password.
OTP_WEBAUTHN_ALLOW_PASSWORDLESS_LOGIN = False
# --- API rate limits and the shared cache (issue 10; decision 0011) ---------------------------
# The cache every process shares: Redis in production (CACHE_URL=redis://127.0.0.1:6379/0),
# memory in the demo and the tests. The API's rate limits count requests in it.
CACHES = {"default": env.cache_url("CACHE_URL", default="locmemcache://continuum")}
# Requests to the API per signed-in user and per address (a council's offices may share
# one address), each per s, min, hour or day; over either answers 429 with Retry-After.
CONTINUUM_API_RATE_PER_USER = env.str("API_RATE_PER_USER", default="300/min")
CONTINUUM_API_RATE_PER_ADDRESS = env.str("API_RATE_PER_ADDRESS", default="1200/min")
# How many proxies in front of the service add X-Forwarded-For; 0: the connection's own
# address, and a client's forwarded-for header is ignored. Every use of a client's address
# reads it through continuum.ui.client_address (sign-in throttle, admin allow-list, security
# log, API limits).
NINJA_NUM_PROXIES = env.int("TRUSTED_PROXIES", default=0)
# --- Notifications by email (issue 12): GOV.UK Notify -------------------------------------------
# Without an API key (the demo, the tests) emails go to the local outbox (/notifications/outbox)
# and demo mode always uses the outbox. One Notify email template whose body is
# "((sentence))" and "((link))"; a kind may have its own (GOVUK_NOTIFY_TEMPLATE_<KIND>).
GOVUK_NOTIFY_API_KEY = env.str("GOVUK_NOTIFY_API_KEY", default="")
GOVUK_NOTIFY_BASE_URL = env.str(
    "GOVUK_NOTIFY_BASE_URL", default="https://api.notifications.service.gov.uk"
)
GOVUK_NOTIFY_TEMPLATE_ID = env.str("GOVUK_NOTIFY_TEMPLATE_ID", default="")
GOVUK_NOTIFY_TEMPLATES = {
    kind: env.str(f"GOVUK_NOTIFY_TEMPLATE_{kind.upper()}", default="")
    for kind in ("acknowledgement", "outcome", "taf_invitation", "urgent_step_up", "sign_off")
}
# The address emails link to (the service's own, as users reach it).
CONTINUUM_BASE_URL = env.str("CONTINUUM_BASE_URL", default="http://localhost:8000")

# Log lines to standard output, each with its request's id (continuum/logs.py, issue 16):
# LOG_FORMAT=json (one JSON object per line; the default outside the demo and DEBUG) or
# text. Sign-in failures, lockouts and break-glass reviews always kept (INFO), never
# passwords.
LOG_FORMAT = env.str("LOG_FORMAT", default="text" if DEBUG or CONTINUUM_DEMO else "json")
LOGGING = logging_config(log_format=LOG_FORMAT, level=env.str("LOG_LEVEL", default="WARNING"))

# --- issue 10: access bounded by involvement (findings 7-10, 13) ----------------------------
# How long after joint triage the officer who made a domestic-abuse notification and their
# force's triage team keep seeing it in full; after that the force sees only its reference
# and the outcome (front_door/policies.py, decision 0009).
POLICE_NOTIFICATION_ACCESS_DAYS = env.int("POLICE_NOTIFICATION_ACCESS_DAYS", default=28)
# A team manager reviews an early help episode whose family withdrew their agreement to
# early help within this many working days: continue on a lawful basis, or close it.
CONSENT_WITHDRAWAL_REVIEW_WORKING_DAYS = env.int(
    "CONSENT_WITHDRAWAL_REVIEW_WORKING_DAYS", default=5
)
# --- Issue 12: case notes -------------------------------------------------------------------
# How long after recording it a case note's author may still change it; after that only an
# addendum may be added (continuum/case_notes).
CASE_NOTE_EDIT_MINUTES = env.int("CASE_NOTE_EDIT_MINUTES", default=60)
# --- Information governance (issue 10: break-glass limits, unusual volumes of reads) ------
# How many emergency (break-glass) grants one user may give themselves in any 7 days.
BREAK_GLASS_GRANTS_PER_WEEK = env.int("BREAK_GLASS_GRANTS_PER_WEEK", default=3)
# A user is flagged to their council's information governance lead when, within one hour,
# they open the records of more than this many distinct people (pages or API detail)...
UNUSUAL_READS_PER_HOUR = env.int("UNUSUAL_READS_PER_HOUR", default=50)
# ...or searches and lists show them more than this many distinct people.
UNUSUAL_SHOWN_PER_HOUR = env.int("UNUSUAL_SHOWN_PER_HOUR", default=1000)
# --- Issue 16: a deployment (docs/deploy.md) ---------------------------------------------------
# The web tier holds no state: sessions in the database (the default) or, with a shared cache
# (CACHE_URL=redis://...), SESSION_ENGINE=cached_db or cache. A cache of one process's own
# memory would let a session ended in one process live on in another, so it is refused.
SESSION_ENGINES = {
    "database": "django.contrib.sessions.backends.db",
    "cached_db": "django.contrib.sessions.backends.cached_db",
    "cache": "django.contrib.sessions.backends.cache",
}


def session_engine(choice: str, cache_backend: str) -> str:
    """Django's SESSION_ENGINE for ``SESSION_ENGINE=database|cached_db|cache``."""
    if choice not in SESSION_ENGINES:
        raise ImproperlyConfigured("SESSION_ENGINE must be database, cached_db or cache.")
    if choice != "database" and "locmem" in cache_backend.lower():
        raise ImproperlyConfigured(
            f"SESSION_ENGINE={choice} needs a cache every process shares: set CACHE_URL "
            "(e.g. redis://host:6379/0), or keep SESSION_ENGINE=database."
        )
    return SESSION_ENGINES[choice]


_CACHE_BACKEND = str(CACHES["default"]["BACKEND"])
SESSION_ENGINE = session_engine(
    env.str("SESSION_ENGINE", default="cached_db" if "redis" in _CACHE_BACKEND else "database"),
    _CACHE_BACKEND,
)
# Keep each thread's database connection for this many seconds (0: one per request), checked
# before reuse; PostgreSQL's max_connections must cover processes x threads (docs/deploy.md).
DATABASES["default"]["CONN_MAX_AGE"] = env.int("DATABASE_CONN_MAX_AGE", default=0)
DATABASES["default"]["CONN_HEALTH_CHECKS"] = True
# Behind a TLS-terminating proxy (TRUSTED_PROXIES > 0), its X-Forwarded-Proto says whether
# the browser used HTTPS (secure cookies, HSTS and SECURE_SSL_REDIRECT depend on it).
if NINJA_NUM_PROXIES > 0:
    SECURE_PROXY_SSL_HEADER = ("HTTP_X_FORWARDED_PROTO", "https")
