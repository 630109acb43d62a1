"""
Settings for the CRM, all in one module and driven by environment variables.

Without any variable set the project runs on embedded defaults (SQLite, Celery's
file-system broker, e-mails written to files under var/) so `make run` needs no
server. Production sets DATABASE_URL, REDIS_URL, EMAIL_URL, SECRET_KEY and
ALLOWED_HOSTS (see README.md, "Configuration").
"""

from datetime import timedelta
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
    "axes",  # login throttling (AXES_* below)
    "csp",  # Content-Security-Policy header (CONTENT_SECURITY_POLICY below)
    "django_otp",  # optional two-factor sign-in (TOTP; accounts.services, accounts.views)
    "django_otp.plugins.otp_totp",
    # ours, lower layers first (see STYLE.md, "The folder tree is the architecture")
    "core",
    "accounts",
    "clients",
    "contacts",
    "interactions",
    "orders",
    "complaints",
    "feedback",
    "health",
    "segments",
    "dashboards",
]

MIDDLEWARE = [
    "django.middleware.security.SecurityMiddleware",
    "csp.middleware.CSPMiddleware",
    "whitenoise.middleware.WhiteNoiseMiddleware",
    "django.contrib.sessions.middleware.SessionMiddleware",
    "django.middleware.locale.LocaleMiddleware",
    "django.middleware.common.CommonMiddleware",
    "django.middleware.csrf.CsrfViewMiddleware",
    "django.contrib.auth.middleware.AuthenticationMiddleware",
    "django_otp.middleware.OTPMiddleware",  # request.user.is_verified(): signed in with a second factor
    # after authentication: a signed-in user's own language and time zone win
    "accounts.middleware.UserPreferencesMiddleware",
    "django.contrib.messages.middleware.MessageMiddleware",
    "django.middleware.clickjacking.XFrameOptionsMiddleware",
    "django_htmx.middleware.HtmxMiddleware",
    "simple_history.middleware.HistoryRequestMiddleware",
    # after every middleware that may need a user: an admin without a second factor sets one up first
    "accounts.middleware.RequireAdminTwoFactorMiddleware",
    # last, as django-axes asks: turns a locked-out sign-in into the friendly lockout page
    "axes.middleware.AxesMiddleware",
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
# A kept connection that died (PostgreSQL restarted, connection terminated) is tested before a request uses it
# and replaced, so one dropped connection fails at most the request it dropped under.
DATABASES["default"].setdefault("CONN_HEALTH_CHECKS", True)
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
# django-axes first: it refuses a locked-out sign-in before the password is even checked.
AUTHENTICATION_BACKENDS = [
    "axes.backends.AxesStandaloneBackend",
    "django.contrib.auth.backends.ModelBackend",
]
# Login throttling: after AXES_FAILURE_LIMIT wrong passwords (or second-factor codes) for one e-mail address from
# one IP address, that pair is refused for AXES_COOLOFF_MINUTES; a success resets the count. Keyed by the pair so
# that a stranger cannot lock a colleague out from elsewhere, nor an office behind one address lock everyone out.
# The rows (admin "Axes") keep who failed when and from where; the web form, the second-factor step and the
# API token endpoint all count.
AXES_FAILURE_LIMIT = env.int("AXES_FAILURE_LIMIT", default=5)
AXES_COOLOFF_TIME = timedelta(minutes=env.int("AXES_COOLOFF_MINUTES", default=15))
AXES_LOCKOUT_PARAMETERS = [["username", "ip_address"]]
AXES_RESET_ON_SUCCESS = True
# Tries during the lockout are refused without being counted: it ends when the page says it will.
AXES_RESET_COOL_OFF_ON_FAILURE_DURING_LOCKOUT = False
AXES_ENABLE_ACCESS_FAILURE_LOG = True  # failures stay listed after the cool-off (admin "Access failures")
AXES_USERNAME_FORM_FIELD = "username"  # the sign-in form's and the token endpoint's field (it holds the e-mail)
AXES_USERNAME_CALLABLE = "accounts.lockout.get_username"  # e-mail addresses are case-insensitive here
# Never copied into the failure rows: secrets, and the second-factor code of the step after the password.
AXES_SENSITIVE_PARAMETERS = ["username", "ip_address", "password", "code", "otp_token", "csrfmiddlewaretoken"]
AXES_CLIENT_IP_CALLABLE = "core.client_ip.get_client_ip"  # the visitor's address, also behind the proxy
AXES_LOCKOUT_CALLABLE = "accounts.lockout.lockout_response"  # the sign-in page saying so (429), JSON for the API
AXES_VERBOSE = False
# Behind a reverse proxy every request comes from the proxy: the visitor's address is the one the proxies
# appended to X-Forwarded-For. How many trusted proxies stand in front of the app (0: none, use the socket).
NUM_PROXIES = env.int("NUM_PROXIES", default=0)
# Optional TOTP two-factor sign-in (profile page). With REQUIRE_ADMIN_2FA on, an administrator must set it up
# before anything else and every admin session is verified with a code (accounts.middleware).
REQUIRE_ADMIN_2FA = env.bool("REQUIRE_ADMIN_2FA", default=False)
# The account's name in the authenticator app.
OTP_TOTP_ISSUER = env("OTP_TOTP_ISSUER", default=env("COMPANY_NAME", default="CRM"))
# Admin → TOTP devices lists keys and deletes one (a lost phone), never shows a key or its QR code again.
OTP_ADMIN_HIDE_SENSITIVE_DATA = True

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
    # Time limits on the broker's sockets: without them a publish to a Redis that hangs (stopped process, dead
    # network path) waits forever, and the web request with it (docs/security.md, "Faults"). 5 s stays well above
    # the 1 s BRPOP the worker polls with.
    CELERY_BROKER_TRANSPORT_OPTIONS = {"visibility_timeout": 3600, "socket_connect_timeout": 1, "socket_timeout": 5}
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
# One quick retry (a pooled connection that died with a restarted Redis), then the publish fails: core.enqueue logs
# it and the rows' sweeps send the message later. Celery's default (3 retries) holds a page ~0.7 s per task.
CELERY_TASK_PUBLISH_RETRY_POLICY = {"max_retries": 1, "interval_start": 0, "interval_step": 0.1, "interval_max": 0.1}
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
    # Hourly: the nightly account-health run, once per company day after HEALTH_RECOMPUTE_HOUR (so a beat that
    # was down at night catches up at its next hour instead of skipping a day).
    "recompute-health": {"task": "health.tasks.recompute_health_task", "schedule": 3600.0},
}
# The company-time hour after which the day's health scores are computed (health.tasks).
HEALTH_RECOMPUTE_HOUR = env.int("HEALTH_RECOMPUTE_HOUR", default=2)
# The public address of the site, for links in e-mails (no request to take the host from).
SITE_URL = env("SITE_URL", default="http://127.0.0.1:8000")
CELERY_TIMEZONE = "UTC"

# --- Cache ------------------------------------------------------------------
# Rate limits (public pages, PUBLIC_RATE_LIMIT) count in the cache: Redis in production so every web worker
# shares the counts; a per-process memory cache under `make run`, which is fine for one process.
if REDIS_URL:
    CACHES = {
        "default": {
            # Django's RedisCache, but an unreachable Redis is a miss, not a 500 (core.cache).
            "BACKEND": "core.cache.FailSoftRedisCache",
            "LOCATION": REDIS_URL,
            "KEY_PREFIX": env("CACHE_KEY_PREFIX", default="crm"),
            "OPTIONS": {"socket_connect_timeout": 1, "socket_timeout": 1},
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
# django-ratelimit names only django-redis and memcached as supported (W001); Django's own RedisCache gives it the
# atomic add and incr it needs. Its file cache is not atomic (E003): close enough for `make run`'s one process.
SILENCED_SYSTEM_CHECKS = ["django_ratelimit.W001"] if REDIS_URL else ["django_ratelimit.E003", "django_ratelimit.W001"]
RATELIMIT_VIEW = "feedback.views.rate_limited"
# With the cache (Redis) unreachable the counts cannot be read: the public pages stay open, unlimited, rather than
# refusing every survey answer until Redis is back (docs/security.md, "Faults").
RATELIMIT_FAIL_OPEN = True
RATELIMIT_IP_META_KEY = "core.client_ip.get_client_ip"  # the visitor's address, also behind the proxy (NUM_PROXIES)
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
        "core.api.SearchFilter",  # DRF's, with the terms bounded (a 100 KB ?search= is cut, not queried)
        "rest_framework.filters.OrderingFilter",
    ],
    "DEFAULT_SCHEMA_CLASS": "drf_spectacular.openapi.AutoSchema",
    # DRF's parsers, with JSON nested too deeply to parse answered 400 instead of 500 (core.api.JSONParser).
    "DEFAULT_PARSER_CLASSES": [
        "core.api.JSONParser",
        "rest_framework.parsers.FormParser",
        "rest_framework.parsers.MultiPartParser",
    ],
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
    # Two "status" choice sets would otherwise get a numbered name (and a warning from `check --deploy`).
    "ENUM_NAME_OVERRIDES": {
        "ClientStatusEnum": "clients.models.Status",
        "HealthBandEnum": "clients.models.HealthBand",
    },
}

# --- Security (production) --------------------------------------------------
# DEBUG off is production, served over HTTPS by a TLS-terminating proxy that sets X-Forwarded-Proto. Every
# default below can be changed through the environment (README, "Configuration"); `manage.py check --deploy`
# passes with them (tests/core/test_deploy_check.py).
SESSION_COOKIE_SECURE = env.bool("SESSION_COOKIE_SECURE", default=not DEBUG)
CSRF_COOKIE_SECURE = env.bool("CSRF_COOKIE_SECURE", default=not DEBUG)
SESSION_COOKIE_HTTPONLY = True
# Lax: links from our e-mails (notifications, digests) open signed in; cross-site POSTs carry no session.
SESSION_COOKIE_SAMESITE = "Lax"
# No script reads the CSRF cookie: htmx sends the token from the page (hx-headers on <body> in base.html).
CSRF_COOKIE_HTTPONLY = True
CSRF_COOKIE_SAMESITE = "Lax"
SECURE_PROXY_SSL_HEADER = ("HTTP_X_FORWARDED_PROTO", "https")
SECURE_SSL_REDIRECT = env.bool("SECURE_SSL_REDIRECT", default=not DEBUG)
# The load balancer's health check speaks plain HTTP to the app: a redirect would read as "down".
SECURE_REDIRECT_EXEMPT = [r"^healthz$"]
# HSTS: browsers stay on HTTPS for a year. It covers this host and its own subdomains only (never the parent
# domain), and "preload" only consents to a list the apex domain's owner may submit, so both are on by default.
SECURE_HSTS_SECONDS = env.int("SECURE_HSTS_SECONDS", default=0 if DEBUG else 31536000)
SECURE_HSTS_INCLUDE_SUBDOMAINS = env.bool("SECURE_HSTS_INCLUDE_SUBDOMAINS", default=not DEBUG)
SECURE_HSTS_PRELOAD = env.bool("SECURE_HSTS_PRELOAD", default=not DEBUG)
SECURE_CONTENT_TYPE_NOSNIFF = True
# Addresses name clients and records: other sites get no Referer at all (the public survey and unsubscribe
# pages also say "same-origin", the calendar feed "no-referrer").
SECURE_REFERRER_POLICY = "same-origin"
SECURE_CROSS_ORIGIN_OPENER_POLICY = "same-origin"
X_FRAME_OPTIONS = "DENY"
# Content-Security-Policy, sent in development too so the browser tests run under it. Everything is served
# from this site (htmx, Chart.js and the API docs are vendored), so every source is 'self'. Scripts are
# strict: no inline <script>, no on*="" handlers, no eval (htmx trigger filters live in static/js/app.js).
# Styles also allow 'unsafe-inline': templates use style="" attributes and Chart.js and htmx set inline
# styles; an injected style can restyle a page but not run code or send data anywhere (img-src,
# connect-src, form-action stay 'self'), so scripts are where strictness pays.
CONTENT_SECURITY_POLICY = {
    "DIRECTIVES": {
        "default-src": ["'self'"],
        "script-src": ["'self'"],
        "style-src": ["'self'", "'unsafe-inline'"],
        "img-src": ["'self'", "data:"],
        "connect-src": ["'self'"],
        "font-src": ["'self'"],
        "object-src": ["'none'"],
        "frame-ancestors": ["'none'"],
        "form-action": ["'self'"],
        "base-uri": ["'self'"],
    },
}

# --- Uploaded files ---------------------------------------------------------
# Order attachments: never served as static media; a view checks who may download them.
MEDIA_ROOT = env("MEDIA_ROOT", default=str(VAR_DIR / "media"))
MEDIA_URL = "/media/"  # unused: downloads go through orders:attachment_download

# --- Backups (`make backup`, core/backups.py) ----------------------------------
# Dumps older than BACKUP_KEEP_DAYS are deleted after each backup, but the BACKUP_KEEP_LAST newest always stay.
BACKUP_DIR = env("BACKUP_DIR", default=str(BASE_DIR / "backups"))
BACKUP_KEEP_DAYS = env.int("BACKUP_KEEP_DAYS", default=14)
BACKUP_KEEP_LAST = env.int("BACKUP_KEEP_LAST", default=7)

# --- Product settings -------------------------------------------------------
CLIENTS_PAGE_SIZE = 25
CLIENT_IMPORT_MAX_BYTES = 2 * 1024 * 1024
# Rows of one client import: each is checked twice (upload, confirm) and created in one request.
CLIENT_IMPORT_MAX_ROWS = env.int("CLIENT_IMPORT_MAX_ROWS", default=1000)
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
# Requests per IP address to each public page (survey answer, unsubscribe links, calendar feed; core.ratelimit).
# SURVEY_ANSWER_RATE_LIMIT is its former name, still read from the environment.
PUBLIC_RATE_LIMIT = env("PUBLIC_RATE_LIMIT", default=env("SURVEY_ANSWER_RATE_LIMIT", default="30/m"))
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
