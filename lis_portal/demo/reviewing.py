"""The review of the draft's first version (content/draft.toml, `[review]`): a window opened for
chosen partner organisations, their people's comments, the officer's replies (one resolved, one
left awaiting a reply) and the window closed; then the public comment round on the second version
(`[review.public]`, ADR 0042): comments sent signed out, confirmed from the emailed link, published
and answered (one left awaiting moderation), and the window closed. Everything goes through
documents' services at its replayed moment; a re-run that finds a review window (a public one, for
the round) on the draft leaves it alone."""

from __future__ import annotations

import re
import secrets
from datetime import time

from core.exceptions import ApplicationError
from core.http import token_link
from core.models import Email, Organisation, Strategy, User
from documents import services
from documents.models import DraftSection, DraftStrategy, DraftVersion, ReviewComment, ReviewWindow

from .content import Content, Entry
from .organisations import Organisations
from .records import Replay
from .strategies import strategy_named

COMMENT_KEYS = ["section", "by", "day", "body"]
PUBLIC_KEYS = ["version", "opened_on", "closes_on", "closed_on"]
PUBLIC_COMMENT_KEYS = ["section", "email", "day", "body"]


def _person(entry: Entry, key: str = "by") -> User:
    email = entry.text(key)
    user = User.objects.filter(email=email).first()
    if user is None:
        raise entry.error(f"“{key}” is “{email}”, who is neither in people.toml nor a council's demo councillor.")
    return user


def _refused(entry: Entry, doing: str, error: ApplicationError) -> Exception:
    return entry.error(f"the documents service refused to {doing}: {error}")


def load_review(
    content: Content, *, strategies: dict[str, Strategy], orgs: Organisations, officer: User, replay: Replay
) -> dict[str, int]:
    file = content.file(
        "draft.toml",
        required=["strategy"],
        optional=["marker", "created_on", "version", "section", "meeting", "review", "consulted"],
    )
    strategy = strategy_named(file, strategies)
    spec = file.table(
        "review",
        required=["version", "opened_on", "closes_on", "closed_on", "organisations", "comment"],
        optional=["public"],
    )
    draft = DraftStrategy.objects.get(strategy=strategy)
    if not ReviewWindow.objects.filter(draft=draft).exists():
        _live(spec, draft, orgs=orgs, officer=officer, replay=replay)
    if "public" in spec.data and not ReviewWindow.objects.filter(draft=draft, audience="public").exists():
        _public_round(spec.table("public", required=PUBLIC_KEYS, optional=["comment"]), draft, officer, replay)
    comments = ReviewComment.objects.filter(window__draft=draft, parent__isnull=True)
    return {"Review windows": ReviewWindow.objects.filter(draft=draft).count(), "Review comments": comments.count()}


def _live(spec: Entry, draft: DraftStrategy, *, orgs: Organisations, officer: User, replay: Replay) -> None:
    version = DraftVersion.objects.filter(draft=draft, number=spec.number("version")).first()
    if version is None:
        raise spec.error(f"“version” is {spec.number('version')}, which is not a version of the draft.")
    organisations: list[Organisation] = [
        orgs.named(spec, "organisations", name) for name in spec.texts("organisations")
    ]
    sections = {section.title: section for section in DraftSection.objects.filter(draft=draft)}
    try:
        with replay.living(spec.day("opened_on"), time(17)):
            window = services.review_window_open(
                actor=officer,
                draft=draft,
                version=version,
                organisations=organisations,
                closes_on=replay.day(spec.day("closes_on")),
            )
    except ApplicationError as error:
        raise _refused(spec, "open the review window", error) from error
    written = _comments(spec, window, sections, replay)
    try:
        with replay.living(spec.day("closed_on"), time(9, 30)):
            services.review_window_close(actor=officer, window=window)
    except ApplicationError as error:
        raise _refused(spec, "close the review window", error) from error
    for entry, comment in written:
        if "reply" not in entry.data:
            continue
        try:
            with replay.living(entry.day("replied_on"), time(15)):
                services.review_comment_reply(actor=officer, comment=comment, body=entry.text("reply"))
                if entry.flag("resolved"):
                    services.review_comment_resolve(actor=officer, comment=comment)
        except ApplicationError as error:
            raise _refused(entry, "reply to the comment", error) from error


def _comments(
    spec: Entry, window: ReviewWindow, sections: dict[str, DraftSection], replay: Replay
) -> list[tuple[Entry, ReviewComment]]:
    """The invited people's comments, each on its day while the window is open."""
    entries = spec.entries(
        "comment", name="section", required=COMMENT_KEYS, optional=["reply", "replied_on", "resolved"]
    )
    written: list[tuple[Entry, ReviewComment]] = []
    for entry in entries:
        section = sections.get(entry.text("section"))
        if section is None:
            raise entry.error(f"“section” is “{entry.text('section')}”, which is not a section of the draft.")
        try:
            with replay.living(entry.day("day"), time(12)):
                comment = services.review_comment_add(
                    actor=_person(entry), window=window, section=section, body=entry.text("body")
                )
        except ApplicationError as error:
            raise _refused(entry, "add the comment", error) from error
        written.append((entry, comment))
    return written


def _public_round(spec: Entry, draft: DraftStrategy, officer: User, replay: Replay) -> None:
    """The closed public round on a version: opened (the strategy is in its drafting phase), each
    comment sent signed out and confirmed through the link in its Email row, then published and
    answered as the content says, and the window closed."""
    version = DraftVersion.objects.filter(draft=draft, number=spec.number("version")).first()
    if version is None:
        raise spec.error(f"“version” is {spec.number('version')}, which is not a version of the draft.")
    try:
        with replay.living(spec.day("opened_on"), time(17)):
            window = services.review_window_open(
                actor=officer,
                draft=draft,
                version=version,
                organisations=[],
                closes_on=replay.day(spec.day("closes_on")),
                audience=ReviewWindow.Audience.PUBLIC,
            )
    except ApplicationError as error:
        raise _refused(spec, "open the public comment round", error) from error
    sections = {section.title: section for section in DraftSection.objects.filter(draft=draft)}
    entries = spec.entries(
        "comment",
        name="section",
        required=PUBLIC_COMMENT_KEYS,
        optional=["name", "organisation", "show_name", "published", "reply", "replied_on"],
    )
    written = [(entry, _public_comment(entry, window, sections, replay)) for entry in entries]
    for entry, comment in written:
        if not entry.flag("published"):
            continue
        try:
            with replay.living(entry.day("replied_on") if "replied_on" in entry.data else entry.day("day"), time(16)):
                services.review_comment_moderate(actor=officer, comment=comment, publish=True)
                if "reply" in entry.data:
                    services.review_comment_reply(actor=officer, comment=comment, body=entry.text("reply"))
        except ApplicationError as error:
            raise _refused(entry, "publish and answer the comment", error) from error
    try:
        with replay.living(spec.day("closed_on"), time(17, 30)):
            services.review_window_close(actor=officer, window=window)
    except ApplicationError as error:
        raise _refused(spec, "close the public comment round", error) from error


def _public_comment(
    entry: Entry, window: ReviewWindow, sections: dict[str, DraftSection], replay: Replay
) -> ReviewComment:
    section = sections.get(entry.text("section"))
    if section is None:
        raise entry.error(f"“section” is “{entry.text('section')}”, which is not a section of the draft.")
    strategy = window.draft.strategy
    email = entry.text("email")
    try:
        with replay.living(entry.day("day"), time(12)):
            services.review_comment_public_add(
                window=window,
                section=section,
                body=entry.text("body"),
                commenter=services.PublicCommenter(
                    name=entry.text("name", ""),
                    email=email,
                    organisation=entry.text("organisation", ""),
                    show_name=entry.flag("show_name"),
                ),
                ip=f"demo-{secrets.token_hex(8)}",  # a visitor of its own: the demo is never rate-limited
                confirm_url=token_link("documents:review-comment-confirm", strategy_slug=strategy.slug),
            )
        sent = Email.objects.filter(to=email.lower()).order_by("-pk").values_list("body", flat=True).first() or ""
        token = re.search(r"/reviews/confirm/([^/\s]+)/", sent)
        if token is None:
            raise entry.error("no confirmation email was queued for the comment.")
        with replay.living(entry.day("day"), time(19)):
            return services.review_comment_confirm(strategy=strategy, token=token.group(1))
    except ApplicationError as error:
        raise _refused(entry, "send and confirm the comment from the public", error) from error
