"""The demo's registers of interests: the board member's register has current and past entries, a
gift registered late, was confirmed within the year, and one entry matches an item of the upcoming
meeting, so the meeting page offers it; loading again adds nothing."""

from __future__ import annotations

import io

import pytest
from django.core.management import call_command
from django.test import Client
from django.utils import timezone

from core.models import AuditEvent, User
from timeline.models import InterestEntry, InterestRegister, Meeting

pytestmark = [pytest.mark.django_db]


def test_the_demo_board_member_keeps_a_register_and_is_offered_a_match(client: Client) -> None:
    call_command("loaddemo", stdout=io.StringIO())
    member = User.objects.get(email="board@example.org")
    register = InterestRegister.objects.get(user=member, strategy__slug="south-east")
    today = timezone.localdate()
    entries = list(register.entries.all())
    assert len(entries) == 5
    assert sum(not entry.is_current(today) for entry in entries) == 1
    assert [entry.category for entry in entries if entry.registered_late] == [InterestEntry.Category.GIFT]
    assert not register.review_due(today)

    counts = (InterestEntry.objects.count(), InterestRegister.objects.count(), AuditEvent.objects.count())
    call_command("loaddemo", stdout=io.StringIO())
    assert (InterestEntry.objects.count(), InterestRegister.objects.count(), AuditEvent.objects.count()) == counts

    meeting = Meeting.objects.get(title="Strategic Board: the draft Local Industrial Strategy (demo)")
    client.force_login(User.objects.get(pk=member.pk))  # loaddemo set the password again
    response = client.get(meeting.get_absolute_url())
    assert response.status_code == 200, (response.status_code, response.get("Location"))
    html = response.content.decode()
    assert "Your interests that may apply" in html
    assert "“Example Business Group (demo)” is in the paper’s title" in html
