"""Domain errors. Services raise them with a message a person can act on; views show them."""

from __future__ import annotations

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
    carry their edit over without losing either. Raised by core/editing.py for every app."""

    def __init__(self, message: str, *, conflicts: list[Conflict], current: Any) -> None:
        super().__init__(message)
        self.conflicts = conflicts
        self.current = current
