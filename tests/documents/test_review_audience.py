"""Review windows with an audience (ADR 0042): a wider one only in the drafting phase; the public's
signed-out comments confirmed through the link the real outbox sends, expiring and purged,
rate-limited per client address, behind a honeypot; officers publish or hide them and count them
per section; the audience reads the published ones without the sender's email address."""

from __future__ import annotations

import re
from collections.abc import Iterator
from datetime import timedelta
from typing import Any

import pytest
import time_machine
from django.core.cache import cache
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone

from core.exceptions import ApplicationError
from core.models import AuditEvent, Email
from documents import selectors, services
from documents.models import DraftSection, ReviewComment, ReviewWindow
from documents.rules import readable_version_ids
from engagement.services import RateLimited, hash_token
from tests.conftest import Cast
from tests.documents.conftest import Papers
from timeline.models import Phase

pytestmark = pytest.mark.django_db

CONFIRM = "http://testserver/kent/documents/reviews/confirm/{token}/"


@pytest.fixture(autouse=True)
def _fresh_rate_limit() -> Iterator[None]:
    cache.clear()
    yield
    cache.clear()


def drafting(strategy: Any) -> None:
    """Close scoping and evidence: the strategy's current phase is drafting."""
    phases = list(Phase.objects.filter(strategy=strategy).order_by("order"))
    start = phases[0].planned_start
    Phase.objects.filter(pk=phases[0].pk).update(actual_start=start, actual_end=start + timedelta(days=60))
    Phase.objects.filter(pk=phases[1].pk).update(
        actual_start=start + timedelta(days=61), actual_end=start + timedelta(days=120)
    )
    Phase.objects.filter(pk=phases[2].pk).update(actual_start=start + timedelta(days=121))


def open_window(cast: Cast, papers: Papers, audience: str = ReviewWindow.Audience.PUBLIC) -> ReviewWindow:
    drafting(cast.strategy)
    return services.review_window_open(
        actor=cast.officer,
        draft=papers.version.draft,
        version=papers.version,
        organisations=[],
        closes_on=timezone.localdate() + timedelta(days=14),
        audience=audience,
    )


def first_section(papers: Papers) -> DraftSection:
    section = papers.version.draft.sections.order_by("order").first()
    assert section is not None
    return section


def send(window: ReviewWindow, section: DraftSection, *, ip: str = "203.0.113.9", **who: Any) -> ReviewComment:
    commenter = services.PublicCommenter(
        name=who.get("name", "Pat Public"),
        email=who.get("email", "Pat@Example.org"),
        organisation=who.get("organisation", "Thanet Traders"),
        show_name=who.get("show_name", False),
    )
    return services.review_comment_public_add(
        window=window, section=section, body="More on *ports*, please.", commenter=commenter, ip=ip, confirm_url=CONFIRM
    )


def token_from(body: str) -> str:
    match = re.search(r"/reviews/confirm/([^/\s]+)/", body)
    assert match is not None, body
    return match.group(1)


def confirmed(cast: Cast, window: ReviewWindow, section: DraftSection, **who: Any) -> ReviewComment:
    comment = send(window, section, **who)
    token = "known-" + str(comment.pk)
    ReviewComment.objects.filter(pk=comment.pk).update(token_hash=hash_token(token))
    return services.review_comment_confirm(strategy=cast.strategy, token=token)


def test_a_wider_audience_only_while_the_strategy_is_drafting(cast: Cast, papers: Papers) -> None:
    draft, version = papers.version.draft, papers.version
    with pytest.raises(ApplicationError, match="only in the drafting phase, and the strategy is in Scoping"):
        services.review_window_open(
            actor=cast.officer, draft=draft, version=version, organisations=[], audience="public"
        )
    # Invited organisations stay as they were, in any phase.
    with pytest.raises(ApplicationError, match="Choose the organisations"):
        services.review_window_open(actor=cast.officer, draft=draft, version=version, organisations=[])
    window = open_window(cast, papers)
    assert window.audience == "public" and not window.organisations.exists()
    event = AuditEvent.objects.get(verb="review.opened")
    assert event.data["audience"] == "public"


def test_a_public_comment_is_confirmed_through_the_emailed_link(
    cast: Cast, papers: Papers, mailoutbox, django_capture_on_commit_callbacks
) -> None:
    window, section = open_window(cast, papers), first_section(papers)
    with django_capture_on_commit_callbacks(execute=True):
        comment = send(window, section)
    assert comment.status == "unconfirmed" and comment.moderation == "pending" and comment.author is None
    assert comment.commenter_email == "pat@example.org" and len(comment.token_hash) == 64
    email = Email.objects.get()
    assert email.status == Email.Status.SENT and email.to == "pat@example.org"
    token = token_from(mailoutbox[0].body)
    assert token not in comment.token_hash  # only the hash is stored
    # Unconfirmed: the officers neither see, count nor answer it.
    assert selectors.review_comment_list(window=window) == {}
    assert selectors.review_comment_counts(window=window) == {}
    with pytest.raises(ApplicationError, match="awaits its sender"):
        services.review_comment_reply(actor=cast.officer, comment=comment, body="Thanks")
    with pytest.raises(ApplicationError, match="awaits its sender"):
        services.review_comment_moderate(actor=cast.officer, comment=comment, publish=True)

    done = services.review_comment_confirm(strategy=cast.strategy, token=token)
    assert done.status == "confirmed" and done.confirmed_at is not None and done.token_hash == ""
    assert [c.pk for c in selectors.review_comment_list(window=window)[section.pk]] == [comment.pk]
    # …but its audience reads it only once published.
    assert selectors.review_comment_list(window=window, officer=False) == {}
    with pytest.raises(ApplicationError, match="not valid"):  # a link works once
        services.review_comment_confirm(strategy=cast.strategy, token=token)
    with pytest.raises(ApplicationError, match="not valid"):  # and in its own strategy only
        services.review_comment_confirm(strategy=cast.other_strategy, token=token)
    verbs = list(AuditEvent.objects.filter(target_id=str(comment.pk)).order_by("pk").values_list("verb", flat=True))
    assert verbs == ["review.public_received", "review.public_confirmed"]


def test_the_confirm_page_confirms_on_its_button_only(client, cast: Cast, papers: Papers, mailoutbox) -> None:
    window, section = open_window(cast, papers), first_section(papers)
    comment = send(window, section)
    token = "page-token"
    ReviewComment.objects.filter(pk=comment.pk).update(token_hash=hash_token(token))
    url = reverse("documents:review-comment-confirm", kwargs={"strategy_slug": cast.strategy.slug, "token": token})
    page = client.get(url)
    assert page.status_code == 200 and "Confirm my comment" in page.content.decode()
    comment.refresh_from_db()
    assert comment.status == "unconfirmed"  # a mail scanner following the link confirms nothing
    assert "Comment confirmed" in client.post(url).content.decode()
    comment.refresh_from_db()
    assert comment.status == "confirmed"
    assert client.get(url).status_code == 404


def test_an_expired_link_confirms_nothing_and_the_purge_deletes_it(cast: Cast, papers: Papers, mailoutbox) -> None:
    window, section = open_window(cast, papers), first_section(papers)
    old = send(window, section)
    token = "old-token"
    ReviewComment.objects.filter(pk=old.pk).update(token_hash=hash_token(token))
    with time_machine.travel(timezone.now() + timedelta(days=8)):
        fresh = send(window, section, email="new@example.org", ip="198.51.100.1")
        with pytest.raises(ApplicationError, match="expired after 7 days"):
            services.review_comment_confirm(strategy=cast.strategy, token=token)
        assert services.review_comments_purge() == 1
        assert services.review_comments_purge() == 0  # twice is harmless
    assert list(ReviewComment.objects.values_list("pk", flat=True)) == [fresh.pk]
    event = AuditEvent.objects.get(verb="review.unconfirmed_purged")
    assert event.data == {"comments": 1} and event.target_id == str(window.pk)


def test_a_comment_sent_before_the_close_may_be_confirmed_after(cast: Cast, papers: Papers, mailoutbox) -> None:
    window, section = open_window(cast, papers), first_section(papers)
    comment = send(window, section)
    services.review_window_close(actor=cast.officer, window=window)
    token = "late-token"
    ReviewComment.objects.filter(pk=comment.pk).update(token_hash=hash_token(token))
    assert services.review_comment_confirm(strategy=cast.strategy, token=token).status == "confirmed"
    window.refresh_from_db()
    with pytest.raises(ApplicationError, match="has closed"):
        send(window, section)


def test_the_public_comments_per_address_an_hour(cast: Cast, papers: Papers, settings: Any, mailoutbox) -> None:
    settings.REVIEW_PUBLIC_COMMENTS_PER_HOUR = 2
    window, section = open_window(cast, papers), first_section(papers)
    send(window, section)
    send(window, section, email="b@example.org")
    with pytest.raises(RateLimited, match="several comments in the last hour") as refused:
        send(window, section, email="c@example.org")
    assert refused.value.retry_at > timezone.now()
    send(window, section, ip="198.51.100.7")  # another address is counted apart
    assert ReviewComment.objects.count() == 3


def test_the_form_answers_429_when_limited_and_a_robot_the_same_page_as_a_person(
    client, cast: Cast, papers: Papers, settings: Any, mailoutbox
) -> None:
    settings.REVIEW_PUBLIC_COMMENTS_PER_HOUR = 1
    window, section = open_window(cast, papers), first_section(papers)
    kwargs = {"strategy_slug": cast.strategy.slug, "pk": window.pk}
    url = reverse("documents:review-comment-public", kwargs={**kwargs, "section_pk": section.pk})
    sent = reverse("documents:review-comment-sent", kwargs=kwargs)
    form = {"body": "Ports.", "name": "", "email": "pat@example.org", "organisation": "", "website": ""}
    robot = client.post(url, {**form, "website": "http://spam.example"})
    assert robot.status_code == 302 and robot.url == sent
    assert not ReviewComment.objects.exists() and not Email.objects.exists()
    invalid = client.post(url, {**form, "email": ""})
    assert invalid.status_code == 200 and "Enter your email address" in invalid.content.decode()
    named = client.post(url, {**form, "show_name": "on"})
    assert named.status_code == 200 and "Enter your name, or untick" in named.content.decode()
    assert client.post(url, form).url == sent
    limited = client.post(url, form)
    assert limited.status_code == 429 and int(limited["Retry-After"]) > 0
    assert ReviewComment.objects.count() == 1
    # Someone signed in comments on the review's page, as themselves.
    client.force_login(cast.councillor)
    assert client.get(url).url.endswith(f"#section-{section.pk}")


def test_officers_publish_or_hide_and_the_audience_reads_only_the_published(
    client, cast: Cast, papers: Papers, mailoutbox
) -> None:
    window, section = open_window(cast, papers), first_section(papers)
    anonymous = confirmed(cast, window, section)
    named = confirmed(cast, window, section, name="Sam Named", email="sam@example.org", show_name=True)
    page = window.get_absolute_url()
    client.force_login(cast.officer)
    officers = client.get(page).content.decode()
    assert "pat@example.org" in officers and officers.count("Awaiting moderation") >= 2
    with pytest.raises(ApplicationError, match="Only officers"):
        services.review_comment_moderate(actor=cast.councillor, comment=anonymous, publish=True)
    services.review_comment_moderate(actor=cast.officer, comment=anonymous, publish=True)
    services.review_comment_moderate(actor=cast.officer, comment=named, publish=True)
    with pytest.raises(ApplicationError, match="already published"):
        services.review_comment_moderate(actor=cast.officer, comment=named, publish=True)
    services.review_comment_reply(actor=cast.officer, comment=anonymous, body="Section 4 now covers the ports.")
    client.logout()
    public = client.get(page).content.decode()
    assert "More on <em>ports</em>, please." in public and "Section 4 now covers the ports." in public
    assert "A member of the public" in public and "Sam Named, Thanet Traders" in public
    assert "Pat Public" not in public and "example.org" not in public
    client.force_login(cast.officer)
    assert client.post(reverse("documents:comment-hide", kwargs={"strategy_slug": cast.strategy.slug, "pk": named.pk}))
    client.logout()
    assert "Sam Named" not in client.get(page).content.decode()
    verbs = set(AuditEvent.objects.filter(verb__startswith="review.comment_").values_list("verb", flat=True))
    assert verbs == {"review.comment_published", "review.comment_hidden"}


def test_signed_in_people_comment_as_themselves_and_the_public_among_them_is_moderated(
    cast: Cast, papers: Papers
) -> None:
    window, section = open_window(cast, papers, audience=ReviewWindow.Audience.TAKING_PART), first_section(papers)
    board = services.review_comment_add(actor=cast.board_member, window=window, section=section, body="Board view.")
    assert board.author == cast.board_member and board.organisation is None and board.moderation == ""
    with pytest.raises(ApplicationError, match="Only people taking part"):
        services.review_comment_add(actor=cast.outsider, window=window, section=section, body="Outside.")
    with pytest.raises(ApplicationError, match="Officers reply"):
        services.review_comment_add(actor=cast.officer, window=window, section=section, body="Mine.")
    with pytest.raises(ApplicationError, match="not open to the public"):
        send(window, section)
    services.review_window_close(actor=cast.officer, window=window)
    public = open_window(cast, papers)
    outsider = services.review_comment_add(actor=cast.outsider, window=public, section=section, body="Signed in.")
    assert outsider.moderation == "pending" and outsider.author == cast.outsider
    partner = services.review_comment_add(actor=cast.partner, window=public, section=section, body="Partner.")
    assert partner.moderation == "" and partner.organisation is None


def test_the_counts_per_section(cast: Cast, papers: Papers, mailoutbox) -> None:
    window, section = open_window(cast, papers), first_section(papers)
    mine = services.review_comment_add(actor=cast.councillor, window=window, section=section, body="Councillor.")
    services.review_comment_reply(actor=cast.officer, comment=mine, body="Noted.")
    pending = confirmed(cast, window, section)
    published = confirmed(cast, window, section, email="two@example.org")
    services.review_comment_moderate(actor=cast.officer, comment=published, publish=True)
    services.review_comment_resolve(actor=cast.officer, comment=published)
    send(window, section, email="unconfirmed@example.org")  # not counted until confirmed
    counts = selectors.review_comment_counts(window=window)[section.pk]
    assert (counts.comments, counts.public, counts.awaiting_moderation, counts.answered) == (3, 2, 1, 2)
    assert pending.moderation == "pending"


def test_the_version_is_readable_by_the_audience_from_the_day_the_window_opens(cast: Cast, papers: Papers) -> None:
    from django.contrib.auth.models import AnonymousUser

    version = papers.version
    assert version.pk not in readable_version_ids(AnonymousUser(), cast.strategy)
    window = open_window(cast, papers, audience=ReviewWindow.Audience.TAKING_PART)
    assert version.pk in readable_version_ids(cast.board_member, cast.strategy)
    assert version.pk not in readable_version_ids(cast.outsider, cast.strategy)
    services.review_window_close(actor=cast.officer, window=window)
    open_window(cast, papers)
    assert version.pk in readable_version_ids(AnonymousUser(), cast.strategy)
    assert version.pk not in readable_version_ids(AnonymousUser(), cast.other_strategy)


def test_the_public_review_page_reads_in_a_fixed_number_of_queries(
    client, cast: Cast, papers: Papers, django_assert_num_queries, mailoutbox
) -> None:
    window, section = open_window(cast, papers), first_section(papers)
    page = window.get_absolute_url()

    def add(how_many: int) -> None:
        for _ in range(how_many):
            n = ReviewComment.objects.count()
            comment = confirmed(cast, window, section, email=f"p{n}@example.org", ip=f"198.51.100.{n}")
            services.review_comment_moderate(actor=cast.officer, comment=comment, publish=True)
            services.review_comment_reply(actor=cast.officer, comment=comment, body="Thanks.")

    def count() -> int:
        with CaptureQueriesContext(connection) as queries:
            assert client.get(page).status_code == 200
        return len(queries)

    add(1)
    few = count()
    add(6)
    with django_assert_num_queries(few):
        assert client.get(page).status_code == 200
    client.force_login(cast.officer)
    officer_few = count()
    add(3)
    with django_assert_num_queries(officer_few):
        assert client.get(page).status_code == 200
