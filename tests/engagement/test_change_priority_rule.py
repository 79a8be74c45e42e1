"""One rule decides whether a priority may be changed (engagement.rules.CHANGE_PRIORITY): the edit
view, the priority page's buttons and the service agree, and the service says why not."""

from __future__ import annotations

from datetime import timedelta

import pytest
import time_machine
from django.test import Client
from django.urls import reverse

from core.exceptions import ApplicationError
from engagement import services
from engagement.rules import CHANGE_PRIORITY
from tests.conftest import Cast
from tests.engagement.conftest import Setting, full_data, make_priority

pytestmark = pytest.mark.django_db


def _edit_url(setting: Setting, pk: int) -> str:
    return reverse("engagement:priority-edit", kwargs={"strategy_slug": setting.strategy.slug, "pk": pk})


def _agree(client: Client, cast: Cast, setting: Setting, priority, *, allowed: bool, reason: str = "") -> None:
    client.force_login(cast.councillor)
    assert cast.councillor.has_perm("engagement.change_priority", priority) is allowed
    page = client.get(priority.get_absolute_url()).content.decode()
    assert (_edit_url(setting, priority.pk) in page) is allowed  # the page's Change button
    if allowed:
        assert CHANGE_PRIORITY.refusal(cast.councillor, priority) is None
        return
    assert reason in (CHANGE_PRIORITY.refusal(cast.councillor, priority) or "")
    with pytest.raises(ApplicationError, match=reason):
        services.priority_update(
            actor=cast.councillor, priority=priority, data=full_data(title="Changed"), version=priority.version
        )
    refused = client.get(_edit_url(setting, priority.pk), follow=True).content.decode()
    assert reason in refused


def test_open_call_own_council_may_change(client: Client, cast: Cast, setting: Setting) -> None:
    _agree(client, cast, setting, make_priority(setting, cast.councillor), allowed=True)


def test_withdrawn_may_not_change(client: Client, cast: Cast, setting: Setting) -> None:
    priority = services.priority_withdraw(actor=cast.councillor, priority=make_priority(setting, cast.councillor))
    _agree(client, cast, setting, priority, allowed=False, reason="withdrawn")


def test_closed_call_may_not_change(client: Client, cast: Cast, setting: Setting) -> None:
    priority = make_priority(setting, cast.councillor)
    with time_machine.travel(setting.call.closes_at + timedelta(minutes=1)):
        _agree(client, cast, setting, priority, allowed=False, reason="has closed")


def test_the_withdraw_page_is_not_offered_once_the_call_has_closed(
    client: Client, cast: Cast, setting: Setting
) -> None:
    priority = make_priority(setting, cast.councillor)
    client.force_login(cast.councillor)
    url = reverse("engagement:priority-withdraw", kwargs={"strategy_slug": setting.strategy.slug, "pk": priority.pk})
    assert client.get(url).status_code == 200
    with time_machine.travel(setting.call.closes_at + timedelta(minutes=1)):
        refused = client.get(url, follow=True).content.decode()
    assert "has closed" in refused and "Withdraw priority" not in refused


def test_the_council_reads_its_priority_history_as_sentences(client: Client, cast: Cast, setting: Setting) -> None:
    priority = make_priority(setting, cast.councillor)
    client.force_login(cast.councillor)
    page = client.get(priority.get_absolute_url()).content.decode()
    assert "Submitted by Kent Councillor" in page and "priority.submitted" not in page
