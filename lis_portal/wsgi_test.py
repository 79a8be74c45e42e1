"""WSGI entry point with the test settings, for benchmarks that serve the portal from gunicorn."""

import os

from django.core.wsgi import get_wsgi_application

os.environ.setdefault("DJANGO_SETTINGS_MODULE", "lis_portal.settings.test")

application = get_wsgi_application()
