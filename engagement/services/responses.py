"""Responses to consultations: the respondent's side (start, save, submit), the officer's side
(code, reply, hide, export), public responses without an account and responses an officer enters
from offline input (docs/adr/0041).
"""

from __future__ import annotations

import hashlib
import hmac
import secrets
from dataclasses import dataclass
from datetime import date, datetime, timedelta
from typing import Any

from django.conf import settings
from django.db import IntegrityError, transaction
from django.db.models import F
from django.template.loader import render_to_string
from django.utils import timezone

from core.audit import AuditVerb
from core.editing import refuse_if_stale, validate
from core.exceptions import ApplicationError
from core.models import Organisation, Strategy, Theme, User
from core.services import audit_record, email_queue

from ..models import (
    ANSWER_MAX,
    SCALE_MAX,
    SCALE_MIN,
    Channel,
    Consultation,
    ConsultationResponse,
    PublicCredit,
    Question,
)
from ..models.common import when_text
from ..rules import respondent_org_ids
from ..selectors import organisation_list_for_consultation
from .coding import _check_tags, _tags_for
from .common import _and, _ensure_open, _link

# Consultations: the respondent's side ---------------------------------------------------------------


def _ensure_respondent(*, actor: User, consultation: Consultation, organisation: Organisation | None) -> None:
    if organisation is None or organisation.pk not in respondent_org_ids(
        actor, consultation.strategy, consultation.audience
    ):
        raise ApplicationError(
            "You can only respond for an organisation you belong to that this consultation is addressed to.",
            field="organisation",
        )


def response_start(*, actor: User, consultation: Consultation, organisation: Organisation) -> ConsultationResponse:
    """The organisation's response to the consultation: its draft if a colleague has started one
    (or its submitted response), else a new, empty draft."""
    with transaction.atomic():
        current = Consultation.objects.select_related("strategy__lead").get(pk=consultation.pk)
        _ensure_respondent(actor=actor, consultation=current, organisation=organisation)
        existing = ConsultationResponse.objects.filter(consultation=current, organisation=organisation).first()
        if existing is not None:
            return existing
        _ensure_open(current, doing="respond")
        try:
            with transaction.atomic():
                response = ConsultationResponse.objects.create(
                    consultation=current, organisation=organisation, started_by=actor, last_saved_by=actor
                )
        except IntegrityError:  # a colleague started it a moment ago
            return ConsultationResponse.objects.get(consultation=current, organisation=organisation)
        audit_record(actor=actor, verb=AuditVerb.RESPONSE_STARTED, target=response, strategy=current.strategy)
    return response


def _clean_answer(question: Question, value: Any) -> Any:
    """An answer as stored, or None for no answer; ApplicationError if it is not one the question allows."""
    field = f"q_{question.pk}"
    if value is None or value == "" or value == []:
        return None
    if question.kind == Question.Kind.TEXT:
        text = str(value).strip()
        if len(text) > ANSWER_MAX:
            raise ApplicationError(f"Keep your answer to {ANSWER_MAX:,} characters or fewer.", field=field)
        return text or None
    if question.kind == Question.Kind.SINGLE:
        if value not in question.choices:
            raise ApplicationError("Choose one of the answers given.", field=field)
        return value
    if question.kind == Question.Kind.MULTIPLE:
        values = value if isinstance(value, list) else [value]
        if any(v not in question.choices for v in values):
            raise ApplicationError("Choose answers from those given.", field=field)
        return [c for c in question.choices if c in values]  # in the question's order, once each
    try:
        point = int(value)
    except (TypeError, ValueError):
        point = 0
    if not SCALE_MIN <= point <= SCALE_MAX:
        raise ApplicationError(f"Choose a point on the scale from {SCALE_MIN} to {SCALE_MAX}.", field=field)
    return point


def _answers(questions: list[Question], raw: dict[int, Any]) -> dict[str, Any]:
    cleaned: dict[str, Any] = {}
    for question in questions:
        value = _clean_answer(question, raw.get(question.pk))
        if value is not None:
            cleaned[str(question.pk)] = value
    return cleaned


def response_save(
    *, actor: User, response: ConsultationResponse, answers: dict[int, Any], version: int
) -> ConsultationResponse:
    """Save the answers of a draft made on `version`. If a colleague saved it since, refuse and say,
    question by question, what they saved and what this person wrote."""
    with transaction.atomic():
        current = ConsultationResponse.objects.select_for_update().get(pk=response.pk)
        consultation = Consultation.objects.select_related("strategy__lead").get(pk=current.consultation_id)
        current.consultation = consultation
        _ensure_respondent(actor=actor, consultation=consultation, organisation=current.organisation)
        _ensure_open(consultation, doing="change the response")
        if current.status != ConsultationResponse.Status.DRAFT:
            raise ApplicationError("This response has been submitted, so it can no longer be changed.")
        questions = list(consultation.questions.order_by("order", "pk"))
        cleaned = _answers(questions, answers)
        by_field = {f"q_{q.pk}": q for q in questions}
        refuse_if_stale(
            current,
            version=version,
            noun="response",
            saved={name: current.answers.get(str(q.pk)) for name, q in by_field.items()},
            yours={name: cleaned.get(str(q.pk)) for name, q in by_field.items()},
            label=lambda name: by_field[name].text,
            display=lambda name, value: by_field[name].answer_display(value) or "(no answer)",
        )
        changed = sorted(
            {key for key in set(current.answers) | set(cleaned) if current.answers.get(key) != cleaned.get(key)}
        )
        current.answers = cleaned
        current.last_saved_by = actor
        current.version = F("version") + 1
        current.save(update_fields=["answers", "last_saved_by", "version", "updated_at"])
        current.refresh_from_db()
        audit_record(
            actor=actor,
            verb=AuditVerb.RESPONSE_SAVED,
            target=current,
            strategy=consultation.strategy,
            data={"questions": [int(k) for k in changed]},
        )
    return current


def response_submit(*, actor: User, response: ConsultationResponse) -> ConsultationResponse:
    """Submit a draft while the consultation is open, once every required question is answered."""
    with transaction.atomic():
        current = ConsultationResponse.objects.select_for_update().get(pk=response.pk)
        consultation = Consultation.objects.select_related("strategy__lead").get(pk=current.consultation_id)
        current.consultation = consultation
        _ensure_respondent(actor=actor, consultation=consultation, organisation=current.organisation)
        _ensure_open(consultation, doing="submit a response")
        if current.status != ConsultationResponse.Status.DRAFT:
            raise ApplicationError("This response has already been submitted.")
        questions = list(consultation.questions.order_by("order", "pk"))
        missing = [q for q in questions if q.required and str(q.pk) not in current.answers]
        if missing:
            numbers = [str(questions.index(q) + 1) for q in missing]
            raise ApplicationError(
                f"To submit the response, answer question{'s' if len(numbers) > 1 else ''} {_and(numbers)}.",
                field=f"q_{missing[0].pk}",
            )
        current.status = ConsultationResponse.Status.SUBMITTED
        current.submitted_at = timezone.now()
        current.submitted_by = actor
        current.save(update_fields=["status", "submitted_at", "submitted_by", "updated_at"])
        audit_record(actor=actor, verb=AuditVerb.RESPONSE_SUBMITTED, target=current, strategy=consultation.strategy)
        _response_receipt_queue(person=actor, response=current)
    return current


# Consultations: the officer's side of responses ---------------------------------------------------


def _officer_response(response: ConsultationResponse) -> ConsultationResponse:
    current = ConsultationResponse.objects.select_for_update().get(pk=response.pk)
    current.consultation = Consultation.objects.select_related("strategy").get(pk=current.consultation_id)
    if current.status == ConsultationResponse.Status.DRAFT:
        raise ApplicationError("This response is still a draft: the organisation has not submitted it.")
    if current.status == ConsultationResponse.Status.UNCONFIRMED:
        raise ApplicationError("This response has not been confirmed by the person who sent it.")
    return current


def response_code(
    *, actor: User, response: ConsultationResponse, themes: list[Theme], tags: list[str]
) -> ConsultationResponse:
    """Code a response with the themes the LEP reads in it and free tags (the strategy's vocabulary)."""
    _check_tags(tags, what="response")
    with transaction.atomic():
        current = _officer_response(response)
        strategy = current.consultation.strategy
        tag_objects = _tags_for(strategy, tags)
        current.coded_themes.set(themes)
        current.tags.set(tag_objects)
        current.coded_at = timezone.now()
        current.save(update_fields=["coded_at", "updated_at"])
        audit_record(
            actor=actor,
            verb=AuditVerb.RESPONSE_CODED,
            target=current,
            strategy=strategy,
            data={"themes": sorted(t.slug for t in themes), "tags": [t.name for t in tag_objects]},
        )
    return current


def response_reply(*, actor: User, response: ConsultationResponse, reply: str) -> ConsultationResponse:
    """Publish the LEP's response ("you said, we did"); the organisation's people see it."""
    text = reply.strip()
    if not text:
        raise ApplicationError("Enter the LEP’s response.", field="response")
    with transaction.atomic():
        current = _officer_response(response)
        first = not current.reply
        current.reply = text
        current.replied_at = timezone.now()
        current.replied_by = actor
        validate(current, exclude=["version"])
        current.save(update_fields=["reply", "replied_at", "replied_by", "updated_at"])
        audit_record(
            actor=actor,
            verb=AuditVerb.RESPONSE_REPLIED if first else AuditVerb.RESPONSE_REPLY_CHANGED,
            target=current,
            strategy=current.consultation.strategy,
        )
        _response_reply_email_queue(response=current)
    return current


def response_hide(*, actor: User, response: ConsultationResponse, reason: str) -> ConsultationResponse:
    """Hide a response from shared views and summaries, with a reason officers see; reversible."""
    text = reason.strip()
    if not text:
        raise ApplicationError("Enter the reason for hiding the response.", field="reason")
    with transaction.atomic():
        current = _officer_response(response)
        current.is_hidden = True
        current.hidden_reason = text
        current.hidden_at = timezone.now()
        validate(current, exclude=["version"])
        current.save(update_fields=["is_hidden", "hidden_reason", "hidden_at", "updated_at"])
        audit_record(
            actor=actor,
            verb=AuditVerb.RESPONSE_HIDDEN,
            target=current,
            strategy=current.consultation.strategy,
            data={"reason": text},
        )
    return current


def response_unhide(*, actor: User, response: ConsultationResponse) -> ConsultationResponse:
    with transaction.atomic():
        current = _officer_response(response)
        if not current.is_hidden:
            raise ApplicationError("This response is not hidden.")
        reason = current.hidden_reason
        current.is_hidden = False
        current.hidden_reason = ""
        current.hidden_at = None
        current.save(update_fields=["is_hidden", "hidden_reason", "hidden_at", "updated_at"])
        audit_record(
            actor=actor,
            verb=AuditVerb.RESPONSE_UNHIDDEN,
            target=current,
            strategy=current.consultation.strategy,
            data={"was_hidden_because": reason},
        )
    return current


def responses_exported(*, actor: User, consultation: Consultation, filters: dict[str, str]) -> None:
    """Record that an officer downloaded a consultation's responses."""
    audit_record(
        actor=actor,
        verb=AuditVerb.CONSULTATION_RESPONSES_EXPORTED,
        target=consultation,
        strategy=consultation.strategy,
        data=filters,
    )


# Public responses, consultation emails and offline input (docs/adr/0041) ------------------------------

PUBLIC_CONFIRM_DAYS = 7
PUBLIC_LIMIT_PER_IP = 5  # stored public responses per hour from one address
PUBLIC_LIMIT_PER_EMAIL = 3  # stored public responses per hour for one email address
PUBLIC_LIMIT_WINDOW = timedelta(hours=1)


class RateLimited(ApplicationError):
    """Too many public responses from one address or for one email in the last hour."""

    def __init__(self, message: str, *, retry_at: datetime) -> None:
        super().__init__(message)
        self.retry_at = retry_at


def hash_ip(ip: str) -> str:
    """A keyed hash of the sender's address: enough to count, not enough to recover it."""
    return hmac.new(settings.SECRET_KEY.encode(), ip.encode(), hashlib.sha256).hexdigest()


def hash_token(token: str) -> str:
    return hashlib.sha256(token.encode()).hexdigest()


def _response_receipt_queue(*, person: User, response: ConsultationResponse) -> None:
    """The submitting person's receipt for an organisation's response."""
    if not person.is_active or not person.email:
        return
    consultation = response.consultation
    body = render_to_string(
        "engagement/email/response_receipt.txt",
        {
            "person": person,
            "response": response,
            "consultation": consultation,
            "link": _link(response.get_absolute_url()),
        },
    )
    email_queue(
        to=person.email,
        subject=f"Response received: {consultation.title}"[:200],
        body=body,
        strategy=consultation.strategy,
    )


def _response_reply_email_queue(*, response: ConsultationResponse) -> None:
    """Tell the respondent the LEP has replied: the person who submitted an organisation's response
    (its people see the reply in the portal), or the member of the public who confirmed theirs.
    Input an officer entered offline gets no email: nobody confirmed an address through the portal."""
    consultation = response.consultation
    context: dict[str, Any] = {"response": response, "consultation": consultation, "lead": consultation.strategy.lead}
    if response.channel:
        return
    if response.is_public:
        if response.confirmed_at is None or not response.respondent_email:
            return
        context["name"] = response.respondent_name or "member of the public"
        to = response.respondent_email
    else:
        person = response.submitted_by
        if person is None or not person.is_active:
            return
        context["name"] = person.name
        context["link"] = _link(response.get_absolute_url())
        to = person.email
    body = render_to_string("engagement/email/response_reply.txt", context)
    email_queue(
        to=to, subject=f"The LEP has responded: {consultation.title}"[:200], body=body, strategy=consultation.strategy
    )


@dataclass
class PublicRespondent:
    """Who a public response is from and how it may be credited."""

    name: str
    email: str
    may_publish: bool
    credit: str
    credit_organisation: str = ""


def _check_respondent(respondent: PublicRespondent, *, email_required: bool) -> PublicRespondent:
    name, email = respondent.name.strip(), respondent.email.strip().lower()
    credit_organisation = respondent.credit_organisation.strip()
    if email_required and not email:
        raise ApplicationError("Enter your email address, so we can confirm your response.", field="email")
    if respondent.credit not in PublicCredit.values:
        raise ApplicationError("Choose how we should credit your response.", field="credit")
    if respondent.credit == PublicCredit.NAME and not name:
        raise ApplicationError("Enter your name, or choose another way to credit your response.", field="name")
    if respondent.credit == PublicCredit.ORGANISATION and not credit_organisation:
        raise ApplicationError("Enter the name of the organisation to credit.", field="credit_organisation")
    if respondent.credit != PublicCredit.ORGANISATION:
        credit_organisation = ""
    return PublicRespondent(name, email, respondent.may_publish, respondent.credit, credit_organisation)


def _missing_required(questions: list[Question], answers: dict[str, Any], *, doing: str) -> None:
    missing = [q for q in questions if q.required and str(q.pk) not in answers]
    if missing:
        numbers = [str(questions.index(q) + 1) for q in missing]
        raise ApplicationError(
            f"To {doing}, answer question{'s' if len(numbers) > 1 else ''} {_and(numbers)}.",
            field=f"q_{missing[0].pk}",
        )


def _check_rate(*, ip_hash: str, email: str, now: datetime) -> None:
    since = now - PUBLIC_LIMIT_WINDOW
    recent = ConsultationResponse.objects.filter(organisation__isnull=True, channel="", created_at__gte=since)
    for rows, limit in (
        (recent.filter(ip_hash=ip_hash), PUBLIC_LIMIT_PER_IP),
        (recent.filter(respondent_email=email), PUBLIC_LIMIT_PER_EMAIL),
    ):
        times = list(rows.order_by("-created_at").values_list("created_at", flat=True)[:limit])
        if len(times) >= limit:
            retry_at = times[-1] + PUBLIC_LIMIT_WINDOW
            raise RateLimited(
                f"You have sent several responses in the last hour. Please try again after {when_text(retry_at)}.",
                retry_at=retry_at,
            )


def public_response_submit(
    *,
    consultation: Consultation,
    answers: dict[int, Any],
    respondent: PublicRespondent,
    ip: str,
    confirm_url: str,
) -> ConsultationResponse:
    """Store a member of the public's response, unconfirmed, and email them a link that confirms it.

    `confirm_url` is the absolute address of the confirm page with `{token}` where the token goes;
    only the token's hash is stored. Refused after the close, or over the hourly limits."""
    now = timezone.now()
    with transaction.atomic():
        current = Consultation.objects.select_related("strategy__lead").get(pk=consultation.pk)
        if current.audience != Consultation.Audience.PUBLIC:
            raise ApplicationError("This consultation is not open to the public.")
        _ensure_open(current, doing="respond")
        respondent = _check_respondent(respondent, email_required=True)
        questions = list(current.questions.order_by("order", "pk"))
        cleaned = _answers(questions, answers)
        _missing_required(questions, cleaned, doing="send your response")
        ip_hash = hash_ip(ip)
        _check_rate(ip_hash=ip_hash, email=respondent.email, now=now)
        token = secrets.token_urlsafe(32)
        response = ConsultationResponse(
            consultation=current,
            answers=cleaned,
            status=ConsultationResponse.Status.UNCONFIRMED,
            submitted_at=now,
            respondent_name=respondent.name,
            respondent_email=respondent.email,
            may_publish=respondent.may_publish,
            credit=respondent.credit,
            credit_organisation=respondent.credit_organisation,
            ip_hash=ip_hash,
            token_hash=hash_token(token),
            confirm_by=now + timedelta(days=PUBLIC_CONFIRM_DAYS),
        )
        validate(response, exclude=["version"])
        response.save()
        audit_record(actor=None, verb=AuditVerb.RESPONSE_PUBLIC_RECEIVED, target=response, strategy=current.strategy)
        body = render_to_string(
            "engagement/email/public_response_confirm.txt",
            {
                "response": response,
                "consultation": current,
                "link": confirm_url.replace("{token}", token),
                "confirm_by": when_text(response.confirm_by or now),
            },
        )
        email_queue(
            to=respondent.email,
            subject=f"Confirm your response: {current.title}"[:200],
            body=body,
            strategy=current.strategy,
        )
    return response


def public_response_for_token(*, strategy: Strategy, token: str) -> ConsultationResponse | None:
    """The public response of `strategy` a confirmation token belongs to, if any."""
    if not token or len(token) > 100:
        return None
    return (
        ConsultationResponse.objects.select_related("consultation__strategy__lead")
        .filter(token_hash=hash_token(token), consultation__strategy=strategy, organisation__isnull=True)
        .first()
    )


def public_response_confirm(*, strategy: Strategy, token: str) -> ConsultationResponse:
    """Confirm a public response with the token emailed to its sender: it then counts for officers.
    A response sent before the close may be confirmed after it, within the seven days."""
    with transaction.atomic():
        found = public_response_for_token(strategy=strategy, token=token)
        if found is None:
            raise ApplicationError(
                "This confirmation link is not valid. It may have been used already, or mistyped: "
                "check the link in your email."
            )
        current = ConsultationResponse.objects.select_for_update().get(pk=found.pk)
        current.consultation = found.consultation
        if current.status == ConsultationResponse.Status.SUBMITTED:
            return current
        if current.confirm_by is None or current.confirm_by <= timezone.now():
            raise ApplicationError(
                f"This confirmation link expired after {PUBLIC_CONFIRM_DAYS} days, so the response was not kept. "
                "If the consultation is still open, you can respond again."
            )
        current.status = ConsultationResponse.Status.SUBMITTED
        current.confirmed_at = timezone.now()
        current.confirm_by = None
        current.token_hash = ""
        current.save(update_fields=["status", "confirmed_at", "confirm_by", "token_hash", "updated_at"])
        audit_record(
            actor=None, verb=AuditVerb.RESPONSE_PUBLIC_CONFIRMED, target=current, strategy=current.consultation.strategy
        )
    return current


def public_responses_purge(*, now: datetime | None = None) -> int:
    """Delete public responses left unconfirmed past their expiry; one audit event per consultation."""
    now = now or timezone.now()
    expired = ConsultationResponse.objects.filter(
        status=ConsultationResponse.Status.UNCONFIRMED, confirm_by__lte=now
    ).select_related("consultation__strategy")
    by_consultation: dict[int, list[ConsultationResponse]] = {}
    for response in expired:
        by_consultation.setdefault(response.consultation_id, []).append(response)
    purged = 0
    for responses in by_consultation.values():
        with transaction.atomic():
            consultation = responses[0].consultation
            count, _ = ConsultationResponse.objects.filter(
                pk__in=[r.pk for r in responses], status=ConsultationResponse.Status.UNCONFIRMED
            ).delete()
            if count:
                audit_record(
                    actor=None,
                    verb=AuditVerb.CONSULTATION_UNCONFIRMED_PURGED,
                    target=consultation,
                    strategy=consultation.strategy,
                    data={"responses": count},
                )
            purged += count
    return purged


@dataclass
class OfflineInput:
    """Who an officer enters a response for, and where it came from."""

    channel: str
    received_on: date
    organisation: Organisation | None = None
    respondent: PublicRespondent | None = None


def response_enter_offline(
    *, actor: User, consultation: Consultation, source: OfflineInput, answers: dict[int, Any]
) -> ConsultationResponse:
    """An officer enters a response from a workshop, paper form, email or call on someone's behalf:
    an organisation the consultation is addressed to, or a named member of the public (for a
    consultation open to the public). Stored submitted and marked as entered by the officer."""
    if source.channel not in Channel.values:
        raise ApplicationError("Choose where the response came from.", field="channel")
    if source.received_on > timezone.localdate():
        raise ApplicationError("The date received cannot be in the future.", field="received_on")
    with transaction.atomic():
        current = Consultation.objects.select_related("strategy__lead").get(pk=consultation.pk)
        if source.received_on < timezone.localtime(current.opens_at).date():
            raise ApplicationError("The date received cannot be before the consultation opened.", field="received_on")
        questions = list(current.questions.order_by("order", "pk"))
        cleaned = _answers(questions, answers)
        _missing_required(questions, cleaned, doing="enter the response")
        now = timezone.now()
        response = ConsultationResponse(
            consultation=current,
            answers=cleaned,
            status=ConsultationResponse.Status.SUBMITTED,
            submitted_at=now,
            submitted_by=actor,
            started_by=actor,
            last_saved_by=actor,
            entered_by=actor,
            channel=source.channel,
            received_on=source.received_on,
        )
        if source.organisation is not None:
            allowed = organisation_list_for_consultation(consultation=current)
            if source.organisation.pk not in {o.pk for o in allowed}:
                raise ApplicationError(
                    "Choose an organisation of the strategy this consultation is addressed to.", field="organisation"
                )
            if ConsultationResponse.objects.filter(consultation=current, organisation=source.organisation).exists():
                raise ApplicationError(
                    f"{source.organisation} already has a response to this consultation (perhaps a draft its "
                    "people started): an organisation responds once.",
                    field="organisation",
                )
            response.organisation = source.organisation
        else:
            if current.audience != Consultation.Audience.PUBLIC:
                raise ApplicationError(
                    "Only a consultation open to the public takes responses from members of the public.",
                    field="organisation",
                )
            if source.respondent is None or not source.respondent.name.strip():
                raise ApplicationError("Enter the name of the person the response is from.", field="name")
            respondent = _check_respondent(source.respondent, email_required=False)
            response.respondent_name = respondent.name
            response.respondent_email = respondent.email
            response.may_publish = respondent.may_publish
            response.credit = respondent.credit
            response.credit_organisation = respondent.credit_organisation
        validate(response, exclude=["version"])
        try:
            with transaction.atomic():
                response.save()
        except IntegrityError as error:
            raise ApplicationError(
                "That organisation already has a response to this consultation.", field="organisation"
            ) from error
        audit_record(
            actor=actor,
            verb=AuditVerb.RESPONSE_ENTERED_OFFLINE,
            target=response,
            strategy=current.strategy,
            data={
                "on_behalf": response.respondent_label,
                "channel": source.channel,
                "received_on": source.received_on.isoformat(),
            },
        )
    return response
