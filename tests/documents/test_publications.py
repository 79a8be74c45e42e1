"""Publishing the strategy: editions, their rules, and an edition never edited (a correction is
the next edition); the PDF rendered from the same version, public evidence and agreed
propositions only."""

from __future__ import annotations

from datetime import date, timedelta
from typing import Any

import pytest
from django.core.files.storage import default_storage
from django.db.models import ProtectedError
from django.urls import reverse
from django.utils import timezone

from core.exceptions import ApplicationError
from core.models import AuditEvent
from documents.models import Pack, Publication
from documents.rules import can_see_pack
from documents.selectors import pack_list_visible
from tests.conftest import Cast
from tests.documents.conftest import pdf_reader
from tests.documents.publishing import (
    AGREED,
    EMERGING,
    FOOTNOTE_MARKER,
    OPEN_EVIDENCE,
    SECRET_EVIDENCE,
    SECTION_MARKER,
    make_publishable,
    publish,
)
from timeline.models import Decision, Meeting

pytestmark = pytest.mark.django_db


def test_an_edition_is_published_with_its_pack_and_audited(cast: Cast) -> None:
    ready = make_publishable(cast.strategy)
    today = timezone.localdate()
    first = publish(ready, on=today)
    assert (first.edition, first.version, first.decision) == (1, ready.version, ready.decision)
    assert first.pack is not None and first.pack.kind == Pack.Kind.PUBLISHED
    assert first.pack.draft_version == ready.version
    assert first.pack.inputs["publication"] == {"edition": 1, "published_on": today.isoformat()}
    event = AuditEvent.objects.get(verb="strategy.published")
    assert event.data["edition"] == 1 and "Strategy published (edition 1)" in str(event)


def test_a_later_edition_needs_a_change_note_and_a_day_not_before_the_last(cast: Cast) -> None:
    ready = make_publishable(cast.strategy)
    today = timezone.localdate()
    publish(ready, on=today + timedelta(days=3), today=today)
    with pytest.raises(ApplicationError, match="Say what changed since edition 1") as error:
        publish(ready, on=today + timedelta(days=5), today=today)
    assert error.value.field == "change_note"
    with pytest.raises(ApplicationError, match="or later: edition 1 is published then"):
        publish(ready, on=today + timedelta(days=1), today=today, change_note="Typos.")
    second = publish(ready, on=today + timedelta(days=5), today=today, change_note="Typos corrected.")
    assert second.edition == 2
    # Another strategy counts its own editions.
    other = publish(make_publishable(cast.other_strategy), on=today)
    assert other.edition == 1


def test_the_rules_refuse_what_a_person_can_put_right(cast: Cast) -> None:
    ready = make_publishable(cast.strategy)
    other = make_publishable(cast.other_strategy)
    today = timezone.localdate()

    def attempt(**changes: Any) -> ApplicationError:
        values: dict[str, Any] = {
            "actor": ready.officer,
            "strategy": ready.strategy,
            "version": ready.version,
            "decision": ready.decision,
            "published_on": today,
            "summary": "Our plan.",
        }
        values.update(changes)
        from documents.services import strategy_publish

        with pytest.raises(ApplicationError) as error:
            strategy_publish(**values)
        return error.value

    assert attempt(published_on=today - timedelta(days=1)).field == "published_on"
    assert attempt(summary="  ").field == "summary"
    assert "another strategy’s draft" in attempt(version=other.version).message
    assert "another strategy’s board" in attempt(decision=other.decision).message
    deferred = Decision.objects.create(meeting=ready.process.meeting, text="Deferred.", outcome="deferred")
    assert "approved, or approved as amended" in attempt(decision=deferred).message
    hidden = Decision.objects.create(
        meeting=ready.process.meeting,
        text="Approved.",
        outcome="amended",
        is_published=False,
        phase=ready.decision.phase,
    )
    minutes = Decision.objects.create(meeting=ready.process.meeting, text="Minutes approved.", outcome="approved")
    assert "recorded for the phase “LIS sign-off”" in attempt(decision=minutes).message
    ahead = Meeting.objects.create(
        board=ready.process.board, title="Next", starts_at=timezone.now() + timedelta(days=10)
    )
    planned = Decision.objects.create(meeting=ahead, text="Signed off.", outcome="approved", phase=ready.decision.phase)
    assert "at a meeting that has taken place" in attempt(decision=planned).message
    assert "publish it on the timeline first" in attempt(decision=hidden).message
    assert not Publication.objects.exists()


def test_an_edition_is_never_edited_and_keeps_its_version_and_decision(cast: Cast) -> None:
    ready = make_publishable(cast.strategy)
    first = publish(ready, on=timezone.localdate())
    with pytest.raises(ProtectedError):
        ready.version.delete()
    with pytest.raises(ProtectedError):
        ready.decision.delete()
    # No service edits an edition: publishing again makes edition 2 and leaves edition 1 as it was.
    publish(ready, on=timezone.localdate(), change_note="A correction.", summary="Corrected summary.")
    first.refresh_from_db()
    assert (first.edition, first.summary, first.change_note) == (1, "Our plan for good jobs across the county.", "")
    assert Publication.objects.filter(strategy=cast.strategy).count() == 2


def test_the_published_pack_is_public_from_its_day_only(cast: Cast) -> None:
    from django.contrib.auth.models import AnonymousUser

    ready = make_publishable(cast.strategy)
    today = timezone.localdate()
    later = publish(ready, on=today + timedelta(days=2), today=today)
    assert later.pack is not None
    anonymous = AnonymousUser()
    assert not can_see_pack(anonymous, later.pack)
    assert can_see_pack(cast.officer, later.pack) and can_see_pack(cast.board_member, later.pack)
    assert later.pack not in pack_list_visible(strategy=cast.strategy, user=cast.councillor)
    Publication.objects.filter(pk=later.pk).update(published_on=today)  # its day comes
    assert can_see_pack(anonymous, later.pack) and can_see_pack(cast.outsider, later.pack)
    assert list(pack_list_visible(strategy=cast.strategy, user=anonymous)) == [later.pack]


def test_the_pdf_shows_public_evidence_and_agreed_propositions_only(
    cast: Cast, media, django_capture_on_commit_callbacks
) -> None:
    ready = make_publishable(cast.strategy)
    with django_capture_on_commit_callbacks(execute=True):
        edition = publish(ready, on=date.today())
    pack = edition.pack
    assert pack is not None
    pack.refresh_from_db()
    assert pack.status == Pack.Status.READY, pack.error
    with default_storage.open(pack.file.name, "rb") as handle:
        reader = pdf_reader(handle.read())
    assert "/StructTreeRoot" in reader.trailer["/Root"] and reader.trailer["/Root"]["/Lang"] == "en-GB"
    text = " ".join(" ".join(page.extract_text() or "" for page in reader.pages).split())
    assert SECTION_MARKER in text and OPEN_EVIDENCE in text and AGREED in text, text
    assert SECRET_EVIDENCE not in text and EMERGING not in text
    assert "Published " in text and "not for publication" not in text


def test_a_signed_out_reader_reads_the_latest_edition_and_the_replaced_one_says_so(client, cast: Cast) -> None:
    ready = make_publishable(cast.strategy)
    today = timezone.localdate()
    latest_url = reverse("documents:publication-latest", kwargs={"strategy_slug": cast.strategy.slug})
    assert client.get(latest_url).status_code == 404  # nothing published yet: nothing to sign in for
    first = publish(ready, on=today)
    second = publish(ready, on=today, change_note="Figures corrected.", summary="The corrected plan.")
    assert second.pack is not None
    Pack.objects.filter(pk=second.pack.pk).update(
        status=Pack.Status.READY, file="documents/packs/x.pdf", sha256="0" * 64, page_count=7
    )
    page = client.get(latest_url).content.decode()
    assert "The corrected plan." in page and SECTION_MARKER in page
    # A footnote, linked both ways with ids unique to its section; the evidence at a glance, charted.
    first_section = ready.version.sections[0]["id"]
    assert f'<sup id="section-{first_section}-fnref-1"><a href="#section-{first_section}-fn-1"' in page
    assert f'<li id="section-{first_section}-fn-1">' in page and FOOTNOTE_MARKER in page
    assert "The evidence at a glance" in page and "Evidence items by foundation" in page and "<svg" in page
    assert "Download the strategy as a PDF (7 pages)" in page
    assert (
        reverse("documents:pack-download", kwargs={"strategy_slug": cast.strategy.slug, "pk": second.pack.pk}) in page
    )
    assert OPEN_EVIDENCE in page and SECRET_EVIDENCE not in page
    assert AGREED in page and EMERGING not in page and "/engagement/propositions/" not in page
    assert (
        reverse("timeline:decision-detail", kwargs={"strategy_slug": cast.strategy.slug, "pk": ready.decision.pk})
        in page
    )
    assert "Other editions" in page and first.get_absolute_url() in page
    older = client.get(first.get_absolute_url()).content.decode()
    assert "This edition has been replaced by" in older and second.get_absolute_url() in older


def test_a_waiting_edition_is_the_officers_until_its_day(client, cast: Cast) -> None:
    ready = make_publishable(cast.strategy)
    today = timezone.localdate()
    waiting = publish(ready, on=today + timedelta(days=3), today=today)
    latest_url = reverse("documents:publication-latest", kwargs={"strategy_slug": cast.strategy.slug})
    assert client.get(latest_url).status_code == 404
    assert client.get(waiting.get_absolute_url()).status_code == 404
    client.force_login(cast.officer)
    assert client.get(latest_url).status_code == 404
    page = client.get(waiting.get_absolute_url()).content.decode()
    assert "Only officers can read this edition until" in page


def test_the_publish_page_shows_a_refusal_at_its_field(client, cast: Cast) -> None:
    ready = make_publishable(cast.strategy)
    publish(ready, on=timezone.localdate())
    client.force_login(cast.officer)
    url = reverse("documents:publication-publish", kwargs={"strategy_slug": cast.strategy.slug})
    today = timezone.localdate()
    response = client.post(
        url,
        {
            "version": ready.version.pk,
            "decision": ready.decision.pk,
            "published_on_0": today.day,
            "published_on_1": today.month,
            "published_on_2": today.year,
            "summary": "Our plan.",
        },
    )
    assert response.status_code == 200
    page = response.content.decode()
    assert "There is a problem" in page and "Say what changed since edition 1" in page
    assert 'href="#id_change_note"' in page
    assert Publication.objects.filter(strategy=cast.strategy).count() == 1
