"""Stub: being written."""

from typing import Any

from django.http import HttpRequest, HttpResponse


def board_list(request: HttpRequest, strategy_slug: str, **kwargs: Any) -> HttpResponse:
    raise NotImplementedError


def board_detail(request: HttpRequest, strategy_slug: str, **kwargs: Any) -> HttpResponse:
    raise NotImplementedError


def meeting_list(request: HttpRequest, strategy_slug: str, **kwargs: Any) -> HttpResponse:
    raise NotImplementedError


def meeting_create(request: HttpRequest, strategy_slug: str, **kwargs: Any) -> HttpResponse:
    raise NotImplementedError


def meeting_detail(request: HttpRequest, strategy_slug: str, **kwargs: Any) -> HttpResponse:
    raise NotImplementedError


def meeting_edit(request: HttpRequest, strategy_slug: str, **kwargs: Any) -> HttpResponse:
    raise NotImplementedError


def agenda_item_create(request: HttpRequest, strategy_slug: str, **kwargs: Any) -> HttpResponse:
    raise NotImplementedError


def attendance_edit(request: HttpRequest, strategy_slug: str, **kwargs: Any) -> HttpResponse:
    raise NotImplementedError


def declaration_create(request: HttpRequest, strategy_slug: str, **kwargs: Any) -> HttpResponse:
    raise NotImplementedError


def decision_create(request: HttpRequest, strategy_slug: str, **kwargs: Any) -> HttpResponse:
    raise NotImplementedError


def decision_list(request: HttpRequest, strategy_slug: str, **kwargs: Any) -> HttpResponse:
    raise NotImplementedError


def decision_detail(request: HttpRequest, strategy_slug: str, **kwargs: Any) -> HttpResponse:
    raise NotImplementedError

