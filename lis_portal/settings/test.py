"""The test suite: fast password hashing, in-memory email, predictable static files."""

from .base import *  # noqa: F403
from .base import env

DEBUG = False
ROOT_URLCONF = env("ROOT_URLCONF", default="lis_portal.urls")  # bench/ adds a bare view
SECRET_KEY = "test-secret-key-not-for-deployment"
PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]
# A real worker started by a test sends through the file backend the test names (tests/conftest.py).
EMAIL_BACKEND = env("EMAIL_BACKEND", default="django.core.mail.backends.locmem.EmailBackend")
EMAIL_FILE_PATH = env("EMAIL_FILE_PATH", default="/tmp/lis-portal-test-mail")
ALLOWED_HOSTS = ["*"]
# Tests decide for themselves when to use the real worker (tests/conftest.py's celery_worker).
CELERY_TASK_ALWAYS_EAGER = env.bool("CELERY_TASK_ALWAYS_EAGER", default=True)
AXES_FAILURE_LIMIT = 5

# On SQLite, a file (not memory) so a real Celery worker started by a test can open it too.
if DATABASES["default"]["ENGINE"] == "django.db.backends.sqlite3":
    DATABASES["default"]["TEST"] = {"NAME": str(BASE_DIR / "test-db.sqlite3")}

# Serve static files straight from the finders (no collectstatic needed outside production).
WHITENOISE_USE_FINDERS = True
WHITENOISE_AUTOREFRESH = True

# Tests send to a queue of their own, so a development worker on the same Redis never takes them.
CELERY_TASK_DEFAULT_QUEUE = "lis_portal_test"

# Each test process keeps its own cache, so one test's rate-limit counts never reach another's.
CACHES = {"default": {"BACKEND": "django.core.cache.backends.locmem.LocMemCache"}}
