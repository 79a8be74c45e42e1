"""The view toolkit: a button that calls one service, and a filter form read into its filters."""

from __future__ import annotations

from dataclasses import dataclass

import pytest
from django import forms
from django.contrib.messages import get_messages
from django.contrib.messages.storage.cookie import CookieStorage
from django.test import RequestFactory

from core.exceptions import ApplicationError
from core.http import filters_from, post_action
from core.models import Theme


def _request():
    request = RequestFactory().post("/somewhere/")
    request._messages = CookieStorage(request)  # type: ignore[attr-defined]
    return request


def _said(request) -> list[tuple[str, str]]:
    return [(m.level_tag, m.message) for m in get_messages(request)]


def test_post_action_says_what_was_done_and_redirects() -> None:
    request = _request()
    response = post_action(request, lambda: 3, success="Done.", redirect_to="/next/")
    assert (response.status_code, response["Location"]) == (302, "/next/")
    assert _said(request) == [("success", "Done.")]


def test_post_action_makes_the_message_from_what_the_service_returned() -> None:
    request = _request()
    post_action(request, lambda: 3, success=lambda n: f"{n} sent.", redirect_to="/next/")
    assert _said(request) == [("success", "3 sent.")]


def test_post_action_shows_a_refusal_as_an_error_and_still_redirects() -> None:
    def refuse() -> None:
        raise ApplicationError("Not now.")

    request = _request()
    response = post_action(request, refuse, success="Done.", redirect_to="/back/")
    assert (response.status_code, response["Location"]) == (302, "/back/")
    assert _said(request) == [("error", "Not now.")]


def test_post_action_without_a_success_message_says_nothing() -> None:
    request = _request()
    post_action(request, lambda: None, success=None, redirect_to="/next/")
    assert _said(request) == []


@dataclass(frozen=True)
class _Filters:
    status: str = ""
    theme_id: int | None = None
    event_id: int | None = None  # not on the form: keeps its default


class _FilterForm(forms.Form):
    status = forms.ChoiceField(required=False, choices=[("", "Any"), ("open", "Open")])
    theme = forms.ModelChoiceField(queryset=Theme.objects.all(), required=False)


@pytest.mark.django_db
def test_filters_from_reads_choices_and_chosen_objects() -> None:
    theme = Theme.objects.order_by("pk").first()
    assert theme is not None
    assert filters_from(_FilterForm({"status": "open", "theme": theme.pk}), _Filters) == _Filters("open", theme.pk)
    assert filters_from(_FilterForm({}), _Filters) == _Filters()
    assert filters_from(_FilterForm({"status": "nonsense"}), _Filters) == _Filters()  # not valid: the defaults
