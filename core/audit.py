"""Every kind of audit event, in one list, with the sentence people read (as Zulip's AuditLogEventType).

Services record an event with `audit_record(verb=AuditVerb.PRIORITY_SUBMITTED, ...)`; pages that
show a trail print `event.sentence`, never the stored code. A sentence may name `{actor}` (the
person, or "the portal"), `{target}` (the record as it was called then) and keys of the event's
`data`; a key an older event lacks reads as "—", so adding a key never breaks the trail.
"""

from __future__ import annotations

from datetime import date
from typing import TYPE_CHECKING, Any

from django.db import models

if TYPE_CHECKING:
    from .models import AuditEvent


class AuditVerb(models.TextChoices):
    # core: people and accounts
    INVITATION_SENT = "invitation.sent", "Invitation sent to {email} as {role} by {actor}"
    INVITATION_ACCEPTED = "invitation.accepted", "Invitation accepted by {actor}, joining as {role}"
    PERSON_DATA_EXPORTED = "person.data_exported", "Personal data downloaded as {format} by {actor}"
    PERSON_ERASED = "person.erased", "A person’s data erased by {actor}"
    TWO_FACTOR_ENROLLED = "two_factor.enrolled", "Two-factor sign-in set up by {actor}"
    TWO_FACTOR_VERIFIED = "two_factor.verified", "Signed in with a code from an authenticator app by {actor}"
    TWO_FACTOR_RECOVERY_USED = (
        "two_factor.recovery_used",
        "Signed in with a recovery code by {actor} ({remaining} left)",
    )
    TWO_FACTOR_LOCKED = "two_factor.locked", "Codes refused for 15 minutes after {attempts} wrong ones for {actor}"
    CALENDAR_FEED_RESET = "calendar_feed.reset", "Calendar feed address replaced by {actor}"

    # timeline: phases, milestones, meetings, decisions
    PHASE_UPDATED = "phase.updated", "Phase dates changed by {actor}"
    PHASE_STARTED = "phase.started", "Phase started on {on}"
    PHASE_CLOSED = "phase.closed", "Phase closed by a decision recorded by {actor}"
    MILESTONE_CREATED = "milestone.created", "Milestone added by {actor}"
    MILESTONE_UPDATED = "milestone.updated", "Milestone changed by {actor}"
    MILESTONE_STATUS_CHANGED = "milestone.status_changed", "Milestone status changed by {actor}"
    MILESTONE_MOVED = "milestone.moved", "Milestone moved {direction} by {actor}"
    MEETING_CREATED = "meeting.created", "Meeting arranged by {actor}"
    MEETING_UPDATED = "meeting.updated", "Meeting changed by {actor}"
    MEETING_STATUS_CHANGED = "meeting.status_changed", "Meeting marked {to} by {actor}"
    MEETING_PAPERS_PUBLISHED = "meeting.papers_published", "Agenda and papers published by {actor}, public from {on}"
    MEETING_ATTENDANCE_RECORDED = "meeting.attendance_recorded", "Attendance recorded by {actor}"
    MEETING_DEADLINE_MISSED = "meeting.deadline_missed", "Deadline for the {kind} missed ({deadline})"
    AGENDA_ITEM_ADDED = "agenda_item.added", "Agenda item added by {actor}"
    DECLARATION_RECORDED = "declaration.recorded", "Declaration of interest recorded by {actor}"
    DECISION_RECORDED = "decision.recorded", "Decision recorded by {actor}: {outcome}"
    MINUTES_DRAFTED = "minutes.drafted", "Minutes (version {number}) drafted by {actor}"
    MINUTES_CHANGED = "minutes.changed", "Minutes (version {number}) changed by {actor}"
    MINUTES_CIRCULATED = (
        "minutes.circulated",
        "Minutes (version {number}) circulated to {recipients} board members by {actor}",
    )
    MINUTES_APPROVED = "minutes.approved", "Minutes approved as a correct record at {approved_at}, recorded by {actor}"
    MINUTES_PUBLISHED = "minutes.published", "Minutes (version {number}) published on {published_on} by {actor}"
    MINUTES_CORRECTED = (
        "minutes.corrected",
        "Minutes corrected by {actor}: version {number}, published on {published_on}, because {reason}",
    )
    DECISION_DELEGATED_RECORDED = (
        "decision.delegated_recorded",
        "Decision delegated to {delegate} recorded by {actor}: {outcome}",
    )
    WRITTEN_PROCEDURE_OPENED = "written_procedure.opened", "Written procedure opened by {actor}, closing {closes_on}"
    WRITTEN_PROCEDURE_RESPONSE_RECORDED = (
        "written_procedure.response_recorded",
        "Response of {member} recorded by {actor}: {answer}",
    )
    WRITTEN_PROCEDURE_CLOSED = "written_procedure.closed", "Written procedure closed by {actor}: {outcome}"
    FORWARD_PLAN_ENTRY_ADDED = "forward_plan_entry.added", "Forward plan entry added by {actor}"
    FORWARD_PLAN_ENTRY_UPDATED = "forward_plan_entry.updated", "Forward plan entry changed by {actor}"

    # timeline: board members' registers of interests
    INTEREST_ENTRY_ADDED = "interest_entry.added", "Interest added to the register of {member} by {actor}"
    INTEREST_ENTRY_UPDATED = "interest_entry.updated", "Register entry of {member} changed by {actor}"
    INTEREST_ENTRY_ENDED = "interest_entry.ended", "Register entry of {member} ended on {ends_on} by {actor}"
    INTEREST_REGISTER_REVIEWED = "interest_register.reviewed", "Register of interests confirmed up to date by {actor}"
    INTEREST_REVIEW_REMINDED = "interest_register.review_reminded", "Reminder to review the register sent to {member}"
    DECLARATION_FROM_REGISTER = (
        "declaration.from_register",
        "Interest declared from the register by {actor} on item {item}: {nature}",
    )

    # evidence
    EVIDENCE_ITEM_CREATED = "evidence_item.created", "Evidence item added by {actor}"
    EVIDENCE_ITEM_UPDATED = "evidence_item.updated", "Evidence item changed by {actor}"
    EVIDENCE_ITEM_DELETED = "evidence_item.deleted", "Evidence item removed by {actor}"
    EVIDENCE_CONTRIBUTOR_ADDED = "evidence_contributor.added", "Partner invited to add evidence by {actor}"
    EVIDENCE_CONTRIBUTOR_REMOVED = (
        "evidence_contributor.removed",
        "Partner’s invitation to add evidence ended by {actor}",
    )
    EVIDENCE_NARRATIVE_SAVED = "evidence_narrative.saved", "Evidence narrative for {theme} saved by {actor}"
    IMPORT_JOB_UPLOADED = "import_job.uploaded", "Indicator file ({layout}) uploaded by {actor}"
    IMPORT_JOB_STARTED = "import_job.started", "Indicator import started by {actor}"
    IMPORT_JOB_REJECTED = "import_job.rejected", "Indicator import refused: {rejected_rows} rows need fixing"
    IMPORT_JOB_FAILED = "import_job.failed", "Indicator import failed ({error})"
    IMPORT_JOB_DONE = "import_job.done", "Indicator import finished"

    # engagement: calls and priorities
    CALL_CREATED = "call.created", "Call for priorities opened by {actor}"
    CALL_UPDATED = "call.updated", "Call for priorities changed by {actor}"
    CALL_REMINDER_SENT = "call.reminder_sent", "Reminder that the call closes sent by {actor}"
    CALL_PRIORITIES_EXPORTED = "call.priorities_exported", "Priorities downloaded by {actor}"
    PRIORITY_DRAFT_SAVED = "priority.draft_saved", "Draft saved by {actor}"
    PRIORITY_SUBMITTED = "priority.submitted", "Submitted by {actor}"
    PRIORITY_UPDATED = "priority.updated", "Changed by {actor}"
    PRIORITY_WITHDRAWN = "priority.withdrawn", "Withdrawn by {actor}"
    PRIORITY_ENTERED_OFFLINE = (
        "priority.entered_offline",
        "Entered on behalf of {on_behalf} by {actor}, received by {channel} on {received_on}",
    )
    PRIORITY_RESPONDED = "priority.responded", "LEP’s response written by {actor}"
    PRIORITY_RESPONSE_CHANGED = "priority.response_changed", "LEP’s response changed by {actor}"
    PRIORITY_CODED = "priority.coded", "Coded by {actor}"
    PRIORITY_HIDDEN = "priority.hidden", "Hidden from others by {actor}: {reason}"
    PRIORITY_UNHIDDEN = "priority.unhidden", "Shown again by {actor}"

    # engagement: consultations and responses
    CONSULTATION_CREATED = "consultation.created", "Consultation created by {actor}"
    CONSULTATION_UPDATED = "consultation.updated", "Consultation changed by {actor}"
    CONSULTATION_QUESTION_ADDED = "consultation.question_added", "Question added by {actor}"
    CONSULTATION_QUESTION_REMOVED = "consultation.question_removed", "Question “{question}” removed by {actor}"
    CONSULTATION_QUESTION_MOVED = "consultation.question_moved", "Question moved by {actor}"
    CONSULTATION_RESPONSES_EXPORTED = "consultation.responses_exported", "Responses downloaded by {actor}"
    CONSULTATION_PROPOSITIONS_SET = (
        "consultation.propositions_set",
        "Propositions consulted on changed by {actor}: added {added}; removed {removed}",
    )
    CONSULTATION_DOCUMENT_ADDED = "consultation.document_added", "Document “{title}” ({file}) added by {actor}"
    CONSULTATION_DOCUMENT_REMOVED = "consultation.document_removed", "Document “{title}” removed by {actor}"
    CONSULTATION_DRAFT_VERSION_SET = (
        "consultation.draft_version_set",
        "Draft consulted on set to version {number} by {actor}, published to the consultation’s audience",
    )
    CONSULTATION_DRAFT_VERSION_CLEARED = (
        "consultation.draft_version_cleared",
        "Draft version {number} no longer consulted on, unlinked by {actor}",
    )
    CONSULTATION_UNCONFIRMED_PURGED = (
        "consultation.unconfirmed_purged",
        "{responses} unconfirmed public responses deleted after seven days",
    )
    RESPONSE_STARTED = "response.started", "Response started by {actor}"
    RESPONSE_SAVED = "response.saved", "Response saved by {actor}"
    RESPONSE_SUBMITTED = "response.submitted", "Response submitted by {actor}"
    RESPONSE_PUBLIC_RECEIVED = "response.public_received", "Public response received, awaiting confirmation"
    RESPONSE_PUBLIC_CONFIRMED = "response.public_confirmed", "Public response confirmed by the respondent"
    RESPONSE_ENTERED_OFFLINE = (
        "response.entered_offline",
        "Entered on behalf of {on_behalf} by {actor}, received by {channel} on {received_on}",
    )
    RESPONSE_CODED = "response.coded", "Response coded by {actor}"
    RESPONSE_REPLIED = "response.replied", "LEP’s reply written by {actor}"
    RESPONSE_REPLY_CHANGED = "response.reply_changed", "LEP’s reply changed by {actor}"
    RESPONSE_HIDDEN = "response.hidden", "Response hidden from others by {actor}: {reason}"
    RESPONSE_UNHIDDEN = "response.unhidden", "Response shown again by {actor}"

    # engagement: propositions, events, the register, updates
    PROPOSITION_CREATED = "proposition.created", "Proposition created by {actor}"
    PROPOSITION_UPDATED = "proposition.updated", "Proposition changed by {actor}"
    PROPOSITION_STATUS_CHANGED = "proposition.status_changed", "Proposition marked {to} by {actor}"
    EVENT_CREATED = "event.created", "Event arranged by {actor}"
    EVENT_UPDATED = "event.updated", "Event changed by {actor}"
    EVENT_CANCELLED = "event.cancelled", "Event cancelled by {actor}: {reason}"
    EVENT_FEEDBACK_ATTACHED = "event.feedback_attached", "Feedback form attached by {actor}"
    CONTACT_CREATED = "contact.created", "Contact added to the register by {actor}"
    CONTACT_UPDATED = "contact.updated", "Contact changed by {actor}"
    CONTACT_REMOVED = "contact.removed", "Contact removed from the register by {actor}"
    ENGAGEMENT_LOGGED = "engagement.logged", "Engagement logged by {actor}"
    ACTIVITY_CREATED = "activity.created", "Planned activity added by {actor}"
    ACTIVITY_UPDATED = "activity.updated", "Planned activity changed by {actor}"
    SUBSCRIPTION_REQUESTED = "subscription.requested", "Subscription to updates requested"
    SUBSCRIPTION_CONFIRMED = "subscription.confirmed", "Subscription to updates confirmed"
    SUBSCRIPTION_UNSUBSCRIBED = "subscription.unsubscribed", "Unsubscribed from updates"
    UPDATE_CREATED = "update.created", "Update written by {actor}"
    UPDATE_EDITED = "update.edited", "Update changed by {actor}"
    UPDATE_SEND_REQUESTED = "update.send_requested", "Update sent to subscribers by {actor}"
    UPDATE_SENT = "update.sent", "Update delivered to {deliveries} subscribers"

    # documents: the draft, reviews, papers, packs
    DRAFT_CREATED = "draft.created", "Draft strategy started by {actor}"
    DRAFT_SECTION_SAVED = "draft.section_saved", "Section saved by {actor}"
    DRAFT_SECTION_LINKED = "draft.section_linked", "Section’s links changed by {actor}"
    DRAFT_VERSION_SAVED = "draft.version_saved", "Version {number} of the draft saved by {actor}"
    DRAFT_STATUS_SET = "draft.status_set", "Draft marked {to} by {actor}"
    REVIEW_OPENED = "review.opened", "Review window opened by {actor}"
    REVIEW_INVITED = "review.invited", "Invitation to review sent by {actor}"
    REVIEW_COMMENTED = "review.commented", "Review comment made by {actor}"
    REVIEW_REPLIED = "review.replied", "Reply to a review comment made by {actor}"
    REVIEW_RESOLVED = "review.resolved", "Review comment resolved by {actor}"
    REVIEW_CLOSED = "review.closed", "Review window closed by {actor}"
    REVIEW_PUBLIC_RECEIVED = "review.public_received", "Comment from the public received, awaiting confirmation"
    REVIEW_PUBLIC_CONFIRMED = "review.public_confirmed", "Comment from the public confirmed by its sender"
    REVIEW_COMMENT_PUBLISHED = "review.comment_published", "Comment from the public published by {actor}"
    REVIEW_COMMENT_HIDDEN = "review.comment_hidden", "Comment from the public hidden by {actor}"
    REVIEW_UNCONFIRMED_PURGED = (
        "review.unconfirmed_purged",
        "{comments} unconfirmed comments from the public deleted after seven days",
    )
    PAPER_SAVED = "paper.saved", "Board paper saved by {actor}"
    PAPER_APPENDIX_ADDED = "paper.appendix_added", "Appendix of {pages} pages added by {actor}"
    PAPER_DOWNLOADED = "paper.downloaded", "Board paper (version {version}) downloaded as a PDF by {actor}"
    PACK_REQUESTED = "pack.requested", "Pack ({kind}) requested by {actor}"
    PACK_RETRIED = "pack.retried", "Pack requested again by {actor}"
    PACK_READY = "pack.ready", "Pack rendered ({pages} pages)"
    PACK_FAILED = "pack.failed", "Pack could not be rendered: {error}"
    PACK_DOWNLOADED = "pack.downloaded", "Pack downloaded by {actor}"
    STRATEGY_PUBLISHED = "strategy.published", "Strategy published (edition {edition}) by {actor}"


MISSING = "—"


class _Values(dict[str, str]):
    def __missing__(self, key: str) -> str:
        return MISSING


def _readable(value: Any) -> str:
    """A data value as a person reads it: codes with spaces, lists joined, nothing as "—"."""
    if value is None or value == "":
        return MISSING
    if isinstance(value, bool):
        return "yes" if value else "no"
    if isinstance(value, (list, tuple)):
        return ", ".join(_readable(v) for v in value) or MISSING
    if isinstance(value, dict):
        return MISSING
    text = str(value)
    try:
        day = date.fromisoformat(text)
    except ValueError:
        return text.replace("_", " ") if text.isidentifier() else text
    return f"{day.day} {day:%B %Y}" if len(text) == 10 else text


def audit_sentence(event: AuditEvent) -> str:
    """What happened, as the sentence people read: "Entered on behalf of Medway Council by Ada Officer"."""
    try:
        template = AuditVerb(event.verb).label
    except ValueError:  # a kind no longer recorded: say what we know
        template = f"{event.verb.replace('_', ' ').replace('.', ': ')} by {{actor}}"
    values = _Values({key: _readable(value) for key, value in (event.data or {}).items()})
    values["actor"] = str(event.actor) if event.actor is not None else "the portal"
    values["target"] = event.target_repr or MISSING
    return str(template).format_map(values)
