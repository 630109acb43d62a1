"""
Settings for the CRM, all in one module and driven by environment variables.

Without any variable set the project runs on embedded defaults (SQLite, Celery's
file-system broker, e-mails written to files under var/) so `make run` needs no
server. Production sets DATABASE_URL, REDIS_URL, EMAIL_URL, SECRET_KEY and
ALLOWED_HOSTS (see README.md, "Configuration").
"""

from pathlib import Path

import environ
from django.core.exceptions import ImproperlyConfigured
from django.utils.translation import gettext_lazy as _

BASE_DIR = Path(__file__).resolve().parent.parent
VAR_DIR = BASE_DIR / "var"  # runtime data of the embedded defaults; git-ignored

env = environ.Env()

# --- Core -------------------------------------------------------------------
DEBUG = env.bool("DEBUG", default=False)

# A development key is only acceptable while DEBUG is on: a production process
# must not start with a key that is published in the repository.
SECRET_KEY = env("SECRET_KEY", default="")
if not SECRET_KEY:
    if not DEBUG:
        raise ImproperlyConfigured("SECRET_KEY must be set when DEBUG is off.")
    SECRET_KEY = "dev-only-insecure-key-do-not-use-in-production"  # noqa: S105

ALLOWED_HOSTS = env.list("ALLOWED_HOSTS", default=["localhost", "127.0.0.1", "[::1]"] if DEBUG else [])
CSRF_TRUSTED_ORIGINS = env.list("CSRF_TRUSTED_ORIGINS", default=[])

INSTALLED_APPS = [
    "django.contrib.admin",
    "django.contrib.auth",
    "django.contrib.contenttypes",
    "django.contrib.sessions",
    "django.contrib.messages",
    "whitenoise.runserver_nostatic",
    "django.contrib.staticfiles",
    "django.contrib.humanize",
    # third party
    "rest_framework",
    "rest_framework.authtoken",
    "django_filters",
    "drf_spectacular",
    "drf_spectacular_sidecar",
    "django_htmx",
    "template_partials",
    "django_countries",
    "phonenumber_field",
    "simple_history",
    "django_ratelimit",
    # ours, lower layers first (see STYLE.md, "The folder tree is the architecture")
    "core",
    "accounts",
    "clients",
    "contacts",
    "interactions",
    "orders",
    "complaints",
    "feedback",
    "segments",
    "dashboards",
]

MIDDLEWARE = [
    "django.middleware.security.SecurityMiddleware",
    "whitenoise.middleware.WhiteNoiseMiddleware",
    "django.contrib.sessions.middleware.SessionMiddleware",
    "django.middleware.locale.LocaleMiddleware",
    "django.middleware.common.CommonMiddleware",
    "django.middleware.csrf.CsrfViewMiddleware",
    "django.contrib.auth.middleware.AuthenticationMiddleware",
    # after authentication: a signed-in user's own language and time zone win
    "accounts.middleware.UserPreferencesMiddleware",
    "django.contrib.messages.middleware.MessageMiddleware",
    "django.middleware.clickjacking.XFrameOptionsMiddleware",
    "django_htmx.middleware.HtmxMiddleware",
    "simple_history.middleware.HistoryRequestMiddleware",
]

ROOT_URLCONF = "crm.urls"
WSGI_APPLICATION = "crm.wsgi.application"

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
                "django.template.context_processors.i18n",
                "django.template.context_processors.tz",
                "interactions.context_processors.notifications",
            ],
        },
    },
]

# --- Database ---------------------------------------------------------------
DATABASES = {
    "default": env.db_url("DATABASE_URL", default=f"sqlite:///{VAR_DIR / 'crm.sqlite3'}"),
}
DATABASES["default"]["ATOMIC_REQUESTS"] = False
if DATABASES["default"]["ENGINE"].endswith("sqlite3"):
    # SQLite has no row locks: BEGIN IMMEDIATE takes the write lock at the start of
    # each transaction, so two workers claiming the same reminder are serialised.
    DATABASES["default"].setdefault("OPTIONS", {}).update({"transaction_mode": "IMMEDIATE", "timeout": 20})
elif "postgresql" in DATABASES["default"]["ENGINE"]:
    # PostgreSQL's JIT compiles any plan whose estimated cost is high, and correlated subqueries (segment rules,
    # dashboard figures) always estimate high: on the bench it spent 250 ms compiling a 190 ms segment preview.
    # Requests here are short OLTP reads; compiling never pays off.
    DATABASES["default"].setdefault("OPTIONS", {}).setdefault("options", "-c jit=off")
DATABASES["default"].setdefault("CONN_MAX_AGE", env.int("CONN_MAX_AGE", default=60))
DEFAULT_AUTO_FIELD = "django.db.models.BigAutoField"

# --- Auth -------------------------------------------------------------------
AUTH_USER_MODEL = "accounts.User"
LOGIN_URL = "accounts:login"
LOGIN_REDIRECT_URL = "home"  # → "My day"
LOGOUT_REDIRECT_URL = "accounts:login"
AUTH_PASSWORD_VALIDATORS = [
    {"NAME": "django.contrib.auth.password_validation.UserAttributeSimilarityValidator"},
    {"NAME": "django.contrib.auth.password_validation.MinimumLengthValidator"},
    {"NAME": "django.contrib.auth.password_validation.CommonPasswordValidator"},
    {"NAME": "django.contrib.auth.password_validation.NumericPasswordValidator"},
]

# --- Internationalisation ---------------------------------------------------
LANGUAGE_CODE = "en"
LANGUAGES = [("en", _("English")), ("ru", _("Russian")), ("lt", _("Lithuanian"))]
LOCALE_PATHS = [BASE_DIR / "locale"]
FORMAT_MODULE_PATH = ["crm.formats"]
USE_I18N = True
USE_TZ = True  # stored in UTC, shown in the user's time zone
TIME_ZONE = env("TIME_ZONE", default="Europe/Vilnius")
PHONENUMBER_DEFAULT_REGION = env("PHONENUMBER_DEFAULT_REGION", default="LT")
PHONENUMBER_DEFAULT_FORMAT = "INTERNATIONAL"

# --- Static files -----------------------------------------------------------
STATIC_URL = "/static/"
STATICFILES_DIRS = [BASE_DIR / "static"]
STATIC_ROOT = BASE_DIR / "staticfiles"
STORAGES = {
    "default": {"BACKEND": "django.core.files.storage.FileSystemStorage"},
    # Hashed names in production; plain storage under DEBUG and tests, where no
    # collectstatic has run (see RECIPES.md).
    "staticfiles": {
        "BACKEND": "django.contrib.staticfiles.storage.StaticFilesStorage"
        if DEBUG or env.bool("PLAIN_STATIC", default=False)
        else "whitenoise.storage.CompressedManifestStaticFilesStorage"
    },
}

# --- E-mail -----------------------------------------------------------------
# Default: every message is written as a file under var/mail/, readable with any editor.
if env("EMAIL_URL", default=""):
    vars().update(env.email_url("EMAIL_URL"))
else:
    EMAIL_BACKEND = "django.core.mail.backends.filebased.EmailBackend"
    EMAIL_FILE_PATH = VAR_DIR / "mail"
DEFAULT_FROM_EMAIL = env("DEFAULT_FROM_EMAIL", default="CRM <crm@example.com>")

# --- Celery -----------------------------------------------------------------
# REDIS_URL selects Redis; without it Celery uses a broker made of folders under
# var/celery/, so a worker and beat run with no server at all.
REDIS_URL = env("REDIS_URL", default="")
if REDIS_URL:
    CELERY_BROKER_URL = REDIS_URL
    CELERY_BROKER_TRANSPORT_OPTIONS = {"visibility_timeout": 3600}
else:
    _broker_dir = VAR_DIR / "celery"
    CELERY_BROKER_URL = "filesystem://"
    CELERY_BROKER_TRANSPORT_OPTIONS = {
        "data_folder_in": str(_broker_dir / "out"),
        "data_folder_out": str(_broker_dir / "out"),
        "processed_folder": str(_broker_dir / "processed"),
        "control_folder": str(_broker_dir / "control"),
        "store_processed": False,
    }
    for _sub in ("out", "processed", "control"):
        (_broker_dir / _sub).mkdir(parents=True, exist_ok=True)
CELERY_TASK_IGNORE_RESULT = True
CELERY_TASK_ACKS_LATE = True  # a task lost with its worker is delivered again
CELERY_TASK_REJECT_ON_WORKER_LOST = True
CELERY_WORKER_PREFETCH_MULTIPLIER = 1
CELERY_TASK_ALWAYS_EAGER = env.bool("CELERY_TASK_ALWAYS_EAGER", default=False)
CELERY_BEAT_SCHEDULE_FILENAME = str(VAR_DIR / "celerybeat-schedule")
CELERY_BEAT_SCHEDULE: dict = {
    # Rows first, tasks deliver (DESIGN principle 1): these sweeps find what is due and
    # enqueue it, so a lost task message is picked up again by the next run.
    "sweep-reminders": {"task": "interactions.tasks.sweep_reminders_task", "schedule": 60.0},
    # Every 5 minutes: each user's digest goes out on the first run after 08:00 in their time zone.
    "send-digests": {"task": "interactions.tasks.send_digests_task", "schedule": 300.0},
    # Every 5 minutes: a notice row for each newly overdue order, then deliver the due notices.
    "sweep-overdue-orders": {"task": "orders.tasks.sweep_overdue_orders_task", "schedule": 300.0},
    # Every minute: SLA breaches recorded, escalations written once, their e-mails delivered.
    "escalate-complaints": {"task": "complaints.tasks.escalate_complaints_task", "schedule": 60.0},
    # Every minute: survey e-mails due (and inside the contact's sending window) go out.
    "sweep-surveys": {"task": "feedback.tasks.sweep_surveys_task", "schedule": 60.0},
    # Every hour: this period's relationship NPS requests (one per contact and period).
    "relationship-nps": {"task": "feedback.tasks.schedule_relationship_nps_task", "schedule": 3600.0},
    # Every 5 minutes: each team lead's weekly report goes out on the first run after Monday 08:00
    # in their time zone; failed sends are retried here after their backoff.
    "send-weekly-reports": {"task": "dashboards.tasks.send_weekly_reports_task", "schedule": 300.0},
    # Every 5 minutes: each team's default dashboard computed ahead into the cache (DASHBOARD_CACHE_SECONDS).
    "warm-dashboards": {"task": "dashboards.tasks.warm_dashboards_task", "schedule": 300.0},
    # Every hour: today's size of each active segment (the day keeps its latest figure) for the trend line.
    "record-segment-sizes": {"task": "segments.tasks.record_segment_sizes_task", "schedule": 3600.0},
    # Every minute: announcements and segment surveys whose batches stopped (a lost task message) go on.
    "sweep-segment-actions": {"task": "segments.tasks.sweep_segment_actions_task", "schedule": 60.0},
}
# The public address of the site, for links in e-mails (no request to take the host from).
SITE_URL = env("SITE_URL", default="http://127.0.0.1:8000")
CELERY_TIMEZONE = "UTC"

# --- Cache ------------------------------------------------------------------
# Rate limits (public survey pages) count in the cache: Redis in production so every web worker
# shares the counts; a per-process memory cache under `make run`, which is fine for one process.
if REDIS_URL:
    CACHES = {
        "default": {
            "BACKEND": "django.core.cache.backends.redis.RedisCache",
            "LOCATION": REDIS_URL,
            "KEY_PREFIX": env("CACHE_KEY_PREFIX", default="crm"),
        }
    }
else:
    # Files under var/: shared by the web process and the worker that warms the dashboards.
    CACHES = {
        "default": {
            "BACKEND": "django.core.cache.backends.filebased.FileBasedCache",
            "LOCATION": str(VAR_DIR / "cache"),
        }
    }
    SILENCED_SYSTEM_CHECKS = ["django_ratelimit.E003", "django_ratelimit.W001"]
RATELIMIT_VIEW = "feedback.views.rate_limited"
# A computed team dashboard is served from the cache for this long (dashboards.selectors.served); the
# warm-dashboards task recomputes the default views more often, so they never expire in between.
DASHBOARD_CACHE_SECONDS = env.int("DASHBOARD_CACHE_SECONDS", default=600)

# --- REST API ---------------------------------------------------------------
REST_FRAMEWORK = {
    "DEFAULT_AUTHENTICATION_CLASSES": [
        # Token first: an API client without credentials gets 401 with WWW-Authenticate.
        "accounts.authentication.PreferencesTokenAuthentication",
        "rest_framework.authentication.SessionAuthentication",
    ],
    "DEFAULT_PERMISSION_CLASSES": ["rest_framework.permissions.IsAuthenticated"],
    "DEFAULT_PAGINATION_CLASS": "rest_framework.pagination.PageNumberPagination",
    "PAGE_SIZE": 50,
    "DEFAULT_FILTER_BACKENDS": [
        "django_filters.rest_framework.DjangoFilterBackend",
        "rest_framework.filters.SearchFilter",
        "rest_framework.filters.OrderingFilter",
    ],
    "DEFAULT_SCHEMA_CLASS": "drf_spectacular.openapi.AutoSchema",
}
SPECTACULAR_SETTINGS = {
    "TITLE": "CRM API",
    "DESCRIPTION": (
        "Clients, contacts, interactions, follow-ups, notifications, products and orders of the account-management CRM."
    ),
    "VERSION": "1.0.0",
    "SERVE_INCLUDE_SCHEMA": False,
    # Swagger UI and ReDoc are served from the sidecar package: no CDN.
    "SWAGGER_UI_DIST": "SIDECAR",
    "SWAGGER_UI_FAVICON_HREF": "SIDECAR",
    "REDOC_DIST": "SIDECAR",
}

# --- Security (production) --------------------------------------------------
SESSION_COOKIE_SECURE = env.bool("SESSION_COOKIE_SECURE", default=not DEBUG)
CSRF_COOKIE_SECURE = env.bool("CSRF_COOKIE_SECURE", default=not DEBUG)
SECURE_PROXY_SSL_HEADER = ("HTTP_X_FORWARDED_PROTO", "https")
SECURE_CONTENT_TYPE_NOSNIFF = True
X_FRAME_OPTIONS = "DENY"

# --- Uploaded files ---------------------------------------------------------
# Order attachments: never served as static media; a view checks who may download them.
MEDIA_ROOT = env("MEDIA_ROOT", default=str(VAR_DIR / "media"))
MEDIA_URL = "/media/"  # unused: downloads go through orders:attachment_download

# --- Product settings -------------------------------------------------------
CLIENTS_PAGE_SIZE = 25
CLIENT_IMPORT_MAX_BYTES = 2 * 1024 * 1024
ORDERS_PAGE_SIZE = 25
ORDER_ATTACHMENT_MAX_BYTES = env.int("ORDER_ATTACHMENT_MAX_BYTES", default=10 * 1024 * 1024)
# Money: ISO 4217 codes with at most two minor units; the default is proposed on new orders.
DEFAULT_CURRENCY = env("DEFAULT_CURRENCY", default="EUR")
# Surveys (DESIGN "Survey defaults"). The company name is all the public answer page shows.
COMPANY_NAME = env("COMPANY_NAME", default="CRM")
SURVEY_TOKEN_DAYS = env.int("SURVEY_TOKEN_DAYS", default=30)
SURVEY_CONTACT_COOLDOWN_DAYS = env.int("SURVEY_CONTACT_COOLDOWN_DAYS", default=30)
SURVEY_COMPLAINT_CSAT_EXEMPT = env.bool("SURVEY_COMPLAINT_CSAT_EXEMPT", default=True)
SURVEY_MAX_PER_CLIENT_PER_30_DAYS = env.int("SURVEY_MAX_PER_CLIENT_PER_30_DAYS", default=10)
SURVEY_SEND_FROM_HOUR, SURVEY_SEND_UNTIL_HOUR = 9, 17
SURVEY_COMMENT_MAX_LENGTH = 2000
SURVEY_ANSWER_RATE_LIMIT = env("SURVEY_ANSWER_RATE_LIMIT", default="30/m")  # per IP, public pages
# Complaints: a resolved complaint can be reopened for this many days, then a new one is registered.
COMPLAINT_REOPEN_DAYS = env.int("COMPLAINT_REOPEN_DAYS", default=14)
COMPLAINTS_PAGE_SIZE = 25
CURRENCIES = env.list("CURRENCIES", default=["EUR", "USD", "GBP", "PLN", "SEK", "NOK", "DKK", "CHF"])

LOGGING = {
    "version": 1,
    "disable_existing_loggers": False,
    "handlers": {"console": {"class": "logging.StreamHandler"}},
    "root": {"handlers": ["console"], "level": env("LOG_LEVEL", default="INFO")},
}
