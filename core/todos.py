"""What a person has to do, as plain data: each app's `<app>_todos_for(user=..., strategy=...)`
selector returns these, already scoped by the app's own rules, and the landing page
(lis_portal's "your work") only gathers them. A to-do names its page by URL name, keyword
arguments and GET filters, so a count always leads to the filtered list it counts."""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, field
from urllib.parse import urlencode

from django.urls import reverse


@dataclass(frozen=True)
class Todo:
    """One line of "your work": a sentence, how many (None where a count means nothing, such as
    an open call: then `status` says where it stands, "Open"), the page it leads to, a hint (a
    closing date, a deadline) and further links (a meeting's ready pack)."""

    label: str
    url_name: str
    url_kwargs: Mapping[str, object]
    count: int | None = None
    query: Mapping[str, str] = field(default_factory=dict)
    hint: str = ""
    status: str = ""
    also: tuple[Todo, ...] = ()

    @property
    def url(self) -> str:
        path = reverse(self.url_name, kwargs=dict(self.url_kwargs))
        return f"{path}?{urlencode(self.query)}" if self.query else path
