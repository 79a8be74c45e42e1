"""Access helpers for engagement. Views load calls and priorities only through these; a person
without access gets 404, whether or not the record exists."""

from __future__ import annotations

from typing import Any

from django.db.models import Q
from django.http import Http404

from core.models import Organisation, Strategy

from .models import (
    Call,
    Consultation,
    ConsultationDocument,
    ConsultationResponse,
    Contact,
    Event,
    PlannedActivity,
    Priority,
    Proposition,
    Question,
    Update,
)
from .rules import (
    audiences_of,
    can_manage,
    can_read_proposition,
    can_see_events,
    can_take_part,
    council_ids_of,
    respondent_org_ids,
)


def get_call_for_user_or_404(user: Any, strategy: Strategy, pk: int, *, write: bool = False) -> Call:
    """A call of `strategy`: officers and administrators; councillors read the calls addressed to them."""
    allowed = can_manage(user, strategy) if write else can_take_part(user, strategy)
    call = Call.objects.select_related("strategy", "phase").filter(pk=pk, strategy=strategy).first()
    if call is None or not allowed:
        raise Http404("No call here.")
    return call


def can_see_priority(user: Any, priority: Priority) -> bool:
    """Councillors of the priority's council; officers and administrators once it is submitted."""
    strategy = priority.call.strategy
    if priority.organisation_id in council_ids_of(user, strategy):
        return True
    return priority.status != Priority.Status.DRAFT and bool(can_manage(user, strategy))


def get_priority_for_user_or_404(user: Any, strategy: Strategy, pk: int, *, write: bool = False) -> Priority:
    """A priority of a call of `strategy`. `write`: changing its content, which only the
    councillors of its council may do (on behalf of the council)."""
    priority = (
        Priority.objects.select_related(
            "call__strategy", "call__phase", "organisation", "author", "responded_by", "entered_by"
        )
        .filter(pk=pk, call__strategy=strategy)
        .first()
    )
    if priority is None:
        raise Http404("No priority here.")
    allowed = priority.organisation_id in council_ids_of(user, strategy) if write else can_see_priority(user, priority)
    if not allowed:
        raise Http404("No priority here.")
    return priority


def get_priority_for_officer_or_404(user: Any, strategy: Strategy, pk: int) -> Priority:
    """A submitted or withdrawn priority, for an officer's coding, response or moderation."""
    priority = get_priority_for_user_or_404(user, strategy, pk) if can_manage(user, strategy) else None
    if priority is None or priority.status == Priority.Status.DRAFT:
        raise Http404("No priority here.")
    return priority


# Consultations -----------------------------------------------------------------------------------


def get_consultation_for_user_or_404(user: Any, strategy: Strategy, pk: int, *, write: bool = False) -> Consultation:
    """A consultation of `strategy`: officers and administrators; councillors and partners read the
    ones addressed to them. `write`: the officer's changes."""
    consultation = (
        Consultation.objects.select_related("strategy__lead", "phase").filter(pk=pk, strategy=strategy).first()
    )
    if consultation is None:
        raise Http404("No consultation here.")
    manager = bool(can_manage(user, strategy))
    allowed = manager if write else manager or consultation.audience in audiences_of(user, strategy)
    if not allowed:
        raise Http404("No consultation here.")
    return consultation


def get_consultation_readable_or_404(user: Any, strategy: Strategy, pk: int) -> Consultation:
    """A consultation `user` may read, signed in or not: one open to the public is everyone's (as
    its public response page); any other as `get_consultation_for_user_or_404`. The strategy must
    have been loaded with core.access.get_strategy_or_404 (published, or the person's)."""
    consultation = (
        Consultation.objects.select_related("strategy__lead", "phase")
        .filter(pk=pk, strategy=strategy, audience=Consultation.Audience.PUBLIC)
        .first()
    )
    return consultation or get_consultation_for_user_or_404(user, strategy, pk)


def get_consultation_document_or_404(
    user: Any, strategy: Strategy, pk: int, *, write: bool = False
) -> ConsultationDocument:
    """An uploaded document of a consultation of `strategy`: whoever may read the consultation
    downloads it; `write` (removing it) is the officers'."""
    document = (
        ConsultationDocument.objects.select_related("consultation__strategy")
        .filter(pk=pk, consultation__strategy=strategy)
        .first()
    )
    if document is None:
        raise Http404("No document here.")
    if write:
        get_consultation_for_user_or_404(user, strategy, document.consultation_id, write=True)
    else:
        get_consultation_readable_or_404(user, strategy, document.consultation_id)
    return document


def get_question_for_officer_or_404(user: Any, strategy: Strategy, pk: int) -> Question:
    question = (
        Question.objects.select_related("consultation__strategy", "consultation__phase")
        .filter(pk=pk, consultation__strategy=strategy)
        .first()
    )
    if question is None or not can_manage(user, strategy):
        raise Http404("No question here.")
    return question


def is_respondent(user: Any, response: ConsultationResponse) -> bool:
    """A person who may write for the response's organisation in its consultation."""
    consultation = response.consultation
    return response.organisation_id in respondent_org_ids(user, consultation.strategy, consultation.audience)


def get_response_for_user_or_404(
    user: Any, strategy: Strategy, pk: int, *, write: bool = False
) -> ConsultationResponse:
    """A response to a consultation of `strategy`: its organisation's people (who alone may `write`);
    officers and administrators once it is submitted."""
    response = (
        ConsultationResponse.objects.select_related(
            "consultation__strategy__lead",
            "consultation__phase",
            "organisation",
            "started_by",
            "last_saved_by",
            "submitted_by",
            "replied_by",
            "entered_by",
        )
        .filter(pk=pk, consultation__strategy=strategy)
        .first()
    )
    if response is None:
        raise Http404("No response here.")
    if is_respondent(user, response):
        return response
    if write or response.status != ConsultationResponse.Status.SUBMITTED or not can_manage(user, strategy):
        raise Http404("No response here.")
    return response


def get_response_for_officer_or_404(user: Any, strategy: Strategy, pk: int) -> ConsultationResponse:
    """A submitted response, for an officer's coding, response or moderation."""
    response = get_response_for_user_or_404(user, strategy, pk) if can_manage(user, strategy) else None
    if response is None or response.status != ConsultationResponse.Status.SUBMITTED:
        raise Http404("No response here.")
    return response


def get_proposition_for_user_or_404(user: Any, strategy: Strategy, pk: int, *, write: bool = False) -> Proposition:
    """A proposition of `strategy`: to change, for its officers and administrators (the synthesis is
    theirs); to read, for them and the councillors whose council's priority it merged."""
    proposition = Proposition.objects.select_related("strategy", "created_by").filter(pk=pk, strategy=strategy).first()
    if proposition is None:
        raise Http404("No proposition here.")
    allowed = can_manage(user, strategy) if write else can_read_proposition(user, proposition)
    if not allowed:
        raise Http404("No proposition here.")
    return proposition


# Events, the stakeholder register and the engagement plan -----------------------------------------


def get_event_for_user_or_404(user: Any, strategy: Strategy, pk: int, *, write: bool = False) -> Event:
    """An event of `strategy`: everyone taking part reads it; officers and administrators `write`."""
    allowed = can_manage(user, strategy) if write else can_see_events(user, strategy)
    event = (
        Event.objects.select_related(
            "strategy", "theme", "organiser", "phase", "planned_activity", "feedback", "created_by"
        )
        .filter(pk=pk, strategy=strategy)
        .first()
    )
    if event is None or not allowed:
        raise Http404("No event here.")
    return event


def get_contact_for_user_or_404(user: Any, strategy: Strategy, pk: int) -> Contact:
    """A contact of `strategy`, for its officers and administrators only (personal data)."""
    contact = Contact.objects.select_related("strategy", "organisation").filter(pk=pk, strategy=strategy).first()
    if contact is None or not can_manage(user, strategy):
        raise Http404("No contact here.")
    return contact


def get_register_organisation_or_404(user: Any, strategy: Strategy, pk: int) -> Organisation:
    """An organisation of `strategy` (its lead or a partner), for the register's officers."""
    organisation = Organisation.objects.filter(Q(pk=strategy.lead_id) | Q(partner_strategies=strategy)).filter(pk=pk)
    found = organisation.distinct().first()
    if found is None or not can_manage(user, strategy):
        raise Http404("No organisation here.")
    return found


def get_activity_for_user_or_404(user: Any, strategy: Strategy, pk: int) -> PlannedActivity:
    activity = PlannedActivity.objects.select_related("strategy", "owner").filter(pk=pk, strategy=strategy).first()
    if activity is None or not can_manage(user, strategy):
        raise Http404("No planned activity here.")
    return activity


# Updates ----------------------------------------------------------------------------------------------


def get_update_for_user_or_404(user: Any, strategy: Strategy, pk: int) -> Update:
    """An update of `strategy`, drafts included, for its officers and administrators."""
    update = Update.objects.select_related("strategy", "created_by", "sent_by").filter(pk=pk, strategy=strategy).first()
    if update is None or not can_manage(user, strategy):
        raise Http404("No update here.")
    return update


def get_sent_update_or_404(strategy: Strategy, pk: int) -> Update:
    """A sent update, for the strategy's public archive."""
    update = (
        Update.objects.select_related("strategy").filter(pk=pk, strategy=strategy, status=Update.Status.SENT).first()
    )
    if update is None:
        raise Http404("No update here.")
    return update
