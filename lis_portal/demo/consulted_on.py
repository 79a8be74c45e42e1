"""What the drafting phase's consultations consult on (content/draft.toml `[[consulted]]`): the
draft version, the propositions and a one-page document each links, set through engagement's and
documents' services on the consultation's first day, or once the version is saved. A consultation
that already links something is left as it is."""

from __future__ import annotations

from datetime import date, time

from django.core.files.uploadedfile import SimpleUploadedFile
from django.utils import timezone

from core.exceptions import ApplicationError
from core.models import Strategy, User
from documents.consulted import consulted_version
from documents.models import DraftVersion
from documents.services import consultation_version_set
from engagement.models import Consultation, Proposition
from engagement.services import consultation_document_add, consultation_propositions_set

from .content import Content, Entry
from .drafting import note_pdf
from .records import Replay
from .strategies import strategy_named


def load_consulted_on(content: Content, *, strategies: dict[str, Strategy], officer: User, replay: Replay) -> int:
    file = content.file(
        "draft.toml",
        required=["strategy"],
        optional=["marker", "created_on", "version", "section", "meeting", "review", "consulted"],
    )
    strategy = strategy_named(file, strategies)
    linked = 0
    for entry in file.entries(
        "consulted", name="consultation", required=["consultation"], optional=["version", "propositions", "document"]
    ):
        consultation = Consultation.objects.filter(strategy=strategy, title=entry.text("consultation")).first()
        if consultation is None:
            raise entry.error("“consultation” is not a consultation of engagement.toml.")
        if _links_anything(consultation):
            continue
        # On the consultation's first day, or once the version it links is saved, whichever is later.
        day = max([timezone.localtime(consultation.opens_at).date(), *_version_days(entry, strategy)])
        try:
            with replay.living(day - replay.shift, time(17)):
                _link(entry, strategy, consultation, officer)
        except ApplicationError as error:
            raise entry.error(f"the service refused to link what it consults on: {error}") from error
        linked += 1
    return linked


def _version_days(entry: Entry, strategy: Strategy) -> list[date]:
    if "version" not in entry.data:
        return []
    saved = DraftVersion.objects.filter(draft__strategy=strategy, number=entry.data["version"]).values_list(
        "created_at", flat=True
    )
    return [timezone.localtime(moment).date() for moment in saved]


def _links_anything(consultation: Consultation) -> bool:
    return (
        consulted_version(consultation=consultation) is not None
        or consultation.propositions.exists()
        or consultation.documents.exists()
    )


def _link(entry: Entry, strategy: Strategy, consultation: Consultation, officer: User) -> None:
    if "version" in entry.data:
        version = DraftVersion.objects.filter(draft__strategy=strategy, number=entry.data["version"]).first()
        if version is None:
            raise entry.error("“version” is not a version of the draft (draft.toml [[version]]).")
        consultation_version_set(actor=officer, consultation=consultation, version=version)
    titles = entry.texts("propositions", ())
    if titles:
        propositions = list(Proposition.objects.filter(strategy=strategy, title__in=titles))
        if len(propositions) != len(set(titles)):
            missing = sorted(set(titles) - {p.title for p in propositions})
            raise entry.error(f"“propositions” names “{missing[0]}”, which is not a proposition of priorities.toml.")
        current = Consultation.objects.get(pk=consultation.pk)
        consultation_propositions_set(
            actor=officer, consultation=current, propositions=propositions, version=current.version
        )
    if "document" in entry.data:
        document = entry.table("document", required=["title", "text"])
        pdf = note_pdf(document.text("title"), document.text("text"))
        consultation_document_add(
            actor=officer,
            consultation=consultation,
            title=document.text("title"),
            upload=SimpleUploadedFile("consulted-on.pdf", pdf, "application/pdf"),
        )
