"""Reads of calls, priorities, consultations and responses, joined once here and shared by views,
the exports, reminders and the strategy overview. None of them grows its query count with the rows."""

from __future__ import annotations

from collections.abc import Iterator, Sequence
from dataclasses import dataclass
from datetime import datetime, timedelta
from typing import Any

from django.db import connection
from django.db.models import Count, Prefetch, Q, QuerySet
from django.db.models.functions import Lower, TruncWeek
from django.utils import timezone

from core.models import Area, Email, Organisation, Role, Strategy, Theme, User
from evidence.models import EvidenceItem
from evidence.rules import visible_sharing

from .models import (
    SCALE_MAX,
    SCALE_MIN,
    Call,
    Consultation,
    ConsultationResponse,
    Contact,
    EngagementEntry,
    Event,
    PlannedActivity,
    Priority,
    Proposition,
    Question,
    Subscription,
    Tag,
    Update,
    UpdateDelivery,
)
from .rules import audiences_of, can_manage, council_ids_of, partner_org_ids_of, respondent_org_ids


def area_list_for_strategy(*, strategy: Strategy) -> QuerySet[Area]:
    """The places a priority can concern: the strategy's LEP area, the districts and unitary
    authorities inside it, and the counties those districts sit in."""
    if strategy.area_id is None:
        return Area.objects.none()
    inside = Q(parents=strategy.area_id)
    counties = Q(kind=Area.Kind.COUNTY, children__parents=strategy.area_id)
    return (
        Area.objects.filter(Q(pk=strategy.area_id) | inside | counties)
        .exclude(kind=Area.Kind.ITL_REGION)
        .distinct()
        .order_by("kind", "name")
    )


def organisation_list_for_strategy(*, strategy: Strategy) -> QuerySet[Organisation]:
    """The lead LEP and the strategy's partners: the organisations that may back a priority."""
    return Organisation.objects.filter(Q(pk=strategy.lead_id) | Q(partner_strategies=strategy)).distinct()


def council_list_for_strategy(*, strategy: Strategy) -> QuerySet[Organisation]:
    return strategy.partners.filter(kind__in=Organisation.COUNCIL_KINDS).order_by("name")


def theme_list() -> QuerySet[Theme]:
    return Theme.objects.order_by("kind", "order")


def evidence_item_choices(*, strategy: Strategy, user: Any) -> QuerySet[EvidenceItem]:
    """The strategy's evidence items a person may rest a priority on: those they may see."""
    return EvidenceItem.objects.filter(strategy=strategy, sharing__in=visible_sharing(user, strategy)).order_by(
        Lower("title"), "pk"
    )


def tag_list_for_strategy(*, strategy: Strategy) -> QuerySet[Tag]:
    return Tag.objects.filter(strategy=strategy).order_by(Lower("name"))


# Calls -----------------------------------------------------------------------------------------


def call_list_for_strategy(*, strategy: Strategy) -> QuerySet[Call]:
    """Every call of the strategy with the counts an officer watches, in one query."""
    return (
        Call.objects.filter(strategy=strategy)
        .select_related("phase", "strategy")
        .annotate(
            submitted_count=Count("priorities", filter=Q(priorities__status=Priority.Status.SUBMITTED)),
            draft_count=Count("priorities", filter=Q(priorities__status=Priority.Status.DRAFT)),
            uncoded_count=Count(
                "priorities", filter=Q(priorities__status=Priority.Status.SUBMITTED, priorities__coded_at__isnull=True)
            ),
            unanswered_count=Count(
                "priorities",
                filter=Q(priorities__status=Priority.Status.SUBMITTED, priorities__responded_at__isnull=True),
            ),
        )
        .order_by("-opens_at", "pk")
    )


def call_list_open(*, strategy: Strategy, now: datetime | None = None) -> QuerySet[Call]:
    """The calls open now, closing soonest first (the councillor's page and the public overview)."""
    now = now or timezone.now()
    return (
        Call.objects.filter(strategy=strategy, opens_at__lte=now, closes_at__gt=now)
        .select_related("phase", "strategy")
        .order_by("closes_at", "pk")
    )


# Priorities ----------------------------------------------------------------------------------


def _with_relations(priorities: QuerySet[Priority]) -> QuerySet[Priority]:
    themes = Theme.objects.order_by("kind", "order")
    return priorities.select_related(
        "call__strategy", "call__phase", "organisation", "author", "entered_by"
    ).prefetch_related(
        Prefetch("evidence_items", queryset=EvidenceItem.objects.order_by("title")),
        Prefetch("themes", queryset=themes),
        Prefetch("coded_themes", queryset=themes),
        Prefetch("areas", queryset=Area.objects.order_by("name")),
        Prefetch("backing_organisations", queryset=Organisation.objects.order_by("name")),
        Prefetch("tags", queryset=Tag.objects.order_by(Lower("name"))),
    )


def priority_list_for_councils(*, strategy: Strategy, council_ids: frozenset[int] | set[int]) -> QuerySet[Priority]:
    """The priorities of the given councils in the strategy's calls, every status, newest call first."""
    return _with_relations(Priority.objects.filter(call__strategy=strategy, organisation_id__in=council_ids)).order_by(
        "-call__opens_at", "call_id", "-updated_at", "-pk"
    )


@dataclass(frozen=True)
class PriorityFilters:
    status: str = ""
    organisation_id: int | None = None
    theme_id: int | None = None
    tag_id: int | None = None
    coded: str = ""  # "yes", "no" or ""
    responded: str = ""
    hidden: str = ""  # "", "hide" (leave hidden ones out) or "only"

    def as_dict(self) -> dict[str, str]:
        return {k: str(v) for k, v in self.__dict__.items() if v not in ("", None)}


def priority_list_for_call(*, call: Call, filters: PriorityFilters | None = None) -> QuerySet[Priority]:
    """The submitted and withdrawn priorities of a call for its officers (drafts stay with the
    councils), filtered, newest first."""
    f = filters or PriorityFilters()
    priorities = Priority.objects.filter(call=call).exclude(status=Priority.Status.DRAFT)
    if f.status:
        priorities = priorities.filter(status=f.status)
    if f.organisation_id:
        priorities = priorities.filter(organisation_id=f.organisation_id)
    if f.theme_id:
        priorities = priorities.filter(Q(themes=f.theme_id) | Q(coded_themes=f.theme_id))
    if f.tag_id:
        priorities = priorities.filter(tags=f.tag_id)
    if f.coded:
        priorities = priorities.filter(coded_at__isnull=f.coded == "no")
    if f.responded:
        priorities = priorities.filter(responded_at__isnull=f.responded == "no")
    if f.hidden == "hide":
        priorities = priorities.filter(is_hidden=False)
    elif f.hidden == "only":
        priorities = priorities.filter(is_hidden=True)
    if f.theme_id:
        priorities = priorities.distinct()
    return _with_relations(priorities).order_by("-submitted_at", "-pk")


# Exports read this many rows (with their prefetched relations) at a time: the peak memory of an
# export is about one chunk's, whatever its length (bench/engagement.py measures it).
EXPORT_CHUNK = 100


def priority_iter_for_export(*, call: Call, filters: PriorityFilters | None = None) -> Iterator[Priority]:
    """The same rows as the officer's list, fetched in chunks so a large export streams in constant memory."""
    return priority_list_for_call(call=call, filters=filters).iterator(chunk_size=EXPORT_CHUNK)


def priority_history(*, priority: Priority) -> QuerySet[Any]:
    from core.models import AuditEvent

    return (
        AuditEvent.objects.filter(
            target_type__app_label="engagement", target_type__model="priority", target_id=str(priority.pk)
        )
        .select_related("actor")
        .order_by("-created_at", "-pk")
    )


# Consultations ---------------------------------------------------------------------------------------


def consultation_list_for_user(*, strategy: Strategy, user: Any) -> QuerySet[Consultation]:
    """The consultations a person sees: every one, with the counts officers watch, for officers and
    administrators; those addressed to them for councillors and partners. One query either way."""
    consultations = Consultation.objects.filter(strategy=strategy).select_related("phase", "strategy")
    if not can_manage(user, strategy):
        consultations = consultations.filter(audience__in=audiences_of(user, strategy))
    submitted = Q(responses__status=ConsultationResponse.Status.SUBMITTED)
    return consultations.annotate(
        question_count=Count("questions", distinct=True),
        submitted_count=Count("responses", filter=submitted, distinct=True),
        draft_count=Count("responses", filter=Q(responses__status=ConsultationResponse.Status.DRAFT), distinct=True),
        uncoded_count=Count("responses", filter=submitted & Q(responses__coded_at__isnull=True), distinct=True),
        unanswered_count=Count("responses", filter=submitted & Q(responses__replied_at__isnull=True), distinct=True),
    ).order_by("-opens_at", "pk")


def consultation_list_open(*, strategy: Strategy, user: Any, now: datetime | None = None) -> QuerySet[Consultation]:
    now = now or timezone.now()
    return consultation_list_for_user(strategy=strategy, user=user).filter(opens_at__lte=now, closes_at__gt=now)


def consultation_list_open_for_overview(*, strategy: Strategy, now: datetime | None = None) -> QuerySet[Consultation]:
    """Every open consultation of the strategy, for its public overview (title, audience, closing)."""
    now = now or timezone.now()
    return Consultation.objects.filter(strategy=strategy, opens_at__lte=now, closes_at__gt=now).order_by("closes_at")


def question_list(*, consultation: Consultation) -> list[Question]:
    return list(consultation.questions.order_by("order", "pk"))


def respondent_organisations(*, consultation: Consultation, user: Any) -> list[Organisation]:
    """The organisations a person may respond for, each with its response to this consultation, if any."""
    ids = respondent_org_ids(user, consultation.strategy, consultation.audience)
    organisations = list(Organisation.objects.filter(pk__in=ids).order_by("name"))
    responses = {
        r.organisation_id: r
        for r in ConsultationResponse.objects.filter(consultation=consultation, organisation__in=ids)
    }
    for organisation in organisations:
        organisation.consultation_response = responses.get(organisation.pk)  # type: ignore[attr-defined]
    return organisations


def response_list_for_organisations(*, strategy: Strategy, user: Any) -> QuerySet[ConsultationResponse]:
    """Every response of the organisations a person may respond for, in the consultations addressed to them."""
    councils, partners = council_ids_of(user, strategy), partner_org_ids_of(user, strategy)
    mine = Q(organisation_id__in=councils, consultation__audience__in=["councillors", "public"]) | Q(
        organisation_id__in=partners, consultation__audience__in=["partners", "public"]
    )
    return (
        ConsultationResponse.objects.filter(mine, consultation__strategy=strategy)
        .select_related("consultation__strategy", "organisation", "last_saved_by", "submitted_by", "entered_by")
        .order_by("-consultation__opens_at", "consultation_id", "organisation__name", "pk")
    )


@dataclass(frozen=True)
class ResponseFilters:
    organisation_kind: str = ""
    theme_id: int | None = None
    tag_id: int | None = None
    coded: str = ""
    replied: str = ""
    hidden: str = ""

    def as_dict(self) -> dict[str, str]:
        return {k: str(v) for k, v in self.__dict__.items() if v not in ("", None)}


def response_list_for_consultation(
    *, consultation: Consultation, filters: ResponseFilters | None = None
) -> QuerySet[ConsultationResponse]:
    """The submitted responses of a consultation for its officers (drafts stay with the
    organisations), filtered, newest first, joined once."""
    f = filters or ResponseFilters()
    responses = ConsultationResponse.objects.filter(
        consultation=consultation, status=ConsultationResponse.Status.SUBMITTED
    )
    if f.organisation_kind == "public":
        responses = responses.filter(organisation__isnull=True)
    elif f.organisation_kind:
        responses = responses.filter(organisation__kind=f.organisation_kind)
    if f.theme_id:
        responses = responses.filter(coded_themes=f.theme_id)
    if f.tag_id:
        responses = responses.filter(tags=f.tag_id)
    if f.coded:
        responses = responses.filter(coded_at__isnull=f.coded == "no")
    if f.replied:
        responses = responses.filter(replied_at__isnull=f.replied == "no")
    if f.hidden == "hide":
        responses = responses.filter(is_hidden=False)
    elif f.hidden == "only":
        responses = responses.filter(is_hidden=True)
    themes = Theme.objects.order_by("kind", "order")
    return (
        responses.select_related("consultation__strategy", "organisation", "submitted_by", "entered_by")
        .prefetch_related(
            Prefetch("coded_themes", queryset=themes), Prefetch("tags", queryset=Tag.objects.order_by(Lower("name")))
        )
        .order_by("-submitted_at", "-pk")
    )


def response_iter_for_export(
    *, consultation: Consultation, filters: ResponseFilters | None = None
) -> Iterator[ConsultationResponse]:
    """The officer's list in chunks, so a large export streams in constant memory."""
    return response_list_for_consultation(consultation=consultation, filters=filters).iterator(chunk_size=EXPORT_CHUNK)


def response_history(*, response: ConsultationResponse) -> QuerySet[Any]:
    from core.models import AuditEvent

    return (
        AuditEvent.objects.filter(
            target_type__app_label="engagement", target_type__model="consultationresponse", target_id=str(response.pk)
        )
        .select_related("actor")
        .order_by("-created_at", "-pk")
    )


# Propositions ----------------------------------------------------------------------------------------


def proposition_list_for_strategy(*, strategy: Strategy, status: str = "") -> QuerySet[Proposition]:
    """The strategy's propositions with their themes, and how many priorities and evidence items are
    behind each, in a fixed number of queries."""
    propositions = Proposition.objects.filter(strategy=strategy)
    if status:
        propositions = propositions.filter(status=status)
    return (
        propositions.annotate(
            priority_count=Count("priorities", distinct=True), evidence_count=Count("evidence_items", distinct=True)
        )
        .prefetch_related(Prefetch("themes", queryset=Theme.objects.order_by("kind", "order")))
        .order_by("status", Lower("title"), "pk")
    )


def priority_choices_for_propositions(*, strategy: Strategy) -> QuerySet[Priority]:
    """The priorities a proposition can bring together: the strategy's submitted ones."""
    return (
        Priority.objects.filter(call__strategy=strategy, status=Priority.Status.SUBMITTED)
        .select_related("organisation", "call")
        .order_by(Lower("title"), "pk")
    )


def proposition_priorities(*, proposition: Proposition) -> QuerySet[Priority]:
    return _with_relations(proposition.priorities.all()).order_by(Lower("title"), "pk")


# Public responses and offline input (docs/adr/0041) ----------------------------------------------------


def organisation_list_for_consultation(*, consultation: Consultation) -> QuerySet[Organisation]:
    """The strategy's organisations a consultation is addressed to: its councils, its partners, or both
    (an officer enters offline input on behalf of one of these)."""
    from .rules import PARTNER_KINDS

    kinds: set[str] = set()
    if consultation.audience in ("councillors", "public"):
        kinds |= set(Organisation.COUNCIL_KINDS)
    if consultation.audience in ("partners", "public"):
        kinds |= set(PARTNER_KINDS)
    return consultation.strategy.partners.filter(kind__in=kinds).order_by("name")


def consultation_get_public(*, strategy: Strategy, pk: int) -> Consultation | None:
    """A consultation of `strategy` open to the public (any state), or None."""
    return (
        Consultation.objects.select_related("strategy__lead", "phase")
        .filter(pk=pk, strategy=strategy, audience=Consultation.Audience.PUBLIC)
        .first()
    )


# Events, the stakeholder register and the engagement plan -----------------------------------------


def event_list_for_strategy(
    *, strategy: Strategy, when: str = "upcoming", now: datetime | None = None
) -> QuerySet[Event]:
    """The strategy's upcoming events (soonest first) or past ones (latest first), each with the number
    of organisations attending and of feedback responses submitted, in one query."""
    now = now or timezone.now()
    events = Event.objects.filter(strategy=strategy).select_related("theme", "organiser", "feedback")
    if when == "past":
        events = events.filter(starts_at__lt=now).order_by("-starts_at", "-pk")
    else:
        events = events.filter(starts_at__gte=now).order_by("starts_at", "pk")
    return events.annotate(
        attending_count=Count("attending", distinct=True),
        feedback_count=Count(
            "feedback__responses",
            filter=Q(feedback__responses__status=ConsultationResponse.Status.SUBMITTED),
            distinct=True,
        ),
    )


def event_attending(*, event: Event) -> list[Organisation]:
    return list(event.attending.order_by("name"))


def event_feedback_count(*, event: Event) -> int:
    if event.feedback_id is None:
        return 0
    return ConsultationResponse.objects.filter(
        consultation_id=event.feedback_id, status=ConsultationResponse.Status.SUBMITTED
    ).count()


def event_choices(*, strategy: Strategy) -> QuerySet[Event]:
    return Event.objects.filter(strategy=strategy).order_by("-starts_at", "pk")


def officer_list_for_strategy(*, strategy: Strategy) -> QuerySet[User]:
    """The officers of the strategy's lead LEP: the people who may own a planned activity."""
    return (
        User.objects.filter(
            memberships__organisation_id=strategy.lead_id, memberships__role=Role.OFFICER, is_active=True
        )
        .distinct()
        .order_by("name", "pk")
    )


def activity_choices(*, strategy: Strategy) -> QuerySet[PlannedActivity]:
    return PlannedActivity.objects.filter(strategy=strategy).order_by("planned_on", "pk")


def contact_list_for_strategy(
    *, strategy: Strategy, organisation_kind: str = "", name: str = "", organisation_id: int | None = None
) -> QuerySet[Contact]:
    """The strategy's contacts, filtered by the kind of their organisation and by (part of) their name."""
    contacts = Contact.objects.filter(strategy=strategy).select_related("organisation")
    if organisation_kind == "none":
        contacts = contacts.filter(organisation__isnull=True)
    elif organisation_kind:
        contacts = contacts.filter(organisation__kind=organisation_kind)
    if name.strip():
        contacts = contacts.filter(name__icontains=name.strip())
    if organisation_id is not None:
        contacts = contacts.filter(organisation_id=organisation_id)
    return contacts.order_by(Lower("name"), "pk")


@dataclass
class EntryFilters:
    method: str = ""
    organisation_id: int | None = None
    contact_id: int | None = None
    theme_id: int | None = None
    event_id: int | None = None


def entry_list_for_strategy(*, strategy: Strategy, filters: EntryFilters | None = None) -> QuerySet[EngagementEntry]:
    """The engagement log, latest first, with everything a row shows joined in."""
    filters = filters or EntryFilters()
    entries = EngagementEntry.objects.filter(strategy=strategy).select_related(
        "contact", "contact__organisation", "organisation", "theme", "event", "planned_activity", "logged_by"
    )
    if filters.method:
        entries = entries.filter(method=filters.method)
    if filters.organisation_id is not None:
        entries = entries.filter(
            Q(organisation_id=filters.organisation_id) | Q(contact__organisation_id=filters.organisation_id)
        )
    if filters.contact_id is not None:
        entries = entries.filter(contact_id=filters.contact_id)
    if filters.theme_id is not None:
        entries = entries.filter(theme_id=filters.theme_id)
    if filters.event_id is not None:
        entries = entries.filter(event_id=filters.event_id)
    return entries.order_by("-happened_on", "-pk")


@dataclass
class PlanAgainstActual:
    """The plan beside what happened: each planned activity with the log entries and events that
    delivered it; the overdue ones (planned, past their date, nothing delivered yet); and what
    happened without being planned (an engagement at an event that delivers a planned activity
    counts as planned)."""

    activities: list[PlannedActivity]
    overdue: list[PlannedActivity]
    unplanned_entries: list[EngagementEntry]
    unplanned_events: list[Event]


def plan_against_actual(*, strategy: Strategy, today: Any = None) -> PlanAgainstActual:
    today = today or timezone.localdate()
    entries = EngagementEntry.objects.select_related("contact", "organisation").order_by("happened_on", "pk")
    events = Event.objects.select_related("organiser").order_by("starts_at", "pk")
    activities = list(
        PlannedActivity.objects.filter(strategy=strategy)
        .select_related("owner")
        .prefetch_related(Prefetch("entries", queryset=entries), Prefetch("events", queryset=events))
        .order_by("planned_on", "pk")
    )
    for activity in activities:
        delivered = bool(activity.entries.all()) or bool(activity.events.all())
        activity.is_overdue = (  # type: ignore[attr-defined]
            activity.status == PlannedActivity.Status.PLANNED and activity.planned_on < today and not delivered
        )
    return PlanAgainstActual(
        activities=activities,
        overdue=[a for a in activities if a.is_overdue],  # type: ignore[attr-defined]
        unplanned_entries=list(
            entries.filter(strategy=strategy, planned_activity__isnull=True)
            .exclude(event__planned_activity__isnull=False)
            .order_by("-happened_on", "-pk")
        ),
        unplanned_events=list(
            events.filter(
                strategy=strategy,
                planned_activity__isnull=True,
                cancelled_at__isnull=True,
                starts_at__lte=timezone.now(),
            ).order_by("-starts_at", "-pk")
        ),
    )


# Updates ----------------------------------------------------------------------------------------------


def subscription_counts(*, strategy: Strategy) -> dict[str, int]:
    """Subscribers by status, in one query."""
    rows = dict(
        Subscription.objects.filter(strategy=strategy)
        .values_list("status")
        .annotate(n=Count("pk"))
        .values_list("status", "n")
    )
    return {status: rows.get(status, 0) for status in Subscription.Status.values}


def update_list_for_strategy(*, strategy: Strategy) -> QuerySet[Update]:
    """Every update of the strategy, newest first, with the number of addresses each reached."""
    return (
        Update.objects.filter(strategy=strategy).annotate(delivered=Count("deliveries")).order_by("-created_at", "-pk")
    )


def update_list_sent(*, strategy: Strategy) -> QuerySet[Update]:
    """The public archive: sent updates, newest first."""
    return Update.objects.filter(strategy=strategy, status=Update.Status.SENT).order_by("-sent_at", "-pk")


def update_progress(*, update: Update) -> dict[str, int]:
    """How far an update's sending has got: addresses reached, and their emails by status."""
    by_status = dict(
        UpdateDelivery.objects.filter(update=update)
        .values_list("email__status")
        .annotate(n=Count("pk"))
        .values_list("email__status", "n")
    )
    delivered = sum(by_status.values())
    return {
        "delivered": delivered,
        "sent": by_status.get(Email.Status.SENT, 0),
        "failed": by_status.get(Email.Status.FAILED, 0),
        "waiting": by_status.get(Email.Status.QUEUED, 0) + by_status.get(Email.Status.SENDING, 0),
        "recipients": max(update.recipients, delivered),
    }


# Synthesis ---------------------------------------------------------------------------------------------
# What a call or a consultation has received, counted in SQL (values/annotate/Count): a fixed number
# of queries however many rows there are. Hidden rows are left out of every count but their own.


@dataclass(frozen=True)
class Tally:
    """One row of a synthesis table: what is counted and how many."""

    label: str
    count: int


@dataclass(frozen=True)
class ChoiceTally:
    """The answers to one choice or scale question: a tally per option, and how many answered."""

    question: Question
    number: int
    rows: list[Tally]
    answered: int


@dataclass(frozen=True)
class CallSynthesis:
    submitted: int  # submitted and shown: what every count below is of
    hidden: int  # submitted but hidden by an officer, counted apart
    withdrawn: int
    uncoded: int
    by_theme: list[Tally]
    by_place: list[Tally]
    by_council_kind: list[Tally]
    by_backer_kind: list[Tally]
    by_week: list[Tally]
    most_backed: Sequence[Priority]  # each with `backers`, the number of organisations backing it


@dataclass(frozen=True)
class ConsultationSynthesis:
    submitted: int
    hidden: int
    drafts: int
    uncoded: int
    by_theme: list[Tally]
    by_kind: list[Tally]
    by_week: list[Tally]
    choices: list[ChoiceTally]


MOST_BACKED = 10


PUBLIC_KIND = "members of the public"  # a public response has no organisation (docs/adr/0041)


def _kind_label(kind: str) -> str:
    labels = {**dict(Organisation.Kind.choices), PUBLIC_KIND: "Members of the public"}
    return str(labels.get(kind, kind or "Not given"))


def _ranked(counts: dict[str, int]) -> list[Tally]:
    return [Tally(label, n) for label, n in sorted(counts.items(), key=lambda item: (-item[1], item[0])) if n]


def _weeks(rows: Any) -> list[Tally]:
    """Counts per week (Monday first), the weeks with none between the first and last filled in."""
    counts = {row["week"].date() if isinstance(row["week"], datetime) else row["week"]: row["n"] for row in rows}
    counts.pop(None, None)
    if not counts:
        return []
    week, last, tallies = min(counts), max(counts), []
    while week <= last:
        tallies.append(Tally(f"Week of {week:%-d %b %Y}", counts.get(week, 0)))
        week += timedelta(days=7)
    return tallies


def _theme_tallies(through: Any, owner: str, owners: Any) -> dict[int, int]:
    """Per theme id, how many of `owners` carry it through the m2m table `through`."""
    rows = through.objects.filter(**{f"{owner}__in": owners}).values("theme_id").annotate(n=Count(f"{owner}_id"))
    return {row["theme_id"]: row["n"] for row in rows}


def call_synthesis(*, call: Call) -> CallSynthesis:
    """A call's submitted priorities counted by theme (the officer's coded themes; the councillor's
    own while a priority is not coded yet), place, kind of council and of backer, and week; the
    most-backed priorities. Nine queries whatever the number of priorities."""
    submitted = Q(status=Priority.Status.SUBMITTED)
    totals = Priority.objects.filter(call=call).aggregate(
        submitted=Count("pk", filter=submitted & Q(is_hidden=False)),
        hidden=Count("pk", filter=submitted & Q(is_hidden=True)),
        withdrawn=Count("pk", filter=Q(status=Priority.Status.WITHDRAWN)),
        uncoded=Count("pk", filter=submitted & Q(is_hidden=False, coded_at__isnull=True)),
    )
    shown = Priority.objects.filter(call=call, status=Priority.Status.SUBMITTED, is_hidden=False)
    coded = _theme_tallies(Priority.coded_themes.through, "priority", shown.filter(coded_at__isnull=False).values("pk"))
    given = _theme_tallies(Priority.themes.through, "priority", shown.filter(coded_at__isnull=True).values("pk"))
    by_theme = [
        Tally(theme.name, coded.get(theme.pk, 0) + given.get(theme.pk, 0))
        for theme in Theme.objects.order_by("kind", "order")
    ]
    places = (
        Priority.areas.through.objects.filter(priority__in=shown.values("pk"))
        .values("area__name")
        .annotate(n=Count("priority_id"))
    )
    councils = shown.values("organisation__kind").annotate(n=Count("pk")).order_by()
    backers = (
        Priority.backing_organisations.through.objects.filter(priority__in=shown.values("pk"))
        .values("organisation__kind")
        .annotate(n=Count("priority_id", distinct=True))
    )
    weeks = shown.annotate(week=TruncWeek("submitted_at")).values("week").annotate(n=Count("pk")).order_by("week")
    # The ten most-backed counted on the m2m table alone, then just those ten rows read.
    top = list(
        Priority.backing_organisations.through.objects.filter(priority__in=shown.values("pk"))
        .values("priority_id")
        .annotate(n=Count("organisation_id"))
        .order_by("-n", "-priority_id")[:MOST_BACKED]
    )
    rows = Priority.objects.select_related("organisation").in_bulk([row["priority_id"] for row in top])
    most_backed = []
    for row in top:
        priority = rows[row["priority_id"]]
        priority.backers = row["n"]  # type: ignore[attr-defined]
        most_backed.append(priority)
    return CallSynthesis(
        submitted=totals["submitted"],
        hidden=totals["hidden"],
        withdrawn=totals["withdrawn"],
        uncoded=totals["uncoded"],
        by_theme=by_theme,
        by_place=_ranked({row["area__name"]: row["n"] for row in places}),
        by_council_kind=_ranked({_kind_label(row["organisation__kind"]): row["n"] for row in councils}),
        by_backer_kind=_ranked({_kind_label(row["organisation__kind"]): row["n"] for row in backers}),
        by_week=_weeks(weeks),
        most_backed=most_backed,
    )


def _choice_options(question: Question) -> list[Any]:
    if question.kind == Question.Kind.SCALE:
        return list(range(SCALE_MIN, SCALE_MAX + 1))
    return list(question.choices)


def _option_label(question: Question, option: Any) -> str:
    return f"{option} of {SCALE_MAX}" if question.kind == Question.Kind.SCALE else str(option)


def _choice_tallies(responses: QuerySet[ConsultationResponse], questions: list[Question]) -> list[ChoiceTally]:
    """The answers to every choice and scale question, counted in one query on PostgreSQL (jsonb
    containment: an answer {"<question id>": value}, or a list holding the choice); on SQLite, which
    has no JSON containment, counted while reading the answers alone, row by row."""
    counted = [q for q in questions if q.kind in (*Question.CHOICE_KINDS, Question.Kind.SCALE)]
    if not counted:
        return []

    def pattern(question: Question, option: Any) -> dict[str, Any]:
        return {str(question.pk): [option] if question.kind == Question.Kind.MULTIPLE else option}

    figures: dict[str, int]
    if connection.vendor == "postgresql":
        aggregates: dict[str, Any] = {}
        for question in counted:
            key = str(question.pk)
            aggregates[f"q{key}"] = Count("pk", filter=Q(answers__has_key=key))  # no answer is never stored
            for n, option in enumerate(_choice_options(question)):
                aggregates[f"q{key}_{n}"] = Count("pk", filter=Q(answers__contains=pattern(question, option)))
        figures = responses.aggregate(**aggregates)
    else:
        figures = dict.fromkeys(
            [f"q{q.pk}" for q in counted] + [f"q{q.pk}_{n}" for q in counted for n in range(len(_choice_options(q)))],
            0,
        )
        for answers in responses.values_list("answers", flat=True).iterator(chunk_size=500):
            for question in counted:
                value = answers.get(str(question.pk)) if isinstance(answers, dict) else None
                if value in (None, "", []):
                    continue
                figures[f"q{question.pk}"] += 1
                for n, option in enumerate(_choice_options(question)):
                    if value == option or (isinstance(value, list) and option in value):
                        figures[f"q{question.pk}_{n}"] += 1
    numbers = {q.pk: number for number, q in enumerate(questions, start=1)}
    return [
        ChoiceTally(
            question=question,
            number=numbers[question.pk],
            rows=[
                Tally(_option_label(question, option), figures[f"q{question.pk}_{n}"])
                for n, option in enumerate(_choice_options(question))
            ],
            answered=figures[f"q{question.pk}"],
        )
        for question in counted
    ]


def consultation_synthesis(*, consultation: Consultation, questions: list[Question]) -> ConsultationSynthesis:
    """A consultation's submitted responses counted by theme (officers' coding), kind of
    organisation and week, and the answers to each choice and scale question counted. Six queries
    whatever the number of responses."""
    submitted = Q(status=ConsultationResponse.Status.SUBMITTED)
    totals = ConsultationResponse.objects.filter(consultation=consultation).aggregate(
        submitted=Count("pk", filter=submitted & Q(is_hidden=False)),
        hidden=Count("pk", filter=submitted & Q(is_hidden=True)),
        drafts=Count("pk", filter=Q(status=ConsultationResponse.Status.DRAFT)),
        uncoded=Count("pk", filter=submitted & Q(is_hidden=False, coded_at__isnull=True)),
    )
    shown = ConsultationResponse.objects.filter(consultation=consultation, status="submitted", is_hidden=False)
    coded = _theme_tallies(ConsultationResponse.coded_themes.through, "consultationresponse", shown.values("pk"))
    themes = Theme.objects.order_by("kind", "order")
    kinds = shown.values("organisation__kind").annotate(n=Count("pk")).order_by()
    weeks = shown.annotate(week=TruncWeek("submitted_at")).values("week").annotate(n=Count("pk")).order_by("week")
    return ConsultationSynthesis(
        submitted=totals["submitted"],
        hidden=totals["hidden"],
        drafts=totals["drafts"],
        uncoded=totals["uncoded"],
        by_theme=[Tally(theme.name, coded.get(theme.pk, 0)) for theme in themes],
        by_kind=_ranked({_kind_label(row["organisation__kind"] or PUBLIC_KIND): row["n"] for row in kinds}),
        by_week=_weeks(weeks),
        choices=_choice_tallies(shown.order_by(), questions),
    )


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
        Priority.objects.filter(call=call, status=Priority.Status.SUBMITTED, is_hidden=False)
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
