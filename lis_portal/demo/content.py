"""The demo's content: the TOML files in `content/`, read with the standard library's `tomllib` and
checked as they are read, so that a typo fails with its file and entry named.

Each loader asks for the keys it knows (`Entry.table`, `Entry.entries`), so a key it does not know
is refused rather than ignored, and reads each value through a typed getter (`text`, `day`,
`choice`…) that says which file, entry and key is wrong. Every text may cite a source of
`sources.toml` by its name in braces (`{guide}`), and some take values their loader names
(`{area}`); `{{` and `}}` write a brace.
"""

from __future__ import annotations

import tomllib
from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from datetime import date, datetime, time
from pathlib import Path
from typing import Any

from django.db import models

CONTENT_DIR = Path(__file__).resolve().parent / "content"
FILES = (
    "sources.toml",
    "places.toml",
    "organisations.toml",
    "strategies.toml",
    "boards.toml",
    "minutes.toml",
    "people.toml",
    "schedule.toml",
    "evidence.toml",
    "engagement.toml",
    "priorities.toml",
    "responses.toml",
    "workshops.toml",
    "draft.toml",
    "decisions.toml",
    "interests.toml",
)


class DemoDataError(Exception):
    """The demo's content, or the shared data it reads, is missing or not what it expects."""


@dataclass(frozen=True)
class Entry:
    """One table of a content file: its values, where it is (for error messages) and the sources
    its texts may cite."""

    file: str
    label: str
    data: Mapping[str, Any]
    sources: Mapping[str, str]

    def error(self, message: str) -> DemoDataError:
        where = self.file if self.label == self.file else f"{self.file}, {self.label}"
        return DemoDataError(f"{where}: {message}")

    def checked(self, required: Iterable[str], optional: Iterable[str] = ()) -> Entry:
        """This entry, once it has every required key and no key but those and the optional ones."""
        needed = set(required)
        known = needed | set(optional)
        missing = sorted(needed - set(self.data))
        if missing:
            raise self.error(f"“{missing[0]}” is missing.")
        unknown = sorted(set(self.data) - known)
        if unknown:
            raise self.error(f"“{unknown[0]}” is not a key here; the keys are {', '.join(sorted(known))}.")
        return self

    def _value(self, key: str, kind: type | tuple[type, ...], what: str, default: Any = None) -> Any:
        value = self.data.get(key, default)
        if value is None:
            raise self.error(f"“{key}” is missing.")
        # TOML's datetime is also a date: a date field must not take a date and time.
        if not isinstance(value, kind) or (kind is date and isinstance(value, datetime)):
            raise self.error(f"“{key}” should be {what}, not {value!r}.")
        return value

    def fill(self, key: str, template: str, values: Mapping[str, object]) -> str:
        try:
            return template.format_map({**self.sources, **values})
        except KeyError as missing:
            names = ", ".join(sorted(values)) or "none"
            raise self.error(
                f"“{key}” cites {{{missing.args[0]}}}, which is neither a source in sources.toml nor one of the "
                f"values this text takes ({names})."
            ) from None
        except (ValueError, IndexError):
            raise self.error(f"“{key}” has a stray brace; write {{{{ or }}}} for a brace itself.") from None

    def text(self, key: str, default: str | None = None, **values: object) -> str:
        """A text, with its citations and `values` filled in."""
        return self.fill(key, self._value(key, str, "text", default), values)

    def texts(self, key: str, default: tuple[str, ...] | None = None) -> list[str]:
        value = self._value(key, list, "a list of texts", None if default is None else list(default))
        if not all(isinstance(item, str) for item in value):
            raise self.error(f"“{key}” should be a list of texts.")
        return [self.fill(key, item, {}) for item in value]

    def flag(self, key: str, default: bool = False) -> bool:
        return bool(self._value(key, bool, "true or false", default))

    def number(self, key: str) -> int:
        return int(self._value(key, int, "a whole number"))

    def day(self, key: str) -> date:
        value: date = self._value(key, date, "a date such as 2019-10-04")
        return value

    def clock(self, key: str) -> time:
        value: time = self._value(key, time, "a time of day such as 09:00:00")
        return value

    def choice(self, key: str, choices: type[models.TextChoices], default: str | None = None) -> str:
        value: str = self._value(key, str, "text", default)
        if value not in choices.values:
            raise self.error(f"“{key}” is “{value}”; it should be one of {', '.join(map(str, choices.values))}.")
        return value

    def _inner(self, label: str) -> str:
        """The label of a table inside this one."""
        return label if self.label == self.file else f"{self.label}, {label}"

    def table(self, key: str, *, required: Iterable[str], optional: Iterable[str] = ()) -> Entry:
        value = self._value(key, dict, "a table")
        return Entry(self.file, self._inner(f"[{key}]"), value, self.sources).checked(required, optional)

    def entries(self, key: str, *, name: str, required: Iterable[str], optional: Iterable[str] = ()) -> list[Entry]:
        """An array of tables (`[[key]]`), each labelled by its `name` key in error messages."""
        value = self._value(key, list, f"an array of tables ([[{key}]])", [])
        found: list[Entry] = []
        for number, item in enumerate(value, start=1):
            if not isinstance(item, dict):
                raise self.error(f"“{key}” should be an array of tables ([[{key}]]).")
            label = f"{key} “{item[name]}”" if isinstance(item.get(name), str | int) else f"{key} number {number}"
            found.append(Entry(self.file, self._inner(label), item, self.sources).checked(required, optional))
        return found

    def named(self, key: str, *, required: Iterable[str], optional: Iterable[str] = ()) -> dict[str, Entry]:
        """A table of tables keyed by name (`[key."name"]`)."""
        value = self._value(key, dict, "a table")
        found: dict[str, Entry] = {}
        for name, item in value.items():
            if not isinstance(item, dict):
                raise self.error(f"“{key}.{name}” should be a table.")
            found[name] = Entry(self.file, self._inner(f"{key} “{name}”"), item, self.sources).checked(
                required, optional
            )
        return found


@dataclass(frozen=True)
class Content:
    """Every content file, parsed; `file(name)` gives one as an entry checked for its keys."""

    parsed: Mapping[str, Mapping[str, Any]]
    sources: Mapping[str, str]
    files: Mapping[str, str]  # the shared data files, by key (sources.toml [files])

    def file(self, name: str, *, required: Iterable[str], optional: Iterable[str] = ()) -> Entry:
        return Entry(name, name, self.parsed[name], self.sources).checked(required, optional)

    def data_file(self, key: str, entry: Entry | None = None) -> str:
        """A shared data file by its key in sources.toml [files], as the loader or an `entry` names it."""
        if key not in self.files:
            where = f"{entry.file}, {entry.label} names" if entry else "the demo reads"
            raise DemoDataError(f"sources.toml, [files]: {where} “{key}”, which is not one of its files.")
        return self.files[key]


def parse(path: Path) -> dict[str, Any]:
    try:
        with path.open("rb") as handle:
            return tomllib.load(handle)
    except FileNotFoundError:
        raise DemoDataError(f"{path.name}: the demo's content file is missing from {path.parent}.") from None
    except tomllib.TOMLDecodeError as error:
        raise DemoDataError(f"{path.name}: not valid TOML ({error}).") from None


def read_content(directory: Path | None = None) -> Content:
    """Parse every content file (all of them, before the demo writes anything) and its citations."""
    folder = directory or CONTENT_DIR
    parsed = {name: parse(folder / name) for name in FILES}
    root = Entry("sources.toml", "sources.toml", parsed["sources.toml"], {}).checked(["files", "citations"])
    files = root.table("files", required=root.data["files"])
    file_names = {key: files.text(key) for key in files.data}
    citations = root.table("citations", required=root.data["citations"])
    # A citation may name a data file ({lep_lookup_csv}); the other texts may cite both.
    cited = Entry(citations.file, citations.label, citations.data, file_names)
    sources = {**file_names, **{key: cited.text(key) for key in citations.data}}
    return Content(parsed=parsed, sources=sources, files=file_names)
