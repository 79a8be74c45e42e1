"""The Celery app. Configuration comes from Django settings (CELERY_*), so one place sets it."""

import os

from celery import Celery

os.environ.setdefault("DJANGO_SETTINGS_MODULE", "lis_portal.settings.local")

app = Celery("lis_portal")
app.config_from_object("django.conf:settings", namespace="CELERY")
app.autodiscover_tasks()
