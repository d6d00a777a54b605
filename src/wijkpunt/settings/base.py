"""Wijkpunt settings, read from the environment.

Every variable is documented in ``docs/operations.md``. Defaults are safe: DEBUG is off,
a secret key is required in production, hosts must be named.
"""

from __future__ import annotations

import os
import re
from pathlib import Path

import dj_database_url
from django.core.exceptions import ImproperlyConfigured
from django.utils.translation import gettext_lazy as _

BASE_DIR = Path(__file__).resolve().parents[3]  # repository root
SRC_DIR = BASE_DIR / "src" / "wijkpunt"
VAR_DIR = Path(os.environ.get("WIJKPUNT_VAR_DIR", BASE_DIR / "var"))


def env_bool(name: str, default: bool = False) -> bool:
    return os.environ.get(name, str(default)).strip().lower() in {"1", "true", "yes", "on"}


def env_list(name: str, default: str = "") -> list[str]:
    return [item.strip() for item in os.environ.get(name, default).split(",") if item.strip()]


# WIJKPUNT_ENV: "production" (default), "development" (the demo) or "test".
ENVIRONMENT = os.environ.get("WIJKPUNT_ENV", "production")
if ENVIRONMENT not in {"production", "development", "test"}:
    raise ImproperlyConfigured("WIJKPUNT_ENV must be production, development or test")

# WIJKPUNT_DEBUG: Django's DEBUG; only honoured outside production.
DEBUG = env_bool("WIJKPUNT_DEBUG") and ENVIRONMENT != "production"

# WIJKPUNT_SECRET_KEY: required in production. Development and test get a key kept in var/.
SECRET_KEY = os.environ.get("WIJKPUNT_SECRET_KEY", "")
if not SECRET_KEY:
    if ENVIRONMENT == "production":
        raise ImproperlyConfigured("WIJKPUNT_SECRET_KEY must be set in production")
    key_file = VAR_DIR / "secret_key"
    if not key_file.exists():
        import secrets

        VAR_DIR.mkdir(parents=True, exist_ok=True)
        key_file.write_text(secrets.token_urlsafe(50))
    SECRET_KEY = key_file.read_text().strip()

# WIJKPUNT_ALLOWED_HOSTS: comma-separated host names; required in production.
ALLOWED_HOSTS = env_list(
    "WIJKPUNT_ALLOWED_HOSTS", "" if ENVIRONMENT == "production" else "localhost,127.0.0.1,[::1]"
)
if ENVIRONMENT == "production" and not ALLOWED_HOSTS:
    raise ImproperlyConfigured("WIJKPUNT_ALLOWED_HOSTS must be set in production")

# WIJKPUNT_BASE_URL: absolute URL used in e-mails and pages (tracking links, acknowledgements).
BASE_URL = os.environ.get("WIJKPUNT_BASE_URL", "http://localhost:8000").rstrip("/")
CSRF_TRUSTED_ORIGINS = env_list("WIJKPUNT_CSRF_TRUSTED_ORIGINS")

INSTALLED_APPS = [
    "django.contrib.admin",
    "django.contrib.auth",
    "django.contrib.contenttypes",
    "django.contrib.sessions",
    "django.contrib.messages",
    "whitenoise.runserver_nostatic",
    "django.contrib.staticfiles",
    "django.contrib.humanize",
    "rest_framework",
    "rest_framework.authtoken",
    "drf_spectacular",
    "django_htmx",
    "huey.contrib.djhuey",
    "axes",
    "allauth",
    "allauth.account",
    "allauth.mfa",
    "auditlog",
    "django_altcha",
    "wijkpunt.core",
    "wijkpunt.housing",
    "wijkpunt.reports",
    "wijkpunt.triage",
    "wijkpunt.oncall",
    "wijkpunt.arrears",
    "wijkpunt.cases",
    "wijkpunt.privacy",
    "wijkpunt.accounts",
    "wijkpunt.network",
    "wijkpunt.steering",
    "wijkpunt.volunteers",
    "wijkpunt.rounds",
    "wijkpunt.teams",
    "wijkpunt.consultation",
]

MIDDLEWARE = [
    "django.middleware.security.SecurityMiddleware",
    "wijkpunt.core.middleware.SecurityHeadersMiddleware",
    "whitenoise.middleware.WhiteNoiseMiddleware",
    "django.contrib.sessions.middleware.SessionMiddleware",
    "wijkpunt.core.middleware.DutchFirstMiddleware",
    "django.middleware.locale.LocaleMiddleware",
    "django.middleware.common.CommonMiddleware",
    "django.middleware.csrf.CsrfViewMiddleware",
    "django.contrib.auth.middleware.AuthenticationMiddleware",
    "django.contrib.messages.middleware.MessageMiddleware",
    "allauth.account.middleware.AccountMiddleware",
    "wijkpunt.accounts.middleware.MfaRequiredMiddleware",  # after auth + allauth (docs/accounts.md)
    "django.middleware.clickjacking.XFrameOptionsMiddleware",
    "django_htmx.middleware.HtmxMiddleware",
    "auditlog.middleware.AuditlogMiddleware",
    "axes.middleware.AxesMiddleware",
]

ROOT_URLCONF = "wijkpunt.urls"
WSGI_APPLICATION = "wijkpunt.wsgi.application"
AUTH_USER_MODEL = "core.User"

TEMPLATES = [
    {
        "BACKEND": "django.template.backends.django.DjangoTemplates",
        "DIRS": [SRC_DIR / "templates"],
        "APP_DIRS": True,
        "OPTIONS": {
            "context_processors": [
                "django.template.context_processors.request",
                "django.template.context_processors.i18n",
                "django.contrib.auth.context_processors.auth",
                "django.contrib.messages.context_processors.messages",
                "wijkpunt.core.context_processors.wijkpunt",
            ],
            "builtins": ["wijkpunt.core.templatetags.dates"],  # short_date: Dutch short month names
        },
    },
]

# DATABASE_URL: e.g. postgres://user@host:5432/wijkpunt; default an SQLite file in var/.
DATABASES = {
    "default": dj_database_url.config(
        default=f"sqlite:///{VAR_DIR / 'wijkpunt.sqlite3'}", conn_max_age=60, conn_health_checks=True
    )
}
if DATABASES["default"]["ENGINE"] == "django.db.backends.sqlite3":
    DATABASES["default"]["CONN_MAX_AGE"] = 0
    DATABASES["default"].setdefault("OPTIONS", {}).update(
        {
            "timeout": 20,
            "transaction_mode": "IMMEDIATE",
            "init_command": "PRAGMA journal_mode=WAL; PRAGMA synchronous=NORMAL; PRAGMA busy_timeout=20000;",
        }
    )
DEFAULT_AUTO_FIELD = "django.db.models.BigAutoField"

# WIJKPUNT_CACHE_URL: redis://127.0.0.1:6379/1 in production; default the database cache table,
# so that rate limits and captcha replay protection are shared by every web process.
CACHE_URL = os.environ.get("WIJKPUNT_CACHE_URL", "")
if CACHE_URL.startswith("redis"):
    CACHES = {"default": {"BACKEND": "django.core.cache.backends.redis.RedisCache", "LOCATION": CACHE_URL}}
else:
    CACHES = {
        # MAX_ENTRIES high: culling would forget used captcha challenges and rate-limit counters;
        # expired rows are purged by the worker (core.tasks.purge_expired_cache).
        "default": {
            "BACKEND": "django.core.cache.backends.db.DatabaseCache",
            "LOCATION": "wijkpunt_cache",
            "OPTIONS": {"MAX_ENTRIES": 1_000_000},
        }
    }

AUTHENTICATION_BACKENDS = [
    "axes.backends.AxesStandaloneBackend",
    "django.contrib.auth.backends.ModelBackend",
]
AUTH_PASSWORD_VALIDATORS = [
    {"NAME": "django.contrib.auth.password_validation.UserAttributeSimilarityValidator"},
    {"NAME": "django.contrib.auth.password_validation.MinimumLengthValidator", "OPTIONS": {"min_length": 10}},
    {"NAME": "django.contrib.auth.password_validation.CommonPasswordValidator"},
    {"NAME": "django.contrib.auth.password_validation.NumericPasswordValidator"},
]
LOGIN_URL = "login"
LOGIN_REDIRECT_URL = "staff:home"
LOGOUT_REDIRECT_URL = "public:home"

# Brute-force protection (django-axes): lock a user+IP after 5 failures for one hour.
AXES_FAILURE_LIMIT = int(os.environ.get("WIJKPUNT_AXES_FAILURE_LIMIT", "5"))
AXES_COOLOFF_TIME = 1
AXES_LOCKOUT_PARAMETERS = [["username", "ip_address"]]
AXES_RESET_ON_SUCCESS = True
AXES_LOCKOUT_TEMPLATE = "registration/locked_out.html"
AXES_VERBOSE = False
# WIJKPUNT_TRUSTED_PROXY_COUNT: reverse proxies in front of the web process that append the client's
# address to X-Forwarded-For (1 behind the TLS proxy of docs/operations.md; 0 when exposed directly).
TRUSTED_PROXY_COUNT = int(os.environ.get("WIJKPUNT_TRUSTED_PROXY_COUNT", "0"))
AXES_CLIENT_IP_CALLABLE = "wijkpunt.core.ratelimit.forwarded_ip"
# The login form (allauth, wijkpunt.accounts.forms.LoginForm) keeps the field name "username".
AXES_USERNAME_CALLABLE = "wijkpunt.accounts.adapters.axes_username"

# Login and two-factor authentication: django-allauth (docs/accounts.md). Accounts are made by an
# administrator (no sign-up), log in with a user name; TOTP with recovery codes as second factor.
ACCOUNT_ADAPTER = "wijkpunt.accounts.adapters.AccountAdapter"
ACCOUNT_FORMS = {"login": "wijkpunt.accounts.forms.LoginForm"}
ACCOUNT_LOGIN_METHODS = {"username"}
ACCOUNT_SIGNUP_FIELDS = ["username*", "password1*"]
ACCOUNT_EMAIL_VERIFICATION = "none"
ACCOUNT_UNIQUE_EMAIL = False
ACCOUNT_SESSION_REMEMBER = True  # sessions last SESSION_COOKIE_AGE, as before
ACCOUNT_EMAIL_NOTIFICATIONS = False
MFA_ADAPTER = "wijkpunt.accounts.adapters.MFAAdapter"
MFA_FORMS = {
    "authenticate": "wijkpunt.accounts.forms.MFAAuthenticateForm",
    "reauthenticate": "wijkpunt.accounts.forms.MFAReauthenticateForm",
    "activate_totp": "wijkpunt.accounts.forms.ActivateTOTPForm",
}
MFA_SUPPORTED_TYPES = ["totp", "recovery_codes"]
MFA_TOTP_ISSUER = "Wijkpunt"
MFA_ALLOW_UNVERIFIED_EMAIL = True  # e-mail addresses are entered by an administrator, not verified
# WIJKPUNT_MFA_REQUIRED: staff and partner accounts must set up TOTP before they reach /werk/, the
# admin (/beheer/) or the session-authenticated API. On by default in production; off in the demo
# (WIJKPUNT_ENV=development) and in the test settings.
WIJKPUNT_MFA_REQUIRED = env_bool("WIJKPUNT_MFA_REQUIRED", ENVIRONMENT == "production")
# WIJKPUNT_MFA_EXEMPT_ROLES: comma-separated roles (group names) that on their own do not require
# MFA (volunteers). Anyone with another role, and every admin user (is_staff), needs it.
WIJKPUNT_MFA_EXEMPT_ROLES = env_list("WIJKPUNT_MFA_EXEMPT_ROLES", "bewonerskracht")
# WIJKPUNT_PARTNER_ROLES: the roles (group names) a corporation may let a partner organisation's own
# administrator hand out (accounts.PartnerUserPolicy.allowed_roles is limited to these).
WIJKPUNT_PARTNER_ROLES = env_list(
    "WIJKPUNT_PARTNER_ROLES",
    "partner-medewerker,partner-beheerder,zorgprofessional,schuldhulpverlener,wijkteam-medewerker",
)

LANGUAGE_CODE = "nl"
LANGUAGES = [("nl", _("Nederlands")), ("en", _("English"))]
LOCALE_PATHS = [SRC_DIR / "locale"]
TIME_ZONE = "Europe/Amsterdam"
USE_I18N = True
USE_TZ = True

STATIC_URL = "/static/"
STATIC_ROOT = VAR_DIR / "static"
STATICFILES_DIRS = [SRC_DIR / "static"]
STORAGES = {
    "default": {"BACKEND": "django.core.files.storage.FileSystemStorage"},
    "staticfiles": {"BACKEND": "whitenoise.storage.CompressedManifestStaticFilesStorage"},
}
# WIJKPUNT_MEDIA_ROOT: where uploaded photos are stored (served only through permission checks).
MEDIA_ROOT = Path(os.environ.get("WIJKPUNT_MEDIA_ROOT", VAR_DIR / "media"))
MEDIA_URL = "/media/"
DATA_UPLOAD_MAX_MEMORY_SIZE = 2_621_440
FILE_UPLOAD_MAX_MEMORY_SIZE = 2_621_440
DATA_UPLOAD_MAX_NUMBER_FILES = 5

# Mail. WIJKPUNT_EMAIL_BACKEND: "smtp" (default in production), "file" (demo: var/mail/) or "console".
EMAIL_BACKEND = {
    "smtp": "django.core.mail.backends.smtp.EmailBackend",
    "file": "django.core.mail.backends.filebased.EmailBackend",
    "console": "django.core.mail.backends.console.EmailBackend",
}[os.environ.get("WIJKPUNT_EMAIL_BACKEND", "smtp" if ENVIRONMENT == "production" else "file")]
EMAIL_FILE_PATH = VAR_DIR / "mail"
EMAIL_HOST = os.environ.get("WIJKPUNT_EMAIL_HOST", "localhost")
EMAIL_PORT = int(os.environ.get("WIJKPUNT_EMAIL_PORT", "25"))
EMAIL_HOST_USER = os.environ.get("WIJKPUNT_EMAIL_USER", "")
EMAIL_HOST_PASSWORD = os.environ.get("WIJKPUNT_EMAIL_PASSWORD", "")
EMAIL_USE_TLS = env_bool("WIJKPUNT_EMAIL_TLS")
# Far below OUTBOX_STALE_CLAIM_SECONDS: a hung SMTP server must not hold a worker thread, nor
# let the periodic flush re-claim a message that is still being sent.
EMAIL_TIMEOUT = int(os.environ.get("WIJKPUNT_EMAIL_TIMEOUT", "30"))
DEFAULT_FROM_EMAIL = os.environ.get("WIJKPUNT_FROM_EMAIL", "Wijkpunt <noreply@wijkpunt.example>")

# SMS (core.channels.sms). WIJKPUNT_SMS_BACKEND: "cm" (default in production: CM.com's Business
# Messaging API), "file" (default otherwise: var/sms/), "console", "locmem" (tests) or a dotted path.
SMS_BACKEND = os.environ.get("WIJKPUNT_SMS_BACKEND", "cm" if ENVIRONMENT == "production" else "file")
if SMS_BACKEND not in {"cm", "file", "console", "locmem"} and "." not in SMS_BACKEND:
    raise ImproperlyConfigured("WIJKPUNT_SMS_BACKEND must be cm, file, console, locmem or a dotted path")
SMS_FILE_PATH = VAR_DIR / "sms"
# WIJKPUNT_SMS_CM_URL / WIJKPUNT_SMS_CM_PRODUCT_TOKEN: CM.com's JSON endpoint and the product token
# (Channels app); the token is required in production when the backend is cm.
SMS_CM_URL = os.environ.get("WIJKPUNT_SMS_CM_URL", "https://gw.messaging.cm.com/v1.0/message")
SMS_CM_PRODUCT_TOKEN = os.environ.get("WIJKPUNT_SMS_CM_PRODUCT_TOKEN", "").strip()
if ENVIRONMENT == "production" and SMS_BACKEND == "cm":
    if not SMS_CM_PRODUCT_TOKEN:
        raise ImproperlyConfigured("WIJKPUNT_SMS_CM_PRODUCT_TOKEN must be set in production (or pick another WIJKPUNT_SMS_BACKEND)")
    if not SMS_CM_URL.startswith("https://"):
        raise ImproperlyConfigured("WIJKPUNT_SMS_CM_URL must be an https:// URL in production")
# WIJKPUNT_SMS_SENDER: the sender shown on the phone: at most 11 letters, digits or spaces, or a number
# of at most 16 digits (CM's and the operators' limit).
SMS_SENDER = os.environ.get("WIJKPUNT_SMS_SENDER", "Wijkpunt")
if not re.fullmatch(r"[A-Za-z0-9][A-Za-z0-9 ]{0,10}|\d{1,16}", SMS_SENDER):
    raise ImproperlyConfigured("WIJKPUNT_SMS_SENDER must be 1-11 letters, digits or spaces, or up to 16 digits")
# WIJKPUNT_SMS_TIMEOUT: seconds before the SMS gateway is given up (the outbox retries later).
SMS_TIMEOUT = float(os.environ.get("WIJKPUNT_SMS_TIMEOUT", "10"))

# WIJKPUNT_OUTBOX_STALE_CLAIM_SECONDS: after this long a message still "sending" (its worker died) is
# taken over by another worker. Must exceed the e-mail and SMS timeouts, or a slow send goes out twice.
OUTBOX_STALE_CLAIM_SECONDS = int(os.environ.get("WIJKPUNT_OUTBOX_STALE_CLAIM_SECONDS", "600"))
if max(EMAIL_TIMEOUT, SMS_TIMEOUT) >= OUTBOX_STALE_CLAIM_SECONDS:
    raise ImproperlyConfigured(
        "WIJKPUNT_OUTBOX_STALE_CLAIM_SECONDS must be larger than WIJKPUNT_EMAIL_TIMEOUT and WIJKPUNT_SMS_TIMEOUT"
    )

# On-call backup: how long an acknowledge link in a page stays valid.
ONCALL_ACK_LINK_HOURS = int(os.environ.get("WIJKPUNT_ONCALL_ACK_LINK_HOURS", "12"))
ONCALL_DASHBOARD_POLL_SECONDS = 15  # how often the duty dashboard refreshes itself

# Cases: a closed case is anonymised (or deleted) this many days after closing, unless the
# corporation set a retention rule for the case type or a legal hold stops it (cases/retention.py).
CASE_RETENTION_DAYS = int(os.environ.get("WIJKPUNT_CASE_RETENTION_DAYS", "730"))

# Volunteers (docs/volunteers.md): staff see volunteers whose report had no public update or status change
# for more than WIJKPUNT_VOLUNTEER_ANSWER_DAYS working days.
WIJKPUNT_VOLUNTEER_ANSWER_DAYS = int(os.environ.get("WIJKPUNT_VOLUNTEER_ANSWER_DAYS", "5"))
# Not-selected and withdrawn candidates' contact details are removed this many days after the decision
# (nominations without a decision after twice as long); nightly 04:15, manage.py volunteers_purge.
VOLUNTEER_CANDIDATE_RETENTION_DAYS = int(os.environ.get("WIJKPUNT_VOLUNTEER_CANDIDATE_RETENTION_DAYS", "365"))

# Door-to-door consultation (docs/consultation.md).
# WIJKPUNT_CONSULTATION_LOW_RESPONSE: response % below which a result is marked "lage respons".
CONSULTATION_LOW_RESPONSE_PERCENT = float(os.environ.get("WIJKPUNT_CONSULTATION_LOW_RESPONSE", "50"))
# WIJKPUNT_CONSULTATION_RETENTION_DAYS: days after a street's decision before its visits are anonymised.
CONSULTATION_RETENTION_DAYS = int(os.environ.get("WIJKPUNT_CONSULTATION_RETENTION_DAYS", "365"))
# WIJKPUNT_CONSULTATION_HOUSING_WISH_DAYS: maximum age of a housing wish kept for later matching.
CONSULTATION_HOUSING_WISH_DAYS = int(os.environ.get("WIJKPUNT_CONSULTATION_HOUSING_WISH_DAYS", "1095"))

# Odd jobs (docs/teams.md): the requester's name, phone and e-mail are cleared this many days after a job
# is done, declined or withdrawn (nightly 04:00, manage.py teams_purge).
JOB_CONTACT_RETENTION_DAYS = int(os.environ.get("WIJKPUNT_JOB_CONTACT_RETENTION_DAYS", "90"))

# Background work: huey. WIJKPUNT_REDIS_URL selects Redis; default an SQLite file in var/.
REDIS_URL = os.environ.get("WIJKPUNT_REDIS_URL", "")
HUEY = {
    "name": "wijkpunt",
    "immediate": env_bool("WIJKPUNT_HUEY_IMMEDIATE", ENVIRONMENT == "test"),
    # max_delay: an idle worker polls the (SQLite) queue at least once a second, so a page is not
    # held up to 10 s by huey's default back-off (docs/performance.md, "Achtervang: escalaties").
    "consumer": {"workers": 2, "worker_type": "thread", "periodic": True, "max_delay": 1.0},
}
if REDIS_URL:
    HUEY.update({"huey_class": "huey.RedisHuey", "url": REDIS_URL})
else:
    HUEY.update({"huey_class": "huey.SqliteHuey", "filename": str(VAR_DIR / "huey.sqlite3")})

REST_FRAMEWORK = {
    "DEFAULT_AUTHENTICATION_CLASSES": [
        "rest_framework.authentication.SessionAuthentication",
        "rest_framework.authentication.TokenAuthentication",
    ],
    "DEFAULT_PERMISSION_CLASSES": ["rest_framework.permissions.IsAuthenticated"],
    "DEFAULT_SCHEMA_CLASS": "drf_spectacular.openapi.AutoSchema",
    "EXCEPTION_HANDLER": "wijkpunt.core.api.exception_handler",
    "DEFAULT_RENDERER_CLASSES": ["rest_framework.renderers.JSONRenderer"],
    "UNAUTHENTICATED_USER": "django.contrib.auth.models.AnonymousUser",
}
SPECTACULAR_SETTINGS = {
    "TITLE": "Wijkpunt API",
    "DESCRIPTION": "Public API for filing and following reports; private API for staff and partners.",
    "VERSION": "1.0.0",
    "SERVE_INCLUDE_SCHEMA": False,
    "COMPONENT_SPLIT_REQUEST": True,
    "POSTPROCESSING_HOOKS": [
        "drf_spectacular.hooks.postprocess_schema_enums",
        "wijkpunt.core.api.add_error_responses",
    ],
    "ENUM_NAME_OVERRIDES": {
        "UrgencyEnum": "wijkpunt.reports.models.Urgency",
        "ReportStatusEnum": "wijkpunt.reports.models.Status",
        "LocationKindEnum": "wijkpunt.reports.models.Report.LocationKind",
        "ReportChannelEnum": "wijkpunt.reports.models.Channel",
        "JobStatusEnum": "wijkpunt.teams.models.JobRequest.Status",
        "TeamKindEnum": "wijkpunt.teams.models.Kind",
        "JobActionEnum": "wijkpunt.teams.services.ACTIONS",
        "RoundStatusEnum": "wijkpunt.rounds.models.Round.Status",
        "RoundActionEnum": [("start", "start"), ("finish", "finish"), ("cancel", "cancel")],
    },
}

# Spam protection on the public form and API: self-hosted proof-of-work (ALTCHA).
ALTCHA_HMAC_KEY = os.environ.get("WIJKPUNT_ALTCHA_HMAC_KEY", SECRET_KEY)
ALTCHA_JS_URL = "altcha/altcha.min.js"
ALTCHA_INCLUDE_TRANSLATIONS = True
# WIJKPUNT_ALTCHA_MAX_NUMBER: proof-of-work difficulty (higher = slower for bots and phones).
ALTCHA_MAX_NUMBER = int(os.environ.get("WIJKPUNT_ALTCHA_MAX_NUMBER", "50000"))
# WIJKPUNT_PUBLIC_RATE_LIMIT: public submissions per IP address per hour.
PUBLIC_RATE_LIMIT = int(os.environ.get("WIJKPUNT_PUBLIC_RATE_LIMIT", "30"))

# Map on the public form. WIJKPUNT_MAP_TILES: tile URL template ("" draws no tiles).
MAP_TILES_URL = os.environ.get("WIJKPUNT_MAP_TILES", "https://tile.openstreetmap.org/{z}/{x}/{y}.png")
MAP_CENTER = os.environ.get("WIJKPUNT_MAP_CENTER", "52.0907,5.1214")

# WIJKPUNT_CLASSIFIER_PATH: the trained report classifier (trained on first use when missing).
WIJKPUNT_CLASSIFIER_PATH = Path(os.environ.get("WIJKPUNT_CLASSIFIER_PATH", VAR_DIR / "classifier" / "model.joblib"))

# Photos: at most 3 per report, each at most WIJKPUNT_MAX_PHOTO_MB megabytes.
MAX_PHOTOS = 3
MAX_PHOTO_BYTES = int(float(os.environ.get("WIJKPUNT_MAX_PHOTO_MB", "8")) * 1024 * 1024)

# Security headers. TLS settings switch on with WIJKPUNT_TLS=true (behind a TLS proxy).
TLS = env_bool("WIJKPUNT_TLS", ENVIRONMENT == "production")
SESSION_COOKIE_SECURE = TLS
CSRF_COOKIE_SECURE = TLS
SECURE_HSTS_SECONDS = 31536000 if TLS else 0
SECURE_HSTS_INCLUDE_SUBDOMAINS = TLS
SECURE_PROXY_SSL_HEADER = ("HTTP_X_FORWARDED_PROTO", "https") if TLS else None
SECURE_CONTENT_TYPE_NOSNIFF = True
SECURE_REFERRER_POLICY = "same-origin"
X_FRAME_OPTIONS = "DENY"
SESSION_COOKIE_HTTPONLY = True
SESSION_COOKIE_AGE = 60 * 60 * 10
CSRF_COOKIE_HTTPONLY = False  # htmx reads the token from the page, not the cookie

LOGGING = {
    "version": 1,
    "disable_existing_loggers": False,
    "handlers": {"console": {"class": "logging.StreamHandler"}},
    "root": {"handlers": ["console"], "level": os.environ.get("WIJKPUNT_LOG_LEVEL", "INFO")},
    "loggers": {"django.db.backends": {"level": "WARNING"}, "huey": {"level": "WARNING"}},
}
