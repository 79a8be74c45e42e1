"""What a consultation consults on: the services that link the draft version, the propositions and
uploaded PDFs (refusals a person can act on, one audit sentence each), and the pages that list
them under "What we are consulting on" for each kind of reader."""

from __future__ import annotations

from pathlib import Path

import pytest
from django.urls import reverse

from core.exceptions import ApplicationError, StaleEditError
from core.models import AuditEvent, Organisation
from documents import services as documents_services
from documents.models import ConsultedVersion
from engagement import services
from engagement.models import ConsultationDocument, Proposition
from tests.conftest import Cast
from tests.engagement.conftest import make_consultation, make_setting
from tests.engagement.consulted_helpers import PDF, Consulted, make_consulted, pdf_upload


@pytest.fixture(autouse=True)
def media(settings, tmp_path: Path) -> Path:
    settings.MEDIA_ROOT = tmp_path
    return tmp_path


@pytest.fixture
def made(cast: Cast) -> Consulted:
    return make_consulted(cast.strategy, code=100)


def _sentences(consultation) -> list[str]:
    return [e.sentence for e in AuditEvent.objects.filter(target_id=str(consultation.pk)).order_by("pk")]


def _url(name: str, strategy, pk: int) -> str:
    return reverse(name, kwargs={"strategy_slug": strategy.slug, "pk": pk})


# Services ----------------------------------------------------------------------------------------


@pytest.mark.django_db
def test_linking_is_audited_in_sentences(made: Consulted) -> None:
    sentences = " | ".join(_sentences(made.partners))
    assert "Draft consulted on set to version 1 by" in sentences
    assert "Propositions consulted on changed by Kent Officer: added A skills guarantee; removed none" in sentences
    assert "Document “Evidence summary for partners” (evidence-summary.pdf) added by Kent Officer" in sentences


@pytest.mark.django_db
def test_propositions_are_an_edit_on_the_consultations_version(made: Consulted) -> None:
    consultation = made.partners
    consultation.refresh_from_db()
    stale = consultation.version - 1
    with pytest.raises(StaleEditError) as refused:
        services.consultation_propositions_set(
            actor=made.officer, consultation=consultation, propositions=[], version=stale
        )
    assert refused.value.conflicts[0].theirs == "A skills guarantee"
    assert refused.value.conflicts[0].yours == "(none)"
    assert list(consultation.propositions.all()) == [made.proposition]
    services.consultation_propositions_set(
        actor=made.officer, consultation=consultation, propositions=[], version=consultation.version
    )
    assert not consultation.propositions.exists()
    assert "added none; removed A skills guarantee" in _sentences(consultation)[-1]


@pytest.mark.django_db
def test_propositions_of_another_strategy_or_dropped_are_refused(cast: Cast, made: Consulted) -> None:
    other = make_consulted(cast.other_strategy, code=200)
    consultation = made.public
    consultation.refresh_from_db()
    with pytest.raises(ApplicationError, match="Choose propositions of this strategy"):
        services.consultation_propositions_set(
            actor=made.officer,
            consultation=consultation,
            propositions=[other.proposition],
            version=consultation.version,
        )
    dropped = Proposition.objects.create(strategy=cast.strategy, title="Old idea", description="x", status="dropped")
    with pytest.raises(ApplicationError, match="“Old idea” has been dropped"):
        services.consultation_propositions_set(
            actor=made.officer, consultation=consultation, propositions=[dropped], version=consultation.version
        )


@pytest.mark.django_db
@pytest.mark.parametrize(
    ("name", "content", "message"),
    [
        ("notes.docx", PDF, "is not a PDF. Upload the document as a PDF"),
        ("fake.pdf", b"<html>not a pdf</html>", "its content is not a PDF"),
        ("empty.pdf", b"", "is empty"),
        ("huge.pdf", b"%PDF-1.4\n" + b"0" * (25 * 1024 * 1024), "must be 25 MB or smaller"),
    ],
)
def test_an_upload_must_be_a_pdf_within_the_limit(made: Consulted, name: str, content: bytes, message: str) -> None:
    with pytest.raises(ApplicationError, match=message) as refused:
        services.consultation_document_add(
            actor=made.officer, consultation=made.partners, title="Summary", upload=pdf_upload(name, content)
        )
    assert refused.value.field == "file"
    assert made.partners.documents.count() == 1


@pytest.mark.django_db
def test_an_upload_needs_a_title(made: Consulted) -> None:
    with pytest.raises(ApplicationError, match="Enter the title of the document"):
        services.consultation_document_add(
            actor=made.officer, consultation=made.partners, title="   ", upload=pdf_upload()
        )


@pytest.mark.django_db
def test_removing_a_document_deletes_its_file_once_committed(
    made: Consulted, media: Path, django_capture_on_commit_callbacks
) -> None:
    document = made.partners_document
    path = Path(document.file.path)
    assert path.read_bytes() == PDF
    with django_capture_on_commit_callbacks(execute=True):
        services.consultation_document_remove(actor=made.officer, document=document)
    assert not ConsultationDocument.objects.filter(pk=document.pk).exists()
    assert not path.exists()
    assert "Document “Evidence summary for partners” removed by Kent Officer" in _sentences(made.partners)[-1]


@pytest.mark.django_db
def test_the_draft_version_is_one_of_the_strategys_and_may_be_unlinked(cast: Cast, made: Consulted) -> None:
    other = make_consulted(cast.other_strategy, code=200)
    with pytest.raises(ApplicationError, match="Choose a version of this strategy’s draft"):
        documents_services.consultation_version_set(
            actor=made.officer, consultation=made.partners, version=other.version
        )
    assert ConsultedVersion.objects.get(consultation=made.partners).version == made.version
    documents_services.consultation_version_set(actor=made.officer, consultation=made.partners, version=None)
    assert not ConsultedVersion.objects.filter(consultation=made.partners).exists()
    assert "Draft version 1 no longer consulted on, unlinked by Kent Officer" in _sentences(made.partners)[-1]


# Pages -------------------------------------------------------------------------------------------


@pytest.mark.django_db
def test_a_partner_reads_what_is_consulted_on(client, cast: Cast, made: Consulted) -> None:
    client.force_login(cast.partner)
    page = client.get(made.partners.get_absolute_url()).content.decode()
    assert "What we are consulting on" in page
    assert _url("documents:consulted-draft", cast.strategy, made.partners.pk) in page
    # The draft's title says "draft" already: "…Strategy: draft, version 1", not "…: draft: draft version 1".
    assert "Kent Local Industrial Strategy: draft, version 1" in page and "draft: draft version" not in page
    assert "For consultation. Saved on" in page
    # Propositions have no page but the officers': a partner reads the title and description.
    assert "Proposition: A skills guarantee" in page and "Every adult a route" in page
    assert _url("engagement:proposition-detail", cast.strategy, made.proposition.pk) not in page
    assert _url("engagement:consultation-document", cast.strategy, made.partners_document.pk) in page
    assert "Documents consulted on" not in page  # the officer's section


@pytest.mark.django_db
def test_the_signed_in_response_page_lists_them(client, cast: Cast, made: Consulted) -> None:
    university = Organisation.objects.get(slug=f"{cast.strategy.slug}-university")
    response = services.response_start(actor=cast.partner, consultation=made.partners, organisation=university)
    client.force_login(cast.partner)
    page = client.get(_url("engagement:response-edit", cast.strategy, response.pk)).content.decode()
    assert '<h2 class="govuk-heading-m">What we are consulting on' in page
    assert "Evidence summary for partners" in page and "Proposition: A skills guarantee" in page


@pytest.mark.django_db
def test_the_public_response_form_lists_them_for_anyone(client, cast: Cast, made: Consulted) -> None:
    page = client.get(_url("engagement:public-response-create", cast.strategy, made.public.pk)).content.decode()
    assert "What we are consulting on" in page
    assert _url("documents:consulted-draft", cast.strategy, made.public.pk) in page
    assert _url("engagement:consultation-document", cast.strategy, made.public_document.pk) in page
    draft = client.get(_url("documents:consulted-draft", cast.strategy, made.public.pk)).content.decode()
    assert '<h1 class="govuk-heading-l">Kent Local Industrial Strategy: draft, version 1</h1>' in draft
    assert "<strong>productive</strong>" in draft and "For consultation. Saved on" in draft
    assert _url("engagement:public-response-create", cast.strategy, made.public.pk) in draft  # back link


@pytest.mark.django_db
def test_the_draft_page_sanitises_the_text(client, cast: Cast, made: Consulted) -> None:
    from documents.models import DraftVersion

    DraftVersion.objects.filter(pk=made.version.pk).update(
        sections=[{"title": "<b>Bold</b> title", "body": "<script>alert(1)</script>\n\nFine text."}]
    )
    page = client.get(_url("documents:consulted-draft", cast.strategy, made.public.pk)).content.decode()
    assert "<script>alert(1)" not in page and "&lt;b&gt;Bold&lt;/b&gt; title" in page and "Fine text." in page


@pytest.mark.django_db
def test_the_document_downloads_as_an_attachment(client, cast: Cast, made: Consulted) -> None:
    response = client.get(_url("engagement:consultation-document", cast.strategy, made.public_document.pk))
    assert response.status_code == 200
    assert b"".join(response.streaming_content) == PDF
    assert response["Content-Disposition"] == 'attachment; filename="evidence-summary.pdf"'
    assert response["Content-Type"] == "application/pdf"
    assert response["X-Content-Type-Options"] == "nosniff"
    assert response["Cache-Control"] == "public, max-age=300"
    client.force_login(cast.partner)
    private = client.get(_url("engagement:consultation-document", cast.strategy, made.partners_document.pk))
    assert private["Cache-Control"] == "private, no-store"


@pytest.mark.django_db
def test_the_officer_manages_what_is_consulted_on(client, cast: Cast, made: Consulted) -> None:
    client.force_login(cast.officer)
    page = client.get(made.partners.get_absolute_url()).content.decode()
    assert "Documents consulted on" in page
    assert _url("documents:consulted-draft-set", cast.strategy, made.partners.pk) in page
    assert _url("engagement:consultation-document-remove", cast.strategy, made.partners_document.pk) in page
    assert _url("engagement:proposition-detail", cast.strategy, made.proposition.pk) in page  # officers: a link

    # Upload: a refusal is shown on the form, with the title kept; a PDF is saved.
    add = _url("engagement:consultation-document-add", cast.strategy, made.partners.pk)
    refused = client.post(add, {"title": "Plan", "file": pdf_upload("plan.txt", b"text")})
    assert refused.status_code == 200
    assert "“plan.txt” is not a PDF" in refused.content.decode() and 'value="Plan"' in refused.content.decode()
    saved = client.post(add, {"title": "Plan", "file": pdf_upload("plan.pdf")})
    assert saved.status_code == 302 and made.partners.documents.filter(title="Plan").exists()

    # Propositions: none chosen, through the one edit mechanism.
    made.partners.refresh_from_db()
    choose = _url("engagement:consultation-propositions", cast.strategy, made.partners.pk)
    assert "A skills guarantee (emerging)" in client.get(choose).content.decode()
    stale = client.post(choose, {"version": made.partners.version - 1})
    assert "Someone else saved this consultation" in stale.content.decode()
    assert client.post(choose, {"version": made.partners.version}).status_code == 302
    assert not made.partners.propositions.exists()

    # The draft version: none, then version 1 again.
    draft_set = _url("documents:consulted-draft-set", cast.strategy, made.partners.pk)
    assert "published, read-only, to everyone the consultation is for" in client.get(draft_set).content.decode()
    assert client.post(draft_set, {"version": ""}).status_code == 302
    assert not ConsultedVersion.objects.filter(consultation=made.partners).exists()
    assert client.post(draft_set, {"version": made.version.pk}).status_code == 302
    assert ConsultedVersion.objects.get(consultation=made.partners).version == made.version


@pytest.mark.django_db
def test_without_a_draft_the_officer_is_told_to_start_one(client, cast: Cast) -> None:
    consultation = make_consultation(make_setting(cast.strategy, code=100))
    client.force_login(cast.officer)
    page = client.get(_url("documents:consulted-draft-set", cast.strategy, consultation.pk)).content.decode()
    assert "The strategy has no draft yet" in page
    assert client.get(_url("documents:consulted-draft", cast.strategy, consultation.pk)).status_code == 404
    detail = client.get(consultation.get_absolute_url()).content.decode()
    assert '<h2 class="govuk-heading-m">What we are consulting on' not in detail  # nothing linked, no section
