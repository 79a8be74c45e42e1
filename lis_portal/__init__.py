"""The LIS Portal project package: settings, URLs, the Celery app, and the pages that span apps."""

from .celery import app as celery_app

__all__ = ("celery_app",)
