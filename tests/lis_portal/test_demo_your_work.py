"""The demo's "your work", as the newcomer read it: the officer's page is not crowded by the
workshops' feedback forms; the board member's lines name the board once; the councillor and the
partner always have a way to their priorities and responses."""

from __future__ import annotations

import io
from typing import Any

import pytest
from django.core.management import call_command
from django.test import Client
from django.urls import reverse

from core.models import User

pytestmark = [pytest.mark.django_db]


def _todos(client: Client, email: str) -> list[tuple[str, str, list[Any]]]:
    client.force_login(User.objects.get(email=email))
    response = client.get(reverse("your-work", kwargs={"strategy_slug": "south-east"}))
    assert response.status_code == 200
    sections: list[tuple[str, str, list[Any]]] = response.context["sections"]
    return sections


def test_the_demo_s_your_work_pages(client: Client) -> None:
    call_command("loaddemo", stdout=io.StringIO())
    officer = [todo for _key, _title, todos in _todos(client, "officer@example.org") for todo in todos]
    labels = [todo.label for todo in officer]
    assert not any(label.startswith("Responses not yet") and "feedback" in label.lower() for label in labels)
    feedback = [todo for todo in officer if todo.label.startswith("Feedback from workshops and events")]
    assert 1 <= len(feedback) <= 2 and len(officer) <= 15
    for todo in feedback:
        listing = client.get(todo.url)
        assert sum(getattr(e, f"{todo.query['feedback']}_count") for e in listing.context["events"]) == todo.count
    board = [todo.label for _key, _title, todos in _todos(client, "board@example.org") for todo in todos]
    assert board and not any(label.count("Strategic Board") > 1 for label in board)
    councillor = [todo.label for _key, _title, todos in _todos(client, "councillor@example.org") for todo in todos]
    assert "Your council’s priorities" in councillor
    partner = [todo.label for _key, _title, todos in _todos(client, "partner@example.org") for todo in todos]
    assert "Your organisation’s responses" in partner
