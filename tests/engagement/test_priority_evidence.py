"""A priority rests on evidence items of its strategy's evidence base that the council may see, beside
links to outside sources: the form offers them, the service refuses any other, the page and the
export show them."""

from __future__ import annotations

import pytest
from django.urls import reverse

from core.exceptions import ApplicationError, StaleEditError
from engagement import services
from engagement.models import Priority
from tests.conftest import Cast
from tests.engagement.conftest import Setting, full_data, make_evidence, make_priority
from tests.engagement.test_views import form_data, url

pytestmark = pytest.mark.django_db


def test_a_priority_rests_on_items_the_council_may_see(cast: Cast, setting: Setting) -> None:
    item = make_evidence(setting.strategy, "Kent skills survey")
    priority = make_priority(setting, cast.councillor, evidence_items=[item])
    assert list(priority.evidence_items.all()) == [item]
    assert priority.evidence_links  # the outside links stay beside them


@pytest.mark.parametrize("which", ["officers-only", "other strategy"])
def test_items_the_council_may_not_see_are_refused(
    cast: Cast, setting: Setting, other_setting: Setting, which: str
) -> None:
    if which == "officers-only":
        item = make_evidence(setting.strategy, "Officers’ draft analysis", sharing="officers")
    else:
        item = make_evidence(other_setting.strategy, "Berkshire survey")
    with pytest.raises(ApplicationError) as error:
        make_priority(setting, cast.councillor, evidence_items=[item])
    assert error.value.field == "evidence_items"
    assert item.title in error.value.message
    assert Priority.objects.count() == 0


def test_an_edit_changes_the_items_and_a_stale_one_names_them(cast: Cast, setting: Setting) -> None:
    first, second = make_evidence(setting.strategy, "Survey A"), make_evidence(setting.strategy, "Survey B")
    priority = make_priority(setting, cast.councillor, submit=False, evidence_items=[first])
    priority = services.priority_update(
        actor=cast.councillor, priority=priority, data=full_data(evidence_items=[second]), version=1
    )
    assert list(priority.evidence_items.all()) == [second]
    with pytest.raises(StaleEditError) as error:
        services.priority_update(
            actor=cast.councillor, priority=priority, data=full_data(evidence_items=[first]), version=1
        )
    conflict = next(c for c in error.value.conflicts if c.field == "evidence_items")
    assert (conflict.theirs, conflict.yours) == ("Survey B", "Survey A")


def test_the_form_offers_visible_items_and_the_page_links_them(client, cast: Cast, setting: Setting) -> None:
    shared = make_evidence(setting.strategy, "Kent skills survey")
    hidden = make_evidence(setting.strategy, "Officers’ draft analysis", sharing="officers")
    client.force_login(cast.councillor)
    page = client.get(url("priority-create", setting, setting.call.pk)).content.decode()
    assert "Kent skills survey" in page and "Officers’ draft analysis" not in page

    data = form_data(setting, action="draft", evidence_items=[shared.pk])
    client.post(url("priority-create", setting, setting.call.pk), data)
    priority = Priority.objects.get()
    assert list(priority.evidence_items.all()) == [shared]
    detail = client.get(priority.get_absolute_url()).content.decode()
    item_url = reverse("evidence:item-detail", kwargs={"strategy_slug": setting.strategy.slug, "pk": shared.pk})
    assert item_url in detail and "outside source" in detail

    forged = form_data(setting, action="draft", evidence_items=[hidden.pk], title="Forged")
    response = client.post(url("priority-create", setting, setting.call.pk), forged)
    assert "Choose evidence items from the list" in response.content.decode()
    assert not Priority.objects.filter(title="Forged").exists()


def test_the_export_names_the_items(client, cast: Cast, setting: Setting) -> None:
    item = make_evidence(setting.strategy, "=Kent skills survey")
    make_priority(setting, cast.councillor, evidence_items=[item])
    client.force_login(cast.officer)
    response = client.get(url("call-export", setting, setting.call.pk))
    body = b"".join(response.streaming_content).decode()
    assert "Evidence items" in body and "'=Kent skills survey" in body
