"""Stub: being written."""

from typing import Any

from django.http import HttpRequest, HttpResponse


def dashboard(request: HttpRequest, strategy_slug: str, **kwargs: Any) -> HttpResponse:
    raise NotImplementedError

