"""You said, we did: the published pages of a closed consultation and a closed call for priorities.
Who is included (and who not), how each is credited (an erased person as "a participant"), the
counts, 404 before the close and through another strategy's address, and a query count that does
not grow with the rows."""

from __future__ import annotations

from datetime import timedelta
from typing import Any

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone

from core.models import Organisation, Theme
from engagement import selectors, services
from engagement.models import Call, Consultation, ConsultationResponse, Priority, Proposition, PublicCredit
from lis_portal import personal_data
from tests.conftest import Cast
from tests.engagement.conftest import (
    Setting,
    bulk_priorities,
    full_answers,
    make_consultation,
    make_priority,
    make_response,
)

pytestmark = pytest.mark.django_db

TOKEN = "a-token-known-to-the-test"


def public(
    consultation: Consultation,
    *,
    name: str = "Pat Public",
    email: str = "pat@example.org",
    may_publish: bool = True,
    credit: str = PublicCredit.NAME,
    credit_organisation: str = "",
    confirm: bool = True,
    ip: str = "192.0.2.1",
) -> ConsultationResponse:
    """A member of the public's response through the services, confirmed through its link."""
    response = services.public_response_submit(
        consultation=consultation,
        answers=full_answers(consultation),
        respondent=services.PublicRespondent(
            name=name, email=email, may_publish=may_publish, credit=credit, credit_organisation=credit_organisation
        ),
        ip=ip,
        confirm_url="http://testserver/{token}/",
    )
    if confirm:
        ConsultationResponse.objects.filter(pk=response.pk).update(token_hash=services.hash_token(TOKEN))
        response = services.public_response_confirm(strategy=consultation.strategy, token=TOKEN)
    return response


def close(thing: Consultation | Call) -> None:
    type(thing).objects.filter(pk=thing.pk).update(closes_at=timezone.now() - timedelta(minutes=1))


def consultation_url(consultation: Consultation, strategy_slug: str = "") -> str:
    slug = strategy_slug or consultation.strategy.slug
    return reverse("engagement:consultation-published", kwargs={"strategy_slug": slug, "pk": consultation.pk})


def call_url(call: Call, strategy_slug: str = "") -> str:
    slug = strategy_slug or call.strategy.slug
    return reverse("engagement:call-published", kwargs={"strategy_slug": slug, "pk": call.pk})


# Consultations ------------------------------------------------------------------------------------------


@pytest.fixture
def consulted(cast: Cast, setting: Setting) -> dict[str, Any]:
    """A public consultation with one response of each kind, then closed."""
    consultation = make_consultation(setting, audience="public", title="Skills consultation")
    made: dict[str, Any] = {"consultation": consultation}
    made["organisation"] = make_response(setting, consultation, cast.partner)
    made["named"] = public(consultation, name="Pat Named", email="pat@example.org", ip="192.0.2.1")
    made["org_credit"] = public(
        consultation,
        name="Sam Typed",
        email="sam@example.org",
        credit=PublicCredit.ORGANISATION,
        credit_organisation="Thanet Makers Guild",
        ip="192.0.2.2",
    )
    made["anonymous"] = public(
        consultation, name="Alex Hidden-Name", email="alex@example.org", credit=PublicCredit.ANONYMOUS, ip="192.0.2.3"
    )
    made["unpublishable"] = public(
        consultation, name="Robin Private", email="robin@example.org", may_publish=False, ip="192.0.2.4"
    )
    made["unconfirmed"] = public(
        consultation, name="Una Unconfirmed", email="una@example.org", confirm=False, ip="192.0.2.5"
    )
    made["hidden"] = public(consultation, name="Hugo Hidden", email="hugo@example.org", ip="192.0.2.6")
    services.response_hide(actor=cast.officer, response=made["hidden"], reason="Abusive.")
    # A council's draft: never submitted.
    council_draft = services.response_start(
        actor=cast.councillor, consultation=consultation, organisation=setting.council
    )
    made["draft"] = council_draft
    services.response_reply(
        actor=cast.officer, response=made["named"], reply="We will fund <b>two</b> skills centres.\nThank you."
    )
    services.response_reply(actor=cast.officer, response=made["unpublishable"], reply="Noted.")
    close(consultation)
    return made


def test_the_published_list_holds_organisations_and_consenting_confirmed_public_responses(
    consulted: dict[str, Any],
) -> None:
    published = set(selectors.response_list_published(consultation=consulted["consultation"]))
    assert published == {consulted[k] for k in ("organisation", "named", "org_credit", "anonymous")}
    counts = selectors.response_counts_published(consultation=consulted["consultation"])
    # Received: submitted or confirmed (hidden and unpublishable ones too); the unconfirmed and the draft not.
    assert counts == {"received": 6, "published": 4, "replied": 2}


def test_the_credit_honours_the_choice_and_the_organisation_speaks_on_the_record(
    consulted: dict[str, Any],
) -> None:
    credit = selectors.response_public_credit
    assert credit(consulted["organisation"]) == consulted["organisation"].organisation.name
    assert credit(consulted["named"]) == "Pat Named"
    assert credit(consulted["org_credit"]) == "Thanet Makers Guild"
    assert credit(consulted["anonymous"]) == "A member of the public"


def test_the_page_shows_what_was_said_and_replied_to_anyone(client, cast: Cast, consulted: dict[str, Any]) -> None:
    response = client.get(consultation_url(consulted["consultation"]))
    assert response.status_code == 200
    page = response.content.decode()
    university = consulted["organisation"].organisation.name
    for shown in ("Pat Named", "Thanet Makers Guild", "A member of the public", university):
        assert shown in page, shown
    for absent in ("Sam Typed", "Alex Hidden-Name", "Robin Private", "Una Unconfirmed", "Hugo Hidden", "Noted."):
        assert absent not in page, absent
    # Never an email address.
    assert "@example.org" not in page
    # Answers readably: choices joined, the scale point of five; the reply escaped, with its date.
    assert "Medway; Thanet" in page and "4 of 5" in page and "People" in page
    assert "We will fund &lt;b&gt;two&lt;/b&gt; skills centres.<br>Thank you." in page
    replied_at = ConsultationResponse.objects.get(pk=consulted["named"].pk).replied_at
    assert replied_at is not None and f"On {replied_at:%-d %B %Y}" in page
    assert "No reply yet" in page
    # The counts at the top.
    row = '<dt class="govuk-summary-list__key">{}</dt><dd class="govuk-summary-list__value">{}</dd>'
    for key, value in (("Responses received", 6), ("Published here", 4), ("Replied to", 2)):
        assert row.format(key, value) in page, key


def test_an_erased_person_is_credited_as_a_participant(client, cast: Cast, setting: Setting) -> None:
    consultation = make_consultation(setting, audience="public")
    # The partner also answered as a member of the public, under their account's address, by name.
    public(consultation, name="Kent Partner Person", email=cast.partner.email)
    close(consultation)
    personal_data.person_erase(actor=cast.admin, person=cast.partner)
    response = ConsultationResponse.objects.get(organisation__isnull=True)
    assert selectors.response_public_credit(response) == "A participant"
    page = client.get(consultation_url(consultation)).content.decode()
    assert "A participant" in page and "Kent Partner Person" not in page


def test_an_open_consultation_has_no_published_page_yet(client, cast: Cast, setting: Setting) -> None:
    consultation = make_consultation(setting, audience="public")
    public(consultation)
    assert client.get(consultation_url(consultation)).status_code == 404
    client.force_login(cast.officer)
    assert client.get(consultation_url(consultation)).status_code == 404
    close(consultation)
    assert client.get(consultation_url(consultation)).status_code == 200


def test_another_strategys_consultation_is_404_through_this_address(
    client, cast: Cast, consulted: dict[str, Any]
) -> None:
    url = consultation_url(consulted["consultation"], strategy_slug=cast.other_strategy.slug)
    assert client.get(url).status_code == 404


def test_the_consultation_detail_links_the_published_page_once_closed(client, cast: Cast, setting: Setting) -> None:
    consultation = make_consultation(setting, audience="partners")
    client.force_login(cast.partner)
    detail = consultation.get_absolute_url()
    assert consultation_url(consultation) not in client.get(detail).content.decode()
    close(consultation)
    assert consultation_url(consultation) in client.get(detail).content.decode()


def test_the_consultation_page_is_paginated_in_a_fixed_number_of_queries(client, setting: Setting) -> None:
    consultation = make_consultation(setting, audience="public")
    close(consultation)
    answers = {str(k): v for k, v in full_answers(consultation).items()}
    now = timezone.now()
    made = 0

    def add(count: int) -> None:
        nonlocal made
        for _ in range(count):
            made += 1
            ConsultationResponse.objects.create(
                consultation=consultation,
                respondent_name=f"Person {made}",
                respondent_email=f"person{made}@example.org",
                may_publish=True,
                credit=PublicCredit.NAME,
                answers=answers,
                status=ConsultationResponse.Status.SUBMITTED,
                submitted_at=now,
                reply="Thank you.",
                replied_at=now,
            )

    def queries() -> int:
        with CaptureQueriesContext(connection) as captured:
            assert client.get(consultation_url(consultation)).status_code == 200
        return len(captured)

    add(5)
    small = queries()
    add(35)
    page = client.get(consultation_url(consultation)).content.decode()
    assert queries() == small
    assert page.count('class="govuk-summary-card"') == 25 and "Person 25" in page and "Person 26" not in page
    second = client.get(consultation_url(consultation) + "?page=2").content.decode()
    assert second.count('class="govuk-summary-card"') == 15 and "Person 40" in second


# Calls for priorities ---------------------------------------------------------------------------------


@pytest.fixture
def called(cast: Cast, setting: Setting) -> dict[str, Any]:
    """An open call with priorities of each kind, agreed and emerging propositions, then closed."""
    setting.district.name = "Thanet"
    setting.district.save()
    made: dict[str, Any] = {
        "submitted": make_priority(setting, cast.councillor, title="Ports skills centre", areas=[setting.district]),
        "answered": make_priority(setting, cast.councillor, title="Estuary broadband"),
        "withdrawn": make_priority(setting, cast.councillor, title="Withdrawn idea"),
        "hidden": make_priority(setting, cast.councillor, title="Hidden idea"),
        "draft": make_priority(setting, cast.councillor, title="Draft idea", submit=False),
    }
    services.priority_withdraw(actor=cast.councillor, priority=made["withdrawn"])
    services.priority_hide(actor=cast.officer, priority=made["hidden"], reason="Duplicate.")
    services.priority_respond(actor=cast.officer, priority=made["answered"], response="Funded in <i>year one</i>.")
    agreed = services.proposition_create(
        actor=cast.officer,
        strategy=setting.strategy,
        data=services.PropositionData(
            title="A Thames Estuary skills compact", description="…", priorities=[made["submitted"]]
        ),
    )
    services.proposition_set_status(actor=cast.officer, proposition=agreed, status=Proposition.Status.AGREED)
    services.proposition_create(
        actor=cast.officer,
        strategy=setting.strategy,
        data=services.PropositionData(
            title="An emerging secret proposition", description="…", priorities=[made["submitted"]]
        ),
    )
    close(setting.call)
    made["call"] = Call.objects.get(pk=setting.call.pk)
    return made


def test_the_published_priorities_are_the_submitted_not_hidden_ones(called: dict[str, Any]) -> None:
    published = list(selectors.priority_list_published(call=called["call"]))
    assert set(published) == {called["submitted"], called["answered"]}
    submitted = next(p for p in published if p.pk == called["submitted"].pk)
    assert [p.title for p in submitted.agreed_propositions] == ["A Thames Estuary skills compact"]  # type: ignore[attr-defined]
    assert selectors.priority_counts_published(call=called["call"]) == {"received": 3, "published": 2, "responded": 1}


def test_the_call_page_shows_priorities_credited_by_council_with_replies_and_agreed_propositions(
    client, cast: Cast, setting: Setting, called: dict[str, Any]
) -> None:
    response = client.get(call_url(called["call"]))
    assert response.status_code == 200
    page = response.content.decode()
    assert "Ports skills centre" in page and "Estuary broadband" in page
    assert setting.council.name in page
    assert "Fund a ports and logistics skills centre." in page  # the summary
    assert "People" in page and "Clean growth" in page.replace("Clean Growth", "Clean growth")  # themes
    assert "Thanet" in page  # places
    assert "Funded in &lt;i&gt;year one&lt;/i&gt;." in page
    assert "A Thames Estuary skills compact" in page
    for absent in ("Withdrawn idea", "Hidden idea", "Draft idea", "An emerging secret proposition"):
        assert absent not in page, absent
    # No councillor's name: a priority speaks for its council.
    assert cast.councillor.name not in page


def test_an_open_call_has_no_published_page_and_another_strategys_is_404(
    client, cast: Cast, setting: Setting, other_setting: Setting
) -> None:
    assert client.get(call_url(setting.call)).status_code == 404
    assert client.get(call_url(setting.closed_call)).status_code == 200
    assert client.get(call_url(other_setting.closed_call, strategy_slug=cast.strategy.slug)).status_code == 404


def test_the_call_page_is_paginated_in_a_fixed_number_of_queries(client, cast: Cast, setting: Setting) -> None:
    close(setting.call)
    proposition = Proposition.objects.create(
        strategy=setting.strategy, title="Agreed one", description="…", status=Proposition.Status.AGREED
    )

    def queries() -> int:
        proposition.priorities.set(Priority.objects.filter(call=setting.call))
        Priority.objects.filter(call=setting.call).update(response="Yes.", responded_at=timezone.now())
        with CaptureQueriesContext(connection) as captured:
            assert client.get(call_url(setting.call)).status_code == 200
        return len(captured)

    bulk_priorities(setting, cast.councillor, 5, prefix="Small")
    small = queries()
    bulk_priorities(setting, cast.councillor, 35, prefix="Large")
    assert queries() == small
    page = client.get(call_url(setting.call)).content.decode()
    assert page.count('class="govuk-summary-card"') == 25 and "Agreed one" in page


def test_the_call_detail_links_the_published_page_once_closed(client, cast: Cast, setting: Setting) -> None:
    client.force_login(cast.councillor)
    assert call_url(setting.call) not in client.get(setting.call.get_absolute_url()).content.decode()
    assert call_url(setting.closed_call) in client.get(setting.closed_call.get_absolute_url()).content.decode()


# The overview -------------------------------------------------------------------------------------------


def test_the_overview_lists_closed_consultations_and_calls(client, cast: Cast, setting: Setting) -> None:
    consultation = make_consultation(setting, audience="councillors", title="Closed councils' consultation")
    close(consultation)
    page = client.get(reverse("strategy-overview", kwargs={"strategy_slug": cast.strategy.slug})).content.decode()
    assert "what you said, what we did" in page
    assert consultation_url(consultation) in page and call_url(setting.closed_call) in page
    assert call_url(setting.call) not in page


def test_organisations_of_every_kind_are_credited_by_name(cast: Cast, setting: Setting) -> None:
    consultation = make_consultation(setting, audience="public")
    council = services.response_start(actor=cast.councillor, consultation=consultation, organisation=setting.council)
    council = services.response_save(
        actor=cast.councillor, response=council, answers=full_answers(consultation), version=council.version
    )
    services.response_submit(actor=cast.councillor, response=council)
    close(consultation)
    (only,) = selectors.response_list_published(consultation=consultation)
    assert selectors.response_public_credit(only) == setting.council.name
    assert only.organisation is not None and only.organisation.kind == Organisation.Kind.DISTRICT_COUNCIL
    assert Theme.objects.exists()


def test_the_public_response_page_links_the_published_page_once_closed(client, setting: Setting) -> None:
    consultation = make_consultation(setting, audience="public")
    form = reverse(
        "engagement:public-response-create", kwargs={"strategy_slug": setting.strategy.slug, "pk": consultation.pk}
    )
    assert consultation_url(consultation) not in client.get(form).content.decode()
    close(consultation)
    assert consultation_url(consultation) in client.get(form).content.decode()
