"""The audit log shows only what its viewer could open: a council's draft priority — its title in
the trail included — stays with that council until submitted (issue 13, item 10)."""

from __future__ import annotations

import pytest
from django.test import Client
from django.urls import reverse

from engagement import services
from tests.conftest import Cast
from tests.engagement.conftest import Setting, make_priority

pytestmark = pytest.mark.django_db


def test_a_draft_priority_is_not_in_the_officers_audit_log_until_submitted(
    client: Client, cast: Cast, setting: Setting
) -> None:
    draft = make_priority(setting, cast.councillor, submit=False, title="Our unsubmitted idea")
    url = reverse("audit-log", kwargs={"strategy_slug": setting.strategy.slug})
    client.force_login(cast.officer)
    assert "Our unsubmitted idea" not in client.get(url).content.decode()
    services.priority_submit(actor=cast.councillor, priority=draft)
    page = client.get(url).content.decode()
    assert "Our unsubmitted idea" in page and "Submitted by Kent Councillor" in page
