"""The documents pages: drafting, comparing, papers, requesting, watching and downloading packs."""

from __future__ import annotations

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from core.models import AuditEvent
from documents import services
from documents.models import BoardPaper, DraftSection, DraftStrategy, DraftVersion, Pack
from tests.conftest import Cast
from tests.documents.conftest import Papers

pytestmark = pytest.mark.django_db


def _url(cast: Cast, name: str, **kwargs: object) -> str:
    return reverse(f"documents:{name}", kwargs={"strategy_slug": cast.strategy.slug, **kwargs})


def test_officer_requests_a_pack_and_asking_again_returns_it(
    client, cast: Cast, papers: Papers, django_capture_on_commit_callbacks
) -> None:
    client.force_login(cast.officer)
    url = _url(cast, "meeting-detail", pk=papers.process.meeting.pk)
    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(url, {"kind": "members", "draft_version": papers.version.pk})
    pack = Pack.objects.get()
    assert response.status_code == 302 and response["Location"] == pack.get_absolute_url()
    assert pack.status == Pack.Status.READY
    again = client.post(url, {"kind": "members", "draft_version": papers.version.pk}, follow=True)
    assert Pack.objects.count() == 1
    assert "Nothing has changed since this pack was made" in again.content.decode()


def test_pack_request_without_a_kind_is_a_form_error(client, cast: Cast, papers: Papers) -> None:
    client.force_login(cast.officer)
    response = client.post(_url(cast, "meeting-detail", pk=papers.process.meeting.pk), {})
    assert response.status_code == 200
    assert "Choose which pack to make" in response.content.decode()
    assert not Pack.objects.exists()


def test_status_fragment_polls_until_the_pack_is_finished(client, cast: Cast, papers: Papers) -> None:
    pack, _ = services.pack_request(
        actor=cast.officer, strategy=cast.strategy, kind=Pack.Kind.PUBLIC, meeting=papers.process.meeting
    )
    Pack.objects.filter(pk=pack.pk).update(status=Pack.Status.RENDERING, progress=40)
    client.force_login(cast.board_member)
    fragment = client.get(_url(cast, "pack-status", pk=pack.pk), HTTP_HX_REQUEST="true").content.decode()
    assert 'hx-trigger="every 2s"' in fragment and "40% done" in fragment and "<html" not in fragment
    Pack.objects.filter(pk=pack.pk).update(
        status=Pack.Status.READY, progress=100, file="documents/packs/x.pdf", sha256="0" * 64, page_count=1
    )
    fragment = client.get(_url(cast, "pack-status", pk=pack.pk)).content.decode()
    assert "hx-trigger" not in fragment and "Download the pack" in fragment
    assert "0" * 64 not in fragment  # the SHA-256 is for the audit trail, not the board member's page


def test_a_pack_just_claimed_says_it_is_starting_not_0_per_cent(client, cast: Cast, papers: Papers) -> None:
    pack, _ = services.pack_request(
        actor=cast.officer, strategy=cast.strategy, kind=Pack.Kind.PUBLIC, meeting=papers.process.meeting
    )
    Pack.objects.filter(pk=pack.pk).update(status=Pack.Status.RENDERING, progress=0)
    client.force_login(cast.board_member)
    fragment = client.get(_url(cast, "pack-status", pk=pack.pk)).content.decode()
    assert "Rendering</strong> starting" in fragment and "0% done" not in fragment
    Pack.objects.filter(pk=pack.pk).update(progress=20)
    fragment = client.get(_url(cast, "pack-status", pk=pack.pk)).content.decode()
    assert "laying out the pages (20% done)" in fragment


def test_download_is_an_attachment_with_nosniff_and_is_audited(
    client, cast: Cast, papers: Papers, django_capture_on_commit_callbacks
) -> None:
    with django_capture_on_commit_callbacks(execute=True):
        pack, _ = services.pack_request(
            actor=cast.officer, strategy=cast.strategy, kind=Pack.Kind.MEMBERS, meeting=papers.process.meeting
        )
    pack.refresh_from_db()
    client.force_login(cast.board_member)
    response = client.get(_url(cast, "pack-download", pk=pack.pk))
    assert response.status_code == 200
    assert response["Content-Type"] == "application/pdf"
    assert response["Content-Disposition"].startswith("attachment;")
    assert response["X-Content-Type-Options"] == "nosniff"
    body = b"".join(response.streaming_content)
    assert body.startswith(b"%PDF")
    event = AuditEvent.objects.get(verb="pack.downloaded")
    assert (event.actor, event.target_id, event.strategy) == (cast.board_member, str(pack.pk), cast.strategy)


def test_a_failed_pack_shows_its_error_and_can_be_retried(
    client, cast: Cast, papers: Papers, django_capture_on_commit_callbacks
) -> None:
    pack, _ = services.pack_request(
        actor=cast.officer, strategy=cast.strategy, kind=Pack.Kind.PUBLIC, meeting=papers.process.meeting
    )
    Pack.objects.filter(pk=pack.pk).update(
        status=Pack.Status.FAILED, error="The appendix could not be read.", file="", sha256="", page_count=None
    )
    client.force_login(cast.officer)
    page = client.get(_url(cast, "pack-detail", pk=pack.pk)).content.decode()
    assert "The appendix could not be read." in page and "Try again" in page
    with django_capture_on_commit_callbacks(execute=True):
        client.post(_url(cast, "pack-retry", pk=pack.pk))
    pack.refresh_from_db()
    assert pack.status == Pack.Status.READY


def test_section_preview_and_the_refused_later_save(client, cast: Cast, papers: Papers) -> None:
    section = DraftSection.objects.filter(draft=papers.version.draft).order_by("order").first()
    assert section is not None
    client.force_login(cast.officer)
    url = _url(cast, "section-edit", pk=section.pk)
    preview = client.post(
        url, {"title": section.title, "body": "**Bold** <script>x</script>", "version": section.version, "preview": "1"}
    ).content.decode()
    assert "<strong>Bold</strong>" in preview and "<script>x" not in preview
    stale = section.version
    client.post(url, {"title": section.title, "body": "Saved first.", "version": stale, "save": "1"})
    refused = client.post(url, {"title": section.title, "body": "My later text.", "version": stale, "save": "1"})
    page = refused.content.decode()
    assert refused.status_code == 200
    assert "Someone else saved this section" in page and "while you were editing it" in page
    assert "Saved first." in page and "My later text." in page  # theirs shown, mine kept
    section.refresh_from_db()
    assert section.body == "Saved first."


def test_compare_marks_the_changes(client, cast: Cast, papers: Papers) -> None:
    draft = papers.version.draft
    section = draft.sections.order_by("order").first()
    assert section is not None
    services.draft_section_save(
        actor=cast.officer,
        section=section,
        title=section.title,
        body="# Our ambition\n\nA productive, green economy.",
        version=section.version,
    )
    newer = services.draft_version_save(actor=cast.officer, draft=draft, note="Greener")
    client.force_login(cast.officer)
    page = client.get(_url(cast, "version-compare"), {"a": papers.version.pk, "b": newer.pk}).content.decode()
    assert "<del>inclusive</del>" in page and "<ins>green</ins>" in page


def test_officer_writes_an_exempt_paper(client, cast: Cast, papers: Papers) -> None:
    client.force_login(cast.officer)
    item = papers.items[0]
    data = {
        "title": "Welcome",
        "author": "Chair",
        "purpose": "Open the meeting.",
        "recommendations": "Note.",
        "decision_required": "note",
        "is_exempt": "on",
        "exempt_paragraph": "",
        "public_interest_reason": "",
    }
    response = client.post(_url(cast, "paper-edit", pk=item.pk), data)
    assert response.status_code == 200 and "Schedule 12A paragraph" in response.content.decode()
    data.update(exempt_paragraph="1", public_interest_reason="Names a person.")
    response = client.post(_url(cast, "paper-edit", pk=item.pk), data)
    assert response.status_code == 302
    paper = BoardPaper.objects.get(agenda_item=item)
    assert paper.is_exempt and paper.exempt_paragraph == "1"


def test_index_query_count_does_not_grow_with_packs(client, cast: Cast, papers: Papers) -> None:
    client.force_login(cast.officer)
    url = _url(cast, "index")

    def count() -> int:
        with CaptureQueriesContext(connection) as queries:
            assert client.get(url).status_code == 200
        return len(queries)

    Pack.objects.create(strategy=cast.strategy, kind="public", meeting=papers.process.meeting, fingerprint="a")
    few = count()
    for n in range(8):
        Pack.objects.create(strategy=cast.strategy, kind="public", meeting=papers.process.meeting, fingerprint=f"b{n}")
    assert count() == few


def test_each_thing_done_to_the_draft_has_its_own_url(client, cast: Cast) -> None:
    client.force_login(cast.officer)
    start = client.post(_url(cast, "draft-create"))
    assert start.status_code == 302 and start["Location"] == _url(cast, "draft")
    again = client.post(_url(cast, "draft-create"), follow=True).content.decode()
    assert "This strategy already has a draft" in again

    no_note = client.post(_url(cast, "version-save"), {"note": ""})
    assert no_note.status_code == 200
    assert "Enter a note saying what changed in this version" in no_note.content.decode()
    saved = client.post(_url(cast, "version-save"), {"note": "First outline"}, follow=True).content.decode()
    assert "Version 1 saved." in saved
    version = DraftVersion.objects.get()

    assert client.post(_url(cast, "draft-status"), {"status": "nonsense"}).status_code == 200
    status = client.post(_url(cast, "draft-status"), {"status": DraftStrategy.Status.PARTNER_REVIEW}, follow=True)
    assert "Status set." in status.content.decode()
    assert DraftStrategy.objects.get().status == DraftStrategy.Status.PARTNER_REVIEW

    unchosen = client.post(_url(cast, "draft-pack"), {"draft_version": "x"}, follow=True).content.decode()
    assert "Choose the version of the draft to render." in unchosen
    requested = client.post(_url(cast, "draft-pack"), {"draft_version": version.pk})
    pack = Pack.objects.get()  # queued, rendered once the request's transaction commits
    assert pack.kind == Pack.Kind.DRAFT and requested["Location"] == pack.get_absolute_url()


def test_the_draft_actions_need_a_draft(client, cast: Cast) -> None:
    client.force_login(cast.officer)
    assert client.get(_url(cast, "draft")).status_code == 200  # the page that starts it
    for name, data in (("version-save", {"note": "x"}), ("draft-status", {"status": "x"}), ("draft-pack", {})):
        assert client.post(_url(cast, name), data).status_code == 404, name


def test_a_pack_taken_over_from_a_stopped_worker_says_so(client, cast: Cast, papers: Papers) -> None:
    pack, _ = services.pack_request(
        actor=cast.officer, strategy=cast.strategy, kind=Pack.Kind.PUBLIC, meeting=papers.process.meeting
    )
    Pack.objects.filter(pk=pack.pk).update(status=Pack.Status.RENDERING, attempts=2, restarts=1, progress=20)
    client.force_login(cast.board_member)
    fragment = client.get(_url(cast, "pack-status", pk=pack.pk)).content.decode()
    assert "attempt 2 of 3, restarted after a worker stopped" in fragment
    Pack.objects.filter(pk=pack.pk).update(restarts=0)
    assert "restarted" not in client.get(_url(cast, "pack-status", pk=pack.pk)).content.decode()
