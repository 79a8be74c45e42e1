"""Every documents URL × every role × two strategies, as data.

Officers (and administrators) write the draft and the papers, publish the papers and request
packs. A meeting's page is public (what it shows is the page's rule). Before its papers are
published, its papers (read as pages or as PDFs) are for officers and the members of that
meeting's board, and its public pack for everyone taking part; from the day they are published,
the papers that are not exempt and the public pack are everybody's, signed-out visitors included,
and an exempt paper's page shows everybody its title and paragraph (its text and PDF stay the
board's). A members' pack is always the board's; a draft pack for officers and board members. A review window is
for officers and the people of the organisations it invites (here the council, so its councillor,
not the university's partner). Everybody else gets 404, and anonymous visitors are sent to sign in."""

from __future__ import annotations

import uuid
from collections.abc import Callable, Mapping
from datetime import timedelta
from typing import Any

import pytest
from django.core.files.base import ContentFile
from django.core.files.storage import default_storage
from django.urls import reverse
from django.utils import timezone

from core.models import Organisation, Strategy
from documents import services
from documents.models import Pack, ReviewComment, ReviewWindow
from tests.conftest import Cast
from tests.documents.conftest import EXEMPT_MARKER, Papers, make_papers
from tests.permissions import ROLES, WHICH, action_failures, expected_status, page_failures, pk_kwargs, sign_in
from timeline.models import Meeting


def _url_kwargs(strategy: Strategy, needs: str | None, objects: Mapping[str, Any]) -> dict[str, object]:
    """A draft version is found by its number in the strategy; everything else by its pk."""
    kwargs = pk_kwargs(strategy, needs, objects)
    if needs and needs.endswith("version"):
        kwargs["number"] = kwargs.pop("pk")
    return kwargs


EVERYBODY = set(ROLES)
VIEWERS = {"councillor", "officer", "board_member", "partner", "admin"}
MEMBERS = {"councillor", "officer", "partner", "admin"}  # taking part through an organisation
OFFICERS = {"officer", "admin"}
BOARD = {"officer", "board_member", "admin"}
REVIEWERS = {"officer", "councillor", "admin"}  # the window invites the council

# (url name, the object it needs, who may GET it in their own strategy)
PAGES = [
    ("index", None, VIEWERS),
    ("pack-list", None, VIEWERS),
    ("draft", None, OFFICERS),
    ("section-edit", "section", OFFICERS),
    ("version-compare", None, OFFICERS),
    # A saved version: shared by the packs and the review window that carry it; an unshared one is
    # the officers'.
    ("version-detail", "version", VIEWERS),
    ("version-detail", "unshared_version", OFFICERS),
    ("meeting-detail", "meeting", EVERYBODY),
    ("papers-publish", "meeting", OFFICERS),
    ("paper-edit", "item", OFFICERS),
    ("pack-detail", "members_pack", BOARD),
    ("pack-status", "members_pack", BOARD),
    ("pack-download", "members_pack", BOARD),
    ("pack-detail", "draft_pack", BOARD),
    ("pack-download", "draft_pack", BOARD),
    ("review-list", None, VIEWERS),
    ("review-open", None, OFFICERS),
    ("review-detail", "review", REVIEWERS),
]
# The meeting's papers and public pack, before the day its papers are published (not yet, or
# tomorrow) and from that day (today).
PAPERS = {
    "before": [
        ("paper-detail", "open_paper", BOARD),
        ("paper-detail", "exempt_paper", BOARD),
        ("paper-pdf", "open_paper", BOARD),
        ("paper-pdf", "exempt_paper", BOARD),
        ("pack-detail", "public_pack", VIEWERS),
        ("pack-status", "public_pack", VIEWERS),
        ("pack-download", "public_pack", VIEWERS),
    ],
    "after": [
        ("paper-detail", "open_paper", EVERYBODY),
        ("paper-detail", "exempt_paper", EVERYBODY),
        ("paper-pdf", "open_paper", EVERYBODY),
        ("paper-pdf", "exempt_paper", BOARD),
        ("pack-detail", "public_pack", EVERYBODY),
        ("pack-status", "public_pack", EVERYBODY),
        ("pack-download", "public_pack", EVERYBODY),
    ],
}
PUBLISHED_ON = {"never": None, "tomorrow": 1, "today": 0}
WHEN = {"never": "before", "tomorrow": "before", "today": "after"}

# POST-only actions: who may do them in their own strategy (others: 404; anonymous: 302).
ACTIONS = [
    ("draft-create", None, OFFICERS),
    ("version-save", None, OFFICERS),
    ("draft-status", None, OFFICERS),
    ("draft-pack", None, OFFICERS),
    ("pack-retry", "failed_pack", OFFICERS),
    ("appendix-add", "item", OFFICERS),
    ("comment-reply", "comment", OFFICERS),
    ("comment-resolve", "comment", OFFICERS),
    ("review-close", "review", OFFICERS),
]


def _pack(strategy: Strategy, papers: Papers, kind: str, *, status: str = Pack.Status.READY) -> Pack:
    ready = status == Pack.Status.READY
    name = (
        default_storage.save(f"documents/packs/test-{uuid.uuid4().hex}.pdf", ContentFile(b"%PDF-1.7 test"))
        if ready
        else ""
    )
    return Pack.objects.create(
        strategy=strategy,
        kind=kind,
        meeting=None if kind == Pack.Kind.DRAFT else papers.process.meeting,
        draft_version=papers.version,
        fingerprint=uuid.uuid4().hex,
        status=status,
        file=name,
        sha256="0" * 64 if ready else "",
        page_count=1 if ready else None,
        error="" if ready else "Broken.",
    )


def _review(strategy: Strategy, papers: Papers) -> tuple[ReviewWindow, ReviewComment]:
    draft = papers.version.draft
    window = ReviewWindow.objects.create(draft=draft, version=papers.version)
    council = strategy.partners.get(kind=Organisation.Kind.DISTRICT_COUNCIL)
    window.organisations.set([council])
    comment = ReviewComment.objects.create(
        window=window, section=draft.sections.get(order=1), organisation=council, body="A comment."
    )
    return window, comment


def _objects(strategy: Strategy, papers: Papers) -> dict[str, int]:
    window, comment = _review(strategy, papers)
    officer = papers.version.created_by
    assert officer is not None
    unshared = services.draft_version_save(actor=officer, draft=papers.version.draft, note="Not shared")
    return {
        "version": papers.version.number,
        "unshared_version": unshared.number,
        "review": window.pk,
        "comment": comment.pk,
        "section": papers.version.draft.sections.get(order=1).pk,
        "meeting": papers.process.meeting.pk,
        "item": papers.items[1].pk,
        "open_paper": papers.open_paper.pk,
        "exempt_paper": papers.exempt_paper.pk,
        "members_pack": _pack(strategy, papers, Pack.Kind.MEMBERS).pk,
        "public_pack": _pack(strategy, papers, Pack.Kind.PUBLIC).pk,
        "draft_pack": _pack(strategy, papers, Pack.Kind.DRAFT).pk,
        "failed_pack": _pack(strategy, papers, Pack.Kind.PUBLIC, status=Pack.Status.FAILED).pk,
    }


@pytest.fixture
def world(cast: Cast, media) -> dict[str, tuple[Strategy, dict[str, int]]]:
    own, other = make_papers(cast), make_papers(cast, strategy=cast.other_strategy)
    return {
        "own": (cast.strategy, _objects(cast.strategy, own)),
        "other": (cast.other_strategy, _objects(cast.other_strategy, other)),
    }


def _expected(role: str, allowed: set[str], *, own: bool) -> int:
    """Public pages answer everybody, in every (published) strategy."""
    return 200 if allowed is EVERYBODY else expected_status(role, allowed, own=own)


def _never_the_exempt_text(role: str) -> Callable[[str, Any], None]:
    def check(name: str, response: Any) -> None:
        if role not in BOARD and response.status_code == 200 and not response.streaming:
            assert EXEMPT_MARKER.encode() not in response.content, f"{name} showed {role} the exempt paper"

    return check


@pytest.mark.django_db
@pytest.mark.parametrize("role", ROLES)
@pytest.mark.parametrize("which", WHICH)
@pytest.mark.parametrize("published", PUBLISHED_ON)
def test_documents_pages(client, cast: Cast, world, role: str, which: str, published: str) -> None:
    strategy, objects = world[which]
    days = PUBLISHED_ON[published]
    Meeting.objects.filter(pk=objects["meeting"]).update(
        papers_published_on=None if days is None else timezone.localdate() + timedelta(days=days)
    )
    sign_in(client, cast, role)
    own = which == "own"
    table = {"namespace": "documents", "strategy": strategy, "objects": objects, "role": role, "own": own}
    pages = PAGES + PAPERS[WHEN[published]]
    failures = page_failures(
        client,
        pages=pages,
        url_kwargs=_url_kwargs,
        expected=_expected,
        on_response=_never_the_exempt_text(role),
        **table,
    ) + action_failures(client, actions=ACTIONS, **table)
    assert not failures, f"{role} in the {which} strategy, papers published {published}:\n" + "\n".join(failures)


@pytest.mark.django_db
@pytest.mark.parametrize("role", ["officer", "admin"])
def test_the_draft_page_takes_no_post(client, cast: Cast, world, role: str) -> None:
    """Each thing done to the draft has its own URL: its page only shows it."""
    sign_in(client, cast, role)
    url = reverse("documents:draft", kwargs={"strategy_slug": cast.strategy.slug})
    assert client.get(url).status_code == 200
    assert client.post(url, {"note": "A version", "save-version": "1"}).status_code == 405


@pytest.mark.django_db
def test_a_members_pack_of_another_board_is_a_404(client, cast: Cast, world) -> None:
    """A board member of the same strategy who does not sit on the meeting's board."""
    from tests.factories import BoardFactory, BoardMembershipFactory, UserFactory

    federated = BoardFactory(strategy=cast.strategy, name="Kent Federated Board", kind="federated")
    stranger = BoardMembershipFactory(board=federated, user=UserFactory(email="fed@kent.example")).user
    client.force_login(stranger)
    _, objects = world["own"]
    for name in ("pack-detail", "pack-status", "pack-download"):
        url = reverse(f"documents:{name}", kwargs={"strategy_slug": cast.strategy.slug, "pk": objects["members_pack"]})
        assert client.get(url).status_code == 404, url
    public = reverse(
        "documents:pack-download", kwargs={"strategy_slug": cast.strategy.slug, "pk": objects["public_pack"]}
    )
    assert client.get(public).status_code == 200
