"""What a consultation consults on, set up for tests: a strategy's draft with a saved version, a
partners' and a public consultation each consulting on it, on a proposition and on an uploaded PDF."""

from __future__ import annotations

from dataclasses import dataclass

from django.core.files.uploadedfile import SimpleUploadedFile

from core.models import Strategy, User
from documents import services as documents_services
from documents.models import DraftVersion
from engagement import services
from engagement.models import Consultation, ConsultationDocument, Proposition
from tests.engagement.conftest import make_consultation, make_priority, make_setting

PDF = b"%PDF-1.4\n1 0 obj << /Type /Catalog >> endobj\ntrailer << /Root 1 0 R >>\n%%EOF\n"


def pdf_upload(name: str = "evidence-summary.pdf", content: bytes = PDF) -> SimpleUploadedFile:
    return SimpleUploadedFile(name, content, content_type="application/pdf")


@dataclass
class Consulted:
    strategy: Strategy
    officer: User
    partners: Consultation
    public: Consultation
    version: DraftVersion
    proposition: Proposition
    partners_document: ConsultationDocument
    public_document: ConsultationDocument


def make_consulted(strategy: Strategy, *, code: int) -> Consulted:
    setting = make_setting(strategy, code=code)
    officer = User.objects.get(email=f"officer@{strategy.slug}.example")
    councillor = User.objects.get(email=f"councillor@{strategy.slug}.example")
    draft = documents_services.draft_create(actor=officer, strategy=strategy)
    section = draft.sections.order_by("order").first()
    assert section is not None
    type(section).objects.filter(pk=section.pk).update(body="# Our ambition\n\nA **productive** economy.")
    version = documents_services.draft_version_save(actor=officer, draft=draft, note="For consultation")
    proposition = services.proposition_create(
        actor=officer,
        strategy=strategy,
        data=services.PropositionData(
            title="A skills guarantee",
            description="Every adult a route to a level 3 skill.",
            priorities=[make_priority(setting, councillor)],
        ),
    )
    documents = {}
    consultations = {}
    for audience in ("partners", "public"):
        consultation = make_consultation(setting, audience=audience, title=f"Consultation for {audience}")
        documents_services.consultation_version_set(actor=officer, consultation=consultation, version=version)
        services.consultation_propositions_set(
            actor=officer, consultation=consultation, propositions=[proposition], version=consultation.version
        )
        documents[audience] = services.consultation_document_add(
            actor=officer, consultation=consultation, title=f"Evidence summary for {audience}", upload=pdf_upload()
        )
        consultations[audience] = consultation
    return Consulted(
        strategy=strategy,
        officer=officer,
        partners=consultations["partners"],
        public=consultations["public"],
        version=version,
        proposition=proposition,
        partners_document=documents["partners"],
        public_document=documents["public"],
    )
