"""The services of calls and priorities on the real database: drafts, submission with a receipt,
edits refused after the close and on a stale version, withdrawal, the officer's response, coding
and moderation, bad input, and the reminder two days before a call closes."""

from __future__ import annotations

from datetime import datetime, timedelta

import pytest
import time_machine
from django.utils import timezone

from core.exceptions import ApplicationError, StaleEditError
from core.models import AuditEvent, Email, Membership, Organisation, Role, Theme
from engagement import services
from engagement.models import Call, CallReminder, Priority, Tag
from tests.conftest import Cast
from tests.engagement.conftest import Setting, full_data, make_priority
from tests.factories import MembershipFactory, UserFactory

pytestmark = pytest.mark.django_db


def verbs(priority: Priority) -> list[str]:
    return list(
        AuditEvent.objects.filter(target_type__model="priority", target_id=str(priority.pk))
        .order_by("created_at", "pk")
        .values_list("verb", flat=True)
    )


def test_save_draft_then_submit_sends_a_receipt_after_commit(
    cast: Cast, setting: Setting, mailoutbox, django_capture_on_commit_callbacks
) -> None:
    priority = services.priority_save_draft(
        actor=cast.councillor,
        call=setting.call,
        organisation=setting.council,
        data=full_data(areas=[setting.district]),
    )
    assert priority.status == Priority.Status.DRAFT
    assert priority.author == cast.councillor
    assert [a.pk for a in priority.areas.all()] == [setting.district.pk]

    with django_capture_on_commit_callbacks(execute=True) as callbacks:
        priority = services.priority_submit(actor=cast.councillor, priority=priority)
    assert len(callbacks) == 1  # the receipt is queued only once the submission commits
    assert priority.status == Priority.Status.SUBMITTED and priority.submitted_at is not None
    assert len(mailoutbox) == 1
    receipt = mailoutbox[0]
    assert receipt.to == [cast.councillor.email]
    assert "Priority received" in receipt.subject
    assert priority.title in receipt.body and f"/engagement/priorities/{priority.pk}/" in receipt.body
    assert Email.objects.get().status == Email.Status.SENT
    assert verbs(priority) == ["priority.draft_saved", "priority.submitted"]


def test_an_incomplete_draft_cannot_be_submitted(cast: Cast, setting: Setting) -> None:
    priority = services.priority_save_draft(
        actor=cast.councillor,
        call=setting.call,
        organisation=setting.council,
        data=services.PriorityData(title="Only a title"),
    )
    with pytest.raises(ApplicationError, match="add a summary, why it matters, at least one foundation"):
        services.priority_submit(actor=cast.councillor, priority=priority)
    priority.refresh_from_db()
    assert priority.status == Priority.Status.DRAFT
    assert Email.objects.count() == 0


def test_submit_rejected_after_close_even_from_a_form_opened_before(cast: Cast, setting: Setting) -> None:
    priority = make_priority(setting, cast.councillor, submit=False)
    version = priority.version  # the form is opened while the call is open…
    with time_machine.travel(setting.call.closes_at + timedelta(seconds=1)):  # …and sent after it closes
        with pytest.raises(ApplicationError, match="closed at"):
            services.priority_submit(actor=cast.councillor, priority=priority)
        with pytest.raises(ApplicationError, match="closed at"):
            services.priority_update(
                actor=cast.councillor, priority=priority, data=full_data(title="Changed"), version=version
            )
        with pytest.raises(ApplicationError, match="closed at"):
            services.priority_withdraw(actor=cast.councillor, priority=priority)
        with pytest.raises(ApplicationError, match="closed at"):
            services.priority_save_draft(
                actor=cast.councillor, call=setting.call, organisation=setting.council, data=full_data()
            )
    priority.refresh_from_db()
    assert priority.status == Priority.Status.DRAFT and priority.title != "Changed"
    assert Priority.objects.count() == 1


def test_nothing_is_written_to_a_call_before_it_opens(cast: Cast, setting: Setting) -> None:
    Call.objects.filter(pk=setting.call.pk).update(opens_at=timezone.now() + timedelta(days=1))
    with pytest.raises(ApplicationError, match="opens at"):
        make_priority(setting, cast.councillor, submit=False)


def test_a_stale_save_is_refused_and_says_what_changed(cast: Cast, setting: Setting) -> None:
    colleague = MembershipFactory(organisation=setting.council, role=Role.COUNCILLOR).user
    priority = make_priority(setting, cast.councillor)
    opened = priority.version
    services.priority_update(
        actor=colleague, priority=priority, data=full_data(title="The colleague’s title"), version=opened
    )
    with pytest.raises(StaleEditError) as caught:
        services.priority_update(
            actor=cast.councillor, priority=priority, data=full_data(title="My title", scale="local"), version=opened
        )
    error = caught.value
    assert colleague.name in error.message
    changed = {c.field: (c.theirs, c.yours) for c in error.conflicts}
    assert changed["title"] == ("The colleague’s title", "My title")
    assert changed["scale"] == ("LEP-wide", "Local")
    priority.refresh_from_db()
    assert priority.title == "The colleague’s title" and priority.version == opened + 1
    # Saving again on the version the refusal showed applies the edit.
    services.priority_update(
        actor=cast.councillor, priority=priority, data=full_data(title="My title"), version=opened + 1
    )
    priority.refresh_from_db()
    assert priority.title == "My title"


def test_colleagues_of_the_same_council_edit_and_withdraw_but_others_cannot(cast: Cast, setting: Setting) -> None:
    colleague = MembershipFactory(organisation=setting.council, role=Role.COUNCILLOR).user
    priority = make_priority(setting, cast.councillor)
    services.priority_update(actor=colleague, priority=priority, data=full_data(title="Edited"), version=1)
    elsewhere = Organisation.objects.create(name="Other Council", slug="other-c", kind=Organisation.Kind.COUNTY_COUNCIL)
    cast.strategy.partners.add(elsewhere)
    stranger = MembershipFactory(organisation=elsewhere, role=Role.COUNCILLOR).user
    with pytest.raises(ApplicationError, match="councillor of"):
        services.priority_withdraw(actor=stranger, priority=priority)
    services.priority_withdraw(actor=colleague, priority=priority)
    priority.refresh_from_db()
    assert priority.status == Priority.Status.WITHDRAWN and priority.withdrawn_at is not None
    with pytest.raises(ApplicationError, match="withdrawn"):
        services.priority_update(actor=cast.councillor, priority=priority, data=full_data(), version=priority.version)


def test_bad_input_is_refused_and_nothing_saved(cast: Cast, setting: Setting, other_setting: Setting) -> None:
    other_council = other_setting.council
    # A council of another strategy (a forged organisation id).
    with pytest.raises(ApplicationError, match="councillor of"):
        services.priority_save_draft(
            actor=cast.councillor, call=setting.call, organisation=other_council, data=full_data()
        )
    # A place outside the strategy.
    with pytest.raises(ApplicationError, match="not a place of"):
        make_priority(setting, cast.councillor, submit=False, areas=[other_setting.district])
    # A backer that does not take part.
    with pytest.raises(ApplicationError, match="does not take part"):
        make_priority(setting, cast.councillor, submit=False, backing_organisations=[other_council])
    # 50,000 characters.
    with pytest.raises(ApplicationError, match="at most 2000 characters"):
        make_priority(setting, cast.councillor, submit=False, summary="x" * 50_000)
    # Links that would run or embed something.
    for url in ("javascript:alert(1)", "data:text/html,<script>alert(1)</script>", "http://example.org/"):
        with pytest.raises(ApplicationError, match="https://"):
            make_priority(setting, cast.councillor, submit=False, evidence_links=[{"title": "x", "url": url}])
    assert Priority.objects.count() == 0


def test_script_is_stored_as_text(cast: Cast, setting: Setting) -> None:
    priority = make_priority(setting, cast.councillor, title='<script>alert("x")</script>')
    assert priority.title == '<script>alert("x")</script>'  # the templates escape it


def test_respond_emails_the_author_and_records_it(
    cast: Cast, setting: Setting, mailoutbox, django_capture_on_commit_callbacks
) -> None:
    priority = make_priority(setting, cast.councillor)
    with django_capture_on_commit_callbacks(execute=True):
        services.priority_respond(actor=cast.officer, priority=priority, response="We made it proposition 3.")
    priority.refresh_from_db()
    assert priority.response == "We made it proposition 3." and priority.responded_by == cast.officer
    assert mailoutbox[-1].to == [cast.councillor.email]
    assert "We made it proposition 3." in mailoutbox[-1].body
    assert verbs(priority)[-1] == "priority.responded"
    with pytest.raises(ApplicationError, match="Enter the response"):
        services.priority_respond(actor=cast.officer, priority=priority, response="   ")


def test_officers_cannot_act_on_drafts(cast: Cast, setting: Setting) -> None:
    draft = make_priority(setting, cast.councillor, submit=False)
    for call in (
        lambda: services.priority_respond(actor=cast.officer, priority=draft, response="x"),
        lambda: services.priority_hide(actor=cast.officer, priority=draft, reason="x"),
        lambda: services.priority_code(actor=cast.officer, priority=draft, themes=[], tags=[]),
    ):
        with pytest.raises(ApplicationError, match="still a draft"):
            call()


def test_hide_needs_a_reason_and_is_reversible(cast: Cast, setting: Setting) -> None:
    priority = make_priority(setting, cast.councillor)
    with pytest.raises(ApplicationError, match="reason"):
        services.priority_hide(actor=cast.officer, priority=priority, reason=" ")
    services.priority_hide(actor=cast.officer, priority=priority, reason="Names a private individual.")
    priority.refresh_from_db()
    assert priority.is_hidden and priority.hidden_reason == "Names a private individual."
    services.priority_unhide(actor=cast.officer, priority=priority)
    shown = Priority.objects.get(pk=priority.pk)
    assert not shown.is_hidden and shown.hidden_reason == ""
    assert verbs(priority)[-2:] == ["priority.hidden", "priority.unhidden"]
    event = AuditEvent.objects.filter(verb="priority.unhidden").get()
    assert event.data == {"was_hidden_because": "Names a private individual."}


def test_code_with_themes_and_tags_reuses_tags_whatever_their_case(cast: Cast, setting: Setting) -> None:
    first = make_priority(setting, cast.councillor)
    second = make_priority(setting, cast.councillor, title="Another")
    skills = Theme.objects.get(slug="people")
    services.priority_code(
        actor=cast.officer, priority=first, themes=[skills], tags=services.parse_tags("Ports, skills")
    )
    services.priority_code(actor=cast.officer, priority=second, themes=[], tags=services.parse_tags(" PORTS ,, ports"))
    assert Tag.objects.filter(strategy=cast.strategy).count() == 2
    assert [t.name for t in second.tags.all()] == ["Ports"]
    first.refresh_from_db()
    assert first.coded_at is not None and list(first.coded_themes.all()) == [skills]
    assert first.themes.count() == 2  # the council's own themes are untouched
    with pytest.raises(ApplicationError, match="60 characters"):
        services.priority_code(actor=cast.officer, priority=first, themes=[], tags=["x" * 61])


def test_call_create_checks_the_phase_and_dates(cast: Cast, setting: Setting, other_setting: Setting) -> None:
    now = timezone.now()
    data = {
        "title": "A call",
        "description": "Tell us.",
        "audience": Call.Audience.COUNCILLORS,
        "opens_at": now,
        "closes_at": now + timedelta(days=7),
        "phase": other_setting.process.phases[0],
    }
    with pytest.raises(ApplicationError, match="phase of this strategy"):
        services.call_create(actor=cast.officer, strategy=cast.strategy, data=data)
    data["phase"] = setting.process.phases[0]
    data["closes_at"] = now - timedelta(days=1)
    with pytest.raises(ApplicationError, match="close after it opens"):
        services.call_create(actor=cast.officer, strategy=cast.strategy, data=data)
    data["closes_at"] = now + timedelta(days=7)
    call = services.call_create(actor=cast.officer, strategy=cast.strategy, data=data)
    assert call.created_by == cast.officer
    assert AuditEvent.objects.filter(verb="call.created", target_id=str(call.pk)).exists()


def test_call_update_refuses_a_stale_edit(cast: Cast, setting: Setting) -> None:
    call = setting.call
    services.call_update(actor=cast.officer, call=call, data={"title": "First"}, version=1)
    with pytest.raises(StaleEditError) as caught:
        services.call_update(actor=cast.officer, call=call, data={"title": "Second"}, version=1)
    assert [(c.theirs, c.yours) for c in caught.value.conflicts] == [("First", "Second")]


# Reminders ---------------------------------------------------------------------------------------


def test_reminder_two_days_before_close_once_per_person_and_call(
    cast: Cast, setting: Setting, mailoutbox, django_capture_on_commit_callbacks
) -> None:
    colleague = MembershipFactory(organisation=setting.council, role=Role.COUNCILLOR).user
    make_priority(setting, cast.councillor, submit=False)
    make_priority(setting, cast.councillor, submit=False, title="A second draft")
    make_priority(setting, colleague, submit=True)  # submitted: nothing to remind about
    closes: datetime = setting.call.closes_at

    with time_machine.travel(closes - timedelta(days=3)):
        assert services.call_reminders_send() == 0  # too early
    with (
        time_machine.travel(closes - timedelta(days=2) + timedelta(minutes=5)),
        django_capture_on_commit_callbacks(execute=True),
    ):
        assert services.call_reminders_send() == 1
        assert services.call_reminders_send() == 0  # a second run (or a second beat) sends nothing
    assert [m.to for m in mailoutbox] == [[cast.councillor.email]]
    body = mailoutbox[0].body
    assert "A second draft" in body and "You have 2 draft priorities" in body
    assert CallReminder.objects.count() == 1
    with time_machine.travel(closes + timedelta(minutes=1)):
        assert services.call_reminders_send() == 0


def test_the_reminder_task_is_on_the_beat_schedule() -> None:
    from lis_portal.celery import app

    tasks = {entry["task"] for entry in app.conf.beat_schedule.values()}
    assert "engagement.call_reminders_send" in tasks


def test_inactive_or_former_councillors_are_not_reminded(cast: Cast, setting: Setting) -> None:
    make_priority(setting, cast.councillor, submit=False)
    Membership.objects.filter(user=cast.councillor).delete()
    type(cast.councillor).objects.filter(pk=cast.councillor.pk).update(is_active=False)
    with time_machine.travel(setting.call.closes_at - timedelta(days=1)):
        assert services.call_reminders_send() == 0


def test_a_councillor_of_two_councils_writes_for_either(cast: Cast, setting: Setting) -> None:
    second = Organisation.objects.create(name="Kent County Council", slug="kcc", kind=Organisation.Kind.COUNTY_COUNCIL)
    cast.strategy.partners.add(second)
    Membership.objects.create(user=cast.councillor, organisation=second, role=Role.COUNCILLOR)
    councillor = UserFactory(email=cast.councillor.email)  # a fresh object: the role cache is per object
    priority = services.priority_save_draft(actor=councillor, call=setting.call, organisation=second, data=full_data())
    assert priority.organisation == second
