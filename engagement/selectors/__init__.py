"""Reads of engagement's records, joined once here and shared by views, the exports, reminders,
the strategy overview and other apps. None of them grows its query count with the rows.

One module per seam of the views (priorities, consultations, responses, propositions, events,
register, updates, synthesis, publish), with the reads they share in `common`. This package
re-exports every public name, so `from engagement.selectors import call_list_open` reads as before.
"""

from __future__ import annotations

from .common import (
    EXPORT_CHUNK,
    area_list_for_strategy,
    council_list_for_strategy,
    evidence_item_choices,
    organisation_list_for_strategy,
    tag_list_for_strategy,
    theme_list,
)
from .consultations import (
    consultation_list_for_user,
    consultation_list_open,
    consultation_list_open_for_overview,
    question_list,
    respondent_organisations,
)
from .events import (
    activity_choices,
    event_attending,
    event_choices,
    event_feedback_count,
    event_list_for_strategy,
    officer_list_for_strategy,
)
from .priorities import (
    CouncilPriorityFilters,
    PriorityFilters,
    call_list_for_strategy,
    call_list_open,
    priority_history,
    priority_iter_for_export,
    priority_list_for_call,
    priority_list_for_councils,
)
from .propositions import priority_choices_for_propositions, proposition_list_for_strategy, proposition_priorities
from .publish import (
    ERASED_CREDIT,
    PUBLIC_CREDIT,
    call_get_closed,
    closed_list_for_overview,
    consultation_get_closed,
    priority_counts_published,
    priority_list_published,
    response_counts_published,
    response_list_published,
    response_public_credit,
    response_published_answers,
)
from .register import (
    EntryFilters,
    PlanAgainstActual,
    contact_list_for_strategy,
    entry_list_for_strategy,
    plan_against_actual,
)
from .responses import (
    ResponseFilters,
    consultation_get_public,
    organisation_list_for_consultation,
    response_history,
    response_iter_for_export,
    response_list_for_consultation,
    response_list_for_organisations,
)
from .synthesis import (
    MOST_BACKED,
    PUBLIC_KIND,
    CallSynthesis,
    ChoiceTally,
    ConsultationSynthesis,
    Tally,
    call_synthesis,
    consultation_synthesis,
)
from .todos import engagement_todos_for
from .updates import subscription_counts, update_list_for_strategy, update_list_sent, update_progress

__all__ = [
    "ERASED_CREDIT",
    "EXPORT_CHUNK",
    "MOST_BACKED",
    "PUBLIC_CREDIT",
    "PUBLIC_KIND",
    "CallSynthesis",
    "ChoiceTally",
    "ConsultationSynthesis",
    "CouncilPriorityFilters",
    "EntryFilters",
    "PlanAgainstActual",
    "PriorityFilters",
    "ResponseFilters",
    "Tally",
    "activity_choices",
    "area_list_for_strategy",
    "call_get_closed",
    "call_list_for_strategy",
    "call_list_open",
    "call_synthesis",
    "closed_list_for_overview",
    "consultation_get_closed",
    "consultation_get_public",
    "consultation_list_for_user",
    "consultation_list_open",
    "consultation_list_open_for_overview",
    "consultation_synthesis",
    "contact_list_for_strategy",
    "council_list_for_strategy",
    "engagement_todos_for",
    "entry_list_for_strategy",
    "event_attending",
    "event_choices",
    "event_feedback_count",
    "event_list_for_strategy",
    "evidence_item_choices",
    "officer_list_for_strategy",
    "organisation_list_for_consultation",
    "organisation_list_for_strategy",
    "plan_against_actual",
    "priority_choices_for_propositions",
    "priority_counts_published",
    "priority_history",
    "priority_iter_for_export",
    "priority_list_for_call",
    "priority_list_for_councils",
    "priority_list_published",
    "proposition_list_for_strategy",
    "proposition_priorities",
    "question_list",
    "respondent_organisations",
    "response_counts_published",
    "response_history",
    "response_iter_for_export",
    "response_list_for_consultation",
    "response_list_for_organisations",
    "response_list_published",
    "response_public_credit",
    "response_published_answers",
    "subscription_counts",
    "tag_list_for_strategy",
    "theme_list",
    "update_list_for_strategy",
    "update_list_sent",
    "update_progress",
]
