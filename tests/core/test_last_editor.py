"""core.selectors.last_editor_note: the one place engagement, timeline and documents find who last
saved a record when they refuse a stale edit."""

from __future__ import annotations

from datetime import datetime
from zoneinfo import ZoneInfo

import pytest
import time_machine

from core.audit import AuditVerb
from core.models import Organisation
from core.selectors import last_editor_note
from core.services import audit_record
from tests.conftest import Cast

pytestmark = pytest.mark.django_db


def test_names_the_latest_actor_and_when(cast: Cast, django_assert_num_queries) -> None:
    council = Organisation.objects.get(slug="kent-council")
    assert last_editor_note(app_label="core", model="organisation", pk=council.pk) == ""
    with time_machine.travel(datetime(2019, 10, 4, 9, 0, tzinfo=ZoneInfo("Europe/London")), tick=False):
        audit_record(actor=cast.officer, verb=AuditVerb.INVITATION_SENT, target=council)
    with time_machine.travel(datetime(2019, 10, 4, 14, 5, tzinfo=ZoneInfo("Europe/London")), tick=False):
        audit_record(actor=cast.councillor, verb=AuditVerb.INVITATION_SENT, target=council)
    with django_assert_num_queries(1):
        note = last_editor_note(app_label="core", model="organisation", pk=council.pk)
    assert note == " (Kent Councillor, 4 October at 14:05)"
    # Another app's model of the same pk is not confused with it; a system change names nobody.
    assert last_editor_note(app_label="timeline", model="organisation", pk=council.pk) == ""
    audit_record(actor=None, verb=AuditVerb.INVITATION_SENT, target=council)
    assert last_editor_note(app_label="core", model="organisation", pk=council.pk) == ""
