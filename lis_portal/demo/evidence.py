"""The evidence base of the replayed strategy (content/evidence.toml): indicator data imported from
the shared extracts with the evidence app's importer, and open evidence items whose facts the shared
data gives."""

from __future__ import annotations

from typing import Any

from core.exceptions import ApplicationError
from core.models import Area, Strategy, Theme, User
from evidence import services
from evidence.importers import import_file
from evidence.models import EvidenceItem, Sharing

from .content import Content, Entry
from .records import Replay, read_csv, shared_data_path, upsert
from .strategies import strategy_named

ITEM_TEXTS = ("summary", "publisher", "link", "licence", "quality_note")


def load_evidence(
    content: Content, *, strategies: dict[str, Strategy], replay: Replay, added_by: User
) -> dict[str, int]:
    file = content.file("evidence.toml", required=["strategy"], optional=["import", "item", "series", "illustrative"])
    strategy = strategy_named(file, strategies)
    themes = {theme.slug: theme for theme in Theme.objects.all()}
    items = file.entries(
        "item", name="title", required=["title", "kind", "published_on", "themes", *ITEM_TEXTS], optional=["row"]
    )
    for entry in items:  # checked before the slow imports, so that a typo fails at once
        unknown = [slug for slug in entry.texts("themes") if slug not in themes]
        if unknown:
            raise entry.error(f"“themes” has “{unknown[0]}”; the themes are {', '.join(sorted(themes))}.")

    observations = 0
    for entry in file.entries("import", name="file", required=["file", "layout"], optional=["skip_unknown_areas"]):
        path = shared_data_path(content.data_file(entry.text("file"), entry))
        try:
            result = import_file(path, layout=entry.text("layout"), skip_unknown_areas=entry.flag("skip_unknown_areas"))
        except ApplicationError as error:
            raise entry.error(f"the importer refused it: {error}") from error
        observations += result.observations

    for entry in items:
        row = _row(content, entry) if "row" in entry.data else {}
        item = upsert(
            EvidenceItem,
            {"strategy": strategy, "title": entry.text("title")},
            {
                **{key: entry.text(key, **row) for key in ITEM_TEXTS},
                "kind": entry.choice("kind", EvidenceItem.Kind),
                "published_on": entry.day("published_on"),
                "sharing": Sharing.OPEN,
                "added_by": added_by,
            },
        )
        item.themes.set([themes[slug] for slug in entry.texts("themes")])
        if strategy.area is not None:
            item.areas.set([strategy.area])
    added = _series(content, file, strategy, themes=themes, added_by=added_by)
    added += _illustrative(file, strategy, replay=replay, themes=themes, added_by=added_by)
    return {"Evidence items": len(items) + added, "Indicator values": observations}


def _themes(entry: Entry, themes: dict[str, Theme]) -> list[Theme]:
    unknown = [slug for slug in entry.texts("themes") if slug not in themes]
    if unknown:
        raise entry.error(f"“themes” has “{unknown[0]}”; the themes are {', '.join(sorted(themes))}.")
    return [themes[slug] for slug in entry.texts("themes")]


def _districts(strategy: Strategy) -> dict[str, Area]:
    """The districts and unitary authorities of the strategy's LEP area, by name."""
    kinds = [Area.Kind.DISTRICT, Area.Kind.UNITARY]
    return {area.name: area for area in Area.objects.filter(parents=strategy.area, kind__in=kinds)}


def _create(
    entry: Entry, strategy: Strategy, *, data: dict[str, Any], themes: list[Theme], areas: list[Area], added_by: User
) -> None:
    """Add an item with the evidence app's service, unless the strategy has one of that title already."""
    if EvidenceItem.objects.filter(strategy=strategy, title=data["title"]).exists():
        return
    try:
        services.evidence_item_create(
            actor=added_by, strategy=strategy, data={**data, "sharing": Sharing.OPEN}, themes=themes, areas=areas
        )
    except ApplicationError as error:
        raise entry.error(f"the evidence service refused it: {error}") from error


def _numbers(row: dict[str, str]) -> dict[str, Any]:
    """A row's values, with numbers as numbers so that a text may format them ({observation:.1f})."""
    values: dict[str, Any] = {}
    for key, value in row.items():
        try:
            values[key] = float(value)
        except ValueError:
            values[key] = value
    return values


def _series(content: Content, file: Entry, strategy: Strategy, *, themes: dict[str, Theme], added_by: User) -> int:
    districts = _districts(strategy)
    added = 0
    for entry in file.entries(
        "series",
        name="title",
        required=["title", "file", "code_column", "match", "kind", "published_on", "themes", *ITEM_TEXTS],
        optional=["districts"],
    ):
        chosen = entry.texts("districts", tuple(districts))
        unknown = [name for name in chosen if name not in districts]
        if unknown:
            raise entry.error(f"“districts” names “{unknown[0]}”, which is not a district of the strategy's LEP area.")
        match = entry.table("match", required=entry.data["match"])
        wanted = {key: match.text(key) for key in match.data}
        codes = {districts[name].code: districts[name] for name in chosen}
        rows = read_csv(content.data_file(entry.text("file"), entry))
        column = entry.text("code_column")
        if rows and any(key not in rows[0] for key in [column, *wanted]):
            raise entry.error(f"{entry.text('file')} has no column “{column}” or one of {', '.join(wanted)}.")
        for row in rows:
            area = codes.get(row[column])
            if area is None or any(row[key] != value for key, value in wanted.items()):
                continue
            values = _numbers(row)
            data = {key: entry.text(key, **values) for key in ("title", *ITEM_TEXTS)}
            _create(
                entry,
                strategy,
                data={
                    **data,
                    "kind": entry.choice("kind", EvidenceItem.Kind),
                    "published_on": entry.day("published_on"),
                },
                themes=_themes(entry, themes),
                areas=[area],
                added_by=added_by,
            )
            added += 1
    return added


def _illustrative(file: Entry, strategy: Strategy, *, replay: Replay, themes: dict[str, Theme], added_by: User) -> int:
    districts = _districts(strategy)
    entries = file.entries(
        "illustrative", name="title", required=["title", "summary", "themes", "areas", "day"], optional=["kind"]
    )
    for entry in entries:
        areas = []
        for name in entry.texts("areas"):
            if name == "LEP" and strategy.area is not None:
                areas.append(strategy.area)
            elif name in districts:
                areas.append(districts[name])
            else:
                raise entry.error(f"“areas” names “{name}”: name a district of the strategy's LEP area, or “LEP”.")
        data = {
            "title": entry.text("title"),
            "summary": entry.text("summary"),
            "kind": entry.choice("kind", EvidenceItem.Kind, "consultation_output"),
            "publisher": "LIS Portal demo",
            "published_on": replay.day(entry.day("day")),
            "link": "https://example.org/lis-portal-demo/",
            "licence": "Demo: illustrative, no licence",
            "quality_note": "Demo: illustrative, written by the portal. It holds no figures.",
        }
        _create(entry, strategy, data=data, themes=_themes(entry, themes), areas=areas, added_by=added_by)
    return len(entries)


def _row(content: Content, entry: Entry) -> dict[str, str]:
    """The row of a shared data file an item takes its figure from."""
    spec = entry.table("row", required=["file", "column", "starts_with"])
    name = content.data_file(spec.text("file"), entry)
    column, start = spec.text("column"), spec.text("starts_with")
    rows = read_csv(name)
    if rows and column not in rows[0]:
        raise entry.error(f"“row”: {name} has no column “{column}”.")
    found = next((row for row in rows if row[column].startswith(start)), None)
    if found is None:
        raise entry.error(f"“row”: no row of {name} has a “{column}” starting “{start}”.")
    return found
