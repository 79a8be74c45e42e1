"""Stub: being written."""

from typing import Any

from django.http import HttpRequest, HttpResponse


def timeline(request: HttpRequest, strategy_slug: str, **kwargs: Any) -> HttpResponse:
    raise NotImplementedError


def gantt(request: HttpRequest, strategy_slug: str, **kwargs: Any) -> HttpResponse:
    raise NotImplementedError


def strategy_calendar(request: HttpRequest, strategy_slug: str, **kwargs: Any) -> HttpResponse:
    raise NotImplementedError

