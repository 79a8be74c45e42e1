"""What every loader of the demo shares: upsert by natural key, the shared data's CSV files, the replay."""

from __future__ import annotations

import csv
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from datetime import date, datetime, time, timedelta
from pathlib import Path
from typing import Any, TypeVar

import time_machine
from django.conf import settings
from django.db import models
from django.utils import timezone

from .content import DemoDataError

M = TypeVar("M", bound=models.Model)


def upsert(model: type[M], lookup: dict[str, Any], values: dict[str, Any]) -> M:
    """Find the row by its natural key (or start one), set `values`, validate it, save it."""
    obj = model._default_manager.filter(**lookup).order_by("pk").first()
    if obj is None:
        obj = model(**lookup)
    for name, value in values.items():
        setattr(obj, name, value)
    obj.full_clean()
    obj.save()
    return obj


def shared_data_path(name: str) -> Path:
    """A file of the shared data extracts (settings.SHARED_DATA_DIR), which must be there."""
    path = Path(settings.SHARED_DATA_DIR) / name
    if not path.is_file():
        raise DemoDataError(
            f"The demo reads {name} from SHARED_DATA_DIR ({settings.SHARED_DATA_DIR}), and it is not there. "
            "Set SHARED_DATA_DIR to the folder of the shared data extracts."
        )
    return path


def read_csv(name: str) -> list[dict[str, str]]:
    """The rows of one shared data file (UTF-8, with or without a byte-order mark)."""
    with shared_data_path(name).open(newline="", encoding="utf-8-sig") as handle:
        return list(csv.DictReader(handle))


def join_names(names: list[str]) -> str:
    """“A, B and C”."""
    return ", ".join(names[:-1]) + " and " + names[-1] if len(names) > 1 else "".join(names)


def at(day: date, clock: time) -> datetime:
    """That moment of that day in the portal's time zone."""
    return timezone.make_aware(datetime.combine(day, clock))


@dataclass(frozen=True)
class Replay:
    """The 2019–20 schedule moved by whole days so that `today` stands for `replay_today` (schedule.toml)."""

    today: date
    replay_today: date
    original_span: str

    @property
    def shift(self) -> timedelta:
        return self.today - self.replay_today

    def day(self, original: date) -> date:
        """The replayed day of a day of the original schedule."""
        return original + self.shift

    def at(self, original: date, clock: time = time(10)) -> datetime:
        """The replayed moment of a day (and time) of the original schedule."""
        return at(self.day(original), clock)

    @contextmanager
    def living(self, original: date, clock: time = time(10)) -> Iterator[None]:
        """Run the services as on that replayed day: `timezone.now()` (and so every `submitted_at`,
        audit record and open-or-closed check) is that moment. The clock stands still meanwhile."""
        with time_machine.travel(self.at(original, clock), tick=False):
            yield
