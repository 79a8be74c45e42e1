"""Board members' registers of interests (content/interests.toml, illustrative), written through
timeline's services as on the replayed days they were registered, ended and reviewed. Loading
twice finds each register and entry again and changes nothing."""

from __future__ import annotations

from datetime import time

from core.models import Strategy
from timeline.interests import services
from timeline.models import InterestEntry, InterestRegister

from .content import Content, Entry
from .people import People
from .records import Replay
from .strategies import strategy_named


def load_interests(content: Content, *, strategies: dict[str, Strategy], people: People, replay: Replay) -> int:
    """The registers and their entries; returns how many entries the registers hold."""
    file = content.file("interests.toml", required=["strategy", "register"])
    strategy = strategy_named(file, strategies)
    count = 0
    for entry in file.entries("register", name="person", required=["person", "opened", "entry"], optional=["reviewed"]):
        member = people.named(entry, "person")
        register = InterestRegister.objects.filter(strategy=strategy, user=member).first()
        if register is None:
            with replay.living(entry.day("opened"), time(9)):
                register = services.register_get_or_create(strategy=strategy, user=member)
        for item in entry.entries(
            "entry",
            name="description",
            required=["category", "description", "starts", "registered"],
            optional=["organisation", "ends", "end_registered", "value"],
        ):
            _entry(item, register=register, replay=replay)
            count += 1
        if "reviewed" in entry.data and register.reviewed_on is None:  # once: a reload on another day keeps it
            with replay.living(entry.day("reviewed"), time(18)):
                services.interest_register_review(actor=member, strategy=strategy)
    return count


def _entry(item: Entry, *, register: InterestRegister, replay: Replay) -> InterestEntry:
    member = register.user
    category = item.choice("category", InterestEntry.Category)
    description = item.text("description")
    found = register.entries.filter(category=category, description=description).first()
    if found is None:
        with replay.living(item.day("registered"), time(11)):
            found = services.interest_entry_add(
                actor=member,
                strategy=register.strategy,
                member=member,
                data={
                    "category": category,
                    "description": description,
                    "organisation": item.text("organisation", ""),
                    "starts_on": replay.day(item.day("starts")),
                    "ends_on": None,
                    "gift_value": item.number("value") if "value" in item.data else None,
                },
            )
    if "ends" in item.data and found.ends_on is None:
        if "end_registered" not in item.data:
            raise item.error("“ends” needs “end_registered”, the day its end was recorded.")
        with replay.living(item.day("end_registered"), time(11)):
            found = services.interest_entry_end(actor=member, entry=found, ends_on=replay.day(item.day("ends")))
    return found
