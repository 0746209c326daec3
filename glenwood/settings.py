"""Settings for the Glenwood compliance portal, read from the environment.

Defaults give the embedded set-up (SQLite, Celery's filesystem broker, console email) so that
`make run` needs no services; production sets DEBUG=false, SECRET_KEY, ALLOWED_HOSTS,
DATABASE_URL (PostgreSQL) and CELERY_BROKER_URL (Redis).
"""

from pathlib import Path

import environ
from django.core.exceptions import ImproperlyConfigured

BASE_DIR = Path(__file__).resolve().parent.parent
VAR_DIR = BASE_DIR / "var"

env = environ.Env()
environ.Env.read_env(BASE_DIR / ".env", overwrite=False)

DEBUG = env.bool("DEBUG", default=True)
_DEV_SECRET = "dev-only-insecure-key-never-used-in-production"
SECRET_KEY = env("SECRET_KEY", default=_DEV_SECRET if DEBUG else None) or ""
if not DEBUG and (not SECRET_KEY or SECRET_KEY == _DEV_SECRET):
    raise ImproperlyConfigured("Set SECRET_KEY to a long random value when DEBUG is false.")
ALLOWED_HOSTS = env.list("ALLOWED_HOSTS", default=["127.0.0.1", "localhost"] if DEBUG else [])
CSRF_TRUSTED_ORIGINS = env.list("CSRF_TRUSTED_ORIGINS", default=[])
SITE_URL = env("SITE_URL", default="http://127.0.0.1:8000")

INSTALLED_APPS = [
    "django.contrib.admin",
    "django.contrib.auth",
    "django.contrib.contenttypes",
    "django.contrib.sessions",
    "django.contrib.messages",
    "django.contrib.staticfiles",
    "django.contrib.humanize",
    "crispy_forms",
    "crispy_bootstrap5",
    "django_filters",
    "django_celery_beat",
    "pgtrigger",
    "allauth",
    "allauth.account",
    "allauth.socialaccount",
    "allauth.socialaccount.providers.openid_connect",
    "allauth.mfa",
    "axes",
    "csp",
    "glenwood",
    "people",
    "accounts",
    "audit",
    "policies",
    "agreements",
    "reminders",
    "breaches",
    "retention",
]

MIDDLEWARE = [
    "django.middleware.security.SecurityMiddleware",
    "csp.middleware.CSPMiddleware",
    "django.contrib.sessions.middleware.SessionMiddleware",
    "django.middleware.common.CommonMiddleware",
    "django.middleware.csrf.CsrfViewMiddleware",
    "django.contrib.auth.middleware.AuthenticationMiddleware",
    "glenwood.middleware.PrivatePagesMiddleware",
    "django.contrib.messages.middleware.MessageMiddleware",
    "allauth.account.middleware.AccountMiddleware",
    "audit.middleware.RefusedAttemptMiddleware",
    "people.middleware.ExpiredAccountMiddleware",
    "accounts.middleware.SessionLimitsMiddleware",
    "agreements.middleware.KioskLockMiddleware",
    "accounts.middleware.TwoFactorRequiredMiddleware",
    "accounts.middleware.PasswordAgeMiddleware",
    # Last, so that it sees a locked-out sign-in whichever view handled it.
    "axes.middleware.AxesMiddleware",
    "django.middleware.clickjacking.XFrameOptionsMiddleware",
]

if not DEBUG:
    # Serves the collected static files in production; runserver serves them in development.
    MIDDLEWARE.insert(1, "whitenoise.middleware.WhiteNoiseMiddleware")

ROOT_URLCONF = "glenwood.urls"
WSGI_APPLICATION = "glenwood.wsgi.application"

TEMPLATES = [
    {
        "BACKEND": "django.template.backends.django.DjangoTemplates",
        "DIRS": [BASE_DIR / "templates"],
        "APP_DIRS": True,
        "OPTIONS": {
            "context_processors": [
                "django.template.context_processors.request",
                "django.contrib.auth.context_processors.auth",
                "django.contrib.messages.context_processors.messages",
                "glenwood.context_processors.navigation",
            ],
        },
    },
]

DATABASES = {"default": env.db("DATABASE_URL", default=f"sqlite:///{BASE_DIR / 'db.sqlite3'}")}
DATABASES["default"]["ATOMIC_REQUESTS"] = False
if DATABASES["default"]["ENGINE"] == "django.db.backends.sqlite3":
    # The embedded default under a class signing at once: WAL lets readers carry on while one
    # writes; BEGIN IMMEDIATE takes the write lock at the start of a transaction, so writers queue
    # for it (up to SQLITE_BUSY_TIMEOUT seconds) instead of failing half-way with "database is locked".
    DATABASES["default"].setdefault("OPTIONS", {}).update(
        {
            "init_command": "PRAGMA journal_mode=WAL; PRAGMA synchronous=NORMAL;",
            "transaction_mode": "IMMEDIATE",
            "timeout": env.int("SQLITE_BUSY_TIMEOUT", default=20),
        }
    )
if DATABASES["default"]["ENGINE"] == "django.db.backends.postgresql":
    DATABASES["default"].setdefault("CONN_MAX_AGE", env.int("CONN_MAX_AGE", default=60))
    DATABASES["default"]["CONN_HEALTH_CHECKS"] = True
    # No JIT compilation: the dashboard's and reminders' counts are short queries whose estimated
    # cost crosses PostgreSQL's JIT threshold, and compiling them took longer (0.4 s) than running them.
    DATABASES["default"].setdefault("OPTIONS", {}).setdefault("options", "-c jit=off")
DEFAULT_AUTO_FIELD = "django.db.models.BigAutoField"

AUTH_USER_MODEL = "people.Person"
AUTHENTICATION_BACKENDS = [
    # First: refuses a sign-in while that username is locked out from that address.
    "accounts.backends.LockoutBackend",
    # Username or email; refuses leavers and supply staff and trainees after their account's expiry
    # day, at log-in and mid-session.
    "people.backends.ExpiringAccountBackend",
]
LOGIN_URL = "account_login"
LOGIN_REDIRECT_URL = "home"
LOGOUT_REDIRECT_URL = "account_login"
# How long an invitation's link to choose a password works.
INVITATION_LIFETIME_DAYS = env.int("INVITATION_LIFETIME_DAYS", default=14)
# The school chooses between current guidance and its policy's own rule (accounts/passwords.py).
AUTH_PASSWORD_VALIDATORS = [
    {"NAME": "django.contrib.auth.password_validation.UserAttributeSimilarityValidator"},
    {"NAME": "accounts.passwords.SchoolPasswordRule"},
]

# --- Signing in (django-allauth, django-axes) -------------------------------------------------
# Nobody registers themselves: the school adds people (import or directory) and they sign in with a
# password, a reset link, or their school's Microsoft 365 / Google Workspace account.
ACCOUNT_ADAPTER = "accounts.adapters.AccountAdapter"
SOCIALACCOUNT_ADAPTER = "accounts.adapters.SchoolSignInAdapter"
ACCOUNT_FORMS = {"login": "accounts.forms.LoginForm"}
ACCOUNT_LOGIN_METHODS = {"username", "email"}
ACCOUNT_SIGNUP_FIELDS = ["email*", "username*", "password1*", "password2*"]
ACCOUNT_EMAIL_VERIFICATION = "none"
ACCOUNT_SESSION_REMEMBER = False
ACCOUNT_LOGOUT_ON_PASSWORD_CHANGE = False
ACCOUNT_LOGIN_ON_PASSWORD_RESET = False
ACCOUNT_PASSWORD_RESET_BY_CODE_ENABLED = False
ACCOUNT_PREVENT_ENUMERATION = True
ACCOUNT_EMAIL_UNKNOWN_ACCOUNTS = False
ACCOUNT_EMAIL_SUBJECT_PREFIX = "Glenwood portal: "
ACCOUNT_DEFAULT_HTTP_PROTOCOL = "http" if DEBUG else "https"
# Failed passwords are counted by django-axes (per username and address); allauth's own counter of
# failed log-ins is off so that one rule, with one message, applies.
ACCOUNT_RATE_LIMITS = {"login_failed": None}
# Approving a version, deciding an outcome, exporting and importing ask again after this long.
ACCOUNT_REAUTHENTICATION_TIMEOUT = env.int("REAUTHENTICATION_SECONDS", default=600)
SOCIALACCOUNT_ONLY = False
SOCIALACCOUNT_AUTO_SIGNUP = False
SOCIALACCOUNT_LOGIN_ON_GET = False
SOCIALACCOUNT_EMAIL_AUTHENTICATION = False  # matched in accounts.adapters, within the school
SOCIALACCOUNT_STORE_TOKENS = False
MFA_SUPPORTED_TYPES = ["totp", "recovery_codes", "webauthn"]
MFA_PASSKEY_LOGIN_ENABLED = False
MFA_TOTP_TOLERANCE = 1  # a phone's clock a little out: the codes just before and after are taken too
MFA_TOTP_ISSUER = env("MFA_TOTP_ISSUER", default="Glenwood portal")
MFA_WEBAUTHN_ALLOW_INSECURE_ORIGIN = DEBUG

# Five wrong passwords for one username from one address lock that pair (never the account
# everywhere, so nobody can lock the head out from elsewhere) for AXES_COOLOFF_MINUTES; a password
# reset or the school office's "Unlock sign-in" lifts it sooner.
AXES_FAILURE_LIMIT = env.int("AXES_FAILURE_LIMIT", default=5)
AXES_LOCKOUT_PARAMETERS = [["username", "ip_address"]]
AXES_COOLOFF_MINUTES = env.int("AXES_COOLOFF_MINUTES", default=15)
AXES_COOLOFF_TIME = AXES_COOLOFF_MINUTES / 60  # hours
AXES_RESET_ON_SUCCESS = True
AXES_USERNAME_CALLABLE = "accounts.lockout.username_tried"
AXES_LOCKOUT_CALLABLE = "accounts.lockout.locked_out_response"
AXES_IPWARE_META_PRECEDENCE_ORDER = [env("RATELIMIT_IP_META_KEY", default=None) or "REMOTE_ADDR"]
AXES_VERBOSE = False

# Sessions: a staff session ends after the school's idle time (default 30 minutes) and, whatever
# happens, SESSION_MAX_AGE_HOURS after sign-in.
SESSION_MAX_AGE_HOURS = env.int("SESSION_MAX_AGE_HOURS", default=10)
SESSION_COOKIE_AGE = SESSION_MAX_AGE_HOURS * 3600
SESSION_SAVE_EVERY_REQUEST = False

# Content Security Policy: scripts and styles from the portal only, no inline script, never framed.
# Inline style attributes stay allowed (progress bars and allauth's QR code set a width or size).
from csp.constants import NONE, SELF  # noqa: E402

CONTENT_SECURITY_POLICY = {
    "DIRECTIVES": {
        "default-src": [SELF],
        "script-src": [SELF],
        "style-src": [SELF, "'unsafe-inline'"],
        "img-src": [SELF, "data:"],
        "font-src": [SELF],
        "connect-src": [SELF],
        "object-src": [NONE],
        "base-uri": [SELF],
        # The single sign-on buttons post here, then the browser is redirected to the school's
        # identity provider: Chrome checks that redirect against form-action too.
        "form-action": [
            SELF,
            "https://login.microsoftonline.com",
            "https://accounts.google.com",
            *env.list("CSP_FORM_ACTION", default=[]),
        ],
        "frame-ancestors": [NONE],
    }
}

LANGUAGE_CODE = "en-gb"
TIME_ZONE = "Europe/London"
USE_I18N = True
USE_TZ = True

STATIC_URL = "static/"
STATICFILES_DIRS = [BASE_DIR / "static"]
STATIC_ROOT = BASE_DIR / "staticfiles"
MEDIA_ROOT = Path(env("MEDIA_ROOT", default=str(VAR_DIR / "media")))
# Evidence and exports are written owner-only (the portal's own user reads them, no other local
# user), and encrypted at rest when FILE_ENCRYPTION_KEY is set (a Fernet key; several,
# comma-separated and newest first, while rotating).
FILE_UPLOAD_PERMISSIONS = 0o600
FILE_UPLOAD_DIRECTORY_PERMISSIONS = 0o700
FILE_ENCRYPTION_KEYS = env.list("FILE_ENCRYPTION_KEY", default=[])
STORAGES = {
    "default": {
        "BACKEND": "glenwood.storage.EncryptedFileSystemStorage"
        if FILE_ENCRYPTION_KEYS
        else "django.core.files.storage.FileSystemStorage"
    },
    "staticfiles": {
        "BACKEND": "django.contrib.staticfiles.storage.StaticFilesStorage"
        if DEBUG
        else "whitenoise.storage.CompressedManifestStaticFilesStorage"
    },
}

# Breach reports: evidence uploads (images and PDFs, checked by content) and the appeal window.
# The appeal window is counted in working days (Monday to Friday) after the day the outcome is
# given, as schools' disciplinary procedures write it; bank holidays are not known, so they count.
BREACH_UPLOAD_MAX_BYTES = env.int("BREACH_UPLOAD_MAX_BYTES", default=10 * 1024 * 1024)
BREACH_UPLOAD_MAX_FILES = env.int("BREACH_UPLOAD_MAX_FILES", default=5)
# Every file of a request is checked in it: Django refuses (400) a request carrying more than this.
DATA_UPLOAD_MAX_NUMBER_FILES = env.int("DATA_UPLOAD_MAX_NUMBER_FILES", default=100)
BREACH_APPEAL_WORKING_DAYS = env.int("BREACH_APPEAL_WORKING_DAYS", default=10)

CRISPY_ALLOWED_TEMPLATE_PACKS = "bootstrap5"
CRISPY_TEMPLATE_PACK = "bootstrap5"

# Email: console by default; EMAIL_URL=smtp+tls://user:pass@host:587 in production.
_email = env.email_url("EMAIL_URL", default="consolemail://")
EMAIL_BACKEND = env("EMAIL_BACKEND", default=_email["EMAIL_BACKEND"])
# filemail:///var/mail/glenwood writes to that folder (django-environ would drop its first slash).
_EMAIL_URL = env("EMAIL_URL", default="")
_email_folder = _EMAIL_URL.removeprefix("filemail://") if _EMAIL_URL.startswith("filemail://") else ""
EMAIL_FILE_PATH = env("EMAIL_FILE_PATH", default=_email_folder or str(VAR_DIR / "emails"))
EMAIL_HOST = _email.get("EMAIL_HOST", "")
EMAIL_PORT = _email.get("EMAIL_PORT") or 25
EMAIL_HOST_USER = _email.get("EMAIL_HOST_USER", "")
EMAIL_HOST_PASSWORD = _email.get("EMAIL_HOST_PASSWORD", "")
EMAIL_USE_TLS = _email.get("EMAIL_USE_TLS", False)
EMAIL_USE_SSL = _email.get("EMAIL_USE_SSL", False)
EMAIL_TIMEOUT = env.int("EMAIL_TIMEOUT", default=30)  # seconds; a reminder "sending" longer is resent
DEFAULT_FROM_EMAIL = env("DEFAULT_FROM_EMAIL", default="Glenwood portal <portal@glenwood.example>")
SERVER_EMAIL = DEFAULT_FROM_EMAIL

# Celery: Redis in production; the embedded default keeps messages in files under var/.
CELERY_BROKER_URL = env("CELERY_BROKER_URL", default="filesystem://")
# A real worker in the tests (or a second portal on one machine) needs its own filesystem broker.
_BROKER_DIR = Path(env("CELERY_FILESYSTEM_FOLDER", default=str(VAR_DIR / "broker")))
CELERY_BROKER_TRANSPORT_OPTIONS = (
    {
        "data_folder_in": str(_BROKER_DIR / "out"),
        "data_folder_out": str(_BROKER_DIR / "out"),
        "processed_folder": str(_BROKER_DIR / "processed"),
        "control_folder": str(_BROKER_DIR / "control"),
        "store_processed": False,
    }
    if CELERY_BROKER_URL.startswith("filesystem")
    # Redis hands an unacknowledged message to another worker after this long: a task whose
    # worker died is run again (tasks are acks_late and idempotent), so keep it above the hard limit.
    else {"visibility_timeout": env.int("CELERY_VISIBILITY_TIMEOUT", default=3600)}
)
if CELERY_BROKER_URL.startswith("filesystem"):
    for _folder in ("out", "processed", "control"):
        (_BROKER_DIR / _folder).mkdir(parents=True, exist_ok=True)
CELERY_RESULT_BACKEND = None
CELERY_TASK_IGNORE_RESULT = True
CELERY_ACCEPT_CONTENT = ["json"]
CELERY_TASK_SERIALIZER = "json"
CELERY_RESULT_SERIALIZER = "json"
CELERY_TIMEZONE = TIME_ZONE
CELERY_TASK_SOFT_TIME_LIMIT = env.int("CELERY_TASK_SOFT_TIME_LIMIT", default=300)
CELERY_TASK_TIME_LIMIT = env.int("CELERY_TASK_TIME_LIMIT", default=360)
CELERY_TASK_ALWAYS_EAGER = False
CELERY_BEAT_SCHEDULER = "django_celery_beat.schedulers:DatabaseScheduler"
CELERY_WORKER_HIJACK_ROOT_LOGGER = False
CELERY_WORKER_PREFETCH_MULTIPLIER = 1
CELERY_BROKER_CONNECTION_RETRY_ON_STARTUP = True
# PDF rendering and sealing is heavy and bursty: it runs on a queue of its own, so a large export
# never delays a reminder. One worker may serve both queues (`make serve`, the tests); the Procfile
# gives the PDF queue a worker of its own that is recycled after a number of tasks.
CELERY_PDF_QUEUE = "pdf"
CELERY_TASK_ROUTES = {
    "agreements.tasks.build_export": {"queue": CELERY_PDF_QUEUE},
    "agreements.tasks.seal_evidence": {"queue": CELERY_PDF_QUEUE},
}

# The outbox (glenwood/outbox.py) and the sweeps that recover from a broker outage or a dead worker.
# Each sweep is a beat job every minute (reminders/schedule.py) and runs once when a worker starts.
STARTUP_SWEEPS = [
    "glenwood.tasks.outbox_sweep",
    "reminders.tasks.sweep_pending_reminders",
    "agreements.tasks.resume_stopped_exports",
]
OUTBOX_REHAND_AFTER_SECONDS = env.int("OUTBOX_REHAND_AFTER_SECONDS", default=600)
OUTBOX_KEEP_DONE_DAYS = env.int("OUTBOX_KEEP_DONE_DAYS", default=7)
# A reminder waiting this long is sent by the sweep; one left "sending" this long (its worker died
# mid-send) is sent again with the same Message-ID. Keep it well above EMAIL_TIMEOUT.
REMINDER_SWEEP_AFTER_SECONDS = env.int("REMINDER_SWEEP_AFTER_SECONDS", default=60)
# Governors who have not yet decided on a policy hear this many days before the meeting the head named.
MEETING_REMINDER_DAYS_BEFORE = env.int("MEETING_REMINDER_DAYS_BEFORE", default=3)
REMINDER_SENDING_TIMEOUT_SECONDS = env.int("REMINDER_SENDING_TIMEOUT_SECONDS", default=300)

# Production hardening: on whenever DEBUG is off, so `check --deploy` is clean.
if not DEBUG:
    SECURE_PROXY_SSL_HEADER = ("HTTP_X_FORWARDED_PROTO", "https")
    SECURE_SSL_REDIRECT = env.bool("SECURE_SSL_REDIRECT", default=True)
    SESSION_COOKIE_SECURE = True
    CSRF_COOKIE_SECURE = True
    SECURE_HSTS_SECONDS = env.int("SECURE_HSTS_SECONDS", default=31536000)
    SECURE_HSTS_INCLUDE_SUBDOMAINS = True
    SECURE_HSTS_PRELOAD = True
SESSION_COOKIE_HTTPONLY = True
X_FRAME_OPTIONS = "DENY"
SECURE_CONTENT_TYPE_NOSNIFF = True
SECURE_REFERRER_POLICY = "same-origin"

LOGGING = {
    "version": 1,
    "disable_existing_loggers": False,
    "handlers": {"console": {"class": "logging.StreamHandler"}},
    "root": {"handlers": ["console"], "level": env("LOG_LEVEL", default="INFO")},
    # WeasyPrint reports every rendering step at INFO; keep its warnings (refused URLs) only.
    "loggers": {"weasyprint.progress": {"level": "WARNING"}},
}

# --- Evidence PDFs, their verification and bulk export (agreements) ------------------------------
# Everything the sealed evidence PDFs need, in one block. The seal's certificate and key come from
# the environment; `make run` writes a self-signed pair to these default paths when none exists.
_SIGNING_DIR = VAR_DIR / "signing"
SIGNING_CERT_PATH = env("SIGNING_CERT_PATH", default=str(_SIGNING_DIR / "certificate.pem"))
SIGNING_KEY_PATH = env("SIGNING_KEY_PATH", default=str(_SIGNING_DIR / "private-key.pem"))
SIGNING_KEY_PASSPHRASE = env("SIGNING_KEY_PASSPHRASE", default="")
SIGNING_PKCS12_PATH = env("SIGNING_PKCS12_PATH", default="")  # instead of the two PEM files
SIGNING_PKCS12_PASSPHRASE = env("SIGNING_PKCS12_PASSPHRASE", default="")
# The seal certificate's issuers up to the root (PEM): with it, seals carry long-term validation data.
SIGNING_CHAIN_PATH = env("SIGNING_CHAIN_PATH", default="")
# An RFC 3161 time-stamping authority: every seal then carries a trusted time (PAdES B-T).
TSA_URL = env("TSA_URL", default="")
TSA_TIMEOUT = env.int("TSA_TIMEOUT", default=10)
TSA_ROOTS_PATH = env("TSA_ROOTS_PATH", default="")  # the TSA's root (PEM), when not in the chain
EVIDENCE_BATCH_SIZE = env.int("EVIDENCE_BATCH_SIZE", default=50)  # certificate pages per WeasyPrint run
# Processes an export renders and seals on: 0 means one per core.
EVIDENCE_PROCESSES = env.int("EVIDENCE_PROCESSES", default=0)
EXPORT_LIFETIME_HOURS = env.int("EXPORT_LIFETIME_HOURS", default=24)
EXPORT_STALLED_AFTER_SECONDS = env.int("EXPORT_STALLED_AFTER_SECONDS", default=300)
# A running export's worker renews its lease this often; one not renewed for EXPORT_LEASE_SECONDS
# (the worker died) is resumed by the sweep, reusing the PDFs already made.
EXPORT_HEARTBEAT_SECONDS = env.int("EXPORT_HEARTBEAT_SECONDS", default=15)
EXPORT_LEASE_SECONDS = env.int("EXPORT_LEASE_SECONDS", default=90)
VERIFY_UPLOAD_MAX_BYTES = env.int("VERIFY_UPLOAD_MAX_BYTES", default=5 * 1024 * 1024)
VERIFY_RATE = env("VERIFY_RATE", default="30/m")  # per IP address, on the public verify page
# Behind a proxy, the client's address is in a header (e.g. HTTP_X_FORWARDED_FOR), not REMOTE_ADDR.
RATELIMIT_IP_META_KEY = env("RATELIMIT_IP_META_KEY", default=None)
# The throttles (verify page, kiosk) count in the cache, which must be shared by every web process:
# Redis when CACHE_URL (or REDIS_URL) names one, otherwise a table in the portal's own database
# (made by a migration), with an atomic increment (glenwood/cache.py).
_CACHE_URL = env("CACHE_URL", default="") or env("REDIS_URL", default="") or "dbcache://glenwood_cache"
CACHES = {"default": env.cache_url_config(_CACHE_URL)}
if CACHES["default"]["BACKEND"] == "django.core.cache.backends.db.DatabaseCache":
    CACHES["default"]["BACKEND"] = "glenwood.cache.SharedDatabaseCache"
# django-ratelimit knows only memcached and django-redis by name; Django's own Redis cache and the
# database cache above both increment atomically (tests/test_shared_throttle.py counts across processes).
SILENCED_SYSTEM_CHECKS = ["django_ratelimit.W001"]
