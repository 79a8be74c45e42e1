"""Forms of engagement: calls, priorities, consultations, responses, propositions, events, the
register, the plan and updates, and the officer's coding, reply and moderation.

A form offers only the choices that belong to the strategy (its phases, places, organisations)
or to the person (their councils); the service checks the rules again, and the view turns its
ApplicationError into a form error.

One module per seam of the views, with the officer's coding, reply and hide forms in `coding` and
the helpers they share in `common`. This package re-exports every public name, so
`from engagement.forms import PriorityForm` reads as before.
"""

from __future__ import annotations

from .coding import CodeForm, HideForm, RespondForm
from .common import HONEYPOT_FIELD, AreaChoiceField, ThemeChoiceField, honeypot_filled
from .consultations import ConsultationDocumentForm, ConsultationForm, ConsultedPropositionsForm, QuestionForm
from .events import EventCancelForm, EventForm, FeedbackForm
from .priorities import (
    EVIDENCE_ROWS,
    CallForm,
    CouncilPriorityFilterForm,
    OfflinePriorityForm,
    PriorityFilterForm,
    PriorityForm,
)
from .propositions import PriorityChoiceField, PropositionForm, PropositionStatusForm
from .register import (
    ActivityForm,
    ContactFilterForm,
    ContactForm,
    EntryFilterForm,
    EntryForm,
    OrganisationChoiceField,
    OwnerChoiceField,
)
from .responses import (
    SCALE_LABELS,
    YES_NO,
    OfflineResponseForm,
    PublicResponseForm,
    ResponseFilterForm,
    ResponseForm,
    StartResponseForm,
    answer_field_name,
)
from .updates import SubscribeForm, UpdateForm

__all__ = [
    "EVIDENCE_ROWS",
    "HONEYPOT_FIELD",
    "SCALE_LABELS",
    "YES_NO",
    "ActivityForm",
    "AreaChoiceField",
    "CallForm",
    "CodeForm",
    "ConsultationDocumentForm",
    "ConsultationForm",
    "ConsultedPropositionsForm",
    "ContactFilterForm",
    "ContactForm",
    "CouncilPriorityFilterForm",
    "EntryFilterForm",
    "EntryForm",
    "EventCancelForm",
    "EventForm",
    "FeedbackForm",
    "HideForm",
    "OfflinePriorityForm",
    "OfflineResponseForm",
    "OrganisationChoiceField",
    "OwnerChoiceField",
    "PriorityChoiceField",
    "PriorityFilterForm",
    "PriorityForm",
    "PropositionForm",
    "PropositionStatusForm",
    "PublicResponseForm",
    "QuestionForm",
    "RespondForm",
    "ResponseFilterForm",
    "ResponseForm",
    "StartResponseForm",
    "SubscribeForm",
    "ThemeChoiceField",
    "UpdateForm",
    "answer_field_name",
    "honeypot_filled",
]
