"""The synthesis pages of a call and of a consultation: the figures, counted in SQL, the charts
with their tables, and query counts that stay the same at 100 and at 1,000 rows."""

from __future__ import annotations

import re
from typing import Any

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from core.models import Organisation, Theme
from engagement import services
from engagement.models import ConsultationResponse, Priority
from engagement.selectors import EXPORT_CHUNK, Tally, call_synthesis, consultation_synthesis, question_list
from tests.conftest import Cast
from tests.engagement.conftest import (
    Setting,
    make_consultation,
    make_priority,
    make_response,
    partner_org,
)
from tests.engagement.synthesis_data import bulk_priorities, bulk_responses

pytestmark = pytest.mark.django_db


def url(name: str, setting: Setting, pk: int) -> str:
    return reverse(f"engagement:{name}", kwargs={"strategy_slug": setting.strategy.slug, "pk": pk})


def themes(*slugs: str) -> list[Theme]:
    return list(Theme.objects.filter(slug__in=slugs))


def counts(tallies: list[Tally]) -> dict[str, int]:
    return {t.label: t.count for t in tallies if t.count}


# A call ---------------------------------------------------------------------------------------------


def test_call_synthesis_counts_what_was_submitted(cast: Cast, setting: Setting) -> None:
    university = partner_org(setting)
    lep = setting.strategy.lead
    first = make_priority(
        setting,
        cast.councillor,
        title="Ports skills",
        areas=[setting.district],
        backing_organisations=[university, lep],
    )
    make_priority(setting, cast.councillor, title="Ideas", themes=themes("ideas"), backing_organisations=[university])
    coded = make_priority(setting, cast.councillor, title="Coded", themes=themes("people"), areas=[setting.district])
    services.priority_code(actor=cast.officer, priority=coded, themes=themes("places"), tags=[])
    hidden = make_priority(setting, cast.councillor, title="Hidden", themes=themes("ideas"))
    services.priority_hide(actor=cast.officer, priority=hidden, reason="Duplicate")
    withdrawn = make_priority(setting, cast.councillor, title="Withdrawn")
    services.priority_withdraw(actor=cast.councillor, priority=withdrawn)
    make_priority(setting, cast.councillor, submit=False, title="Draft")

    synthesis = call_synthesis(call=setting.call)

    assert (synthesis.submitted, synthesis.hidden, synthesis.withdrawn, synthesis.uncoded) == (3, 1, 1, 2)
    # The council's themes while uncoded, the LEP's coding once coded (people → places).
    names = {t.slug: t.name for t in Theme.objects.all()}
    assert counts(synthesis.by_theme) == {
        names["people"]: 1,
        names["clean-growth"]: 1,
        names["ideas"]: 1,
        names["places"]: 1,
    }
    assert counts(synthesis.by_place) == {setting.district.name: 2}
    assert counts(synthesis.by_council_kind) == {"District or borough council": 3}
    assert counts(synthesis.by_backer_kind) == {"University": 2, "Local Enterprise Partnership": 1}
    assert sum(t.count for t in synthesis.by_week) == 3
    assert [p.title for p in synthesis.most_backed] == ["Ports skills", "Ideas"]
    assert synthesis.most_backed[0].backers == 2  # type: ignore[attr-defined]
    assert first.pk == synthesis.most_backed[0].pk


def test_call_synthesis_page_draws_charts_with_tables(client, cast: Cast, setting: Setting) -> None:
    make_priority(setting, cast.councillor, title="<script>alert(1)</script>", areas=[setting.district])
    client.force_login(cast.officer)
    response = client.get(url("call-synthesis", setting, setting.call.pk))
    assert response.status_code == 200
    html = response.content.decode()
    assert html.count('class="app-chart"') == 4  # theme, place, council kind, week (nothing backs it)
    assert html.count('role="img"') == html.count("The chart’s figures") == 4
    assert "<script>alert(1)</script>" not in html
    assert "?status=submitted&amp;coded=no&amp;hidden=hide" in html
    assert "Nothing to count yet." in html  # no backer


def test_an_empty_call_has_a_synthesis_page(client, cast: Cast, setting: Setting) -> None:
    client.force_login(cast.admin)
    response = client.get(url("call-synthesis", setting, setting.call.pk))
    assert response.status_code == 200
    assert 'class="app-chart"' not in response.content.decode()


def test_the_call_page_links_to_its_synthesis(client, cast: Cast, setting: Setting) -> None:
    client.force_login(cast.officer)
    html = client.get(url("call-detail", setting, setting.call.pk)).content.decode()
    assert url("call-synthesis", setting, setting.call.pk) in html
    client.force_login(cast.councillor)
    html = client.get(url("call-detail", setting, setting.call.pk)).content.decode()
    assert url("call-synthesis", setting, setting.call.pk) not in html


# A consultation ----------------------------------------------------------------------------------


def test_consultation_synthesis_counts_answers(cast: Cast, setting: Setting) -> None:
    consultation = make_consultation(setting, audience="public")
    make_response(setting, consultation, cast.partner)  # People; Thanet, Medway; 4
    council_response = services.response_start(
        actor=cast.councillor, consultation=consultation, organisation=setting.council
    )
    q = list(consultation.questions.order_by("order"))
    council_response = services.response_save(
        actor=cast.councillor,
        response=council_response,
        answers={q[0].pk: "Roads.", q[1].pk: "Ideas", q[3].pk: "4"},
        version=council_response.version,
    )
    council_response = services.response_submit(actor=cast.councillor, response=council_response)
    services.response_code(actor=cast.officer, response=council_response, themes=themes("ideas"), tags=[])

    synthesis = consultation_synthesis(consultation=consultation, questions=question_list(consultation=consultation))

    assert (synthesis.submitted, synthesis.hidden, synthesis.drafts, synthesis.uncoded) == (2, 0, 0, 1)
    assert counts(synthesis.by_kind) == {"University": 1, "District or borough council": 1}
    assert counts(synthesis.by_theme) == {Theme.objects.get(slug="ideas").name: 1}
    single, multiple, scale = synthesis.choices
    assert (single.number, counts(single.rows), single.answered) == (2, {"People": 1, "Ideas": 1}, 2)
    assert (multiple.number, counts(multiple.rows), multiple.answered) == (3, {"Medway": 1, "Thanet": 1}, 1)
    assert (scale.number, counts(scale.rows), scale.answered) == (4, {"4 of 5": 2}, 2)


def test_hidden_responses_are_counted_apart(client, cast: Cast, setting: Setting) -> None:
    consultation = make_consultation(setting)
    response = make_response(setting, consultation, cast.partner)
    services.response_hide(actor=cast.officer, response=response, reason="Abusive")
    synthesis = consultation_synthesis(consultation=consultation, questions=question_list(consultation=consultation))
    assert (synthesis.submitted, synthesis.hidden) == (0, 1)
    assert all(t.answered == 0 for t in synthesis.choices)
    client.force_login(cast.officer)
    html = client.get(url("consultation-synthesis", setting, consultation.pk)).content.decode()
    assert "See the hidden responses" in html


def test_consultation_synthesis_page(client, cast: Cast, setting: Setting) -> None:
    consultation = make_consultation(setting)
    make_response(setting, consultation, cast.partner)
    client.force_login(cast.officer)
    detail = client.get(url("consultation-detail", setting, consultation.pk)).content.decode()
    assert url("consultation-synthesis", setting, consultation.pk) in detail
    response = client.get(url("consultation-synthesis", setting, consultation.pk))
    assert response.status_code == 200
    html = response.content.decode()
    # kind, week, and the three choice/scale questions (nothing coded: no theme chart)
    assert html.count('class="app-chart"') == 5
    # The question as asked, its capital kept, in the heading; the table's caption names the question.
    assert "Question 2: Which foundation matters most to you?" in html
    assert "The chart’s figures for question 2" in html and "which foundation" not in html
    assert "The chart’s figures: by kind of organisation" in html
    assert re.search(r"1 of 1 answered", html)


# Query counts: the same at 100 and at 1,000 rows ----------------------------------------------------


def _fetch(client: Any, target: str) -> None:
    response = client.get(target)
    assert response.status_code == 200
    if response.streaming:
        b"".join(response.streaming_content)


def _councils(setting: Setting, n: int) -> list[Organisation]:
    councils = Organisation.objects.bulk_create(
        [
            Organisation(name=f"Council {i}", slug=f"council-{i}", kind=Organisation.Kind.DISTRICT_COUNCIL)
            for i in range(n)
        ]
    )
    setting.strategy.partners.add(*councils)
    return [setting.council, *councils]


@pytest.mark.parametrize(
    "target",
    [
        "call-synthesis",
        "call-priorities",
        "call-priorities?status=submitted&coded=no&hidden=hide&page=2",
        "call-priorities?theme=THEME&page=3",
    ],
)
def test_call_pages_keep_their_query_count(
    client, cast: Cast, setting: Setting, target: str, django_assert_num_queries
) -> None:
    name, _, query = target.partition("?")
    theme = Theme.objects.order_by("kind", "order").first()
    assert theme is not None
    address = url(name, setting, setting.call.pk) + ("?" + query.replace("THEME", str(theme.pk)) if query else "")
    councils = _councils(setting, 5)
    backers = [partner_org(setting), setting.strategy.lead]
    areas = [setting.district, setting.other_district]
    bulk_priorities(setting.call, count=100, councils=councils, areas=areas, backers=backers, authors=[cast.councillor])
    client.force_login(cast.officer)
    _fetch(client, address)  # warm the session
    with CaptureQueriesContext(connection) as hundred:
        _fetch(client, address)
    bulk_priorities(
        setting.call, count=900, councils=councils, areas=areas, backers=backers, start=100, authors=[cast.councillor]
    )
    assert Priority.objects.filter(call=setting.call).count() == 1_000
    with django_assert_num_queries(len(hundred)):
        _fetch(client, address)


def test_consultation_synthesis_keeps_its_query_count(
    client, cast: Cast, setting: Setting, django_assert_num_queries
) -> None:
    consultation = make_consultation(setting)
    bulk_responses(consultation, count=100, prefix="First")
    client.force_login(cast.officer)
    address = url("consultation-synthesis", setting, consultation.pk)
    _fetch(client, address)
    with CaptureQueriesContext(connection) as hundred:
        _fetch(client, address)
    bulk_responses(consultation, count=900, prefix="Then")
    assert ConsultationResponse.objects.filter(consultation=consultation).count() == 1_000
    with django_assert_num_queries(len(hundred)):
        _fetch(client, address)
    synthesis = consultation_synthesis(consultation=consultation, questions=question_list(consultation=consultation))
    assert synthesis.submitted == 950 and synthesis.hidden == 50
    single = synthesis.choices[0]
    assert sum(t.count for t in single.rows) == single.answered == 950


@pytest.mark.parametrize(("kind", "prefetches"), [("call", 6), ("consultation", 2)])
def test_xlsx_exports_query_per_chunk_not_per_row(
    client, cast: Cast, setting: Setting, kind: str, prefetches: int
) -> None:
    """An export reads its rows EXPORT_CHUNK at a time (so memory stays flat): 1,000 rows cost the
    prefetches of the further chunks, never a query a row."""
    if kind == "call":
        councils = [setting.council]
        bulk_priorities(setting.call, count=100, councils=councils, backers=[partner_org(setting)])
        address = url("call-export-xlsx", setting, setting.call.pk)
    else:
        consultation = make_consultation(setting)
        bulk_responses(consultation, count=100, prefix="First")
        address = url("consultation-export-xlsx", setting, consultation.pk)
    client.force_login(cast.officer)
    _fetch(client, address)
    with CaptureQueriesContext(connection) as hundred:
        _fetch(client, address)
    if kind == "call":
        bulk_priorities(setting.call, count=900, councils=councils, backers=[partner_org(setting)], start=100)
    else:
        bulk_responses(consultation, count=900, prefix="Then")
    with CaptureQueriesContext(connection) as thousand:
        _fetch(client, address)
    further_chunks = 1_000 // EXPORT_CHUNK - 100 // EXPORT_CHUNK
    assert len(thousand) <= len(hundred) + further_chunks * prefetches < 1_000


def test_confirmed_public_responses_count_as_members_of_the_public(cast: Cast, setting: Setting) -> None:
    from engagement.models import PublicCredit
    from tests.engagement.conftest import full_answers

    consultation = make_consultation(setting, audience="public")
    make_response(setting, consultation, cast.partner)
    for n, confirmed in ((1, True), (2, True), (3, False)):
        response = services.public_response_submit(
            consultation=consultation,
            answers=full_answers(consultation),
            respondent=services.PublicRespondent(
                name="", email=f"person{n}@example.org", may_publish=False, credit=PublicCredit.ANONYMOUS
            ),
            ip=f"203.0.113.{n}",
            confirm_url="http://testserver/confirm/{token}/",
        )
        if confirmed:
            ConsultationResponse.objects.filter(pk=response.pk).update(
                status=ConsultationResponse.Status.SUBMITTED, token_hash="", confirm_by=None
            )

    synthesis = consultation_synthesis(consultation=consultation, questions=question_list(consultation=consultation))

    assert synthesis.submitted == 3  # the unconfirmed one is not counted
    assert counts(synthesis.by_kind) == {"University": 1, "Members of the public": 2}
