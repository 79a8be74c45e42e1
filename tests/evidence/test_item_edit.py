"""Editing and removing evidence items: officers edit and remove; the invited partner who added an
item edits it while still invited; a save made on an older version is refused, showing what changed;
every change is audited; files no longer used are deleted once the change commits."""

from __future__ import annotations

from datetime import date
from pathlib import Path

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse

from core.exceptions import ApplicationError, StaleEditError
from core.models import AuditEvent, User
from evidence import services
from evidence.models import EvidenceContributor, EvidenceItem, Sharing
from tests.conftest import Cast
from tests.evidence.conftest import Places, make_item, pdf_bytes, theme

pytestmark = pytest.mark.django_db


@pytest.fixture(autouse=True)
def media(settings, tmp_path: Path) -> Path:
    settings.MEDIA_ROOT = tmp_path
    return tmp_path


def _url(name: str, item: EvidenceItem) -> str:
    return reverse(f"evidence:{name}", kwargs={"strategy_slug": item.strategy.slug, "pk": item.pk})


def _form(item: EvidenceItem, **overrides: object) -> dict[str, object]:
    """What the edit page posts for the item as saved, with some fields changed."""
    form: dict[str, object] = {
        "title": item.title,
        "kind": item.kind,
        "summary": item.summary,
        "publisher": item.publisher,
        "published_on_0": str(item.published_on.day),
        "published_on_1": str(item.published_on.month),
        "published_on_2": str(item.published_on.year),
        "link": item.link,
        "licence": item.licence,
        "sharing": item.sharing,
        "quality_note": item.quality_note,
        "themes": [t.pk for t in item.themes.all()],
        "areas": [a.pk for a in item.areas.all()],
        "version": item.version,
    }
    form.update(overrides)
    return form


def _data(item: EvidenceItem, **overrides: object) -> dict[str, object]:
    names = ("title", "kind", "summary", "publisher", "published_on", "link", "licence", "sharing", "quality_note")
    data: dict[str, object] = {name: getattr(item, name) for name in names}
    data.update(overrides)
    return data


def test_an_officer_edits_an_item_and_the_change_is_audited(client, cast: Cast, places: Places) -> None:
    item = make_item(cast.strategy, sharing=Sharing.PARTNERS, themes=[theme("people")], areas=[places.kent])
    client.force_login(cast.officer)
    page = client.get(_url("item-detail", item)).content.decode()
    assert _url("item-edit", item) in page and _url("item-delete", item) in page
    page = client.get(_url("item-edit", item)).content.decode()
    assert 'value="Kent and Medway skills audit"' in page and 'name="version" value="1"' in page
    response = client.post(
        _url("item-edit", item),
        _form(item, title="Kent skills audit 2019", sharing="open", areas=[places.medway.pk]),
    )
    assert response.status_code == 302 and response.url == item.get_absolute_url()
    item.refresh_from_db()
    assert item.title == "Kent skills audit 2019" and item.sharing == "open" and item.version == 2
    assert list(item.areas.all()) == [places.medway]
    event = AuditEvent.objects.get(verb="evidence_item.updated")
    assert event.actor == cast.officer
    assert event.data["changes"]["title"] == ["Kent and Medway skills audit", "Kent skills audit 2019"]
    assert event.data["changes"]["areas"] == ["Kent (UKJ4)", "Medway (E06000035)"]
    assert set(event.data["changes"]) == {"title", "sharing", "areas"}


def test_a_stale_save_is_refused_showing_what_changed(client, cast: Cast) -> None:
    item = make_item(cast.strategy, sharing=Sharing.PARTNERS)
    opened = _form(item)  # both officers open the form at version 1
    services.evidence_item_update(
        actor=cast.admin,
        item=item,
        data=_data(item, title="Their title", publisher="Medway Council"),
        themes=[],
        areas=[],
        version=1,
    )
    client.force_login(cast.officer)
    response = client.post(_url("item-edit", item), {**opened, "title": "My title"})
    assert response.status_code == 200
    page = response.content.decode()
    assert "Someone else saved this item" in page and "What changed while you were editing" in page
    # Their saved title against mine, and nothing of mine saved.
    assert "Their title" in page and "My title" in page
    item.refresh_from_db()
    assert item.title == "Their title" and item.version == 2
    assert 'name="version" value="2"' in page, "the form now carries their version"
    # Saving again applies my edit over theirs.
    response = client.post(_url("item-edit", item), {**opened, "title": "My title", "version": 2})
    assert response.status_code == 302
    item.refresh_from_db()
    assert item.title == "My title" and item.publisher == "Kent County Council" and item.version == 3


def test_the_stale_error_lists_only_the_fields_that_differ(cast: Cast) -> None:
    item = make_item(cast.strategy)
    services.evidence_item_update(
        actor=cast.officer, item=item, data=_data(item, summary="Theirs."), themes=[], areas=[], version=1
    )
    with pytest.raises(StaleEditError) as error:
        services.evidence_item_update(
            actor=cast.officer, item=item, data=_data(item, title="Mine"), themes=[], areas=[], version=1
        )
    by_field = {c.field: (c.theirs, c.yours) for c in error.value.conflicts}
    assert by_field == {
        "title": ("Kent and Medway skills audit", "Mine"),
        "summary": ("Theirs.", "Skills shortages in construction and digital occupations across the county."),
    }


def test_an_invited_partner_edits_only_their_own_items_while_invited(client, cast: Cast) -> None:
    contributor = EvidenceContributor.objects.create(strategy=cast.strategy, user=cast.partner)
    own = make_item(cast.strategy, title="The partner's report", added_by=cast.partner)
    officers = make_item(cast.strategy, title="An officer's report", added_by=cast.officer)
    client.force_login(cast.partner)
    assert _url("item-edit", own) in client.get(_url("item-detail", own)).content.decode()
    page = client.get(_url("item-edit", own)).content.decode()
    assert 'value="officers"' not in page, "a partner cannot make an item officers-only"
    assert client.get(_url("item-edit", officers)).status_code == 404
    assert client.post(_url("item-edit", own), _form(own, title="Retitled")).status_code == 302
    own.refresh_from_db()
    assert own.title == "Retitled"
    # Partners never remove items, their own included.
    assert client.get(_url("item-delete", own)).status_code == 404
    assert client.post(_url("item-delete", own)).status_code == 404
    partner = User.objects.get(pk=cast.partner.pk)  # roles and invitations are cached per user object
    with pytest.raises(ApplicationError, match="Choose who can see the item"):
        services.evidence_item_update(
            actor=partner, item=own, data=_data(own, sharing="officers"), themes=[], areas=[], version=own.version
        )
    # Once the invitation is withdrawn, their items are no longer theirs to edit.
    contributor.delete()
    assert client.get(_url("item-edit", own)).status_code == 404
    assert _url("item-edit", own) not in client.get(_url("item-detail", own)).content.decode()
    partner = User.objects.get(pk=cast.partner.pk)
    with pytest.raises(ApplicationError, match="Only officers, and the invited partner"):
        services.evidence_item_update(
            actor=partner, item=own, data=_data(own), themes=[], areas=[], version=own.version
        )


def test_replacing_a_file_with_a_link_deletes_the_file_after_commit(
    client, cast: Cast, media: Path, django_capture_on_commit_callbacks
) -> None:
    item = make_item(cast.strategy, title="Survey", pdf=True)
    stored = media / item.file.name
    assert stored.exists()
    client.force_login(cast.officer)
    page = client.get(_url("item-edit", item)).content.decode()
    assert "Leave empty to keep Survey.pdf" in page
    # Keeping the file: no link, no upload.
    with django_capture_on_commit_callbacks(execute=True):
        assert client.post(_url("item-edit", item), _form(item, summary="Same file.")).status_code == 302
    item.refresh_from_db()
    assert item.file and item.file_type == "pdf" and stored.exists()
    # A link and a file together are refused.
    both = _form(item, link="https://example.org/s", file=SimpleUploadedFile("s.pdf", pdf_bytes()))
    assert "Give a link or upload a file, not both" in client.post(_url("item-edit", item), both).content.decode()
    # Switching to a link.
    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(_url("item-edit", item), _form(item, link="https://example.org/survey"))
    assert response.status_code == 302
    item.refresh_from_db()
    assert item.link == "https://example.org/survey" and not item.file and item.file_type == ""
    assert not stored.exists()
    changes = AuditEvent.objects.filter(verb="evidence_item.updated").first().data["changes"]  # type: ignore[union-attr]
    assert changes["file"] == ["Survey.pdf", "(none)"] and changes["link"] == ["(none)", "https://example.org/survey"]


def test_uploading_a_new_file_replaces_the_old_one(cast: Cast, media: Path, django_capture_on_commit_callbacks) -> None:
    item = make_item(cast.strategy, title="Survey", pdf=True)
    old = media / item.file.name
    with django_capture_on_commit_callbacks(execute=True):
        services.evidence_item_update(
            actor=cast.officer,
            item=item,
            data=_data(item, link=""),
            themes=[],
            areas=[],
            version=item.version,
            upload=SimpleUploadedFile("survey-2020.pdf", pdf_bytes()),
        )
    item.refresh_from_db()
    assert item.file_name == "survey-2020.pdf" and (media / item.file.name).exists()
    assert not old.exists()


def test_a_hostile_replacement_is_refused_and_the_old_file_kept(cast: Cast, media: Path) -> None:
    item = make_item(cast.strategy, title="Survey", pdf=True)
    with pytest.raises(ApplicationError):
        services.evidence_item_update(
            actor=cast.officer,
            item=item,
            data=_data(item, link=""),
            themes=[],
            areas=[],
            version=item.version,
            upload=SimpleUploadedFile("report.pdf", b"<html><script>alert(1)</script></html>"),
        )
    item.refresh_from_db()
    assert item.file_type == "pdf" and item.version == 1 and (media / item.file.name).exists()


def test_an_officer_removes_an_item(client, cast: Cast, media: Path, django_capture_on_commit_callbacks) -> None:
    item = make_item(cast.strategy, title="Old survey", pdf=True)
    stored = media / item.file.name
    client.force_login(cast.officer)
    page = client.get(_url("item-delete", item)).content.decode()
    assert "Remove “Old survey” from the evidence library?" in page and "Old survey.pdf" in page
    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(_url("item-delete", item), {"version": 1})
    assert response.status_code == 302
    assert response.url == reverse("evidence:item-list", kwargs={"strategy_slug": cast.strategy.slug})
    assert not EvidenceItem.objects.filter(pk=item.pk).exists() and not stored.exists()
    event = AuditEvent.objects.get(verb="evidence_item.deleted")
    assert event.actor == cast.officer and event.data["title"] == "Old survey"


def test_removing_an_item_changed_since_the_page_opened_is_refused(client, cast: Cast) -> None:
    item = make_item(cast.strategy, title="Old survey")
    services.evidence_item_update(
        actor=cast.admin, item=item, data=_data(item, title="Newer survey"), themes=[], areas=[], version=1
    )
    client.force_login(cast.officer)
    response = client.post(_url("item-delete", item), {"version": 1}, follow=True)
    assert "Someone else saved this item" in response.content.decode()
    assert EvidenceItem.objects.filter(pk=item.pk).exists()
    assert not AuditEvent.objects.filter(verb="evidence_item.deleted").exists()


def test_edits_keep_the_item_in_the_strategys_areas(cast: Cast, places: Places) -> None:
    item = make_item(cast.strategy)
    with pytest.raises(ApplicationError, match="is not one of the strategy’s areas"):
        services.evidence_item_update(
            actor=cast.officer, item=item, data=_data(item), themes=[], areas=[places.reading], version=1
        )
    item.refresh_from_db()
    assert item.version == 1 and item.published_on == date(2019, 3, 1)
