"""The evidence base of the replayed strategy (content/evidence.toml): indicator data imported from
the shared extracts with the evidence app's importer, and open evidence items whose facts the shared
data gives."""

from __future__ import annotations

from core.exceptions import ApplicationError
from core.models import Strategy, Theme, User
from evidence.importers import import_file
from evidence.models import EvidenceItem, Sharing

from .content import Content, Entry
from .records import read_csv, shared_data_path, upsert
from .strategies import strategy_named

ITEM_TEXTS = ("summary", "publisher", "link", "licence", "quality_note")


def load_evidence(content: Content, *, strategies: dict[str, Strategy], added_by: User) -> dict[str, int]:
    file = content.file("evidence.toml", required=["strategy"], optional=["import", "item"])
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
    return {"Evidence items": len(items), "Indicator values": observations}


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
