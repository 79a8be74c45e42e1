"""The call for priorities of the evidence phase, lived (content/priorities.toml): councils' priorities
saved and submitted (or withdrawn, or left as drafts) by their councillors or entered by an officer,
coded and answered by the officer, and merged into propositions. Everything goes through
engagement's services at its replayed moment (`Replay.living`), so the audit trail, the rules and
the open-or-closed checks are the portal's own. A record found again is left as it is."""

from __future__ import annotations

from datetime import date, datetime, time, timedelta

from core.exceptions import ApplicationError
from core.models import Area, Membership, Organisation, Role, Strategy, Theme, User
from engagement import services
from engagement.models import Call, Channel, Priority, Proposition
from evidence.models import EvidenceItem
from timeline.models import Phase

from .content import Content, Entry
from .engagement import _window
from .organisations import Organisations
from .people import People
from .records import Replay
from .strategies import strategy_named

PRIORITY_KEYS = ["title", "summary", "themes", "scale"]
PRIORITY_OPTIONAL = ["why", "areas", "status", "coded", "tags", "response", "evidence", "day"]


def _slugs(entry: Entry, key: str, themes: dict[str, Theme]) -> list[Theme]:
    unknown = [slug for slug in entry.texts(key, ()) if slug not in themes]
    if unknown:
        raise entry.error(f"“{key}” has “{unknown[0]}”; the themes are {', '.join(sorted(themes))}.")
    return [themes[slug] for slug in entry.texts(key, ())]


def _evidence(entry: Entry, strategy: Strategy) -> list[EvidenceItem]:
    titles = entry.texts("evidence", ())
    found = {item.title: item for item in EvidenceItem.objects.filter(strategy=strategy, title__in=titles)}
    missing = [title for title in titles if title not in found]
    if missing:
        raise entry.error(f"“evidence” names “{missing[0]}”, which is not an evidence item of evidence.toml.")
    return [found[title] for title in titles]


def _refused(entry: Entry, doing: str, error: ApplicationError) -> Exception:
    return entry.error(f"the engagement service refused to {doing}: {error}")


def _author(file: Entry, council: Entry, organisation: Organisation, people: People) -> User:
    """The councillor who writes the council's priorities: `author`, or the council's demo councillor."""
    if "author" in council.data:
        return people.named(council, "author")
    email = file.text("author_email", slug=organisation.slug)
    user = User.objects.filter(email=email).first()
    if user is None:
        user = User(email=email, name=file.text("author_name", council=organisation.name))
        user.set_unusable_password()  # an author of the replay, never signed in as
        user.full_clean()
        user.save()
    Membership.objects.get_or_create(user=user, organisation=organisation, defaults={"role": Role.COUNCILLOR})
    return user


def load_priorities(
    content: Content,
    *,
    strategies: dict[str, Strategy],
    phases: list[Phase],
    orgs: Organisations,
    people: People,
    replay: Replay,
) -> dict[str, int]:
    file = content.file(
        "priorities.toml",
        required=[
            "strategy", "marker", "proposition_marker", "coded_on", "responded_on", "author_email", "author_name",
            "call", "council", "proposition",
        ],
    )  # fmt: skip
    strategy = strategy_named(file, strategies)
    officer = people.records_by
    themes = {theme.slug: theme for theme in Theme.objects.all()}
    spec = file.table("call", required=["title", "phase", "opens", "closes", "audience", "description"])
    window = _window(spec, phases)
    opens = window["opens_at"]
    assert isinstance(opens, datetime)
    call = Call.objects.filter(strategy=strategy, title=spec.text("title")).first()
    if call is None:
        with replay.living(opens.date() - replay.shift - timedelta(days=7)):
            call = services.call_create(
                actor=officer,
                strategy=strategy,
                data={**window, "title": spec.text("title"), "audience": spec.choice("audience", Call.Audience)},
            )
    districts = {area.name: area for area in Area.objects.filter(parents=strategy.area)}
    by_title: dict[str, Priority] = {}
    to_answer: list[tuple[Entry, Priority]] = []
    for council in file.entries(
        "council", name="name", required=["name", "day", "priority"], optional=["author", "channel"]
    ):
        organisation = orgs.named(council, "name")
        offline = council.choice("channel", Channel) if "channel" in council.data else ""
        author = None if offline else _author(file, council, organisation, people)
        for entry in council.entries("priority", name="title", required=PRIORITY_KEYS, optional=PRIORITY_OPTIONAL):
            if entry.text("title") in by_title:
                raise entry.error(
                    "another priority of priorities.toml has this title; titles name them in propositions."
                )
            areas = [organisation.area] if organisation.area else []
            if "areas" in entry.data:
                unknown = [name for name in entry.texts("areas") if name not in districts]
                if unknown:
                    raise entry.error(f"“areas” names “{unknown[0]}”, which is not a district of the strategy.")
                areas = [districts[name] for name in entry.texts("areas")]
            data = services.PriorityData(
                title=entry.text("title"),
                summary=file.text("marker") + entry.text("summary"),
                why_it_matters=entry.text("why", ""),
                evidence_items=_evidence(entry, strategy),
                scale=entry.choice("scale", Priority.Scale),
                themes=_slugs(entry, "themes", themes),
                areas=areas,
            )
            status = entry.choice("status", Priority.Status, Priority.Status.SUBMITTED)
            day = entry.day("day") if "day" in entry.data else council.day("day")
            priority = Priority.objects.filter(call=call, organisation=organisation, title=data.title).first()
            if priority is None:
                priority = _live(entry, call, organisation, author, officer, data, status, day, offline, replay)
            by_title[data.title] = priority
            if status != Priority.Status.DRAFT:
                to_answer.append((entry, priority))
    for entry, priority in to_answer:
        _answer(file, entry, priority, officer=officer, themes=themes, replay=replay)
    propositions = _propositions(file, strategy, by_title, officer=officer, themes=themes, replay=replay)
    return {"Priorities": len(by_title), "Propositions": propositions}


def _live(
    entry: Entry,
    call: Call,
    organisation: Organisation,
    author: User | None,
    officer: User,
    data: services.PriorityData,
    status: str,
    day: date,
    offline: str,
    replay: Replay,
) -> Priority:
    """The priority's life up to today: written, then submitted, then (for some) withdrawn."""
    try:
        if author is None:
            with replay.living(day, time(15)):
                return services.priority_enter_offline(
                    actor=officer,
                    call=call,
                    organisation=organisation,
                    data=data,
                    channel=offline,
                    received_on=replay.day(day),
                )
        with replay.living(day, time(11)):
            priority = services.priority_save_draft(actor=author, call=call, organisation=organisation, data=data)
        if status == Priority.Status.DRAFT:
            return priority
        with replay.living(day, time(16)):
            priority = services.priority_submit(actor=author, priority=priority)
        if status == Priority.Status.WITHDRAWN:
            with replay.living(day + timedelta(days=7), time(9, 30)):
                priority = services.priority_withdraw(actor=author, priority=priority)
    except ApplicationError as error:
        raise _refused(entry, "take the priority", error) from error
    return priority


def _answer(
    file: Entry, entry: Entry, priority: Priority, *, officer: User, themes: dict[str, Theme], replay: Replay
) -> None:
    """The officer's coding and response, once each."""
    try:
        if "coded" in entry.data and priority.coded_at is None:
            with replay.living(file.day("coded_on"), time(14)):
                services.priority_code(
                    actor=officer,
                    priority=priority,
                    themes=_slugs(entry, "coded", themes),
                    tags=entry.texts("tags", ()),
                )
        if "response" in entry.data and not priority.response:
            with replay.living(file.day("responded_on"), time(15)):
                services.priority_respond(actor=officer, priority=priority, response=entry.text("response"))
    except ApplicationError as error:
        raise _refused(entry, "code or answer the priority", error) from error


def _propositions(
    file: Entry,
    strategy: Strategy,
    priorities: dict[str, Priority],
    *,
    officer: User,
    themes: dict[str, Theme],
    replay: Replay,
) -> int:
    entries = file.entries(
        "proposition",
        name="title",
        required=["title", "description", "day", "status", "themes", "priorities", "evidence"],
        optional=["decided_on"],
    )
    for entry in entries:
        unknown = [title for title in entry.texts("priorities") if title not in priorities]
        if unknown:
            raise entry.error(f"“priorities” names “{unknown[0]}”, which is not a priority of priorities.toml.")
        if Proposition.objects.filter(strategy=strategy, title=entry.text("title")).exists():
            continue
        status = entry.choice("status", Proposition.Status)
        try:
            with replay.living(entry.day("day"), time(12)):
                proposition = services.proposition_create(
                    actor=officer,
                    strategy=strategy,
                    data=services.PropositionData(
                        title=entry.text("title"),
                        description=file.text("proposition_marker") + entry.text("description"),
                        priorities=[priorities[title] for title in entry.texts("priorities")],
                        themes=_slugs(entry, "themes", themes),
                        evidence_items=_evidence(entry, strategy),
                    ),
                )
            if status != Proposition.Status.EMERGING:
                with replay.living(entry.day("decided_on"), time(17)):
                    services.proposition_set_status(actor=officer, proposition=proposition, status=status)
        except ApplicationError as error:
            raise _refused(entry, "merge the proposition", error) from error
    return len(entries)
