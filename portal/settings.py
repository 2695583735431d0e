"""Django settings. Everything configurable comes from the environment (see `portal.config`)."""

from datetime import timedelta
from pathlib import Path
from urllib.parse import urlsplit

import dj_database_url
from django.utils.translation import gettext_lazy as _

from portal.config import SETTINGS
from portal.datastore.geo import tile_origin
from portal.lib.env import read_all
from portal.lib.secret import load_or_create_audit_key, load_or_create_secret_key

BASE_DIR = Path(__file__).resolve().parent.parent
ENV = read_all(SETTINGS)

VAR_DIR = (BASE_DIR / ENV["VAR_DIR"]).resolve()
DEBUG = ENV["DEBUG"]
SECRET_KEY = ENV["SECRET_KEY"] or load_or_create_secret_key(VAR_DIR)
AUDIT_KEY = ENV["AUDIT_KEY"] or load_or_create_audit_key(VAR_DIR)
AUDIT_CHECKPOINT_FILE = ENV["AUDIT_CHECKPOINT_FILE"] or str(VAR_DIR / "audit" / "checkpoints.log")
AUDIT_CHECKPOINT_MINUTES = ENV["AUDIT_CHECKPOINT_MINUTES"]
ALLOWED_HOSTS = ENV["ALLOWED_HOSTS"]
SITE_URL = ENV["SITE_URL"]
PROVINCE_CODE = ENV["PROVINCE_CODE"]
MAX_UPLOAD_SIZE = ENV["MAX_UPLOAD_SIZE"]
API_MAX_ROWS = ENV["API_MAX_ROWS"]
FETCH_ALLOWED_HOSTS = ENV["FETCH_ALLOWED_HOSTS"]
OPENLIST_IMPORT_MAX_ROWS = ENV["OPENLIST_IMPORT_MAX_ROWS"]
OPENLIST_IMPORT_MAX_SIZE = ENV["OPENLIST_IMPORT_MAX_SIZE"]
OPENLIST_DECISION_MAX_SIZE = ENV["OPENLIST_DECISION_MAX_SIZE"]
DATASTORE_MAX_ROWS = ENV["DATASTORE_MAX_ROWS"]
DATASTORE_SQL_MAX_ROWS = ENV["DATASTORE_SQL_MAX_ROWS"]
DATASTORE_QUERY_TIMEOUT = ENV["DATASTORE_QUERY_TIMEOUT"]
DATASTORE_QUERY_PROCESSES = ENV["DATASTORE_QUERY_PROCESSES"]
DATASTORE_PROCESS_MEMORY = ENV["DATASTORE_PROCESS_MEMORY"]
DATASTORE_SQL_MAX_LENGTH = ENV["DATASTORE_SQL_MAX_LENGTH"]
DATASTORE_SQL_MAX_DEPTH = ENV["DATASTORE_SQL_MAX_DEPTH"]
DATASTORE_MAX_RESULT_SIZE = ENV["DATASTORE_MAX_RESULT_SIZE"]
DATASTORE_EXPORT_TIMEOUT = ENV["DATASTORE_EXPORT_TIMEOUT"]
DATASTORE_XLSX_MAX_ROWS = ENV["DATASTORE_XLSX_MAX_ROWS"]
DATASTORE_MEMORY_LIMIT = ENV["DATASTORE_MEMORY_LIMIT"]
DATASTORE_INGEST_MEMORY_LIMIT = ENV["DATASTORE_INGEST_MEMORY_LIMIT"]
DATASTORE_THREADS = ENV["DATASTORE_THREADS"]
DATASTORE_EXACT_TOTAL_SECONDS = ENV["DATASTORE_EXACT_TOTAL_SECONDS"]
DATASTORE_MAX_UNPACKED_SIZE = ENV["DATASTORE_MAX_UNPACKED_SIZE"]
DATASTORE_HEARTBEAT_TIMEOUT = ENV["DATASTORE_HEARTBEAT_TIMEOUT"]
DATASTORE_MAX_ATTEMPTS = ENV["DATASTORE_MAX_ATTEMPTS"]
DATASTORE_MAX_COMPRESSION_RATIO = ENV["DATASTORE_MAX_COMPRESSION_RATIO"]
DATASTORE_MAX_CELLS = ENV["DATASTORE_MAX_CELLS"]
DATASTORE_CACHE_DIR = ENV["DATASTORE_CACHE_DIR"] or str(VAR_DIR / "datastore-cache")
PRIVACY_MIN_GROUP_SIZE = ENV["PRIVACY_MIN_GROUP_SIZE"]
PRIVACY_SAMPLE_ROWS = ENV["PRIVACY_SAMPLE_ROWS"]
PRIVACY_TEXT_SCAN_BYTES = ENV["PRIVACY_TEXT_SCAN_BYTES"]
RATE_LIMIT_ANONYMOUS = ENV["RATE_LIMIT_ANONYMOUS"]
RATE_LIMIT_ANONYMOUS_COSTLY = ENV["RATE_LIMIT_ANONYMOUS_COSTLY"]
RATE_LIMIT_TOKEN = ENV["RATE_LIMIT_TOKEN"]
RATE_LIMIT_TOKEN_COSTLY = ENV["RATE_LIMIT_TOKEN_COSTLY"]
RATE_LIMIT_LOGIN = ENV["RATE_LIMIT_LOGIN"]
TRUSTED_PROXY = ENV["TRUSTED_PROXY"]
MAP_TILE_URL = ENV["MAP_TILE_URL"]
MAP_TILE_ATTRIBUTION = ENV["MAP_TILE_ATTRIBUTION"]
SHUTDOWN_GRACE_SECONDS = ENV["SHUTDOWN_GRACE_SECONDS"]
FEEDBACK_RESPONSE_DAYS = ENV["FEEDBACK_RESPONSE_DAYS"]
FEEDBACK_RESOLUTION_DAYS = ENV["FEEDBACK_RESOLUTION_DAYS"]
FEEDBACK_CONTACT_RETENTION_DAYS = ENV["FEEDBACK_CONTACT_RETENTION_DAYS"]
FEEDBACK_MAX_LENGTH = ENV["FEEDBACK_MAX_LENGTH"]
FEEDBACK_MAX_LINKS = ENV["FEEDBACK_MAX_LINKS"]
FOLLOW_CONFIRM_DAYS = ENV["FOLLOW_CONFIRM_DAYS"]

INSTALLED_APPS = [
    "portal.audit.admin_apps.AuditedAdminConfig",  # django.contrib.admin, audited
    "django.contrib.auth",
    "django.contrib.contenttypes",
    "django.contrib.sessions",
    "django.contrib.messages",
    "whitenoise.runserver_nostatic",
    "django.contrib.staticfiles",
    "django.contrib.humanize",
    "huey.contrib.djhuey",
    "portal.accounts",
    "portal.agencies",
    "portal.catalog",
    "portal.datastore",
    "portal.openlist",
    "portal.feedback",
    "portal.follows",
    "portal.privacy",
    "portal.interop",
    "portal.pages",
    "portal.ops",
    "portal.demo",
    "axes",
    "django_otp",
    "django_otp.plugins.otp_totp",
    "django_otp.plugins.otp_static",
    "portal.security",
    "portal.audit",
    "ninja",  # the /api/v1 docs page with the Swagger UI assets ninja ships (no CDN)
]

MIDDLEWARE = [
    "django.middleware.security.SecurityMiddleware",
    "csp.middleware.CSPMiddleware",
    "whitenoise.middleware.WhiteNoiseMiddleware",
    "django.contrib.sessions.middleware.SessionMiddleware",
    "portal.pages.language.LanguageMiddleware",
    "django.middleware.common.CommonMiddleware",
    "django.middleware.csrf.CsrfViewMiddleware",
    "django.contrib.auth.middleware.AuthenticationMiddleware",
    "django_otp.middleware.OTPMiddleware",
    "portal.security.middleware.TwoFactorMiddleware",
    "portal.audit.context.AuditOriginMiddleware",
    "portal.ops.ratelimit.RateLimitMiddleware",
    "django.contrib.messages.middleware.MessageMiddleware",
    "django.middleware.clickjacking.XFrameOptionsMiddleware",
    "axes.middleware.AxesMiddleware",  # last: turns a lockout into the login page's message
]

ROOT_URLCONF = "portal.urls"
WSGI_APPLICATION = "portal.wsgi.application"

TEMPLATES = [
    {
        "BACKEND": "django.template.backends.django.DjangoTemplates",
        "DIRS": [BASE_DIR / "portal" / "templates"],
        "APP_DIRS": True,
        "OPTIONS": {
            "context_processors": [
                "django.template.context_processors.request",
                "django.contrib.auth.context_processors.auth",
                "django.contrib.messages.context_processors.messages",
                "django.template.context_processors.i18n",
                "portal.pages.context.portal",
                "portal.accounts.context.staff_links",
            ],
            # {% load panels %}: the slots higher apps fill on lower apps' pages (lib/panels.py)
            "libraries": {"panels": "portal.lib.templatetags.panels"},
        },
    },
]

DATABASES = {
    "default": dj_database_url.parse(
        ENV["DATABASE_URL"] or f"sqlite:///{VAR_DIR / 'portal.sqlite3'}",
        conn_max_age=60,
        conn_health_checks=True,
    )
}
if DATABASES["default"]["ENGINE"] == "django.db.backends.sqlite3":
    DATABASES["default"]["CONN_MAX_AGE"] = 0
    DATABASES["default"]["OPTIONS"] = {
        "transaction_mode": "IMMEDIATE",
        "init_command": "PRAGMA journal_mode=WAL; PRAGMA synchronous=NORMAL; "
        "PRAGMA busy_timeout=5000;",
    }
DEFAULT_AUTO_FIELD = "django.db.models.BigAutoField"

AUTH_USER_MODEL = "accounts.User"
LOGIN_URL = "accounts:login"
LOGIN_REDIRECT_URL = "catalog:dashboard"
LOGOUT_REDIRECT_URL = "pages:home"
# Axes first: it refuses a locked login before the password is even checked.
AUTHENTICATION_BACKENDS = [
    "portal.security.backends.LockoutBackend",
    "django.contrib.auth.backends.ModelBackend",
]
AXES_FAILURE_LIMIT = ENV["LOGIN_FAILURE_LIMIT"]
LOGIN_LOCKOUT_MINUTES = ENV["LOGIN_LOCKOUT_MINUTES"]
AXES_COOLOFF_TIME = timedelta(minutes=LOGIN_LOCKOUT_MINUTES)
AXES_LOCKOUT_PARAMETERS = [["username", "ip_address"]]
AXES_LOCKOUT_CALLABLE = "portal.security.lockout.locked_out_response"
AXES_RESET_ON_SUCCESS = True
AXES_VERBOSE = False
OTP_TOTP_ISSUER = "Cổng dữ liệu mở"
PASSWORD_RESET_TIMEOUT = ENV["PASSWORD_LINK_DAYS"] * 24 * 3600  # one-time set-password links
AUTH_PASSWORD_VALIDATORS = [
    {"NAME": "django.contrib.auth.password_validation.UserAttributeSimilarityValidator"},
    {"NAME": "django.contrib.auth.password_validation.MinimumLengthValidator",
     "OPTIONS": {"min_length": 12}},
    {"NAME": "django.contrib.auth.password_validation.CommonPasswordValidator"},
    {"NAME": "django.contrib.auth.password_validation.NumericPasswordValidator"},
]

LANGUAGE_CODE = "vi"
LANGUAGES = [("vi", _("Vietnamese")), ("en", _("English"))]
LOCALE_PATHS = [BASE_DIR / "portal" / "locale"]
TIME_ZONE = ENV["TIME_ZONE"]
USE_I18N = True
USE_TZ = True

STATIC_URL = "/static/"
STATIC_ROOT = VAR_DIR / "static"
STATICFILES_DIRS = [
    ("vendor/bootstrap", BASE_DIR / "node_modules" / "bootstrap" / "dist"),
    ("vendor/htmx", BASE_DIR / "node_modules" / "htmx.org" / "dist"),
    ("vendor/leaflet", BASE_DIR / "node_modules" / "leaflet" / "dist"),
    BASE_DIR / "portal" / "static",  # the portal's own CSS: `portal` itself is not an app
]
# Single files of packages whose dist folder is mostly builds the portal does not use (ECharts'
# is 51 MB): collecting and compressing all of it would triple `collectstatic`'s time.
VENDOR_FILES = {
    "vendor/echarts/echarts.common.min.js":
        BASE_DIR / "node_modules" / "echarts" / "dist" / "echarts.common.min.js",
}
STATICFILES_FINDERS = [
    "django.contrib.staticfiles.finders.FileSystemFinder",
    "django.contrib.staticfiles.finders.AppDirectoriesFinder",
    "portal.lib.vendor.VendorFileFinder",
]
MEDIA_URL = "/media/"
MEDIA_ROOT = VAR_DIR / "media"
STORAGES = {
    "default": {"BACKEND": "django.core.files.storage.FileSystemStorage"},
    "staticfiles": {"BACKEND": "whitenoise.storage.CompressedManifestStaticFilesStorage"},
}
# Uploads are streamed to a temporary file while hashed; nothing is kept whole in memory.
FILE_UPLOAD_HANDLERS = ["portal.catalog.uploads.HashingUploadHandler"]
FILE_UPLOAD_TEMP_DIR = str(VAR_DIR / "uploads")
FILE_UPLOAD_PERMISSIONS = 0o640
DATA_UPLOAD_MAX_MEMORY_SIZE = 5 * 1024 * 1024

SECURE_CONTENT_TYPE_NOSNIFF = True
SECURE_REFERRER_POLICY = "same-origin"
X_FRAME_OPTIONS = "DENY"
SESSION_COOKIE_HTTPONLY = True
SESSION_COOKIE_SAMESITE = "Lax"
SESSION_COOKIE_AGE = ENV["SESSION_HOURS"] * 3600
CSRF_COOKIE_HTTPONLY = True
if ENV["HTTPS"]:
    SECURE_PROXY_SSL_HEADER = ("HTTP_X_FORWARDED_PROTO", "https")
    SECURE_SSL_REDIRECT = True
    SESSION_COOKIE_SECURE = True
    CSRF_COOKIE_SECURE = True
    SECURE_HSTS_SECONDS = 31536000

# No inline script or style anywhere (docs/security.md); htmx runs without eval (base.html).
# `data:` images: Bootstrap's CSS draws some icons (the menu button) as data: SVG.
CONTENT_SECURITY_POLICY = {
    "DIRECTIVES": {
        "default-src": ["'self'"],
        "script-src": ["'self'"],
        "style-src": ["'self'"],
        # The operator's tile server, when maps have one (MAP_TILE_URL).
        "img-src": ["'self'", "data:", *filter(None, [tile_origin(MAP_TILE_URL)])],
        "object-src": ["'none'"],
        "frame-ancestors": ["'none'"],
        "form-action": ["'self'"],
        "base-uri": ["'self'"],
    },
}

# The cache holds the rate-limit counters (portal.ops.ratelimit), so it must be shared by every
# process that serves requests: Redis between app copies; without Redis, files under VAR_DIR,
# shared by gunicorn's workers on one machine (a per-process memory cache would let each
# worker allow the whole limit), with no database write on each API call.
if ENV["REDIS_URL"]:
    CACHES = {"default": {"BACKEND": "django.core.cache.backends.redis.RedisCache",
                          "LOCATION": ENV["REDIS_URL"], "KEY_PREFIX": "portal"}}
else:
    CACHES = {"default": {"BACKEND": "django.core.cache.backends.filebased.FileBasedCache",
                          "LOCATION": str(VAR_DIR / "cache"),
                          "OPTIONS": {"MAX_ENTRIES": 10000}}}

(VAR_DIR / "uploads").mkdir(parents=True, exist_ok=True)

# Mail (set-password links): SMTP with EMAIL_HOST; without it, one file per message under
# VAR_DIR/mail, so that a fresh machine works and the operator can read what was sent.
EMAIL_HOST = ENV["EMAIL_HOST"]
EMAIL_BACKEND = ("django.core.mail.backends.smtp.EmailBackend" if EMAIL_HOST
                 else "django.core.mail.backends.filebased.EmailBackend")
EMAIL_FILE_PATH = str(VAR_DIR / "mail")
EMAIL_PORT = ENV["EMAIL_PORT"]
EMAIL_HOST_USER = ENV["EMAIL_HOST_USER"]
EMAIL_HOST_PASSWORD = ENV["EMAIL_HOST_PASSWORD"]
EMAIL_USE_SSL = ENV["EMAIL_USE_SSL"]
EMAIL_USE_TLS = ENV["EMAIL_USE_TLS"] and not EMAIL_USE_SSL  # Django refuses both
EMAIL_TIMEOUT = ENV["EMAIL_TIMEOUT"]
DEFAULT_FROM_EMAIL = ENV["DEFAULT_FROM_EMAIL"] or (
    f"noreply@{urlsplit(SITE_URL).hostname or 'localhost'}")

HUEY = {
    "name": "portal",
    "immediate": False,
    # An idle worker looks at the queue at least every quarter second (SQLite queue: a cheap
    # read), so an upload is being read into a table moments after it is stored.
    # SIGTERM (what `portal serve`, systemd and container runtimes send) lets the jobs in
    # flight finish for the grace period (less half a second, so the worker ends by itself
    # before `serve` would kill it); a job still running then is cut short, and the next worker
    # runs it again (portal/datastore/runstate.py). SIGINT stops at once.
    "consumer": {"workers": 2, "worker_type": "thread", "initial_delay": 0.05, "backoff": 1.5,
                 "max_delay": 0.25, "graceful_signal": "TERM",
                 "shutdown_timeout": SHUTDOWN_GRACE_SECONDS - 0.5},
}
if ENV["REDIS_URL"]:
    HUEY.update({"huey_class": "huey.RedisHuey", "url": ENV["REDIS_URL"]})
else:
    HUEY.update({"huey_class": "huey.SqliteHuey", "filename": str(VAR_DIR / "jobs.sqlite3")})

LOGGING = {
    "version": 1,
    "disable_existing_loggers": False,
    "filters": {"one_line_warning": {"()": "portal.lib.logs.OneLineWarning"}},
    "formatters": {"line": {"format": "[%(asctime)s] [%(process)d] [%(levelname)s] %(name)s: "
                                      "%(message)s"}},
    "handlers": {"console": {"class": "logging.StreamHandler", "formatter": "line"}},
    "root": {"handlers": ["console"], "level": ENV["LOG_LEVEL"]},
    "loggers": {
        # A request for another site's host name is refused with 400 (docs/security.md): one
        # line in the log, as a warning, not an error with a traceback.
        "django.security.DisallowedHost": {"level": "WARNING", "filters": ["one_line_warning"]},
        # The job worker (`portal run_huey`) adds a handler of its own to a "huey" logger that
        # has none, which printed each line twice with the root's: it gets the root's here.
        "huey": {"handlers": ["console"], "propagate": False},
    },
}
