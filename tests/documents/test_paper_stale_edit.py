"""A stale save of a board paper is refused like every other edit (core/editing.py): it names who
saved it last and carries what changed, and the paper page shows both while keeping what was typed."""

from __future__ import annotations

import pytest
from django.test import Client
from django.urls import reverse

from core.exceptions import StaleEditError
from documents import services
from tests.conftest import Cast
from tests.documents.conftest import Papers

pytestmark = pytest.mark.django_db


def test_a_stale_paper_save_names_the_last_editor_and_the_conflicts(cast: Cast, papers: Papers) -> None:
    paper = papers.open_paper
    paper.refresh_from_db()  # its appendix moved the version on
    stale = paper.version
    services.board_paper_save(
        actor=cast.officer, agenda_item=paper.agenda_item, data={"title": "Revised"}, version=stale
    )
    with pytest.raises(
        StaleEditError, match=r"Someone else saved this paper \(Kent Officer, .+\) while you were"
    ) as error:
        services.board_paper_save(
            actor=cast.officer, agenda_item=paper.agenda_item, data={"title": "Mine"}, version=stale
        )
    assert [(c.label, c.theirs, c.yours) for c in error.value.conflicts] == [("Title", "Revised", "Mine")]


def test_a_form_opened_before_the_paper_existed_does_not_overwrite_it(cast: Cast, papers: Papers) -> None:
    item = papers.open_paper.agenda_item
    with pytest.raises(StaleEditError):
        services.board_paper_save(actor=cast.officer, agenda_item=item, data={"title": "Mine"}, version=None)


def test_the_paper_page_shows_theirs_and_keeps_yours(client: Client, cast: Cast, papers: Papers) -> None:
    paper = papers.open_paper
    paper.refresh_from_db()
    stale = paper.version
    services.board_paper_save(
        actor=cast.officer, agenda_item=paper.agenda_item, data={"title": "Revised"}, version=stale
    )
    client.force_login(cast.officer)
    url = reverse("documents:paper-edit", kwargs={"strategy_slug": cast.strategy.slug, "pk": paper.agenda_item_id})
    data = {
        "title": "My title",
        "author": paper.author,
        "purpose": paper.purpose,
        "recommendations": paper.recommendations,
        "decision_required": paper.decision_required,
        "body": paper.body,
        "version": stale,
    }
    page = client.post(url, data).content.decode()
    assert "What changed while you were editing" in page
    assert "Revised" in page and 'value="My title"' in page
    assert page.count('id="id_title"') == 1 and 'id="id_appendix-title"' in page  # one form's ids each
    paper.refresh_from_db()
    assert paper.title == "Revised"
