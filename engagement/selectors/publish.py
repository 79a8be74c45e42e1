"""You said, we did: what people said and what the LEP replied, published once a call or
consultation closes.
"""

from __future__ import annotations

from datetime import datetime

from django.db.models import Count, Prefetch, Q, QuerySet
from django.db.models.functions import Lower
from django.utils import timezone

from core.models import Area, Strategy, Theme, User

from ..models import Call, Consultation, ConsultationResponse, Priority, Proposition, Question

# You said, we did: what people said and what the LEP replied, published once a call or consultation closes


ERASED_CREDIT = User.ERASED_NAME.capitalize()
PUBLIC_CREDIT = "A member of the public"


def consultation_get_closed(*, strategy: Strategy, pk: int, now: datetime | None = None) -> Consultation | None:
    """A consultation of `strategy` that has closed (any audience), or None: its published page."""
    now = now or timezone.now()
    return (
        Consultation.objects.select_related("strategy", "phase")
        .filter(pk=pk, strategy=strategy, closes_at__lte=now)
        .first()
    )


def call_get_closed(*, strategy: Strategy, pk: int, now: datetime | None = None) -> Call | None:
    """A call for priorities of `strategy` that has closed, or None: its published page."""
    now = now or timezone.now()
    return Call.objects.select_related("strategy", "phase").filter(pk=pk, strategy=strategy, closes_at__lte=now).first()


def _response_published() -> Q:
    """Submitted (a member of the public's only once confirmed), not hidden, and publishable: an
    organisation's always (organisations respond on the record), a member of the public's only if
    they said it may be published."""
    return Q(status=ConsultationResponse.Status.SUBMITTED, is_hidden=False) & (
        Q(organisation__isnull=False) | Q(may_publish=True)
    )


def response_list_published(*, consultation: Consultation) -> QuerySet[ConsultationResponse]:
    """The responses of a consultation that may be published, oldest first, joined once."""
    return (
        ConsultationResponse.objects.filter(_response_published(), consultation=consultation)
        .select_related("organisation")
        .order_by("submitted_at", "pk")
    )


def response_counts_published(*, consultation: Consultation) -> dict[str, int]:
    """Responses received (submitted or confirmed), published on the page, and replied to, in one query."""
    submitted = Q(status=ConsultationResponse.Status.SUBMITTED)
    return ConsultationResponse.objects.filter(consultation=consultation).aggregate(
        received=Count("pk", filter=submitted),
        published=Count("pk", filter=_response_published()),
        replied=Count("pk", filter=submitted & Q(replied_at__isnull=False)),
    )


def response_public_credit(response: ConsultationResponse) -> str:
    """Who a published response is credited to: the organisation's name; for a member of the public,
    as they chose (their name, the organisation they typed, or "a member of the public"); for an
    erased person, "a participant"."""
    if response.organisation_id is not None:
        return response.organisation.name if response.organisation else ""
    if User.is_erased_email(response.respondent_email):
        return ERASED_CREDIT
    return response.credit_label or PUBLIC_CREDIT


def response_published_answers(
    *, response: ConsultationResponse, questions: list[Question]
) -> list[tuple[Question, str]]:
    """Each question with the answer as a person reads it (choices joined, "4 of 5" on the scale)."""
    return [(q, q.answer_display(response.answers.get(str(q.pk)))) for q in questions]


def priority_list_published(*, call: Call) -> QuerySet[Priority]:
    """The submitted, not hidden priorities of a call (withdrawn ones are not submitted), each with its
    council, themes and places, and the agreed propositions it fed into (emerging and dropped ones stay
    the officers'), oldest first, in a fixed number of queries."""
    agreed = Proposition.objects.filter(status=Proposition.Status.AGREED).order_by(Lower("title"), "pk")
    return (
        Priority.objects.standing()
        .filter(call=call)
        .select_related("organisation")
        .prefetch_related(
            Prefetch("themes", queryset=Theme.objects.order_by("kind", "order")),
            Prefetch("areas", queryset=Area.objects.order_by("name")),
            Prefetch("propositions", queryset=agreed, to_attr="agreed_propositions"),
        )
        .order_by("submitted_at", "pk")
    )


def priority_counts_published(*, call: Call) -> dict[str, int]:
    """Priorities received (submitted, not withdrawn), published on the page, and responded to."""
    submitted = Q(status=Priority.Status.SUBMITTED)
    return Priority.objects.filter(call=call).aggregate(
        received=Count("pk", filter=submitted),
        published=Count("pk", filter=submitted & Q(is_hidden=False)),
        responded=Count("pk", filter=submitted & Q(responded_at__isnull=False)),
    )


def closed_list_for_overview(
    *, strategy: Strategy, now: datetime | None = None, limit: int = 10
) -> tuple[list[Consultation], list[Call]]:
    """The strategy's most recently closed consultations and calls, for its public overview."""
    now = now or timezone.now()
    consultations = list(
        Consultation.objects.filter(strategy=strategy, closes_at__lte=now).order_by("-closes_at", "pk")[:limit]
    )
    calls = list(Call.objects.filter(strategy=strategy, closes_at__lte=now).order_by("-closes_at", "pk")[:limit])
    return consultations, calls
