"""A person's data across the apps: everything they contributed, for download (JSON, CSV), and
an administrator's erasure of the person (docs/personal-data.md says what goes and what stays).

It lives in the project package because it reads every app; no app imports it (docs/design.md)."""

from __future__ import annotations

import json
from dataclasses import dataclass
from datetime import date
from decimal import Decimal
from typing import Any

from axes.models import AccessAttempt, AccessLog
from django.contrib.contenttypes.models import ContentType
from django.core.serializers.json import DjangoJSONEncoder
from django.db import transaction
from django.db.models import Q, QuerySet

from core.audit import AuditVerb
from core.exceptions import ApplicationError
from core.models import AuditEvent, Invitation, Membership, User
from core.services import audit_record
from core.spreadsheets import csv_lines
from documents.models import ReviewComment
from engagement.models import ConsultationResponse, Priority, PublicCredit, Question, Subscription
from evidence.models import EvidenceContributor, EvidenceItem
from timeline.models import BoardMembership, CalendarFeed, InterestEntry


def is_erased(person: User) -> bool:
    return User.is_erased_email(person.email)


# Export -------------------------------------------------------------------------------------------------


def _priorities(person: User) -> QuerySet[Priority]:
    return Priority.objects.filter(author=person).select_related("call__strategy", "organisation").order_by("pk")


def _responses(person: User) -> QuerySet[ConsultationResponse]:
    return (
        ConsultationResponse.objects.filter(
            Q(started_by=person)
            | Q(last_saved_by=person)
            | Q(submitted_by=person)
            | Q(organisation__isnull=True, respondent_email__iexact=person.email)
        )
        .select_related("consultation__strategy", "organisation")
        .order_by("pk")
    )


def _comments(person: User) -> QuerySet[ReviewComment]:
    return (
        ReviewComment.objects.filter(author=person).select_related("window__draft__strategy", "section").order_by("pk")
    )


def _evidence(person: User) -> QuerySet[EvidenceItem]:
    return EvidenceItem.objects.filter(added_by=person).select_related("strategy").order_by("pk")


def _subscriptions(person: User) -> QuerySet[Subscription]:
    return Subscription.objects.filter(email__iexact=person.email).select_related("strategy").order_by("pk")


def _interests(person: User) -> QuerySet[InterestEntry]:
    return (
        InterestEntry.objects.filter(register__user=person)
        .select_related("register__strategy")
        .order_by("register__strategy__name", "category", "starts_on", "pk")
    )


def personal_data_collect(*, person: User) -> dict[str, Any]:
    """Everything `person` contributed, as plain data: the same queries whatever the number of rows."""
    responses = list(_responses(person))
    question_ids = {int(key) for r in responses for key in r.answers if str(key).isdigit()}
    questions = {q.pk: q for q in Question.objects.filter(pk__in=question_ids)}

    def answers(response: ConsultationResponse) -> list[dict[str, str]]:
        rows = []
        for key, value in response.answers.items():
            question = questions.get(int(key)) if str(key).isdigit() else None
            rows.append(
                {
                    "question": question.text if question else str(key),
                    "answer": question.answer_display(value) if question else str(value),
                }
            )
        return rows

    return {
        "person": {
            "name": person.name,
            "email": person.email,
            "date_joined": person.date_joined,
            "last_login": person.last_login,
        },
        "memberships": [
            {"organisation": m.organisation.name, "role": m.get_role_display(), "since": m.created_at}
            for m in Membership.objects.filter(user=person).select_related("organisation").order_by("pk")
        ],
        "priorities": [
            {
                "id": p.pk,
                "strategy": p.call.strategy.name,
                "call": p.call.title,
                "organisation": p.organisation.name,
                "title": p.title,
                "summary": p.summary,
                "why_it_matters": p.why_it_matters,
                "evidence_links": p.evidence_links,
                "scale": p.get_scale_display() if p.scale else "",
                "status": p.get_status_display(),
                "created_at": p.created_at,
                "submitted_at": p.submitted_at,
                "withdrawn_at": p.withdrawn_at,
            }
            for p in _priorities(person)
        ],
        "consultation_responses": [
            {
                "id": r.pk,
                "strategy": r.consultation.strategy.name,
                "consultation": r.consultation.title,
                "organisation": r.organisation.name if r.organisation else "",
                "as_member_of_the_public": r.organisation_id is None,
                "your_part": [
                    part
                    for part, who in (
                        ("started", r.started_by_id),
                        ("last saved", r.last_saved_by_id),
                        ("submitted", r.submitted_by_id),
                    )
                    if who == person.pk
                ],
                "status": r.get_status_display(),
                "answers": answers(r),
                "created_at": r.created_at,
                "submitted_at": r.submitted_at,
            }
            for r in responses
        ],
        "review_comments": [
            {
                "id": c.pk,
                "strategy": c.window.draft.strategy.name,
                "section": c.section.title,
                "is_reply": c.parent_id is not None,
                "body": c.body,
                "created_at": c.created_at,
            }
            for c in _comments(person)
        ],
        "evidence_items": [
            {
                "id": e.pk,
                "strategy": e.strategy.name,
                "title": e.title,
                "kind": e.get_kind_display(),
                "summary": e.summary,
                "publisher": e.publisher,
                "link": e.link,
                "file_name": e.file_name,
                "created_at": e.created_at,
            }
            for e in _evidence(person)
        ],
        "subscriptions": [
            {
                "strategy": s.strategy.name,
                "email": s.email,
                "status": s.get_status_display(),
                "created_at": s.created_at,
                "confirmed_at": s.confirmed_at,
                "unsubscribed_at": s.unsubscribed_at,
            }
            for s in _subscriptions(person)
        ],
        "interests": [
            {
                "id": i.pk,
                "strategy": i.register.strategy.name,
                "category": i.get_category_display(),
                "description": i.description,
                "organisation": i.organisation,
                "starts_on": i.starts_on,
                "ends_on": i.ends_on,
                "gift_value": i.gift_value,
                "registered_on": i.registered_on,
                "register_last_confirmed_on": i.register.reviewed_on,
            }
            for i in _interests(person)
        ],
    }


def personal_data_json(*, person: User) -> str:
    return json.dumps(personal_data_collect(person=person), cls=DjangoJSONEncoder, indent=2, ensure_ascii=False)


CSV_COLUMNS = ["kind", "id", "strategy", "title", "organisation", "status", "created_at", "submitted_at", "text"]


def _text(value: Any) -> str:
    if isinstance(value, list):
        return "; ".join(_text(v) for v in value)
    if isinstance(value, dict):
        return ": ".join(_text(v) for v in value.values())
    return "" if value is None else str(value)


def _cell(value: Any) -> Any:
    """Dates, moments and numbers as they are (core.spreadsheets formats them), lists and dicts as text."""
    return value if isinstance(value, date | int | float | Decimal) or value is None else _text(value)


def personal_data_csv(*, person: User) -> str:
    """One CSV, a row per thing contributed, its `kind` in the first column: one file opens in any
    spreadsheet (a zip of CSVs would need unpacking); the JSON keeps the full structure."""
    data = personal_data_collect(person=person)
    rows: list[dict[str, Any]] = [
        {
            "kind": "person",
            "title": data["person"]["name"],
            "text": data["person"]["email"],
            "created_at": data["person"]["date_joined"],
        },
    ]
    rows += [
        {"kind": "membership", "organisation": m["organisation"], "status": m["role"], "created_at": m["since"]}
        for m in data["memberships"]
    ]
    rows += [
        {
            **{k: p[k] for k in ("id", "strategy", "title", "organisation", "status", "created_at", "submitted_at")},
            "kind": "priority",
            "text": f"{p['summary']}\n\nWhy it matters: {p['why_it_matters']}".strip(),
        }
        for p in data["priorities"]
    ]
    rows += [
        {
            **{k: r[k] for k in ("id", "strategy", "organisation", "status", "created_at", "submitted_at")},
            "kind": "consultation_response",
            "title": r["consultation"],
            "text": "\n".join(f"{a['question']}: {a['answer']}" for a in r["answers"]),
        }
        for r in data["consultation_responses"]
    ]
    rows += [
        {
            "kind": "review_reply" if c["is_reply"] else "review_comment",
            **{k: c[k] for k in ("id", "strategy", "created_at")},
            "title": c["section"],
            "text": c["body"],
        }
        for c in data["review_comments"]
    ]
    rows += [
        {
            "kind": "evidence_item",
            **{k: e[k] for k in ("id", "strategy", "title", "created_at")},
            "text": e["link"] or e["file_name"],
        }
        for e in data["evidence_items"]
    ]
    rows += [
        {
            "kind": "subscription",
            "strategy": s["strategy"],
            "status": s["status"],
            "created_at": s["created_at"],
            "text": s["email"],
        }
        for s in data["subscriptions"]
    ]
    rows += [
        {
            "kind": "interest",
            **{k: i[k] for k in ("id", "strategy", "organisation")},
            "title": i["category"],
            "status": f"ended {i['ends_on']:%Y-%m-%d}" if i["ends_on"] else "current",
            "created_at": i["registered_on"],
            "text": i["description"],
        }
        for i in data["interests"]
    ]
    table = ([_cell(row.get(column)) for column in CSV_COLUMNS] for row in rows)
    return "".join(csv_lines(CSV_COLUMNS, table, bom=False))  # the view adds the byte-order mark


def personal_data_exported(*, person: User, fmt: str) -> None:
    audit_record(actor=person, verb=AuditVerb.PERSON_DATA_EXPORTED, target=person, data={"format": fmt})


# Erasure ------------------------------------------------------------------------------------------------


@dataclass
class ErasurePlan:
    """What an erasure would do, counted, for the confirm page and the audit event."""

    drafts_deleted: dict[str, list[int]]
    kept: dict[str, int]
    subscriptions: int
    memberships: int


def _touched_by_others(model: type[Any], ids: list[int], person: User) -> set[int]:
    """The rows among `ids` that someone other than `person` has changed (by the audit trail)."""
    if not ids:
        return set()
    kind = ContentType.objects.get_for_model(model)
    return {
        int(pk)
        for pk in AuditEvent.objects.filter(target_type=kind, target_id__in=[str(i) for i in ids])
        .exclude(actor=person)
        .exclude(actor__isnull=True)
        .values_list("target_id", flat=True)
    }


def person_erasure_plan(*, person: User) -> ErasurePlan:
    priority_drafts = list(
        Priority.objects.filter(author=person, status=Priority.Status.DRAFT).values_list("pk", flat=True)
    )
    priority_drafts = sorted(set(priority_drafts) - _touched_by_others(Priority, priority_drafts, person))
    response_drafts = list(
        ConsultationResponse.objects.filter(status=ConsultationResponse.Status.DRAFT, started_by=person)
        .filter(Q(last_saved_by=person) | Q(last_saved_by__isnull=True))
        .values_list("pk", flat=True)
    )
    response_drafts = sorted(set(response_drafts) - _touched_by_others(ConsultationResponse, response_drafts, person))
    kept_responses = _responses(person).exclude(pk__in=response_drafts).count()
    return ErasurePlan(
        drafts_deleted={"priorities": priority_drafts, "consultation_responses": response_drafts},
        kept={
            "priorities": Priority.objects.filter(author=person).exclude(pk__in=priority_drafts).count(),
            "consultation_responses": kept_responses,
            "review_comments": ReviewComment.objects.filter(author=person).count(),
            "evidence_items": EvidenceItem.objects.filter(added_by=person).count(),
        },
        subscriptions=_subscriptions(person).count(),
        memberships=Membership.objects.filter(user=person).count(),
    )


def person_erase(*, actor: User, person: User) -> ErasurePlan:
    """Erase a person: deactivate the account and clear its personal fields; keep what they
    contributed that was submitted or published, credited to "a participant"; delete the drafts only
    they wrote and the subscriptions under their email; audit it with counts, not the data."""
    if person.pk == actor.pk:
        raise ApplicationError("You cannot erase your own account. Ask another administrator.")
    if person.is_staff or person.is_superuser:
        raise ApplicationError("This person is an administrator. Remove their administrator access first.")
    with transaction.atomic():
        person = User.objects.select_for_update().get(pk=person.pk)
        if is_erased(person):
            raise ApplicationError("This person has already been erased.")
        plan = person_erasure_plan(person=person)
        old_email = person.email
        Priority.objects.filter(pk__in=plan.drafts_deleted["priorities"]).delete()
        ConsultationResponse.objects.filter(pk__in=plan.drafts_deleted["consultation_responses"]).delete()
        Subscription.objects.filter(email__iexact=old_email).delete()
        Membership.objects.filter(user=person).delete()
        BoardMembership.objects.filter(user=person).delete()
        EvidenceContributor.objects.filter(user=person).delete()
        CalendarFeed.objects.filter(user=person).delete()
        Invitation.objects.filter(email__iexact=old_email).delete()
        AccessAttempt.objects.filter(username__iexact=old_email).delete()
        AccessLog.objects.filter(username__iexact=old_email).delete()
        # The trail keeps who did what (now "a participant"), not the address or name it once held:
        # in an event's data (invitations), or in how it named its target (an invitation, the account).
        user_type = ContentType.objects.get_for_model(User)
        named = (
            Q(data__email=old_email)
            | Q(target_repr__icontains=old_email)
            | Q(target_type=user_type, target_id=str(person.pk))
        )
        for event in AuditEvent.objects.filter(named):
            if event.data.get("email") == old_email:
                event.data = {**event.data, "email": "(erased)"}
            if event.target_type_id == user_type.pk and event.target_id == str(person.pk):
                event.target_repr = User.ERASED_NAME
            event.target_repr = event.target_repr.replace(old_email, "(erased)")
            event.save(update_fields=["data", "target_repr"])
        person.name = User.ERASED_NAME
        person.email = User.erased_email(person.pk)
        # Responses they sent as a member of the public under the same address: unconfirmed ones go;
        # confirmed ones stay, credited anonymously, the address replaced by the account's placeholder.
        public = ConsultationResponse.objects.filter(organisation__isnull=True, respondent_email__iexact=old_email)
        public.filter(status=ConsultationResponse.Status.UNCONFIRMED).delete()
        public.filter(channel="").update(
            respondent_email=person.email, respondent_name="", credit=PublicCredit.ANONYMOUS, ip_hash=""
        )
        person.set_unusable_password()
        person.is_active = False
        person.last_login = None
        person.save(update_fields=["name", "email", "password", "is_active", "last_login"])
        audit_record(
            actor=actor,
            verb=AuditVerb.PERSON_ERASED,
            target=person,
            data={
                "drafts_deleted": {k: len(v) for k, v in plan.drafts_deleted.items()},
                "kept": plan.kept,
                "subscriptions_deleted": plan.subscriptions,
                "memberships_removed": plan.memberships,
            },
        )
    return plan
