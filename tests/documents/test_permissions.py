"""Every documents URL × every role × two strategies, as data.

Officers (and administrators) write the draft and the papers and request packs. A meeting's
page, its papers (read as pages or as PDFs, exempt ones included) and its members' pack are for
officers and the members of that meeting's board; a public
pack for everyone taking part; a draft pack for officers and board members. A review window is
for officers and the people of the organisations it invites (here the council, so its councillor,
not the university's partner). Everybody else gets 404, and anonymous visitors are sent to sign in."""

from __future__ import annotations

import uuid
from collections.abc import Mapping
from typing import Any

import pytest
from django.core.files.base import ContentFile
from django.core.files.storage import default_storage
from django.urls import reverse

from core.models import Organisation, Strategy
from documents import services
from documents.models import Pack, ReviewComment, ReviewWindow
from tests.conftest import Cast
from tests.documents.conftest import Papers, make_papers
from tests.permissions import ROLES, WHICH, action_failures, page_failures, pk_kwargs, sign_in


def _url_kwargs(strategy: Strategy, needs: str | None, objects: Mapping[str, Any]) -> dict[str, object]:
    """A draft version is found by its number in the strategy; everything else by its pk."""
    kwargs = pk_kwargs(strategy, needs, objects)
    if needs and needs.endswith("version"):
        kwargs["number"] = kwargs.pop("pk")
    return kwargs


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
    ("meeting-detail", "meeting", BOARD),
    ("paper-detail", "open_paper", BOARD),
    ("paper-detail", "exempt_paper", BOARD),
    ("paper-pdf", "open_paper", BOARD),
    ("paper-pdf", "exempt_paper", BOARD),
    ("paper-edit", "item", OFFICERS),
    ("pack-detail", "members_pack", BOARD),
    ("pack-status", "members_pack", BOARD),
    ("pack-download", "members_pack", BOARD),
    ("pack-detail", "public_pack", VIEWERS),
    ("pack-download", "public_pack", VIEWERS),
    ("pack-detail", "draft_pack", BOARD),
    ("pack-download", "draft_pack", BOARD),
    ("review-list", None, VIEWERS),
    ("review-open", None, OFFICERS),
    ("review-detail", "review", REVIEWERS),
]
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


@pytest.mark.django_db
@pytest.mark.parametrize("role", ROLES)
@pytest.mark.parametrize("which", WHICH)
def test_documents_pages(client, cast: Cast, world, role: str, which: str) -> None:
    strategy, objects = world[which]
    sign_in(client, cast, role)
    own = which == "own"
    table = {"namespace": "documents", "strategy": strategy, "objects": objects, "role": role, "own": own}
    failures = page_failures(client, pages=PAGES, url_kwargs=_url_kwargs, **table) + action_failures(
        client, actions=ACTIONS, **table
    )
    assert not failures, f"{role} in the {which} strategy:\n" + "\n".join(failures)


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
