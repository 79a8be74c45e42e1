"""Every review URL × every role × two strategies × the window's audience (ADR 0042), with the
window open and closed, as data.

A window's audience reads it and its version (open or closed): the people of the organisations it
invites (here the council: its councillor), everyone taking part in the strategy (councillors,
partners, board members), or everybody, signed in or not (the public; in every published strategy).
Officers and administrators always. The signed-in audience other than officers comments on the
window's page while it is open; a signed-out visitor comments through the public form on a window
open to the public (someone signed in is sent back to the page). Officers open and close windows,
reply, resolve, publish and hide. Everybody else gets 404; an anonymous visitor is sent to sign in
where a signed-in person might read the page, and gets 404 from the public form."""

from __future__ import annotations

from collections.abc import Callable
from datetime import timedelta
from typing import Any

import pytest
from django.test import Client
from django.urls import reverse
from django.utils import timezone

from core.models import Organisation, Strategy
from documents import services
from documents.models import ReviewComment, ReviewWindow
from tests.conftest import Cast
from tests.permissions import ROLES, WHICH, sign_in

pytestmark = pytest.mark.django_db

EVERYBODY = set(ROLES)
VIEWERS = {"councillor", "officer", "board_member", "partner", "admin"}
OFFICERS = {"officer", "admin"}
AUDIENCES = {
    "organisations": {"officer", "councillor", "admin"},  # the window invites the council
    "taking_part": VIEWERS,
    "public": EVERYBODY,
}
STATES = ["open", "closed"]

LOGIN = "login"  # sent to sign in
BACK = "back"  # redirected, not to sign in: done, or sent back to the page

Rule = Callable[[str, str, bool, bool], int | str]


def _sees(role: str, audience: str, own: bool) -> bool:
    """In the window's audience (or an officer of its strategy, or an administrator)."""
    if role == "admin":
        return True
    return role in AUDIENCES[audience] and (own or audience == "public")


def _or_sign_in(role: str) -> int | str:
    return LOGIN if role == "anonymous" else 404


def readers(role: str, audience: str, is_open: bool, own: bool) -> int | str:
    return 200 if _sees(role, audience, own) else _or_sign_in(role)


def review_list(role: str, audience: str, is_open: bool, own: bool) -> int | str:
    """Everyone taking part has the list; anyone else only while a window is open to the public."""
    if audience == "public" or (role in VIEWERS and (own or role == "admin")):
        return 200
    return _or_sign_in(role)


def officers(role: str, audience: str, is_open: bool, own: bool) -> int | str:
    return 200 if role in OFFICERS and (own or role == "admin") else _or_sign_in(role)


def officer_actions(role: str, audience: str, is_open: bool, own: bool) -> int | str:
    return BACK if role in OFFICERS and (own or role == "admin") else _or_sign_in(role)


def public_form(role: str, audience: str, is_open: bool, own: bool) -> int | str:
    if not _sees(role, audience, own):
        return 404
    if role != "anonymous":
        return BACK  # to the section, where they comment signed in
    return 200 if is_open else 404


def public_send(role: str, audience: str, is_open: bool, own: bool) -> int | str:
    got = public_form(role, audience, is_open, own)
    return BACK if got == 200 else got  # sent: to "check your email"


def signed_in_comment(role: str, audience: str, is_open: bool, own: bool) -> int | str:
    """Officers reply instead (an officer of another strategy is the public in this one)."""
    officer_here = role in OFFICERS and (own or role == "admin")
    commenter = not officer_here and role != "anonymous" and _sees(role, audience, own)
    return BACK if commenter and is_open else _or_sign_in(role)


# (method, url name, the object it needs, the rule: who gets what)
TABLE: list[tuple[str, str, str | None, Rule]] = [
    ("get", "review-list", None, review_list),
    ("get", "review-open", None, officers),
    ("get", "review-detail", "window", readers),
    ("get", "version-detail", "version", readers),
    ("get", "review-comment-public", "section", public_form),
    ("get", "review-comment-sent", "window", readers),
    ("post", "review-detail", "window", signed_in_comment),
    ("post", "review-comment-public", "section", public_send),
    ("post", "review-close", "window", officer_actions),
    ("post", "comment-reply", "comment", officer_actions),
    ("post", "comment-resolve", "comment", officer_actions),
    ("post", "comment-publish", "comment", officer_actions),
    ("post", "comment-hide", "comment", officer_actions),
]


def _world(cast: Cast, strategy: Strategy, audience: str, state: str) -> dict[str, int]:
    officer = cast.officer if strategy == cast.strategy else cast.other_officer
    draft = services.draft_create(actor=officer, strategy=strategy)
    version = services.draft_version_save(actor=officer, draft=draft, note="For comment")
    section = draft.sections.order_by("order").first()
    assert section is not None
    window = ReviewWindow.objects.create(
        draft=draft,
        version=version,
        audience=audience,
        closed_at=None if state == "open" else timezone.now() - timedelta(days=1),
    )
    if audience == "organisations":
        window.organisations.set([strategy.partners.get(kind=Organisation.Kind.DISTRICT_COUNCIL)])
    comment = ReviewComment.objects.create(
        window=window,
        section=section,
        body="From the public.",
        moderation=ReviewComment.Moderation.PENDING,
        commenter_email="pat@example.org",
    )
    return {"window": window.pk, "version": version.number, "section": section.pk, "comment": comment.pk}


def _url(strategy: Strategy, name: str, needs: str | None, objects: dict[str, int]) -> str:
    kwargs: dict[str, object] = {"strategy_slug": strategy.slug}
    if needs == "version":
        kwargs["number"] = objects["version"]
    elif needs == "section":
        kwargs.update(pk=objects["window"], section_pk=objects["section"])
    elif needs:
        kwargs["pk"] = objects[needs]
    return reverse(f"documents:{name}", kwargs=kwargs)


def _got(response: Any) -> int | str:
    if response.status_code != 302:
        return int(response.status_code)
    return LOGIN if response.url.startswith(reverse("accounts:login")) else BACK


DATA = {"body": "A comment.", "email": "pat@example.org", "name": "", "organisation": "", "website": ""}


@pytest.mark.parametrize("role", ROLES)
@pytest.mark.parametrize("audience", AUDIENCES)
@pytest.mark.parametrize("state", STATES)
def test_review_pages_by_audience(client: Client, cast: Cast, role: str, audience: str, state: str) -> None:
    worlds = {
        which: _world(cast, strategy, audience, state)
        for which, strategy in (("own", cast.strategy), ("other", cast.other_strategy))
    }
    sign_in(client, cast, role)
    failures = []
    for which in WHICH:
        strategy = cast.strategy if which == "own" else cast.other_strategy
        objects = worlds[which]
        for method, name, needs, rule in TABLE:
            url = _url(strategy, name, needs, objects)
            data = {**DATA, "section": objects["section"]} if method == "post" else {}
            response = client.post(url, data) if method == "post" else client.get(url)
            want = rule(role, audience, state == "open", which == "own")
            if _got(response) != want:
                failures.append(f"{method.upper()} {name} in the {which} strategy: {_got(response)}, expected {want}")
    assert not failures, f"{role}, window for {audience}, {state}:\n" + "\n".join(failures)
