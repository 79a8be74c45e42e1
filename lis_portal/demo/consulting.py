"""The evidence phase's engagement, lived: the closed consultation on the emerging propositions
(content/responses.toml), its responses from councils, partners and the public, coded and answered
by the officer, so that its "you said, we did" page is published; and the foundation and grand
challenge workshops held (content/workshops.toml), with the organisations that attended and the
feedback gathered afterwards. Everything goes through engagement's services at its replayed moment
(`Replay.living`); a record found again is left as it is."""

from __future__ import annotations

import re
from datetime import date, time, timedelta
from typing import Any

from django.conf import settings
from django.urls import reverse
from django.utils import timezone

from core.exceptions import ApplicationError
from core.models import Email, Strategy, Theme, User
from engagement import services
from engagement.models import Channel, Consultation, ConsultationResponse, Event, PublicCredit
from timeline.models import Phase

from .content import Content, Entry
from .organisations import Organisations
from .records import Replay
from .strategies import strategy_named

FEEDBACK_OPTIONAL = ["from", "by", "channel", "public"]
RESPONSE_OPTIONAL = [*FEEDBACK_OPTIONAL, "coded", "tags", "reply"]
PUBLIC_KEYS = ["name", "email", "credit", "may_publish"]


def _refused(entry: Entry, doing: str, error: ApplicationError) -> Exception:
    return entry.error(f"the engagement service refused to {doing}: {error}")


def _answers(entry: Entry, questions: list[Any]) -> dict[int, Any]:
    """The entry's `answers`, one per question in order ("" for none)."""
    values = entry.data.get("answers")
    if not isinstance(values, list) or len(values) > len(questions):
        raise entry.error(f"“answers” should list at most {len(questions)} answers, one per question in order.")
    return {
        q.pk: (entry.fill("answers", v, {}) if isinstance(v, str) else v)
        for q, v in zip(questions, values, strict=False)
    }


def _confirm_url(strategy: Strategy) -> tuple[str, re.Pattern[str]]:
    """The confirm link a public respondent is emailed (as the public response view builds it), and
    the pattern that finds its token in the email, as the respondent would click it."""
    path = reverse("engagement:public-response-confirm", kwargs={"strategy_slug": strategy.slug, "token": "TOKEN"})
    url = f"{settings.SITE_URL.rstrip('/')}{path}"
    before, after = url.split("TOKEN")
    return url.replace("TOKEN", "{token}"), re.compile(re.escape(before) + r"([A-Za-z0-9_-]+)" + re.escape(after))


def _respondent(entry: Entry) -> services.PublicRespondent:
    public = entry.table("public", required=PUBLIC_KEYS, optional=["organisation"])
    return services.PublicRespondent(
        name=public.text("name"),
        email=public.text("email"),
        may_publish=public.flag("may_publish"),
        credit=public.choice("credit", PublicCredit),
        credit_organisation=public.text("organisation", ""),
    )


def respond(
    entry: Entry,
    consultation: Consultation,
    *,
    day: date,
    number: int,
    orgs: Organisations,
    officer: User,
    replay: Replay,
) -> ConsultationResponse:
    """One response as it came: signed in for an organisation (`from`, `by`), entered by the officer
    from offline input (`channel`, for `from` or a member of the `public`), or sent by a member of the
    `public` without an account and confirmed from the emailed link. `day` is of the original schedule."""
    questions = list(consultation.questions.order_by("order", "pk"))
    answers = _answers(entry, questions)
    organisation = orgs.named(entry, "from") if "from" in entry.data else None
    try:
        if "channel" in entry.data:
            with replay.living(day, time(16)):
                return services.response_enter_offline(
                    actor=officer,
                    consultation=consultation,
                    source=services.OfflineInput(
                        channel=entry.choice("channel", Channel),
                        received_on=replay.day(day),
                        organisation=organisation,
                        respondent=None if organisation else _respondent(entry),
                    ),
                    answers=answers,
                )
        if organisation is not None:
            person = User.objects.filter(email=entry.text("by")).first()
            if person is None:
                raise entry.error(f"“by” is “{entry.text('by')}”, who is neither in people.toml nor a demo councillor.")
            with replay.living(day, time(11)):
                response = services.response_start(actor=person, consultation=consultation, organisation=organisation)
                response = services.response_save(
                    actor=person, response=response, answers=answers, version=response.version
                )
                return services.response_submit(actor=person, response=response)
        respondent = _respondent(entry)
        url, token_in = _confirm_url(consultation.strategy)
        with replay.living(day, time(19, number % 60)):
            sent = services.public_response_submit(
                consultation=consultation,
                answers=answers,
                respondent=respondent,
                ip=f"192.0.2.{number}",  # a documentation address (RFC 5737): the demo's, not anyone's
                confirm_url=url,
            )
            email = Email.objects.filter(to=respondent.email).order_by("-pk").first()
            found = token_in.search(email.body) if email else None
            if found is None:
                raise entry.error("the confirmation email of the public response has no confirm link.")
        with replay.living(day, time(21, number % 60)):
            services.public_response_confirm(strategy=consultation.strategy, token=found.group(1))
        sent.refresh_from_db()
        return sent
    except ApplicationError as error:
        raise _refused(entry, "take the response", error) from error


def _themes(entry: Entry) -> list[Theme]:
    themes = {theme.slug: theme for theme in Theme.objects.all()}
    unknown = [slug for slug in entry.texts("coded") if slug not in themes]
    if unknown:
        raise entry.error(f"“coded” has “{unknown[0]}”; the themes are {', '.join(sorted(themes))}.")
    return [themes[slug] for slug in entry.texts("coded")]


def load_consultation(
    content: Content, *, strategies: dict[str, Strategy], orgs: Organisations, officer: User, replay: Replay
) -> dict[str, int]:
    file = content.file("responses.toml", required=["strategy", "consultation", "coded_on", "replied_on", "response"])
    strategy = strategy_named(file, strategies)
    consultation = Consultation.objects.filter(strategy=strategy, title=file.text("consultation")).first()
    if consultation is None:
        raise file.error("“consultation” is not the title of a consultation of engagement.toml.")
    entries = file.entries("response", name="day", required=["day", "answers"], optional=RESPONSE_OPTIONAL)
    if not consultation.responses.exists():
        for number, entry in enumerate(entries, start=1):
            response = respond(
                entry, consultation, day=entry.day("day"), number=number, orgs=orgs, officer=officer, replay=replay
            )
            try:
                if "coded" in entry.data:
                    with replay.living(file.day("coded_on"), time(13, number % 60)):
                        services.response_code(
                            actor=officer, response=response, themes=_themes(entry), tags=entry.texts("tags", ())
                        )
                if "reply" in entry.data:
                    with replay.living(file.day("replied_on"), time(15, number % 60)):
                        services.response_reply(actor=officer, response=response, reply=entry.text("reply"))
            except ApplicationError as error:
                raise _refused(entry, "code or answer the response", error) from error
    return {"Consultation responses": consultation.responses.count()}


def load_workshops_held(
    content: Content,
    *,
    strategies: dict[str, Strategy],
    phases: list[Phase],
    orgs: Organisations,
    officer: User,
    replay: Replay,
) -> dict[str, int]:
    file = content.file(
        "workshops.toml", required=["strategy", "phase", "audience", "days", "questions", "notes", "workshop"]
    )
    strategy = strategy_named(file, strategies)
    stage = file.choice("phase", Phase.Stage)
    phase = next((p for p in phases if p.stage == stage), None)
    if phase is None:
        raise file.error(f"“phase” is “{stage}”, which is not a phase of schedule.toml.")
    held = 0
    for number, entry in enumerate(
        file.entries("workshop", name="theme", required=["theme", "attending"], optional=["feedback"]), start=1
    ):
        event = (
            Event.objects.filter(
                strategy=strategy, phase=phase, kind=Event.Kind.WORKSHOP, theme__slug=entry.text("theme")
            )
            .order_by("pk")
            .first()
        )
        if event is None:
            raise entry.error(f"“theme” is “{entry.text('theme')}”, which has no workshop of engagement.toml.")
        if event.starts_at >= timezone.now():
            raise entry.error("this workshop falls after the replayed today, so it cannot have been held.")
        held += 1
        if event.feedback_id is None:
            _hold(file, entry, event, number=number, orgs=orgs, officer=officer, replay=replay)
    return {"Workshops held": held}


def _hold(
    file: Entry, entry: Entry, event: Event, *, number: int, orgs: Organisations, officer: User, replay: Replay
) -> None:
    """After the workshop: who attended, then the feedback template, then the feedback as it came."""
    day = timezone.localtime(event.starts_at).date() - replay.shift  # of the original schedule
    attending = [orgs.named(entry, "attending", name) for name in entry.texts("attending")]
    try:
        with replay.living(day, time(16, 30)):
            event = services.event_update(
                actor=officer,
                event=event,
                data=services.EventData(
                    kind=event.kind,
                    title=event.title,
                    starts_at=event.starts_at,
                    place=event.place,
                    organiser=event.organiser,
                    theme=event.theme,
                    attending=attending,
                    notes=file.text("notes"),
                    internal_notes=event.internal_notes,
                    phase=event.phase,
                    planned_activity=event.planned_activity,
                ),
                version=event.version,
            )
            feedback = services.event_feedback_attach(
                actor=officer,
                event=event,
                audience=file.choice("audience", Consultation.Audience),
                days=file.number("days"),
                questions=file.texts("questions"),
            )
    except ApplicationError as error:
        raise _refused(entry, "record the workshop", error) from error
    for index, response in enumerate(
        entry.entries("feedback", name="days_after", required=["days_after", "answers"], optional=FEEDBACK_OPTIONAL),
        start=1,
    ):
        respond(
            response,
            feedback,
            day=day + timedelta(days=response.number("days_after")),
            number=100 + number * 10 + index,
            orgs=orgs,
            officer=officer,
            replay=replay,
        )
