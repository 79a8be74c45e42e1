"""Propositions: officers merge submitted priorities of the strategy into a proposition with the
themes and evidence behind it, edit it (a stale edit is refused), and move it between emerging,
agreed and dropped; every change audited; pages in a fixed number of queries."""

from __future__ import annotations

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from core.exceptions import ApplicationError, StaleEditError
from core.models import AuditEvent, Theme
from engagement import services
from engagement.models import Priority, Proposition
from tests.conftest import Cast
from tests.engagement.conftest import Setting, make_evidence, make_priority

pytestmark = pytest.mark.django_db


def url(name: str, setting: Setting, pk: int | None = None) -> str:
    kwargs: dict[str, object] = {"strategy_slug": setting.strategy.slug}
    if pk is not None:
        kwargs["pk"] = pk
    return reverse(f"engagement:{name}", kwargs=kwargs)


def data(priorities: list[Priority], **overrides: object) -> services.PropositionData:
    values: dict[str, object] = {
        "title": "Skills for the ports",
        "description": "One skills centre for the estuary’s ports.",
        "priorities": priorities,
        "themes": list(Theme.objects.filter(slug="people")),
        "evidence_items": [],
    }
    values.update(overrides)
    return services.PropositionData(**values)  # type: ignore[arg-type]


def test_officer_merges_submitted_priorities_with_their_evidence(
    cast: Cast, setting: Setting, other_setting: Setting
) -> None:
    item = make_evidence(setting.strategy, "Ports skills survey", sharing="officers")
    first = make_priority(setting, cast.councillor, title="Ports skills")
    second = make_priority(setting, cast.councillor, title="Logistics skills")
    proposition = services.proposition_create(
        actor=cast.officer, strategy=setting.strategy, data=data([first, second], evidence_items=[item])
    )
    assert proposition.status == Proposition.Status.EMERGING
    assert set(proposition.priorities.all()) == {first, second}
    assert list(proposition.evidence_items.all()) == [item]
    assert AuditEvent.objects.filter(verb="proposition.created", target_id=str(proposition.pk)).exists()

    draft = make_priority(setting, cast.councillor, submit=False, title="Still a draft")
    with pytest.raises(ApplicationError, match="Still a draft"):
        services.proposition_create(actor=cast.officer, strategy=setting.strategy, data=data([first, draft]))
    with pytest.raises(ApplicationError, match="Choose the priorities"):
        services.proposition_create(actor=cast.officer, strategy=setting.strategy, data=data([]))
    foreign = make_evidence(other_setting.strategy, "Berkshire survey")
    with pytest.raises(ApplicationError, match="Berkshire survey"):
        services.proposition_create(
            actor=cast.officer, strategy=setting.strategy, data=data([first], evidence_items=[foreign])
        )
    assert Proposition.objects.count() == 1


def test_a_stale_edit_is_refused_and_the_status_moves(cast: Cast, setting: Setting) -> None:
    first = make_priority(setting, cast.councillor, title="Ports skills")
    second = make_priority(setting, cast.councillor, title="Logistics skills")
    proposition = services.proposition_create(actor=cast.officer, strategy=setting.strategy, data=data([first]))
    updated = services.proposition_update(
        actor=cast.officer, proposition=proposition, data=data([first, second], title="Ports"), version=1
    )
    assert updated.version == 2 and updated.priorities.count() == 2
    with pytest.raises(StaleEditError) as error:
        services.proposition_update(actor=cast.officer, proposition=proposition, data=data([first]), version=1)
    fields = {c.field: (c.theirs, c.yours) for c in error.value.conflicts}
    assert fields["title"] == ("Ports", "Skills for the ports")
    assert fields["priorities"] == ("Logistics skills; Ports skills", "Ports skills")
    services.proposition_set_status(actor=cast.officer, proposition=proposition, status="agreed")
    with pytest.raises(ApplicationError, match="already agreed"):
        services.proposition_set_status(actor=cast.officer, proposition=proposition, status="agreed")
    with pytest.raises(ApplicationError, match="Choose emerging"):
        services.proposition_set_status(actor=cast.officer, proposition=proposition, status="shelved")
    proposition.refresh_from_db()
    assert proposition.status == "agreed"


def test_the_pages_merge_two_priorities_and_show_them(client, cast: Cast, setting: Setting) -> None:
    item = make_evidence(setting.strategy, "Ports skills survey")
    first = make_priority(setting, cast.councillor, title="Ports skills", evidence_items=[item])
    second = make_priority(setting, cast.councillor, title="Logistics skills")
    client.force_login(cast.officer)
    page = client.get(url("proposition-create", setting) + f"?priorities={first.pk}&priorities={second.pk}")
    html = page.content.decode()
    assert html.count("checked") >= 3  # both priorities and the evidence the first rests on
    response = client.post(
        url("proposition-create", setting),
        {
            "title": "Skills for the ports",
            "description": "One centre.",
            "priorities": [first.pk, second.pk],
            "evidence_items": [item.pk],
        },
    )
    proposition = Proposition.objects.get()
    assert response.status_code == 302 and response.url == proposition.get_absolute_url()
    detail = client.get(proposition.get_absolute_url()).content.decode()
    assert "Ports skills" in detail and "Logistics skills" in detail and "Ports skills survey" in detail
    client.post(url("proposition-status", setting, proposition.pk), {"status": "dropped"})
    proposition.refresh_from_db()
    assert proposition.status == "dropped"
    listing = client.get(url("proposition-list", setting), {"status": "dropped"}).content.decode()
    assert "Skills for the ports" in listing
    bad = client.post(url("proposition-create", setting), {"title": "", "description": "", "priorities": []})
    assert "Choose the priorities the proposition brings together" in bad.content.decode()


def test_the_list_keeps_its_query_count(client, cast: Cast, setting: Setting, django_assert_num_queries) -> None:
    priority = make_priority(setting, cast.councillor)
    client.force_login(cast.officer)

    def add(count: int) -> None:
        for i in range(count):
            services.proposition_create(
                actor=cast.officer, strategy=setting.strategy, data=data([priority], title=f"P {i}")
            )

    add(2)
    client.get(url("proposition-list", setting))
    with CaptureQueriesContext(connection) as few:
        assert client.get(url("proposition-list", setting)).status_code == 200
    add(20)
    with django_assert_num_queries(len(few)):
        client.get(url("proposition-list", setting))
