"""Every change to the evidence base: items, contributors, the narrative, import jobs.

Each function is keyword-only, runs in one transaction, validates with full_clean(), writes its
AuditEvent beside the change, and raises ApplicationError with a message a person can act on.
"""

from __future__ import annotations

import io
from datetime import date, timedelta
from typing import Any

from django.core.files.uploadedfile import UploadedFile
from django.db import transaction
from django.db.models import Q
from django.utils import timezone

from core import claims
from core.audit import AuditVerb
from core.editing import refuse_if_stale, save_new_version, validate
from core.exceptions import ApplicationError
from core.models import Area, Membership, Role, Strategy, Theme, User
from core.queue import enqueue, enqueue_on_commit
from core.rules import strategy_roles
from core.selectors import last_editor_note
from core.services import audit_record

from .geography import strategy_area_ids
from .importers import LAYOUTS, ImportRejected, check_size, count_rows, import_stream, read_preview
from .models import EvidenceContributor, EvidenceItem, EvidenceNarrative, ImportJob, Sharing
from .rules import can_contribute, can_delete_item, can_edit_item, can_manage, visible_sharing
from .uploads import detect_file_type

ITEM_FIELDS = ("title", "kind", "summary", "publisher", "published_on", "link", "licence", "sharing", "quality_note")


# --- Evidence items ------------------------------------------------------------------------------


def evidence_item_create(
    *,
    actor: User,
    strategy: Strategy,
    data: dict[str, Any],
    themes: list[Theme],
    areas: list[Area],
    upload: UploadedFile | None = None,
) -> EvidenceItem:
    """Add an item to the strategy's library: a link or an uploaded file, exactly one."""
    if not can_contribute(actor, strategy):
        raise ApplicationError("Only officers, and partners they have invited, can add evidence to this strategy.")
    link = str(data.get("link") or "").strip()
    if link and upload is not None:
        raise ApplicationError("Give a link or upload a file, not both.", field="link")
    if not link and upload is None:
        raise ApplicationError("Give a link to the evidence, or upload a file.", field="link")
    _check_item_choices(actor=actor, strategy=strategy, sharing=data.get("sharing"), areas=areas)
    with transaction.atomic():
        item = EvidenceItem(strategy=strategy, added_by=actor, **{k: data.get(k) for k in ITEM_FIELDS})
        item.link = link
        item.quality_note = item.quality_note or ""
        if upload is not None:
            _attach_upload(item, upload)
        try:
            validate(item)
            item.save()
        except ApplicationError:
            if item.file:
                item.file.delete(save=False)
            raise
        item.themes.set(themes)
        item.areas.set(areas)
        audit_record(
            actor=actor,
            verb=AuditVerb.EVIDENCE_ITEM_CREATED,
            target=item,
            strategy=strategy,
            data={"sharing": item.sharing, "file_type": item.file_type},
        )
    return item


def _attach_upload(item: EvidenceItem, upload: UploadedFile) -> None:
    """Put an uploaded file on the item, its type judged by content (ADR 23); saved with the row."""
    name = upload.name or "evidence"
    size = upload.size or 0
    item.file_type = detect_file_type(name, size, upload.file)  # type: ignore[arg-type]
    item.file_name = name[-200:]
    item.file_size = size
    upload.seek(0)
    item.file.save(f"evidence.{item.file_type}", upload, save=False)


def _replace_file(item: EvidenceItem, *, upload: UploadedFile | None, link: str) -> None:
    """An edit keeps the item's file unless a new one is uploaded or a link given instead."""
    if upload is not None:
        _attach_upload(item, upload)
    elif link:
        item.file, item.file_type, item.file_name, item.file_size = "", "", "", 0
    elif not item.file:
        raise ApplicationError("Give a link to the evidence, or upload a file.", field="link")


def _check_item_choices(*, actor: User, strategy: Strategy, sharing: Any, areas: list[Area]) -> None:
    if sharing not in visible_sharing(actor, strategy):
        raise ApplicationError("Choose who can see the item: open or partners.", field="sharing")
    allowed_areas = set(strategy_area_ids(strategy))
    outside = [a for a in areas if a.pk not in allowed_areas]
    if outside:
        raise ApplicationError(
            f"{outside[0]} is not one of the strategy’s areas. Choose areas of {strategy}.", field="areas"
        )


ITEM_LABELS = {
    "title": "Title",
    "kind": "Kind of evidence",
    "summary": "Summary",
    "publisher": "Publisher",
    "published_on": "Date published",
    "link": "Link",
    "licence": "Licence",
    "sharing": "Who can see it",
    "quality_note": "Quality and confidence",
    "file": "File",
    "themes": "Foundations and grand challenges",
    "areas": "Areas it covers",
}


def _item_display(name: str, value: Any) -> str:
    if value is None or value == "" or value == []:
        return "(none)"
    if name == "kind":
        return str(EvidenceItem.Kind(value).label)
    if name == "sharing":
        return str(Sharing(value).label)
    if isinstance(value, date):
        return f"{value:%-d %B %Y}"
    if isinstance(value, list):
        return ", ".join(str(v) for v in value)
    return str(value)


def _item_state(item: EvidenceItem) -> dict[str, Any]:
    """The item's fields as a person sees them, for comparing versions and for the audit trail."""
    state: dict[str, Any] = {name: getattr(item, name) for name in ITEM_FIELDS}
    state["file"] = item.file_name if item.file else ""
    state["themes"] = sorted(str(t) for t in item.themes.all())
    state["areas"] = sorted(str(a) for a in item.areas.all())
    return state


def evidence_item_update(
    *,
    actor: User,
    item: EvidenceItem,
    data: dict[str, Any],
    themes: list[Theme],
    areas: list[Area],
    version: int,
    upload: UploadedFile | None = None,
) -> EvidenceItem:
    """Save an edit made on `version` of the item. If someone saved it since, refuse and say what
    they changed (StaleEditError), so the person can carry their edit over without losing either.

    The item keeps its file unless a new one is uploaded (which replaces it) or a link is given
    (which replaces the file); the file no longer used is deleted once the change is committed."""
    strategy = item.strategy
    if not can_edit_item(actor, item):
        raise ApplicationError("Only officers, and the invited partner who added it, can edit this item.")
    link = str(data.get("link") or "").strip()
    if link and upload is not None:
        raise ApplicationError("Give a link or upload a file, not both.", field="link")
    _check_item_choices(actor=actor, strategy=strategy, sharing=data.get("sharing"), areas=areas)
    with transaction.atomic():
        current = EvidenceItem.objects.select_for_update().select_related("strategy").get(pk=item.pk)
        before = _item_state(current)
        yours = {
            **{name: data.get(name) for name in ITEM_FIELDS},
            "link": link,
            "file": upload.name or "a new file" if upload is not None else before["file"],
            "themes": sorted(str(t) for t in themes),
            "areas": sorted(str(a) for a in areas),
        }
        refuse_if_stale(
            current,
            version=version,
            noun="item",
            saved=before,
            yours={name: yours[name] for name in ITEM_LABELS},
            label=ITEM_LABELS.__getitem__,
            display=_item_display,
        )
        old_file = current.file.name if current.file else ""
        for name in ITEM_FIELDS:
            if name != "link":
                setattr(current, name, data.get(name))
        current.quality_note = current.quality_note or ""
        current.link = link
        _replace_file(current, upload=upload, link=link)
        new_file = current.file.name if current.file else ""
        try:
            validate(current, exclude=["version"])
        except ApplicationError:
            if upload is not None and new_file:
                current.file.storage.delete(new_file)
            raise
        save_new_version(current)
        current.themes.set(themes)
        current.areas.set(areas)
        after = _item_state(current)
        changes = {
            name: [_item_display(name, before[name]), _item_display(name, after[name])]
            for name in ITEM_LABELS
            if before[name] != after[name]
        }
        if changes:
            audit_record(
                actor=actor,
                verb=AuditVerb.EVIDENCE_ITEM_UPDATED,
                target=current,
                strategy=strategy,
                data={"changes": changes},
            )
        if old_file and old_file != new_file:
            storage = current.file.storage
            transaction.on_commit(lambda: storage.delete(old_file))
    return current


def evidence_item_delete(*, actor: User, item: EvidenceItem, version: int | None = None) -> None:
    """Remove an item (officers). With `version`, refuse if someone saved the item after the person
    opened the confirmation, so nobody removes what they have not seen."""
    if not can_delete_item(actor, item):
        raise ApplicationError("Only officers can remove evidence items.")
    with transaction.atomic():
        current = EvidenceItem.objects.select_for_update().select_related("strategy").filter(pk=item.pk).first()
        if current is None:
            raise ApplicationError("This item has already been removed.")
        if version is not None and current.version != version:
            by = last_editor_note(app_label="evidence", model="evidenceitem", pk=current.pk)
            raise ApplicationError(
                f"Someone else saved this item{by} after you opened it. Check what it says "
                "now, then remove it if you still mean to."
            )
        audit_record(
            actor=actor,
            verb=AuditVerb.EVIDENCE_ITEM_DELETED,
            target=current,
            strategy=current.strategy,
            data={"title": current.title, "sharing": current.sharing},
        )
        file = current.file.name
        storage = current.file.storage
        current.delete()
        if file:
            transaction.on_commit(lambda: storage.delete(file))


# --- Contributors --------------------------------------------------------------------------------


def contributor_add(*, actor: User, strategy: Strategy, user: User) -> EvidenceContributor:
    """Invite a person taking part (not an officer) to add evidence to the strategy's library."""
    if not can_manage(actor, strategy):
        raise ApplicationError("Only officers can invite partners to add evidence.")
    roles = strategy_roles(user, strategy)
    if not roles:
        raise ApplicationError(f"{user} does not take part in {strategy}. Choose someone who does.", field="user")
    if Role.OFFICER in roles:
        raise ApplicationError(f"{user} is an officer and can add evidence already.", field="user")
    with transaction.atomic():
        contributor, created = EvidenceContributor.objects.get_or_create(
            strategy=strategy, user=user, defaults={"invited_by": actor}
        )
        if not created:
            raise ApplicationError(f"{user} can already add evidence.", field="user")
        audit_record(actor=actor, verb=AuditVerb.EVIDENCE_CONTRIBUTOR_ADDED, target=contributor, strategy=strategy)
    return contributor


def contributor_remove(*, actor: User, strategy: Strategy, contributor_id: int) -> None:
    if not can_manage(actor, strategy):
        raise ApplicationError("Only officers can change who adds evidence.")
    with transaction.atomic():
        contributor = EvidenceContributor.objects.filter(pk=contributor_id, strategy=strategy).first()
        if contributor is None:
            raise ApplicationError("That person cannot add evidence now; there is nothing to remove.")
        audit_record(actor=actor, verb=AuditVerb.EVIDENCE_CONTRIBUTOR_REMOVED, target=contributor, strategy=strategy)
        contributor.delete()


def contributor_candidates(strategy: Strategy) -> Any:
    """People taking part through a partner organisation (not officers), not yet invited."""
    organisations = [strategy.lead_id, *strategy.partners.values_list("pk", flat=True)]
    members = Membership.objects.filter(organisation_id__in=organisations).exclude(role=Role.OFFICER)
    invited = EvidenceContributor.objects.filter(strategy=strategy).values("user_id")
    return (
        User.objects.filter(is_active=True, pk__in=members.values("user_id"))
        .exclude(pk__in=invited)
        .exclude(Q(memberships__organisation_id=strategy.lead_id, memberships__role=Role.OFFICER))
        .distinct()
        .order_by("name")
    )


# --- The narrative -------------------------------------------------------------------------------


def narrative_save(
    *, actor: User, strategy: Strategy, theme: Theme, strengths: str, challenges: str, opportunities: str
) -> EvidenceNarrative:
    """Write the evidence narrative for one foundation of productivity."""
    if not can_manage(actor, strategy):
        raise ApplicationError("Only officers can write the evidence narrative.")
    if theme.kind != Theme.Kind.FOUNDATION:
        raise ApplicationError("The narrative is written per foundation of productivity. Choose a foundation.")
    with transaction.atomic():
        narrative = EvidenceNarrative.objects.select_for_update().filter(strategy=strategy, theme=theme).first()
        if narrative is None:
            narrative = EvidenceNarrative(strategy=strategy, theme=theme)
        narrative.strengths = strengths.strip()
        narrative.challenges = challenges.strip()
        narrative.opportunities = opportunities.strip()
        narrative.updated_by = actor
        validate(narrative)
        narrative.save()
        audit_record(
            actor=actor,
            verb=AuditVerb.EVIDENCE_NARRATIVE_SAVED,
            target=narrative,
            strategy=strategy,
            data={"theme": theme.slug},
        )
    return narrative


# --- Import jobs ---------------------------------------------------------------------------------


def import_job_create(
    *, actor: User, strategy: Strategy, upload: UploadedFile, layout: str, skip_unknown_areas: bool
) -> ImportJob:
    """Store an uploaded CSV file and its preview; the officer starts the import after checking it."""
    if not can_manage(actor, strategy):
        raise ApplicationError("Only officers can import indicator data.")
    if layout not in LAYOUTS:
        raise ApplicationError("Choose the layout of the file.", field="layout")
    name = upload.name or "import.csv"
    if not name.lower().endswith(".csv"):
        raise ApplicationError(f"“{name}” is not a CSV file. Upload a .csv file.", field="file")
    try:
        check_size(upload.size or 0)
        upload.seek(0)
        preview = read_preview(upload.file, layout)  # type: ignore[arg-type]
        upload.seek(0)
        total = count_rows(upload.file)  # type: ignore[arg-type]
        upload.seek(0)
    except ImportRejected as error:
        raise ApplicationError(error.message, field="file") from error
    except UnicodeDecodeError as error:
        raise ApplicationError(
            f"“{name}” is not UTF-8 text. Save it as “CSV UTF-8 (comma delimited)” and upload it again.", field="file"
        ) from error
    with transaction.atomic():
        job = ImportJob(
            strategy=strategy,
            layout=layout,
            file_name=name[-200:],
            skip_unknown_areas=skip_unknown_areas,
            created_by=actor,
            rows_total=total,
            preview=preview,
        )
        job.file.save("import.csv", upload, save=False)
        job.save()
        audit_record(
            actor=actor, verb=AuditVerb.IMPORT_JOB_UPLOADED, target=job, strategy=strategy, data={"layout": layout}
        )
    return job


def import_job_start(*, actor: User, job: ImportJob) -> ImportJob:
    """Queue a previewed import; a worker runs it once this transaction commits."""
    from .tasks import import_run

    if job.strategy is None or not can_manage(actor, job.strategy):
        raise ApplicationError("Only officers can start an import.")
    with transaction.atomic():
        started = ImportJob.objects.filter(pk=job.pk, status=ImportJob.Status.PENDING).update(
            status=ImportJob.Status.QUEUED, queued_at=timezone.now()
        )
        if not started:
            raise ApplicationError("This import has already been started.")
        job.refresh_from_db()
        audit_record(actor=actor, verb=AuditVerb.IMPORT_JOB_STARTED, target=job, strategy=job.strategy)
        enqueue_on_commit(import_run, job.pk)
    return job


IMPORT_JOB = claims.Job(
    model=ImportJob,
    waiting=ImportJob.Status.QUEUED,
    working=ImportJob.Status.RUNNING,
    failed=ImportJob.Status.FAILED,
    error_field="last_error",
    queued_field="queued_at",
    gave_up="Gave up after three attempts: the import stopped without finishing each time.",
    max_attempts=ImportJob.MAX_ATTEMPTS,
    finished_field="finished_at",
    on_claim={"rows_done": 0},
)


def import_job_run(*, job_id: int) -> str:
    """Claim a queued job (core.claims: so two workers never both run it, and a stopped worker's job
    is taken over), import the file, and record the outcome on the row. Rejected rows fail the job at
    once (a re-run would reject them again); any other error leaves it queued for a retry until
    MAX_ATTEMPTS claims. An attempt that lost its claim stops at its next progress report; the
    import itself is one transaction and idempotent, so only the holder records the outcome."""
    from .tasks import import_run

    claim = claims.claim(IMPORT_JOB, job_id)
    if isinstance(claim, claims.Held):
        claims.retry_when_free(import_run, job_id, claim)
        return "held"
    if claim is None:
        return "skipped"
    job = ImportJob.objects.get(pk=job_id)

    def progress(done: int, total: int) -> None:
        claim.check()
        ImportJob.objects.filter(pk=job_id, claim_token=claim.token).update(rows_done=min(done, job.rows_total or done))

    try:
        with claim.heartbeat():
            with job.file.open("rb") as handle:
                raw = io.BytesIO(handle.read())
            result = import_stream(
                raw, layout=job.layout, skip_unknown_areas=job.skip_unknown_areas, size=job.file.size, progress=progress
            )
    except claims.ClaimLost:
        return "lost"
    except ImportRejected as error:
        if claim.finish(
            status=ImportJob.Status.FAILED, errors=error.errors, last_error=error.message, finished_at=timezone.now()
        ):
            _audit_job(job, AuditVerb.IMPORT_JOB_REJECTED, {"rejected_rows": len({e["row"] for e in error.errors})})
        return "rejected"
    except Exception as error:
        if _import_failed(job, claim, error):
            return "failed"
        raise
    if not claim.finish(
        status=ImportJob.Status.DONE,
        rows_done=result.rows,
        rows_total=result.rows,
        result=result.as_dict(),
        errors=[],
        last_error="",
        finished_at=timezone.now(),
    ):
        return "lost"
    _audit_job(job, AuditVerb.IMPORT_JOB_DONE, {k: v for k, v in result.as_dict().items() if isinstance(v, int)})
    return "done"


def _import_failed(job: ImportJob, claim: claims.Claim, error: Exception) -> bool:
    """Record an attempt's error: the job failed (True) after its last attempt, else queued again for
    the task's retry (False)."""
    final = claim.attempt >= ImportJob.MAX_ATTEMPTS
    finished = claim.finish(
        status=ImportJob.Status.FAILED if final else ImportJob.Status.QUEUED,
        last_error=f"{type(error).__name__}: {error}"[:2000],
        finished_at=timezone.now() if final else None,
    )
    if final and finished:
        _audit_job(job, AuditVerb.IMPORT_JOB_FAILED, {"error": type(error).__name__})
    return final


def _audit_job(job: ImportJob, verb: AuditVerb, data: dict[str, Any]) -> None:
    with transaction.atomic():
        audit_record(actor=job.created_by, verb=verb, target=job, strategy=job.strategy, data=data)


def import_job_requeue_stale(*, older_than: timedelta) -> int:
    """Queue again the imports nobody is running: queued longer than `older_than` (a message lost),
    or held by a worker that stopped (core.claims.sweep). Those that have used their attempts are
    failed, so a job that kills its worker cannot loop for ever."""
    from .tasks import import_run

    return claims.sweep(IMPORT_JOB, queued_before=older_than, enqueue=lambda pk: enqueue(import_run, pk))


__all__ = [
    "Sharing",
    "contributor_add",
    "contributor_candidates",
    "contributor_remove",
    "evidence_item_create",
    "evidence_item_delete",
    "evidence_item_update",
    "import_job_create",
    "import_job_requeue_stale",
    "import_job_run",
    "import_job_start",
    "narrative_save",
]
