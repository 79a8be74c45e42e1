"""A stale save of a board paper is refused and names who saved it last (core's last_editor_note)."""

from __future__ import annotations

import pytest

from core.exceptions import ApplicationError
from documents import services
from tests.conftest import Cast
from tests.documents.conftest import Papers

pytestmark = pytest.mark.django_db


def test_a_stale_paper_save_names_the_last_editor(cast: Cast, papers: Papers) -> None:
    paper = papers.open_paper
    paper.refresh_from_db()  # its appendix moved the version on
    stale = paper.version
    services.board_paper_save(
        actor=cast.officer, agenda_item=paper.agenda_item, data={"title": "Revised"}, expected_version=stale
    )
    with pytest.raises(ApplicationError, match=r"Someone saved this paper \(Kent Officer, .+\) while you were editing"):
        services.board_paper_save(
            actor=cast.officer, agenda_item=paper.agenda_item, data={"title": "Mine"}, expected_version=stale
        )
