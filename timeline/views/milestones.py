"""Stub: being written."""

from typing import Any

from django.http import HttpRequest, HttpResponse


def milestone_list(request: HttpRequest, strategy_slug: str, **kwargs: Any) -> HttpResponse:
    raise NotImplementedError


def milestone_create(request: HttpRequest, strategy_slug: str, **kwargs: Any) -> HttpResponse:
    raise NotImplementedError


def milestone_detail(request: HttpRequest, strategy_slug: str, **kwargs: Any) -> HttpResponse:
    raise NotImplementedError


def milestone_edit(request: HttpRequest, strategy_slug: str, **kwargs: Any) -> HttpResponse:
    raise NotImplementedError


def milestone_status(request: HttpRequest, strategy_slug: str, **kwargs: Any) -> HttpResponse:
    raise NotImplementedError


def milestone_move(request: HttpRequest, strategy_slug: str, **kwargs: Any) -> HttpResponse:
    raise NotImplementedError


def phase_edit(request: HttpRequest, strategy_slug: str, **kwargs: Any) -> HttpResponse:
    raise NotImplementedError

