"""Engagement: calls for priorities and the priorities councils submit to them.

A call is an officer's request to the strategy's councillors for their councils' priorities,
open between two moments and serving one phase. A priority is written on behalf of a council by
its councillors, saved as a draft, submitted, edited until the call closes, or withdrawn. The
LEP's officers code it (themes, free tags), respond to it ("you said, we did") and may hide it
with a reason.

A consultation puts ordered questions (free text, single and multiple choice, a 1–5 scale) to
councillors, partners or everyone; each organisation responds once, its people continuing one
draft, and the officers code, respond to and hide the responses as they do priorities.

Members of the public respond without an account (ADR 41). Officers merge priorities into
propositions. Events, the stakeholder register, the engagement plan and update subscriptions
follow in their own modules.

One module per seam of the views (priorities, consultations, propositions, events, register,
updates), with the field limits, the open-between mixin and the offline channels they share in
`common`. This package imports every model, so Django finds them under the app label
`engagement` as before, and re-exports every public name, so `from engagement.models import
Priority` reads as before.
"""

from __future__ import annotations

from .common import (
    DESCRIPTION_MAX,
    EVIDENCE_LINKS_MAX,
    REASON_MAX,
    RESPONSE_MAX,
    SUMMARY_MAX,
    TAG_MAX,
    TITLE_MAX,
    WHY_MAX,
    Channel,
    OpenBetween,
    https_only,
)
from .consultations import (
    ANSWER_MAX,
    CHOICE_MAX,
    CHOICES_MAX,
    HINT_MAX,
    PUBLIC_RESPONSE_CONSTRAINTS,
    QUESTION_MAX,
    SCALE_MAX,
    SCALE_MIN,
    Consultation,
    ConsultationDocument,
    ConsultationResponse,
    PublicCredit,
    Question,
)
from .events import CHANNEL_MAX, NOTES_MAX, PLACE_MAX, Event, PlannedActivity
from .priorities import Call, CallReminder, Priority, Tag

# Migration 0001 names this validator as engagement.models._validate_evidence_links.
from .priorities import _validate_evidence_links as _validate_evidence_links
from .propositions import Proposition
from .register import NAME_MAX, Contact, EngagementEntry
from .updates import UPDATE_BODY_MAX, UPDATE_SUBJECT_MAX, Subscription, Update, UpdateDelivery

__all__ = [
    "ANSWER_MAX",
    "CHANNEL_MAX",
    "CHOICES_MAX",
    "CHOICE_MAX",
    "DESCRIPTION_MAX",
    "EVIDENCE_LINKS_MAX",
    "HINT_MAX",
    "NAME_MAX",
    "NOTES_MAX",
    "PLACE_MAX",
    "PUBLIC_RESPONSE_CONSTRAINTS",
    "QUESTION_MAX",
    "REASON_MAX",
    "RESPONSE_MAX",
    "SCALE_MAX",
    "SCALE_MIN",
    "SUMMARY_MAX",
    "TAG_MAX",
    "TITLE_MAX",
    "UPDATE_BODY_MAX",
    "UPDATE_SUBJECT_MAX",
    "WHY_MAX",
    "Call",
    "CallReminder",
    "Channel",
    "Consultation",
    "ConsultationDocument",
    "ConsultationResponse",
    "Contact",
    "EngagementEntry",
    "Event",
    "OpenBetween",
    "PlannedActivity",
    "Priority",
    "Proposition",
    "PublicCredit",
    "Question",
    "Subscription",
    "Tag",
    "Update",
    "UpdateDelivery",
    "https_only",
]
