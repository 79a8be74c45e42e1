"""Domain errors. Services raise them with a message a person can act on; views show them."""

from __future__ import annotations

from collections.abc import Callable, Mapping
from dataclasses import dataclass
from typing import Any


class ApplicationError(Exception):
    def __init__(self, message: str, *, field: str | None = None) -> None:
        super().__init__(message)
        self.message = message
        self.field = field


@dataclass
class Conflict:
    """One field another person changed since the form was opened: their saved value and yours."""

    field: str
    label: str
    theirs: str
    yours: str


class StaleEditError(ApplicationError):
    """A save made on an old version of a record: refused, with what changed, so the person can
    carry their edit over without losing either (timeline, evidence and engagement use it)."""

    def __init__(self, message: str, *, conflicts: list[Conflict], current: Any) -> None:
        super().__init__(message)
        self.conflicts = conflicts
        self.current = current


def conflicts_between(
    *,
    saved: Mapping[str, Any],
    yours: Mapping[str, Any],
    label: Callable[[str], str],
    display: Callable[[str, Any], str],
) -> list[Conflict]:
    """The fields of `yours` whose value differs from the `saved` one, ready to show side by side."""
    return [
        Conflict(field=name, label=label(name), theirs=display(name, saved[name]), yours=display(name, value))
        for name, value in yours.items()
        if name in saved and saved[name] != value
    ]
