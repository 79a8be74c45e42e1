"""Settings shared by every environment. Everything a deployment changes comes from the environment."""

from pathlib import Path

import django_stubs_ext
import environ
from celery.schedules import crontab
from csp.constants import NONCE, NONE, SELF

# Lets generic Django classes (ModelAdmin[Model], QuerySet[Model]) be subscripted at run time.
django_stubs_ext.monkeypatch()

BASE_DIR = Path(__file__).resolve().parent.parent.parent

env = environ.Env()

SECRET_KEY = env("SECRET_KEY", default="insecure-local-development-key-do-not-deploy")
DEBUG = env.bool("DEBUG", default=False)
ALLOWED_HOSTS: list[str] = env.list("ALLOWED_HOSTS", default=["127.0.0.1", "localhost"])

INSTALLED_APPS = [
    "django.contrib.admin",
    "django.contrib.auth",
    "django.contrib.contenttypes",
    "django.contrib.sessions",
    "django.contrib.messages",
    "django.contrib.staticfiles",
    "django.contrib.humanize",
    "rules.apps.AutodiscoverRulesConfig",
    "crispy_forms",
    "crispy_forms_gds",
    "govuk_frontend_django",
    "django_htmx",
    "axes",
    "django_otp",
    "django_otp.plugins.otp_totp",
    "django_otp.plugins.otp_static",
    "csp",
    # Our apps, lowest first (docs/design.md: core <- timeline, evidence <- engagement <- documents).
    "core",
    "timeline",
    "evidence",
    "engagement",
    "documents",
    "lis_portal",
]

MIDDLEWARE = [
    "django.middleware.security.SecurityMiddleware",
    # Early, so every response passes back through it (error pages included) and gets the policy.
    "csp.middleware.CSPMiddleware",
    "whitenoise.middleware.WhiteNoiseMiddleware",
    "django.contrib.sessions.middleware.SessionMiddleware",
    "django.middleware.common.CommonMiddleware",
    "django.middleware.csrf.CsrfViewMiddleware",
    "django.contrib.auth.middleware.AuthenticationMiddleware",
    "django_otp.middleware.OTPMiddleware",
    "core.two_factor.TwoFactorMiddleware",
    "django.contrib.messages.middleware.MessageMiddleware",
    "django.middleware.clickjacking.XFrameOptionsMiddleware",
    "django_htmx.middleware.HtmxMiddleware",
    # Last, as django-axes asks, so it sees the outcome of authentication.
    "axes.middleware.AxesMiddleware",
]

ROOT_URLCONF = "lis_portal.urls"
WSGI_APPLICATION = "lis_portal.wsgi.application"
ASGI_APPLICATION = "lis_portal.asgi.application"

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
                "lis_portal.context_processors.portal",
            ],
        },
    },
]

# The database: PostgreSQL wherever DATABASE_URL names one, an embedded SQLite file otherwise.
DATABASES = {
    "default": env.db("DATABASE_URL", default=f"sqlite:///{BASE_DIR / 'db.sqlite3'}"),
}
DATABASES["default"]["ATOMIC_REQUESTS"] = False
DATABASES["default"]["CONN_MAX_AGE"] = env.int("CONN_MAX_AGE", default=0)
DEFAULT_AUTO_FIELD = "django.db.models.BigAutoField"

AUTH_USER_MODEL = "core.User"
AUTHENTICATION_BACKENDS = [
    # django-axes first: it refuses a locked-out person before the password is checked.
    "axes.backends.AxesStandaloneBackend",
    "rules.permissions.ObjectPermissionBackend",
    "django.contrib.auth.backends.ModelBackend",
]
AUTH_PASSWORD_VALIDATORS = [
    {"NAME": "django.contrib.auth.password_validation.UserAttributeSimilarityValidator"},
    {"NAME": "django.contrib.auth.password_validation.MinimumLengthValidator", "OPTIONS": {"min_length": 10}},
    {"NAME": "django.contrib.auth.password_validation.CommonPasswordValidator"},
    {"NAME": "django.contrib.auth.password_validation.NumericPasswordValidator"},
]
LOGIN_URL = "accounts:login"
LOGIN_REDIRECT_URL = "home"
LOGOUT_REDIRECT_URL = "home"
PASSWORD_RESET_TIMEOUT = 60 * 60 * 24  # a day
# Password reset links asked for, per hour: for one email address, and from one client address.
PASSWORD_RESET_PER_EMAIL_PER_HOUR = env.int("PASSWORD_RESET_PER_EMAIL_PER_HOUR", default=3)
PASSWORD_RESET_PER_CLIENT_PER_HOUR = env.int("PASSWORD_RESET_PER_CLIENT_PER_HOUR", default=10)
INVITATION_VALID_DAYS = env.int("INVITATION_VALID_DAYS", default=7)

# Repeated failed sign-ins pause signing in for 15 minutes (core/lockout.py): 5 failures for one
# email address from one network address, 10 for one email address from anywhere, 20 from one
# network address whatever the email addresses. Counted alike whether an account exists or not.
AXES_FAILURE_LIMIT = env.int("AXES_FAILURE_LIMIT", default=5)
SIGN_IN_ACCOUNT_FAILURE_LIMIT = env.int("SIGN_IN_ACCOUNT_FAILURE_LIMIT", default=10)
SIGN_IN_ADDRESS_FAILURE_LIMIT = env.int("SIGN_IN_ADDRESS_FAILURE_LIMIT", default=20)
AXES_COOLOFF_TIME = 0.25  # hours
AXES_LOCKOUT_PARAMETERS = [["username", "ip_address"], "username", "ip_address"]
AXES_HANDLER = "core.lockout.LockoutHandler"
AXES_LOCKOUT_CALLABLE = "core.lockout.lockout_response"
AXES_USERNAME_FORM_FIELD = "username"
AXES_RESET_ON_SUCCESS = True
AXES_VERBOSE = False

# Content-Security-Policy on every response that has none of its own (downloads set a stricter one:
# "default-src 'none'; sandbox"). Scripts run only from our own origin or with the request's nonce
# (templates write nonce="{{ request.csp_nonce }}"); styles only from our stylesheets: no <style>
# element, no style="" attribute (style-src-attr falls back to style-src), no inline event
# handler, no eval. The Django admin loads all its scripts from files, so it works unchanged.
CONTENT_SECURITY_POLICY = {
    "DIRECTIVES": {
        "default-src": [SELF],
        "script-src": [SELF, NONCE],
        "style-src": [SELF],
        # No data: images: GOV.UK Frontend's and the admin's stylesheets refer only to image files.
        "img-src": [SELF],
        "object-src": [NONE],
        "base-uri": [SELF],
        "form-action": [SELF],
        "frame-ancestors": [NONE],
    },
}

# Two-factor sign-in (core/two_factor.py, docs/adr/0037): an authenticator app for officers, board
# members and administrators. TWO_FACTOR_DEMO_EXEMPT lets the demo accounts sign in without a code,
# and only ever with DEBUG on (settings/local.py sets it; core/checks.py refuses it otherwise).
OTP_TOTP_ISSUER = "LIS Portal"
TWO_FACTOR_DEMO_EXEMPT = False

LANGUAGE_CODE = "en-gb"
TIME_ZONE = "Europe/London"
USE_I18N = True
USE_TZ = True

STATIC_URL = "/static/"
STATIC_ROOT = BASE_DIR / "staticfiles"
# static/ holds our own files; static/build/ is what `make assets` compiles and copies (git-ignored).
STATICFILES_DIRS = [BASE_DIR / "static"]
MEDIA_URL = "/media/"
MEDIA_ROOT = Path(env("MEDIA_ROOT", default=str(BASE_DIR / "media")))
STORAGES = {
    "default": {"BACKEND": "django.core.files.storage.FileSystemStorage"},
    "staticfiles": {"BACKEND": "django.contrib.staticfiles.storage.StaticFilesStorage"},
}

CRISPY_ALLOWED_TEMPLATE_PACKS = ["gds"]
CRISPY_TEMPLATE_PACK = "gds"

MESSAGE_STORAGE = "django.contrib.messages.storage.session.SessionStorage"
SESSION_ENGINE = "django.contrib.sessions.backends.db"

# Email: the console in development; SMTP settings from the environment in production.
EMAIL_BACKEND = env("EMAIL_BACKEND", default="django.core.mail.backends.console.EmailBackend")
DEFAULT_FROM_EMAIL = env("DEFAULT_FROM_EMAIL", default="LIS Portal <no-reply@lis-portal.example>")
SERVER_EMAIL = DEFAULT_FROM_EMAIL

# Celery. With REDIS_URL, tasks go to real workers; without it they run in-process (the zero-setup demo).
REDIS_URL = env("REDIS_URL", default="")
CELERY_BROKER_URL = REDIS_URL or "memory://"
CELERY_TASK_ALWAYS_EAGER = not REDIS_URL
# The cache (rate limits, say) is shared by every web process through Redis when there is one;
# otherwise each process keeps its own in memory, which is enough for the one-process demo.
CACHES = {
    "default": (
        {
            "BACKEND": "django.core.cache.backends.redis.RedisCache",
            "LOCATION": REDIS_URL,
            "KEY_PREFIX": "lis_portal",
            # An unreachable Redis answers within 2 s, so core.ratelimit falls back instead of hanging.
            "OPTIONS": {"socket_connect_timeout": 2, "socket_timeout": 2},
        }
        if REDIS_URL
        else {"BACKEND": "django.core.cache.backends.locmem.LocMemCache"}
    )
}
CELERY_TASK_EAGER_PROPAGATES = True
CELERY_RESULT_BACKEND = None  # the database holds a job's state, not the result backend
CELERY_TASK_IGNORE_RESULT = True
CELERY_TASK_ACKS_LATE = True
CELERY_TASK_REJECT_ON_WORKER_LOST = True
CELERY_WORKER_PREFETCH_MULTIPLIER = 1
CELERY_TASK_SOFT_TIME_LIMIT = 120  # seconds; a 100-page pack renders in about 10 s here
CELERY_TASK_TIME_LIMIT = 180
# The broker re-delivers an unacknowledged task after this long; keep it well above the hard limit.
# An unreachable broker fails a send within seconds (core.queue then leaves the row to its sweep).
CELERY_BROKER_TRANSPORT_OPTIONS = {"visibility_timeout": 3600, "socket_connect_timeout": 2}
CELERY_WORKER_MAX_TASKS_PER_CHILD = 50
CELERY_WORKER_MAX_MEMORY_PER_CHILD = 512_000  # KiB: WeasyPrint grows, so workers recycle
CELERY_TASK_DEFAULT_QUEUE = "lis_portal"
CELERY_BROKER_CONNECTION_RETRY_ON_STARTUP = True
# Every job row (an email, an import, an update, a pack) is claimed with a lease this long, renewed
# by a heartbeat every third of it while the work runs (core/claims.py, docs/adr/0036). A worker that
# stops renews nothing, so its job is taken over once the lease runs out: by its redelivered task, or
# by the sweeps below, which run as often as the lease is long — within a minute in all (30 s + 30 s).
# Short enough for that minute; long enough that two missed renewals (a busy database) lose nothing.
CLAIM_LEASE_SECONDS = env.int("CLAIM_LEASE_SECONDS", default=30)
CELERY_BEAT_SCHEDULE: dict[str, dict[str, object]] = {
    "email-sweep": {"task": "core.email_sweep", "schedule": float(CLAIM_LEASE_SECONDS)},
    # Every morning; the task is safe to run more than once a day (one email per person and day).
    "timeline-reminders": {"task": "timeline.reminders_send", "schedule": crontab(hour=7, minute=0)},
}
CELERY_TIMEZONE = TIME_ZONE

LOGGING = {
    "version": 1,
    "disable_existing_loggers": False,
    "handlers": {"console": {"class": "logging.StreamHandler"}},
    "root": {"handlers": ["console"], "level": env("LOG_LEVEL", default="INFO")},
    "loggers": {"axes": {"level": "WARNING"}},
}

# The portal's own address, for links in emails sent from workers (they have no request to build it from).
SITE_URL = env("SITE_URL", default="http://localhost:8000")

# Where the demo and importers read the real public data (../shared/data beside the clone).
SHARED_DATA_DIR = Path(env("SHARED_DATA_DIR", default=str(BASE_DIR.parent / "shared" / "data")))

# The evidence base's read-only open data API (evidence/api.py) and its OpenAPI schema.
INSTALLED_APPS += ["rest_framework", "drf_spectacular"]
REST_FRAMEWORK = {
    "DEFAULT_SCHEMA_CLASS": "drf_spectacular.openapi.AutoSchema",
    "DEFAULT_RENDERER_CLASSES": ["rest_framework.renderers.JSONRenderer"],
    "DEFAULT_PERMISSION_CLASSES": ["rest_framework.permissions.AllowAny"],
    "DEFAULT_AUTHENTICATION_CLASSES": [],
    "UNAUTHENTICATED_USER": None,
}
SPECTACULAR_SETTINGS = {
    "TITLE": "LIS Portal open data API",
    "DESCRIPTION": "Open evidence items, indicators and observations. Read only; open data under the licence each "
    "item or indicator names (mostly the Open Government Licence v3.0).",
    "VERSION": "1.0.0",
    "SERVE_INCLUDE_SCHEMA": False,
}
# Imports left queued or running too long are queued again (evidence.import_sweep).
CELERY_BEAT_SCHEDULE["evidence-import-sweep"] = {
    "task": "evidence.import_sweep",
    "schedule": float(CLAIM_LEASE_SECONDS),
}

# Documents: board packs rendered to one PDF by Celery (documents/tasks.py, docs/documents.md).
# A pack is claimed like every job row (CLAIM_LEASE_SECONDS above); the sweep takes over a stopped
# worker's render within a minute.
# A failed attempt is tried again after 15 s, then 30 s (backoff), far below the visibility timeout.
DOCUMENTS_PACK_RETRY_SECONDS = env.int("DOCUMENTS_PACK_RETRY_SECONDS", default=15)
# The worker-kill test (tests/documents/test_worker.py) alone shortens the broker's visibility
# timeout, and makes kombu look for unacknowledged messages every second, so a killed worker's
# task comes back in seconds, not an hour. Unset everywhere else: the values above stand.
if env.int("CELERY_VISIBILITY_TIMEOUT", default=0):
    CELERY_BROKER_TRANSPORT_OPTIONS.update(
        visibility_timeout=env.int("CELERY_VISIBILITY_TIMEOUT"), unacked_restore_interval=1, unacked_restore_throttle=1
    )
# Papers and minutes become public on the day an officer chose: their followers hear within 15 minutes.
CELERY_BEAT_SCHEDULE["engagement-board-announcements"] = {
    "task": "engagement.board_publications_announce",
    "schedule": 900.0,
}
CELERY_BEAT_SCHEDULE["documents-pack-sweep"] = {"task": "documents.pack_sweep", "schedule": float(CLAIM_LEASE_SECONDS)}
# WeasyPrint reports every layout step at INFO; only its warnings (refused fetches, say) matter here.
LOGGING["loggers"]["weasyprint.progress"] = {"level": "WARNING"}  # type: ignore[index]
# Hourly, so a councillor hears about two days (48 to 47 hours) before a call closes, whatever the
# hour it closes at; the task sends each reminder once, however often it runs.
CELERY_BEAT_SCHEDULE["engagement-call-reminders"] = {"task": "engagement.call_reminders_send", "schedule": 3600.0}
# Public consultation responses left unconfirmed past their seven days are deleted (docs/adr/0041).
CELERY_BEAT_SCHEDULE["engagement-public-responses-purge"] = {
    "task": "engagement.public_responses_purge",
    "schedule": 3600.0,
}
# So are the public's unconfirmed comments on a review window (docs/adr/0042), and one client
# address may send so many of those comments per strategy per hour.
CELERY_BEAT_SCHEDULE["documents-review-comments-purge"] = {
    "task": "documents.review_comments_purge",
    "schedule": 3600.0,
}
REVIEW_PUBLIC_COMMENTS_PER_HOUR = env.int("REVIEW_PUBLIC_COMMENTS_PER_HOUR", default=5)

# Update subscriptions: re-queue an update whose sending stalled; and how many sign-ups one address
# (IP) may make per strategy per hour before the form asks it to wait.
CELERY_BEAT_SCHEDULE["engagement-update-sweep"] = {
    "task": "engagement.update_sweep",
    "schedule": float(CLAIM_LEASE_SECONDS),
}
UPDATES_SUBSCRIBE_PER_HOUR = env.int("UPDATES_SUBSCRIBE_PER_HOUR", default=10)

# Board members' registers of interests (timeline/interests): gifts and hospitality worth more than
# this many pounds are registered; the entry form says so.
INTERESTS_GIFT_THRESHOLD = env.int("INTERESTS_GIFT_THRESHOLD", default=50)
