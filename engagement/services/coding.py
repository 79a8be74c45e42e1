"""Coding with free tags, for priorities and responses alike: the list a person types, its limits,
and the strategy's tags it names (created as needed).
"""

from __future__ import annotations

from django.db import IntegrityError, transaction

from core.exceptions import ApplicationError
from core.models import Strategy

from ..models import TAG_MAX, Tag

TAGS_MAX = 20


def parse_tags(text: str) -> list[str]:
    """Tags typed as a comma-separated list: trimmed, de-duplicated without regard to case."""
    seen: dict[str, str] = {}
    for raw in text.split(","):
        name = " ".join(raw.split())
        if name and name.lower() not in seen:
            seen[name.lower()] = name
    return list(seen.values())


def _check_tags(tags: list[str], *, what: str) -> None:
    too_long = [name for name in tags if len(name) > TAG_MAX]
    if too_long:
        raise ApplicationError(f"Keep each tag to {TAG_MAX} characters or fewer.", field="tags")
    if len(tags) > TAGS_MAX:
        raise ApplicationError(f"Use at most {TAGS_MAX} tags on one {what}.", field="tags")


def _tags_for(strategy: Strategy, names: list[str]) -> list[Tag]:
    """The strategy's tags of these names, whatever their case, created as needed (safely under a race)."""
    tag_objects = []
    for name in names:
        tag = Tag.objects.filter(strategy=strategy, name__iexact=name).first()
        if tag is None:
            try:
                with transaction.atomic():
                    tag = Tag.objects.create(strategy=strategy, name=name)
            except IntegrityError:
                tag = Tag.objects.get(strategy=strategy, name__iexact=name)
        tag_objects.append(tag)
    return tag_objects
