from typing import Any

from django.conf import settings
from django.http import HttpRequest


def portal(request: HttpRequest) -> dict[str, Any]:
    return {"service_name": "LIS Portal", "debug": settings.DEBUG}
