"""Audit events are read as sentences: every kind has one, and none leaks its stored code."""

from __future__ import annotations

import pytest

from core.audit import MISSING, AuditVerb, audit_sentence
from core.models import AuditEvent, User


@pytest.mark.parametrize("verb", list(AuditVerb))
def test_every_kind_reads_as_a_sentence_even_with_no_data(verb: AuditVerb) -> None:
    sentence = audit_sentence(AuditEvent(verb=verb.value, data={}))
    assert sentence[0].isupper() or sentence[0].isdigit() or sentence.startswith(MISSING)
    assert "{" not in sentence and "}" not in sentence
    assert verb.value not in sentence


def test_a_sentence_names_the_person_and_the_details() -> None:
    officer = User(name="Ada Officer", email="ada@example.org")
    event = AuditEvent(
        verb=AuditVerb.PRIORITY_ENTERED_OFFLINE,
        actor=officer,
        data={"on_behalf": "Medway Council", "channel": "letter", "received_on": "2026-10-02"},
    )
    assert event.sentence == "Entered on behalf of Medway Council by Ada Officer, received by letter on 2 October 2026"


def test_the_portal_acts_when_nobody_did_and_status_codes_read_as_words() -> None:
    event = AuditEvent(verb=AuditVerb.MEETING_STATUS_CHANGED, data={"from": "scheduled", "to": "papers_published"})
    assert event.sentence == "Meeting marked papers published by the portal"


def test_a_kind_no_longer_in_the_list_still_reads_plainly() -> None:
    assert audit_sentence(AuditEvent(verb="thing.was_done")) == "thing: was done by the portal"
