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
    "people",
    "audit",
    "policies",
    "agreements",
    "reminders",
    "breaches",
    "retention",
]

MIDDLEWARE = [
    "django.middleware.security.SecurityMiddleware",
    "django.contrib.sessions.middleware.SessionMiddleware",
    "django.middleware.common.CommonMiddleware",
    "django.middleware.csrf.CsrfViewMiddleware",
    "django.contrib.auth.middleware.AuthenticationMiddleware",
    "django.contrib.messages.middleware.MessageMiddleware",
    "audit.middleware.RefusedAttemptMiddleware",
    "agreements.middleware.KioskLockMiddleware",
    "people.middleware.ExpiredAccountMiddleware",
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
if DATABASES["default"]["ENGINE"] == "django.db.backends.postgresql":
    DATABASES["default"].setdefault("CONN_MAX_AGE", env.int("CONN_MAX_AGE", default=60))
    DATABASES["default"]["CONN_HEALTH_CHECKS"] = True
DEFAULT_AUTO_FIELD = "django.db.models.BigAutoField"

AUTH_USER_MODEL = "people.Person"
# Refuses supply staff and trainees after their account's expiry day, at log-in and mid-session.
AUTHENTICATION_BACKENDS = ["people.backends.ExpiringAccountBackend"]
LOGIN_URL = "login"
LOGIN_REDIRECT_URL = "home"
LOGOUT_REDIRECT_URL = "login"
AUTH_PASSWORD_VALIDATORS = [
    {"NAME": "django.contrib.auth.password_validation.UserAttributeSimilarityValidator"},
    {"NAME": "django.contrib.auth.password_validation.MinimumLengthValidator"},
    {"NAME": "django.contrib.auth.password_validation.CommonPasswordValidator"},
    {"NAME": "django.contrib.auth.password_validation.NumericPasswordValidator"},
]

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
BREACH_UPLOAD_MAX_FILES = env.int("BREACH_UPLOAD_MAX_FILES", default=10)
BREACH_APPEAL_WORKING_DAYS = env.int("BREACH_APPEAL_WORKING_DAYS", default=10)

CRISPY_ALLOWED_TEMPLATE_PACKS = "bootstrap5"
CRISPY_TEMPLATE_PACK = "bootstrap5"

# Email: console by default; EMAIL_URL=smtp+tls://user:pass@host:587 in production.
_email = env.email_url("EMAIL_URL", default="consolemail://")
EMAIL_BACKEND = env("EMAIL_BACKEND", default=_email["EMAIL_BACKEND"])
EMAIL_FILE_PATH = env("EMAIL_FILE_PATH", default=str(VAR_DIR / "emails"))
EMAIL_HOST = _email.get("EMAIL_HOST", "")
EMAIL_PORT = _email.get("EMAIL_PORT") or 25
EMAIL_HOST_USER = _email.get("EMAIL_HOST_USER", "")
EMAIL_HOST_PASSWORD = _email.get("EMAIL_HOST_PASSWORD", "")
EMAIL_USE_TLS = _email.get("EMAIL_USE_TLS", False)
EMAIL_USE_SSL = _email.get("EMAIL_USE_SSL", False)
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

# Production hardening: on whenever DEBUG is off, so `check --deploy` is clean.
if not DEBUG:
    SECURE_PROXY_SSL_HEADER = ("HTTP_X_FORWARDED_PROTO", "https")
    SECURE_SSL_REDIRECT = env.bool("SECURE_SSL_REDIRECT", default=True)
    SESSION_COOKIE_SECURE = True
    CSRF_COOKIE_SECURE = True
    SECURE_HSTS_SECONDS = env.int("SECURE_HSTS_SECONDS", default=31536000)
    SECURE_HSTS_INCLUDE_SUBDOMAINS = True
    SECURE_HSTS_PRELOAD = True
    SECURE_CONTENT_TYPE_NOSNIFF = True
    SECURE_REFERRER_POLICY = "same-origin"
    X_FRAME_OPTIONS = "DENY"
SESSION_COOKIE_HTTPONLY = True

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
EVIDENCE_BATCH_SIZE = env.int("EVIDENCE_BATCH_SIZE", default=50)  # certificate pages per WeasyPrint run
# Processes an export renders and seals on: 0 means one per core.
EVIDENCE_PROCESSES = env.int("EVIDENCE_PROCESSES", default=0)
EXPORT_LIFETIME_HOURS = env.int("EXPORT_LIFETIME_HOURS", default=24)
EXPORT_STALLED_AFTER_SECONDS = env.int("EXPORT_STALLED_AFTER_SECONDS", default=300)
VERIFY_UPLOAD_MAX_BYTES = env.int("VERIFY_UPLOAD_MAX_BYTES", default=5 * 1024 * 1024)
VERIFY_RATE = env("VERIFY_RATE", default="30/m")  # per IP address, on the public verify page
# Behind a proxy, the client's address is in a header (e.g. HTTP_X_FORWARDED_FOR), not REMOTE_ADDR.
RATELIMIT_IP_META_KEY = env("RATELIMIT_IP_META_KEY", default=None)
# The verify page's throttle counts in the cache: per process by default; CACHE_URL=redis://... shares
# it between the web processes of a production deployment.
CACHES = {"default": env.cache_url("CACHE_URL", default="locmemcache://")}
