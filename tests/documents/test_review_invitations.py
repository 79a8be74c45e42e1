"""Opening a review window emails the councillors and partners of the invited organisations a link
to the draft and the closing date, through core's outbox, after commit: once per person (however
often the sending runs, however many invited organisations they belong to), nobody when nobody
is invited, never inactive people or officers. The form asks for the closing date."""

from __future__ import annotations

from datetime import date, timedelta

import pytest
from django.urls import reverse
from django.utils import timezone

from core.exceptions import ApplicationError
from core.models import AuditEvent, Email, Organisation, Role
from documents import services
from documents.models import ReviewInvitation, ReviewWindow
from tests.conftest import Cast
from tests.documents.conftest import Papers
from tests.factories import MembershipFactory, UserFactory

pytestmark = pytest.mark.django_db


def _council(cast: Cast) -> Organisation:
    return cast.strategy.partners.get(kind=Organisation.Kind.DISTRICT_COUNCIL)


def _university(cast: Cast) -> Organisation:
    return cast.strategy.partners.get(kind=Organisation.Kind.UNIVERSITY)


def _closes() -> date:
    return timezone.localdate() + timedelta(days=21)


def test_invited_people_are_emailed_once_after_commit_with_the_link_and_closing_date(
    cast: Cast, papers: Papers, mailoutbox, django_capture_on_commit_callbacks
) -> None:
    # A second councillor, an inactive one, and the partner who is also in the council: one email each.
    colleague = MembershipFactory(
        user=UserFactory(email="colleague@kent.example", name="Kent Colleague"),
        organisation=_council(cast),
        role=Role.COUNCILLOR,
    ).user
    MembershipFactory(
        user=UserFactory(email="gone@kent.example", name="Gone Away", is_active=False),
        organisation=_council(cast),
        role=Role.COUNCILLOR,
    )
    MembershipFactory(user=cast.partner, organisation=_council(cast), role=Role.PARTNER)
    with django_capture_on_commit_callbacks(execute=True):
        window = services.review_window_open(
            actor=cast.officer,
            draft=papers.version.draft,
            version=papers.version,
            organisations=[_council(cast), _university(cast)],
            closes_on=_closes(),
        )
    recipients = sorted(m.to[0] for m in mailoutbox)
    assert recipients == sorted([cast.councillor.email, colleague.email, cast.partner.email])
    message = next(m for m in mailoutbox if m.to == [cast.councillor.email])
    day = _closes()
    assert f"{day.day} {day:%B %Y}" in message.subject
    assert window.get_absolute_url() in message.body
    assert f"{day:%A} {day.day} {day:%B %Y}" in message.body
    assert "version 1 of the draft" in message.body and "Dear Kent Councillor" in message.body
    assert set(Email.objects.values_list("status", flat=True)) == {Email.Status.SENT}
    assert AuditEvent.objects.filter(verb="review.invited").count() == 3
    # Running again emails nobody twice.
    with django_capture_on_commit_callbacks(execute=True):
        assert services.review_invitations_send(window=window) == 0
    assert len(mailoutbox) == 3 and Email.objects.count() == 3
    assert ReviewInvitation.objects.filter(window=window).count() == 3


def test_a_person_joining_later_is_emailed_on_the_next_run_only(
    cast: Cast, papers: Papers, django_capture_on_commit_callbacks
) -> None:
    with django_capture_on_commit_callbacks(execute=True):
        window = services.review_window_open(
            actor=cast.officer,
            draft=papers.version.draft,
            version=papers.version,
            organisations=[_council(cast)],
            closes_on=_closes(),
        )
    assert list(Email.objects.values_list("to", flat=True)) == [cast.councillor.email]
    newcomer = MembershipFactory(
        user=UserFactory(email="new@kent.example", name="New Councillor"),
        organisation=_council(cast),
        role=Role.COUNCILLOR,
    ).user
    with django_capture_on_commit_callbacks(execute=True):
        assert services.review_invitations_send(window=window) == 1
        assert services.review_invitations_send(window=window) == 0
    assert sorted(Email.objects.values_list("to", flat=True)) == sorted([cast.councillor.email, newcomer.email])


def test_nobody_invited_nobody_emailed_and_nothing_opened(cast: Cast, papers: Papers) -> None:
    with pytest.raises(ApplicationError, match="Choose the organisations"):
        services.review_window_open(
            actor=cast.officer,
            draft=papers.version.draft,
            version=papers.version,
            organisations=[],
            closes_on=_closes(),
        )
    # An organisation with nobody in it: the window opens, nobody is emailed.
    empty = Organisation.objects.create(name="Kent Chamber", slug="kent-chamber", kind=Organisation.Kind.BUSINESS_GROUP)
    cast.strategy.partners.add(empty)
    window = services.review_window_open(
        actor=cast.officer,
        draft=papers.version.draft,
        version=papers.version,
        organisations=[empty],
        closes_on=_closes(),
    )
    assert window.closes_on == _closes()
    assert Email.objects.count() == 0 and not ReviewInvitation.objects.exists()


def test_a_closing_date_in_the_past_is_refused(cast: Cast, papers: Papers) -> None:
    with pytest.raises(ApplicationError, match="closing date"):
        services.review_window_open(
            actor=cast.officer,
            draft=papers.version.draft,
            version=papers.version,
            organisations=[_council(cast)],
            closes_on=timezone.localdate() - timedelta(days=1),
        )
    assert not ReviewWindow.objects.exists() and Email.objects.count() == 0


def test_the_form_asks_for_the_closing_date(
    client, cast: Cast, papers: Papers, mailoutbox, django_capture_on_commit_callbacks
) -> None:
    client.force_login(cast.officer)
    url = reverse("documents:review-open", kwargs={"strategy_slug": cast.strategy.slug})
    base = {"version": papers.version.pk, "organisations": [_council(cast).pk]}
    missing = client.post(url, base)
    assert missing.status_code == 200
    assert "Enter the closing date as a day, month and year" in missing.content.decode()
    past = timezone.localdate() - timedelta(days=3)
    late = client.post(url, {**base, "closes_on_0": past.day, "closes_on_1": past.month, "closes_on_2": past.year})
    assert late.status_code == 200 and "The closing date must be today or in the future" in late.content.decode()
    assert not ReviewWindow.objects.exists() and not mailoutbox
    day = _closes()
    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(url, {**base, "closes_on_0": day.day, "closes_on_1": day.month, "closes_on_2": day.year})
    window = ReviewWindow.objects.get()
    assert response.status_code == 302 and window.closes_on == day
    assert [m.to for m in mailoutbox] == [[cast.councillor.email]]
    page = client.get(window.get_absolute_url()).content.decode()
    assert f"Comments close at the end of {day.day} {day:%B %Y}" in page
