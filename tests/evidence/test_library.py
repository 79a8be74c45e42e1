"""The evidence library: adding items (links and uploads checked by content), downloads served as
attachments, search and filters, and partners invited to add evidence."""

from __future__ import annotations

import re
from datetime import date

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse

from core.exceptions import ApplicationError
from core.models import AuditEvent, User
from evidence import services
from evidence.models import EvidenceContributor, EvidenceItem, Sharing
from evidence.selectors import evidence_item_list
from tests.conftest import Cast
from tests.evidence.conftest import Places, make_item, office_bytes, pdf_bytes, theme, zip_bomb_bytes

pytestmark = pytest.mark.django_db


@pytest.fixture(autouse=True)
def media(settings, tmp_path) -> None:
    settings.MEDIA_ROOT = tmp_path


def _data(**overrides: object) -> dict[str, object]:
    data: dict[str, object] = {
        "title": "Kent and Medway Growth Hub survey",
        "kind": EvidenceItem.Kind.DATASET,
        "summary": "Survey of 1,200 businesses on barriers to growth.",
        "publisher": "Kent and Medway Growth Hub",
        "published_on": date(2019, 6, 1),
        "link": "",
        "licence": "Open Government Licence v3.0",
        "sharing": Sharing.PARTNERS,
        "quality_note": "",
    }
    data.update(overrides)
    return data


def _create(cast: Cast, upload=None, **overrides: object) -> EvidenceItem:
    return services.evidence_item_create(
        actor=cast.officer, strategy=cast.strategy, data=_data(**overrides), themes=[], areas=[], upload=upload
    )


# --- Uploads, judged by their content ------------------------------------------------------------


@pytest.mark.parametrize(
    ("name", "content", "file_type"),
    [
        ("report.pdf", pdf_bytes(), "pdf"),
        ("figures.xlsx", office_bytes("xlsx"), "xlsx"),
        ("notes.docx", office_bytes("docx"), "docx"),
        ("table.csv", "\ufeffarea,value\r\nKent,1\r\n".encode(), "csv"),
    ],
    ids=["pdf", "xlsx", "docx", "csv"],
)
def test_the_four_file_types_are_accepted(cast: Cast, name: str, content: bytes, file_type: str) -> None:
    item = _create(cast, SimpleUploadedFile(name, content))
    assert item.file_type == file_type and item.file_name == name and item.file_size == len(content)
    assert item.file.read() == content
    assert AuditEvent.objects.filter(verb="evidence_item.created", target_id=str(item.pk)).exists()


@pytest.mark.parametrize(
    ("name", "content", "message"),
    [
        (
            "report.pdf",
            b"<!DOCTYPE html><html><script>alert(1)</script></html>",
            "is named as a PDF but its content is not a PDF",
        ),
        ("figures.xlsx", zip_bomb_bytes(), "would expand to far more than its size (a “zip bomb”)"),
        ("figures.xlsx", pdf_bytes(), "is named as an Excel workbook (XLSX) but its content is not one"),
        ("notes.docx", office_bytes("xlsx"), "is a zip file but not a Word document (DOCX)"),
        ("table.csv", b"<html><body>not a table</body></html>", "holds markup (HTML or XML)"),
        ("table.csv", b"\x89PNG\r\n\x1a\n\x00\x00\x00", "holds binary data"),
        ("page.html", b"<html></html>", "is not a PDF, XLSX, CSV or DOCX file"),
        ("empty.pdf", b"", "is empty"),
    ],
    ids=[
        "html-as-pdf",
        "zip-bomb-as-xlsx",
        "pdf-as-xlsx",
        "xlsx-as-docx",
        "html-as-csv",
        "png-as-csv",
        "html",
        "empty",
    ],
)
def test_hostile_uploads_are_refused_and_nothing_is_stored(
    cast: Cast, name: str, content: bytes, message: str, tmp_path
) -> None:
    with pytest.raises(ApplicationError, match=re.escape(message)) as caught:
        _create(cast, SimpleUploadedFile(name, content))
    assert caught.value.field == "file"
    assert EvidenceItem.objects.count() == 0
    assert not list(tmp_path.rglob("evidence*")), "nothing stored that is not what it claims to be"


def test_a_file_over_25_mb_is_refused(cast: Cast) -> None:
    upload = SimpleUploadedFile("big.pdf", b"%PDF-1.4\n" + b"0" * (25 * 1024 * 1024))
    with pytest.raises(ApplicationError, match="The file must be 25 MB or smaller"):
        _create(cast, upload)


def test_the_zip_bomb_is_refused_through_the_page(client, cast: Cast) -> None:
    client.force_login(cast.officer)
    url = reverse("evidence:item-create", kwargs={"strategy_slug": cast.strategy.slug})
    form = {k: v for k, v in _data().items() if k != "published_on"}
    form.update({"published_on_0": "1", "published_on_1": "6", "published_on_2": "2019"})
    response = client.post(url, {**form, "file": SimpleUploadedFile("figures.xlsx", zip_bomb_bytes())})
    assert response.status_code == 200
    page = response.content.decode()
    assert "govuk-error-summary" in page and "zip bomb" in page
    assert EvidenceItem.objects.count() == 0


@pytest.mark.parametrize("link", ["javascript:alert(document.cookie)", "ftp://example.org/x", "data:text/html,hi"])
def test_links_must_be_http_or_https(client, cast: Cast, link: str) -> None:
    with pytest.raises(ApplicationError):
        _create(cast, link=link)
    client.force_login(cast.officer)
    url = reverse("evidence:item-create", kwargs={"strategy_slug": cast.strategy.slug})
    form = {k: v for k, v in _data(link=link).items() if k != "published_on"}
    form.update({"published_on_0": "1", "published_on_1": "6", "published_on_2": "2019"})
    response = client.post(url, form)
    assert (
        response.status_code == 200 and "Enter a web address starting https:// or http://" in response.content.decode()
    )
    assert EvidenceItem.objects.count() == 0


def test_a_link_and_a_file_together_or_neither_are_refused(cast: Cast) -> None:
    with pytest.raises(ApplicationError, match="not both"):
        _create(cast, SimpleUploadedFile("r.pdf", pdf_bytes()), link="https://example.org/")
    with pytest.raises(ApplicationError, match="Give a link to the evidence, or upload a file"):
        _create(cast)


def test_an_officer_adds_an_item_through_the_page(client, cast: Cast, places: Places) -> None:
    client.force_login(cast.officer)
    url = reverse("evidence:item-create", kwargs={"strategy_slug": cast.strategy.slug})
    assert client.get(url).status_code == 200
    form = {k: v for k, v in _data(sharing="officers").items() if k != "published_on"}
    form.update({"published_on_0": "1", "published_on_1": "6", "published_on_2": "2019"})
    form["themes"] = [theme("people").pk]
    form["areas"] = [places.medway.pk]
    form["file"] = SimpleUploadedFile("survey.pdf", pdf_bytes())
    response = client.post(url, form)
    item = EvidenceItem.objects.get()
    assert response.status_code == 302 and response.url == item.get_absolute_url()
    assert item.sharing == "officers" and item.file_type == "pdf"
    assert list(item.themes.all()) == [theme("people")] and list(item.areas.all()) == [places.medway]


# --- Downloads -----------------------------------------------------------------------------------


def test_download_is_an_attachment_with_nosniff_never_inline(client, cast: Cast) -> None:
    item = make_item(cast.strategy, sharing=Sharing.OPEN, title="Skills report", pdf=True)
    response = client.get(
        reverse("evidence:item-download", kwargs={"strategy_slug": cast.strategy.slug, "pk": item.pk})
    )
    assert response.status_code == 200
    assert response["Content-Type"] == "application/pdf"
    assert response["Content-Disposition"].startswith("attachment;")
    assert "inline" not in response["Content-Disposition"]
    assert response["X-Content-Type-Options"] == "nosniff"
    assert b"".join(response.streaming_content).startswith(b"%PDF-")


def test_a_link_item_has_no_download(client, cast: Cast) -> None:
    item = make_item(cast.strategy, sharing=Sharing.OPEN)
    url = reverse("evidence:item-download", kwargs={"strategy_slug": cast.strategy.slug, "pk": item.pk})
    assert client.get(url).status_code == 404


# --- Search and filters --------------------------------------------------------------------------


def _library(cast: Cast, places: Places) -> dict[str, EvidenceItem]:
    return {
        "skills": make_item(
            cast.strategy,
            title="Skills and employment in Kent",
            summary="Apprenticeships are falling.",
            themes=[theme("people")],
            areas=[places.medway],
            published_on=date(2019, 3, 1),
        ),
        "transport": make_item(
            cast.strategy,
            title="Lower Thames Crossing economic case",
            summary="Roads and freight.",
            kind=EvidenceItem.Kind.CASE_STUDY,
            themes=[theme("infrastructure")],
            areas=[places.ashford],
            published_on=date(2017, 11, 1),
        ),
        "officers": make_item(
            cast.strategy,
            title="Confidential skills pipeline",
            sharing=Sharing.OFFICERS,
            themes=[theme("people")],
        ),
    }


@pytest.mark.postgres_only
def test_full_text_search_stems_and_ranks(cast: Cast, places: Places) -> None:
    items = _library(cast, places)
    # "apprenticeship" finds "Apprenticeships" (English stemming), which icontains would not.
    found = list(evidence_item_list(strategy=cast.strategy, user=cast.partner, query="apprenticeship"))
    assert found == [items["skills"]]
    found = list(evidence_item_list(strategy=cast.strategy, user=cast.officer, query="skills"))
    assert set(found) == {items["skills"], items["officers"]}
    assert evidence_item_list(strategy=cast.strategy, user=cast.partner, query="skills").count() == 1
    # websearch syntax: a quoted phrase and a negation.
    assert list(evidence_item_list(strategy=cast.strategy, user=cast.officer, query='"thames crossing" -skills')) == [
        items["transport"]
    ]


def test_filters_by_theme_area_kind_and_date(client, cast: Cast, places: Places) -> None:
    items = _library(cast, places)

    def listed(**filters: object) -> set[EvidenceItem]:
        return set(evidence_item_list(strategy=cast.strategy, user=cast.partner, **filters))  # type: ignore[arg-type]

    assert listed(theme=theme("people")) == {items["skills"]}
    assert listed(area=places.ashford) == {items["transport"]}
    assert listed(kind="case_study") == {items["transport"]}
    assert listed(published_from=date(2018, 1, 1)) == {items["skills"]}
    assert listed(published_to=date(2018, 1, 1)) == {items["transport"]}
    assert listed(query="Thames") == {items["transport"]}
    client.force_login(cast.partner)
    url = reverse("evidence:item-list", kwargs={"strategy_slug": cast.strategy.slug})
    page = client.get(url, {"theme": theme("infrastructure").pk}).content.decode()
    assert "Lower Thames Crossing" in page and "Skills and employment" not in page


def test_the_list_query_count_does_not_grow_with_the_items(
    client, cast: Cast, places: Places, django_assert_num_queries
) -> None:
    client.force_login(cast.officer)
    url = reverse("evidence:item-list", kwargs={"strategy_slug": cast.strategy.slug})
    make_item(cast.strategy, themes=[theme("people")], areas=[places.medway])
    client.get(url)
    with django_assert_num_queries(17) as few:  # one finds the ITL codes of the NUTS regions; one the 2FA device
        client.get(url)
    few_count = len(few)
    for n in range(30):
        make_item(
            cast.strategy,
            title=f"Report {n}",
            themes=[theme("people"), theme("places")],
            areas=[places.medway, places.ashford],
        )
    with django_assert_num_queries(few_count):
        assert client.get(url).status_code == 200


# --- Partners invited to add evidence ------------------------------------------------------------


def test_a_partner_adds_evidence_only_once_invited(client, cast: Cast) -> None:
    url = reverse("evidence:item-create", kwargs={"strategy_slug": cast.strategy.slug})
    client.force_login(cast.partner)
    assert client.get(url).status_code == 404
    with pytest.raises(ApplicationError, match="Only officers, and partners they have invited"):
        services.evidence_item_create(
            actor=cast.partner, strategy=cast.strategy, data=_data(link="https://a.example/"), themes=[], areas=[]
        )
    client.force_login(cast.officer)
    contributors = reverse("evidence:contributor-list", kwargs={"strategy_slug": cast.strategy.slug})
    assert client.post(contributors, {"user": cast.partner.pk}).status_code == 302
    assert EvidenceContributor.objects.filter(strategy=cast.strategy, user=cast.partner).exists()
    client.force_login(cast.partner)
    page = client.get(url).content.decode()
    assert 'value="officers"' not in page, "a partner cannot add an item they could not see"
    partner = User.objects.get(pk=cast.partner.pk)  # a fresh object: roles are cached per user object
    item = services.evidence_item_create(
        actor=partner,
        strategy=cast.strategy,
        data=_data(link="https://a.example/", sharing="open"),
        themes=[],
        areas=[],
    )
    assert item.added_by == partner
    with pytest.raises(ApplicationError, match="Choose who can see the item"):
        services.evidence_item_create(
            actor=partner,
            strategy=cast.strategy,
            data=_data(link="https://a.example/", sharing="officers"),
            themes=[],
            areas=[],
        )
    # The invitation is for this strategy only.
    other = reverse("evidence:item-create", kwargs={"strategy_slug": cast.other_strategy.slug})
    assert client.get(other).status_code == 404


def test_only_people_taking_part_can_be_invited(cast: Cast) -> None:
    with pytest.raises(ApplicationError, match="does not take part"):
        services.contributor_add(actor=cast.officer, strategy=cast.strategy, user=cast.outsider)
    with pytest.raises(ApplicationError, match="is an officer"):
        services.contributor_add(actor=cast.officer, strategy=cast.strategy, user=cast.officer)
    with pytest.raises(ApplicationError, match="Only officers"):
        services.contributor_add(actor=cast.partner, strategy=cast.strategy, user=cast.councillor)
