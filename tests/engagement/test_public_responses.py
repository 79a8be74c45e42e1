"""Public (no-account) responses: stored unconfirmed, confirmed through the link the real outbox
sends, refused after the close, rate-limited, the honeypot; receipts and reply emails; offline input
entered by officers; the officer's list and export with both kinds, in a fixed number of queries."""

from __future__ import annotations

import re
from datetime import date, timedelta
from typing import Any

import pytest
import time_machine
from django.contrib.contenttypes.models import ContentType
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone

from core.exceptions import ApplicationError
from core.models import AuditEvent, Email
from engagement import services
from engagement.models import Consultation, ConsultationResponse, PublicCredit
from tests.conftest import Cast
from tests.engagement.conftest import Setting, full_answers, make_consultation, make_response, partner_org

pytestmark = pytest.mark.django_db

CONFIRM = "http://testserver/kent/engagement/public-responses/confirm/{token}/"


def respondent(**overrides: Any) -> services.PublicRespondent:
    values: dict[str, Any] = {
        "name": "Pat Public",
        "email": "Pat@Example.org",
        "may_publish": True,
        "credit": PublicCredit.NAME,
    }
    values.update(overrides)
    return services.PublicRespondent(**values)


def submit(consultation: Consultation, *, ip: str = "203.0.113.9", **overrides: Any) -> ConsultationResponse:
    return services.public_response_submit(
        consultation=consultation,
        answers=full_answers(consultation),
        respondent=respondent(**overrides),
        ip=ip,
        confirm_url=CONFIRM,
    )


def token_from(body: str) -> str:
    match = re.search(r"/public-responses/confirm/([^/\s]+)/", body)
    assert match is not None, body
    return match.group(1)


def public_form(consultation: Consultation, **overrides: str) -> dict[str, Any]:
    q = list(consultation.questions.order_by("order"))
    data: dict[str, Any] = {
        f"q_{q[0].pk}": "More apprenticeships in Thanet.",
        f"q_{q[1].pk}": "People",
        f"q_{q[3].pk}": "4",
        "name": "Pat Public",
        "email": "pat@example.org",
        "may_publish": "yes",
        "credit": "anonymous",
        "credit_organisation": "",
        "website": "",
    }
    data.update(overrides)
    return data


# Services -----------------------------------------------------------------------------------------


def test_a_public_response_is_confirmed_through_the_emailed_link(
    cast: Cast, setting: Setting, mailoutbox, django_capture_on_commit_callbacks
) -> None:
    consultation = make_consultation(setting, audience="public")
    with django_capture_on_commit_callbacks(execute=True):
        response = submit(consultation)
    assert response.status == ConsultationResponse.Status.UNCONFIRMED
    assert response.organisation is None and response.respondent_email == "pat@example.org"
    assert len(response.token_hash) == 64 and response.confirm_by is not None
    email = Email.objects.get()
    assert email.status == Email.Status.SENT and email.to == "pat@example.org"
    assert [m.to for m in mailoutbox] == [["pat@example.org"]]
    token = token_from(mailoutbox[0].body)
    assert token not in response.token_hash  # only the hash is stored
    # Unconfirmed: nothing for officers.
    assert not services_list(consultation)
    with pytest.raises(ApplicationError, match="not been confirmed"):
        services.response_reply(actor=cast.officer, response=response, reply="Thanks")

    confirmed = services.public_response_confirm(strategy=setting.strategy, token=token)
    assert confirmed.status == ConsultationResponse.Status.SUBMITTED and confirmed.confirmed_at is not None
    assert confirmed.token_hash == ""
    assert [r.pk for r in services_list(consultation)] == [response.pk]
    with pytest.raises(ApplicationError, match="not valid"):  # a link works once
        services.public_response_confirm(strategy=setting.strategy, token=token)
    verbs = list(AuditEvent.objects.filter(target_id=str(response.pk)).order_by("pk").values_list("verb", flat=True))
    assert verbs == ["response.public_received", "response.public_confirmed"]


def services_list(consultation: Consultation) -> list[ConsultationResponse]:
    from engagement.selectors import response_list_for_consultation

    return list(response_list_for_consultation(consultation=consultation))


def test_a_token_of_another_strategy_does_not_confirm(cast: Cast, setting: Setting, other_setting: Setting) -> None:
    consultation = make_consultation(setting, audience="public")
    response = submit(consultation)
    token = "not-the-real-token"
    ConsultationResponse.objects.filter(pk=response.pk).update(token_hash=services.hash_token(token))
    with pytest.raises(ApplicationError, match="not valid"):
        services.public_response_confirm(strategy=other_setting.strategy, token=token)
    assert ConsultationResponse.objects.get(pk=response.pk).status == ConsultationResponse.Status.UNCONFIRMED


def test_an_expired_link_does_not_confirm_and_the_purge_deletes_it(cast: Cast, setting: Setting, mailoutbox) -> None:
    consultation = make_consultation(setting, audience="public")
    response = submit(consultation)
    token = "known-token"
    ConsultationResponse.objects.filter(pk=response.pk).update(token_hash=services.hash_token(token))
    kept = submit(consultation, email="other@example.org")
    later = timezone.now() + timedelta(days=services.PUBLIC_CONFIRM_DAYS, minutes=1)
    ConsultationResponse.objects.filter(pk=kept.pk).update(confirm_by=later + timedelta(days=1))
    with time_machine.travel(later, tick=False):
        with pytest.raises(ApplicationError, match="expired"):
            services.public_response_confirm(strategy=setting.strategy, token=token)
        assert services.public_responses_purge() == 1
        assert services.public_responses_purge() == 0  # safe to run twice
    assert not ConsultationResponse.objects.filter(pk=response.pk).exists()
    assert ConsultationResponse.objects.filter(pk=kept.pk).exists()
    event = AuditEvent.objects.get(verb="consultation.unconfirmed_purged")
    assert event.data == {"responses": 1}


def test_the_purge_task_runs_the_service(cast: Cast, setting: Setting) -> None:
    from engagement.tasks import public_responses_purge

    consultation = make_consultation(setting, audience="public")
    response = submit(consultation)
    ConsultationResponse.objects.filter(pk=response.pk).update(confirm_by=timezone.now() - timedelta(seconds=1))
    assert public_responses_purge.apply().get() == 1


def test_public_responses_only_to_public_consultations_and_while_open(cast: Cast, setting: Setting) -> None:
    partners_only = make_consultation(setting, audience="partners")
    with pytest.raises(ApplicationError, match="not open to the public"):
        submit(partners_only)
    closed = make_consultation(setting, audience="public", title="Closed")
    Consultation.objects.filter(pk=closed.pk).update(
        opens_at=timezone.now() - timedelta(days=9), closes_at=timezone.now() - timedelta(minutes=1)
    )
    with pytest.raises(ApplicationError, match="closed at"):
        submit(closed)
    assert not ConsultationResponse.objects.exists()
    assert not Email.objects.exists()


def test_credit_rules(cast: Cast, setting: Setting) -> None:
    consultation = make_consultation(setting, audience="public")
    with pytest.raises(ApplicationError, match="Enter your name") as error:
        submit(consultation, name="", credit=PublicCredit.NAME)
    assert error.value.field == "name"
    with pytest.raises(ApplicationError, match="organisation to credit"):
        submit(consultation, credit=PublicCredit.ORGANISATION)
    with pytest.raises(ApplicationError, match="email"):
        submit(consultation, email=" ")
    response = submit(consultation, credit=PublicCredit.ORGANISATION, credit_organisation="Margate Residents")
    assert response.credit_label == "Margate Residents"
    anonymous = submit(consultation, credit=PublicCredit.ANONYMOUS, email="b@example.org", may_publish=False)
    assert anonymous.credit_label == "A member of the public" and anonymous.may_publish is False


def test_required_questions_are_checked(cast: Cast, setting: Setting) -> None:
    consultation = make_consultation(setting, audience="public")
    q = list(consultation.questions.order_by("order"))
    with pytest.raises(ApplicationError, match="answer question 1") as error:
        services.public_response_submit(
            consultation=consultation,
            answers={q[1].pk: "People", q[3].pk: "3"},
            respondent=respondent(),
            ip="203.0.113.1",
            confirm_url=CONFIRM,
        )
    assert error.value.field == f"q_{q[0].pk}"
    assert not ConsultationResponse.objects.exists()


def test_the_rate_limit_per_email_and_per_address(cast: Cast, setting: Setting) -> None:
    consultation = make_consultation(setting, audience="public")
    start = timezone.now()
    with time_machine.travel(start, tick=False):
        for i in range(services.PUBLIC_LIMIT_PER_EMAIL):
            submit(consultation, ip=f"198.51.100.{i}")
        with pytest.raises(services.RateLimited) as limited:
            submit(consultation, ip="198.51.100.99")
    assert limited.value.retry_at == start + timedelta(hours=1)
    # Another email from the same addresses is fine, until one address has sent five.
    with time_machine.travel(start + timedelta(minutes=1), tick=False):
        for i in range(services.PUBLIC_LIMIT_PER_IP - 1):
            submit(consultation, ip="198.51.100.0", email=f"n{i}@example.org")
        with pytest.raises(services.RateLimited):
            submit(consultation, ip="198.51.100.0", email="fresh@example.org")
    with time_machine.travel(start + timedelta(hours=1, minutes=2), tick=False):
        submit(consultation, ip="198.51.100.0", email="fresh@example.org")  # the hour has passed
    assert ConsultationResponse.objects.filter(ip_hash=services.hash_ip("198.51.100.0")).count() == 6


def test_an_organisation_response_gets_a_receipt_and_the_reply_email(
    cast: Cast, setting: Setting, mailoutbox, django_capture_on_commit_callbacks
) -> None:
    consultation = make_consultation(setting)
    with django_capture_on_commit_callbacks(execute=True):
        response = make_response(setting, consultation, cast.partner)
    assert [m.to for m in mailoutbox] == [[cast.partner.email]]
    assert "Response received" in mailoutbox[0].subject
    assert f"/engagement/responses/{response.pk}/" in mailoutbox[0].body
    with django_capture_on_commit_callbacks(execute=True):
        services.response_reply(actor=cast.officer, response=response, reply="We took up your point on skills.")
    assert mailoutbox[-1].to == [cast.partner.email]
    assert "We took up your point on skills." in mailoutbox[-1].body
    assert Email.objects.filter(status=Email.Status.SENT).count() == 2


def test_a_confirmed_public_respondent_gets_the_reply_email(
    cast: Cast, setting: Setting, mailoutbox, django_capture_on_commit_callbacks
) -> None:
    consultation = make_consultation(setting, audience="public")
    with django_capture_on_commit_callbacks(execute=True):
        response = submit(consultation)
    services.public_response_confirm(strategy=setting.strategy, token=token_from(mailoutbox[0].body))
    with django_capture_on_commit_callbacks(execute=True):
        services.response_reply(actor=cast.officer, response=response, reply="Thank you, Pat.")
    assert mailoutbox[-1].to == ["pat@example.org"] and "Thank you, Pat." in mailoutbox[-1].body


def test_offline_input_for_an_organisation_and_for_a_member_of_the_public(
    cast: Cast, setting: Setting, mailoutbox, django_capture_on_commit_callbacks
) -> None:
    consultation = make_consultation(setting, audience="public")
    answers = full_answers(consultation)
    today = timezone.localdate()
    with django_capture_on_commit_callbacks(execute=True):
        org = services.response_enter_offline(
            actor=cast.officer,
            consultation=consultation,
            source=services.OfflineInput(channel="workshop", received_on=today, organisation=setting.council),
            answers=answers,
        )
        person = services.response_enter_offline(
            actor=cast.officer,
            consultation=consultation,
            source=services.OfflineInput(
                channel="paper",
                received_on=today,
                respondent=respondent(email="", credit=PublicCredit.ANONYMOUS, may_publish=False),
            ),
            answers=answers,
        )
    assert org.status == person.status == ConsultationResponse.Status.SUBMITTED
    assert org.offline_label.startswith("Entered by Kent Officer on behalf of kent Borough Council, from workshop")
    assert person.offline_label.startswith("Entered by Kent Officer on behalf of Pat Public (member of the public)")
    assert not mailoutbox  # nobody confirmed an address through the portal
    assert AuditEvent.objects.filter(verb="response.entered_offline").count() == 2
    # Once per organisation still holds; the future, unknown channels and other strategies' orgs are refused.
    with pytest.raises(ApplicationError, match="already has a response"):
        services.response_enter_offline(
            actor=cast.officer,
            consultation=consultation,
            source=services.OfflineInput(channel="email", received_on=today, organisation=setting.council),
            answers=answers,
        )
    other_org = partner_org_of_other(cast)
    for source, message in [
        (services.OfflineInput(channel="email", received_on=today, organisation=other_org), "Choose an organisation"),
        (services.OfflineInput(channel="fax", received_on=today, organisation=partner_org(setting)), "Choose where"),
        (
            services.OfflineInput(
                channel="phone", received_on=today + timedelta(days=1), organisation=partner_org(setting)
            ),
            "future",
        ),
        (services.OfflineInput(channel="phone", received_on=today, respondent=respondent(name="")), "Enter the name"),
    ]:
        with pytest.raises(ApplicationError, match=message):
            services.response_enter_offline(
                actor=cast.officer, consultation=consultation, source=source, answers=answers
            )
    assert ConsultationResponse.objects.count() == 2


def partner_org_of_other(cast: Cast) -> Any:
    from core.models import Organisation

    return Organisation.objects.get(slug="berkshire-university")


def test_offline_public_input_needs_a_public_consultation(cast: Cast, setting: Setting) -> None:
    consultation = make_consultation(setting, audience="partners")
    with pytest.raises(ApplicationError, match="open to the public"):
        services.response_enter_offline(
            actor=cast.officer,
            consultation=consultation,
            source=services.OfflineInput(channel="phone", received_on=date.today(), respondent=respondent()),
            answers=full_answers(consultation),
        )


# Views --------------------------------------------------------------------------------------------


def _url(name: str, setting: Setting, **kwargs: Any) -> str:
    return reverse(f"engagement:{name}", kwargs={"strategy_slug": setting.strategy.slug, **kwargs})


def test_the_public_page_confirm_flow_through_the_real_outbox(
    client, cast: Cast, setting: Setting, mailoutbox, django_capture_on_commit_callbacks
) -> None:
    consultation = make_consultation(setting, audience="public")
    overview = client.get(reverse("strategy-overview", kwargs={"strategy_slug": setting.strategy.slug}))
    url = _url("public-response-create", setting, pk=consultation.pk)
    assert url in overview.content.decode()
    page = client.get(url)
    assert page.status_code == 200
    html = page.content.decode()
    assert 'name="website"' in html and 'aria-hidden="true"' in html and 'tabindex="-1"' in html
    with django_capture_on_commit_callbacks(execute=True):
        sent = client.post(url, public_form(consultation), REMOTE_ADDR="192.0.2.7")
    assert sent.status_code == 302 and sent.url == _url("public-response-sent", setting, pk=consultation.pk)
    assert "Check your email" in client.get(sent.url).content.decode()
    response = ConsultationResponse.objects.get()
    assert response.ip_hash == services.hash_ip("192.0.2.7") and "192.0.2.7" not in response.ip_hash
    email = Email.objects.get()
    assert email.status == Email.Status.SENT and email.to == "pat@example.org"
    link = re.search(r"http://\S+", mailoutbox[0].body)
    assert link is not None
    path = link.group(0).removeprefix("http://localhost:8000")
    confirm_page = client.get(path)
    assert confirm_page.status_code == 200 and "Confirm my response" in confirm_page.content.decode()
    assert ConsultationResponse.objects.get().status == ConsultationResponse.Status.UNCONFIRMED  # a GET does not
    done = client.post(path)
    assert done.status_code == 200 and "Response confirmed" in done.content.decode()
    assert ConsultationResponse.objects.get().status == ConsultationResponse.Status.SUBMITTED
    again = client.post(path)
    assert again.status_code == 400 and "not valid" in again.content.decode()
    assert client.get(_url("public-response-confirm", setting, token="forged")).status_code == 404

    client.force_login(cast.officer)
    listing = client.get(_url("consultation-responses", setting, pk=consultation.pk)).content.decode()
    assert "Pat Public (member of the public)" in listing and "A member of the public" in listing
    detail = client.get(_url("response-detail", setting, pk=response.pk)).content.decode()
    assert "pat@example.org" in detail and "Confirmed by email" in detail


def test_the_honeypot_gets_a_polite_page_and_nothing_is_stored_or_sent(
    client, cast: Cast, setting: Setting, mailoutbox, django_capture_on_commit_callbacks
) -> None:
    consultation = make_consultation(setting, audience="public")
    with django_capture_on_commit_callbacks(execute=True):
        page = client.post(
            _url("public-response-create", setting, pk=consultation.pk),
            public_form(consultation, website="https://spam.example"),
            follow=True,
        )
    assert page.redirect_chain == [(_url("public-response-sent", setting, pk=consultation.pk), 302)]
    assert page.status_code == 200 and "Check your email" in page.content.decode()
    assert not ConsultationResponse.objects.exists() and not Email.objects.exists() and not mailoutbox


def test_a_blocked_person_gets_a_429_saying_when(client, cast: Cast, setting: Setting) -> None:
    consultation = make_consultation(setting, audience="public")
    url = _url("public-response-create", setting, pk=consultation.pk)
    for _ in range(services.PUBLIC_LIMIT_PER_EMAIL):
        assert client.post(url, public_form(consultation)).status_code == 302
    blocked = client.post(url, public_form(consultation))
    assert blocked.status_code == 429
    assert int(blocked["Retry-After"]) > 3000
    assert "Please try again later" in blocked.content.decode() and "You can send it after" in blocked.content.decode()
    assert ConsultationResponse.objects.count() == services.PUBLIC_LIMIT_PER_EMAIL


def test_a_form_opened_before_the_close_is_refused_after_it(client, cast: Cast, setting: Setting, mailoutbox) -> None:
    consultation = make_consultation(setting, audience="public")
    url = _url("public-response-create", setting, pk=consultation.pk)
    assert "Send your response" in client.get(url).content.decode()
    with time_machine.travel(consultation.closes_at + timedelta(seconds=1)):
        page = client.post(url, public_form(consultation))
    assert page.status_code == 200
    assert "closed at" in page.content.decode()
    assert not ConsultationResponse.objects.exists() and not Email.objects.exists()


def test_bad_input_is_refused_with_errors(client, cast: Cast, setting: Setting) -> None:
    consultation = make_consultation(setting, audience="public")
    q = list(consultation.questions.order_by("order"))
    url = _url("public-response-create", setting, pk=consultation.pk)
    page = client.post(url, public_form(consultation, email="nope", **{f"q_{q[1].pk}": "Forged"}))
    html = page.content.decode()
    assert page.status_code == 200 and "govuk-error-summary" in html
    assert "Enter an email address like name@example.com" in html
    page = client.post(url, public_form(consultation, **{f"q_{q[0].pk}": ""}))
    assert "answer question 1" in page.content.decode()
    assert not ConsultationResponse.objects.exists()


def test_a_closed_public_consultation_shows_no_form(client, cast: Cast, setting: Setting) -> None:
    consultation = make_consultation(setting, audience="public")
    Consultation.objects.filter(pk=consultation.pk).update(
        opens_at=timezone.now() - timedelta(days=9), closes_at=timezone.now() - timedelta(minutes=1)
    )
    page = client.get(_url("public-response-create", setting, pk=consultation.pk)).content.decode()
    assert "no longer takes responses" in page and "Send your response" not in page


def test_the_officer_enters_offline_input_seen_by_the_organisation(client, cast: Cast, setting: Setting) -> None:
    consultation = make_consultation(setting, audience="partners")
    q = list(consultation.questions.order_by("order"))
    today = timezone.localdate()
    client.force_login(cast.officer)
    url = _url("offline-response-create", setting, pk=consultation.pk)
    assert client.get(url).status_code == 200
    data = {
        "organisation": str(partner_org(setting).pk),
        "channel": "paper",
        "received_on_0": str(today.day),
        "received_on_1": str(today.month),
        "received_on_2": str(today.year),
        f"q_{q[0].pk}": "From the paper form.",
        f"q_{q[1].pk}": "Ideas",
        f"q_{q[3].pk}": "2",
    }
    done = client.post(url, data)
    response = ConsultationResponse.objects.get()
    assert done.status_code == 302 and done.url == response.get_absolute_url()
    assert response.entered_by == cast.officer and response.channel == "paper"
    client.force_login(cast.partner)
    mine = client.get(_url("response-list", setting)).content.decode()
    assert "Entered by Kent Officer on behalf of kent University, from paper form" in mine
    detail = client.get(response.get_absolute_url()).content.decode()
    assert "Entered by Kent Officer on behalf of kent University, from paper form" in detail
    # A forged organisation id (another strategy's) is refused, nothing saved.
    client.force_login(cast.officer)
    data["organisation"] = str(partner_org_of_other(cast).pk)
    page = client.post(url, data)
    assert page.status_code == 200 and "govuk-error-summary" in page.content.decode()
    assert ConsultationResponse.objects.count() == 1


def test_the_officers_list_and_export_hold_their_query_counts(client, cast: Cast, setting: Setting) -> None:
    consultation = make_consultation(setting, audience="public")
    client.force_login(cast.officer)
    list_url = _url("consultation-responses", setting, pk=consultation.pk)
    export_url = _url("consultation-export", setting, pk=consultation.pk)

    def add(count: int, start: int) -> None:
        for i in range(start, start + count):
            response = submit(consultation, email=f"p{i}@example.org", ip=f"10.0.{i}.1")
            ConsultationResponse.objects.filter(pk=response.pk).update(
                status=ConsultationResponse.Status.SUBMITTED, confirmed_at=timezone.now(), token_hash=""
            )
            services.response_enter_offline(
                actor=cast.officer,
                consultation=consultation,
                source=services.OfflineInput(
                    channel="phone", received_on=timezone.localdate(), respondent=respondent(name=f"Caller {i}")
                ),
                answers=full_answers(consultation),
            )

    def counts() -> tuple[int, int]:
        ContentType.objects.clear_cache()  # the same cold cache each time, whichever tests ran before
        with CaptureQueriesContext(connection) as page:
            assert client.get(list_url).status_code == 200
        with CaptureQueriesContext(connection) as export:
            body = b"".join(client.get(export_url).streaming_content).decode()
        assert "Caller" in body and "Member of the public" in body
        return len(page), len(export)

    add(2, 0)
    small = counts()
    add(6, 2)
    assert counts() == small  # 2 public + 2 offline rows, then 8 + 8 (13 queries for the page, 12 for the export here)
    body = b"".join(client.get(export_url).streaming_content).decode()
    header = body.splitlines()[0]
    assert "Credit as" in header and "May publish" in header and "Channel" in header
    assert "Phone" in body
