"""Review windows: an officer opens a version for comment by chosen partner organisations; their
councillors and partners comment on sections (Markdown, sanitised); officers reply and resolve;
the draft shows unresolved counts per section. Others get 404; query counts stay flat."""

from __future__ import annotations

from datetime import timedelta

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone

from core.exceptions import ApplicationError
from core.models import AuditEvent, Organisation
from documents import services
from documents.models import DraftSection, ReviewComment, ReviewWindow
from tests.conftest import Cast
from tests.documents.conftest import Papers

pytestmark = pytest.mark.django_db


def _url(cast: Cast, name: str, **kwargs: object) -> str:
    return reverse(f"documents:{name}", kwargs={"strategy_slug": cast.strategy.slug, **kwargs})


def _council(cast: Cast) -> Organisation:
    return cast.strategy.partners.get(kind=Organisation.Kind.DISTRICT_COUNCIL)


def _open(cast: Cast, papers: Papers) -> ReviewWindow:
    return services.review_window_open(
        actor=cast.officer,
        draft=papers.version.draft,
        version=papers.version,
        organisations=[_council(cast)],
        closes_on=timezone.localdate() + timedelta(days=14),
    )


def _first_section(papers: Papers) -> DraftSection:
    section = papers.version.draft.sections.order_by("order").first()
    assert section is not None
    return section


def test_open_comment_reply_resolve_close_each_audited(cast: Cast, papers: Papers) -> None:
    window = _open(cast, papers)
    section = _first_section(papers)
    comment = services.review_comment_add(actor=cast.councillor, window=window, section=section, body="More on ports.")
    assert comment.organisation == _council(cast)
    reply = services.review_comment_reply(actor=cast.officer, comment=comment, body="Added in version 2.")
    assert reply.parent == comment
    services.review_comment_resolve(actor=cast.officer, comment=comment)
    services.review_window_close(actor=cast.officer, window=window)
    verbs = list(AuditEvent.objects.filter(verb__startswith="review.").values_list("verb", flat=True))
    assert sorted(verbs) == sorted(
        # review.invited: the invitation emailed to the council's councillor.
        ["review.opened", "review.invited", "review.commented", "review.replied", "review.resolved", "review.closed"]
    )
    with pytest.raises(ApplicationError, match="closed"):
        services.review_comment_add(actor=cast.councillor, window=window, section=section, body="Late.")


def test_only_invited_organisations_comment_and_only_partners_are_invited(cast: Cast, papers: Papers) -> None:
    window = _open(cast, papers)
    section = _first_section(papers)
    with pytest.raises(ApplicationError, match="invited organisations"):
        services.review_comment_add(actor=cast.partner, window=window, section=section, body="Not invited.")
    with pytest.raises(ApplicationError, match="already open"):
        _open(cast, papers)
    services.review_window_close(actor=cast.officer, window=window)
    other_council = cast.other_strategy.partners.get(kind=Organisation.Kind.DISTRICT_COUNCIL)
    with pytest.raises(ApplicationError, match="partners in this strategy"):
        services.review_window_open(
            actor=cast.officer, draft=papers.version.draft, version=papers.version, organisations=[other_council]
        )
    with pytest.raises(ApplicationError, match="Only officers"):
        comment = services.review_comment_add(
            actor=cast.councillor, window=_open(cast, papers), section=section, body="x"
        )
        services.review_comment_resolve(actor=cast.councillor, comment=comment)


def test_officer_opens_a_window_in_the_browser_form(client, cast: Cast, papers: Papers) -> None:
    client.force_login(cast.officer)
    empty = client.post(_url(cast, "review-open"), {"version": papers.version.pk})
    assert empty.status_code == 200 and "Choose the organisations whose people may comment" in empty.content.decode()
    closes = timezone.localdate() + timedelta(days=14)
    response = client.post(
        _url(cast, "review-open"),
        {
            "version": papers.version.pk,
            "organisations": [_council(cast).pk],
            "closes_on_0": closes.day,
            "closes_on_1": closes.month,
            "closes_on_2": closes.year,
        },
    )
    window = ReviewWindow.objects.get()
    assert response.status_code == 302 and response["Location"] == window.get_absolute_url()
    assert list(window.organisations.all()) == [_council(cast)]


def test_councillor_comments_sanitised_and_the_draft_counts_unresolved(client, cast: Cast, papers: Papers) -> None:
    window = _open(cast, papers)
    section = _first_section(papers)
    client.force_login(cast.councillor)
    index = client.get(_url(cast, "index")).content.decode()
    assert window.get_absolute_url() in index
    url = _url(cast, "review-detail", pk=window.pk)
    page = client.get(url).content.decode()
    assert "A productive, inclusive economy." in page and f"comment-body-{section.pk}" in page
    empty = client.post(url, {"section": section.pk, "body": "  "})
    assert empty.status_code == 200 and "Enter your comment" in empty.content.decode()
    body = "**Ports** matter. <script>alert(1)</script> <img src=x onerror=alert(2)> [ok](javascript:alert(3))"
    response = client.post(url, {"section": section.pk, "body": body})
    assert response.status_code == 302
    page = client.get(url).content.decode()
    assert "<strong>Ports</strong> matter." in page
    assert "<script>alert" not in page and "onerror" not in page and "javascript:" not in page
    # The officer sees the count on the draft, replies and resolves; the count goes.
    client.force_login(cast.officer)
    draft_page = client.get(_url(cast, "draft")).content.decode()
    assert '<strong class="govuk-tag govuk-tag--yellow">1</strong>' in draft_page
    comment = ReviewComment.objects.get()
    client.post(_url(cast, "comment-reply", pk=comment.pk), {"body": "Thank you: *added*."})
    client.post(_url(cast, "comment-resolve", pk=comment.pk))
    page = client.get(url).content.decode()
    assert "<em>added</em>" in page and "Resolved" in page
    assert (
        '<strong class="govuk-tag govuk-tag--yellow">1</strong>' not in client.get(_url(cast, "draft")).content.decode()
    )
    # Closed: the councillor still reads it, and cannot comment.
    client.post(_url(cast, "review-close", pk=window.pk))
    client.force_login(cast.councillor)
    page = client.get(url)
    assert page.status_code == 200 and f"comment-body-{section.pk}" not in page.content.decode()
    assert client.post(url, {"section": section.pk, "body": "Late."}).status_code == 404


def test_review_page_queries_do_not_grow_with_comments(
    client, cast: Cast, papers: Papers, django_assert_num_queries
) -> None:
    window = _open(cast, papers)
    sections = list(papers.version.draft.sections.order_by("order"))
    url = _url(cast, "review-detail", pk=window.pk)

    def add(n: int) -> None:
        for i in range(n):
            comment = services.review_comment_add(
                actor=cast.councillor, window=window, section=sections[i % len(sections)], body=f"Comment {i}"
            )
            services.review_comment_reply(actor=cast.officer, comment=comment, body=f"Reply {i}")

    def count(page: str) -> int:
        with CaptureQueriesContext(connection) as queries:
            assert client.get(page).status_code == 200
        return len(queries)

    client.force_login(cast.officer)
    add(1)
    few, draft_few, list_few = count(url), count(_url(cast, "draft")), count(_url(cast, "review-list"))
    add(12)
    with django_assert_num_queries(few):
        assert client.get(url).status_code == 200
    with django_assert_num_queries(draft_few):
        assert client.get(_url(cast, "draft")).status_code == 200
    with django_assert_num_queries(list_few):
        assert client.get(_url(cast, "review-list")).status_code == 200
    client.force_login(cast.councillor)
    reviewer_few = count(url)
    add(5)
    with django_assert_num_queries(reviewer_few):
        assert client.get(url).status_code == 200


def test_a_reply_typed_before_pressing_resolve_is_saved_with_the_resolution(client, cast: Cast, papers: Papers) -> None:
    """Resolve shares the reply's form: the typed reply is not thrown away (a newcomer found it was)."""
    window = _open(cast, papers)
    comment = services.review_comment_add(
        actor=cast.councillor, window=window, section=_first_section(papers), body="Say more about ports."
    )
    client.force_login(cast.officer)
    response = client.post(
        _url(cast, "comment-resolve", pk=comment.pk), {"body": "Done: see *section 4*."}, follow=True
    )
    assert "Your reply is added and the comment is resolved." in response.content.decode()
    comment.refresh_from_db()
    assert comment.resolved_at is not None
    assert [reply.body for reply in comment.replies.all()] == ["Done: see *section 4*."]
    # Resolving with nothing typed adds no reply; an already resolved comment refuses and adds none.
    again = client.post(_url(cast, "comment-resolve", pk=comment.pk), {"body": "Twice"}, follow=True)
    assert "already resolved" in again.content.decode()
    assert comment.replies.count() == 1


def test_compare_starts_on_the_version_before_against_the_latest(client, cast: Cast, papers: Papers) -> None:
    """A newcomer found both selects on the latest version, so Compare showed no change."""
    draft = papers.version.draft
    latest = services.draft_version_save(actor=cast.officer, draft=draft, note="Second")
    client.force_login(cast.officer)
    page = client.get(_url(cast, "draft")).content.decode()
    assert f'<option value="{papers.version.pk}" selected>' in page  # earlier
    assert f'<option value="{latest.pk}" selected>' in page  # later
