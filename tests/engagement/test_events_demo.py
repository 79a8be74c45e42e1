"""The demo's workshops: one for each foundation and grand challenge, delivering one planned activity
of the plan, loaded again without a second row."""

from __future__ import annotations

import io

import pytest
from django.core.management import call_command

from engagement.models import Event, PlannedActivity

pytestmark = pytest.mark.django_db


def test_the_demo_workshops_load_once() -> None:
    for _ in range(2):
        call_command("loaddemo", stdout=io.StringIO())
    events = Event.objects.filter(strategy__slug="south-east")
    assert events.count() == 9
    assert {e.kind for e in events} == {Event.Kind.WORKSHOP}
    assert events.filter(theme__isnull=True).count() == 0
    activity = PlannedActivity.objects.get(strategy__slug="south-east")
    assert set(events.values_list("planned_activity", flat=True)) == {activity.pk}
