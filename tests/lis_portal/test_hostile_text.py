"""No text a person typed reaches HTML unescaped, on any page any role can reach, or in a pack.

The demo is loaded, then every free-text column of every model people write to (as data: FIELDS,
found by introspection, less SKIP with the reason each is not free text) is overwritten with a
hostile string that carries the column's own number: a script element, an event handler, a
`javascript:` link, an SVG, Markdown links and images with `javascript:` and `data:` addresses, CSS
`url()` to a loopback address, a formula and a right-to-left override. Each role (and a signed-out
visitor) then walks the portal from its start pages, following links (at most a few pages per URL
pattern), and every HTML page is parsed: no script, style or SVG element, event-handler attribute
or `javascript:`/`data:` address may carry a hostile string. A members' pack's HTML, which holds
all of them, is checked the same way. The test prints which pages showed each column (its text,
escaped), and fails on any escape.

Emails are plain text (core.services.email_queue sends no HTML part) and their headers are made
safe there (tests/core); the spreadsheets have their own corpus (tests/core/test_spreadsheets.py)."""

from __future__ import annotations

import io
import re
from collections import defaultdict, deque
from html.parser import HTMLParser
from pathlib import Path
from typing import Any
from urllib.parse import urlsplit

import pytest
from django.apps import apps
from django.core.management import call_command
from django.db import IntegrityError, models, transaction
from django.db.models.functions import Cast, Concat
from django.test import Client
from django.urls import Resolver404, resolve

from core.models import User
from documents.models import Pack
from documents.render import pack_html
from documents.selectors import pack_source

pytestmark = pytest.mark.django_db

APPS = ["core", "evidence", "engagement", "timeline", "documents"]
TOKEN = "xss0"
# Columns that are not free text a person types: keys, codes, hashes and the portal's own messages.
SKIP: dict[str, str] = {
    "core.User.password": "a password hash",
    "core.Area.code": "an ONS code the data joins on",
    "core.Area.vintage": "a code vintage",
    "core.Invitation.token_hash": "a hash",
    "core.AuditEvent.verb": "an AuditVerb value",
    "core.AuditEvent.target_id": "a primary key",
    "core.Email.subject": "the portal's own email (plain text)",
    "core.Email.body": "the portal's own email (plain text)",
    "core.Email.last_error": "the mail server's message",
    "core.RateLimitCount.key": "a rate limit's key",
    "evidence.Indicator.layout": "an importer layout's name",
    "evidence.Observation.geo_code": "an ONS code",
    "evidence.Observation.period": "a period code",
    "evidence.Observation.industry_code": "a SIC code",
    "evidence.ImportJob.last_error": "the importer's own message",
    "engagement.ConsultationDocument.sha256": "a hash",
    "engagement.ConsultationResponse.ip_hash": "a hash",
    "engagement.ConsultationResponse.token_hash": "a hash",
    "engagement.Subscription.token_hash": "a hash",
    "engagement.Update.last_error": "the mail server's message",
    "timeline.CalendarFeed.token": "a secret token",
    "documents.PaperAppendix.sha256": "a hash",
    "documents.Pack.fingerprint": "a hash",
    "documents.Pack.sha256": "a hash",
    "documents.Pack.error": "the renderer's own message",
}
# From the longest to the shortest; each column takes the longest that fits. {n} is its number.
PAYLOADS = [
    (
        '<script>{t}({n})</script><img src=x onerror={t}({n})><a href="javascript:{t}({n})">j</a>'
        "<svg onload={t}({n})></svg>[m](javascript:{t}({n})) ![i](data:text/html,{t}({n})) "
        "<style>b{{background:url(http://127.0.0.1/{t}({n}))}}</style> ={t}({n})\u202e"
    ),
    "<script>{t}({n})</script><img src=x onerror={t}({n})>",
    "<b onmouseover={t}({n})>",
]
START = ["/", "/south-east/", "/south-east/your-work/", "/south-east/timeline/", "/south-east/evidence/"]
START += ["/south-east/engagement/", "/south-east/documents/", "/south-east/engagement/priorities/"]
ROLES = {
    "signed out": None,
    "councillor": "councillor@example.org",
    "officer": "officer@example.org",
    "board member": "board@example.org",
    "partner": "partner@example.org",
    "administrator": "admin@example.org",
}
PER_PATTERN = 2  # pages visited per URL pattern and query keys
NEVER = ("/accounts/sign-out", "/static/", "/media/", "/admin/logout", "/i18n/")


def _text_columns() -> list[tuple[type[models.Model], models.Field[Any, Any], str]]:
    found: list[tuple[type[models.Model], models.Field[Any, Any], str]] = []
    for label in APPS:
        for model in apps.get_app_config(label).get_models():
            for field in model._meta.concrete_fields:
                if not isinstance(field, models.CharField | models.TextField) or field.choices:
                    continue
                if isinstance(field, models.SlugField | models.EmailField | models.URLField):
                    continue
                name = f"{model._meta.label}.{field.name}"
                if name not in SKIP:
                    found.append((model, field, name))
    return found


def _payload(number: int, max_length: int | None) -> str:
    room = (max_length or 10_000) - 8  # the row's pk goes first, keeping unique columns unique
    for template in PAYLOADS:
        text = template.format(t=TOKEN, n=number)
        if len(text) <= room:
            return text
    raise AssertionError(f"column {number} is too short for any payload: add it to SKIP with why")


def _add_what_the_demo_leaves_empty() -> None:
    """A row, with text, of the models people write to that the demo has none of."""
    from core.models import Strategy, Theme
    from engagement.models import Contact, EngagementEntry
    from evidence.models import EvidenceNarrative
    from timeline.models import AgendaItem, Declaration

    strategy = Strategy.objects.get(slug="south-east")
    officer = User.objects.get(email="officer@example.org")
    contact = Contact.objects.create(strategy=strategy, name="x", role="x", phone="x", notes="x", basis="x")
    EngagementEntry.objects.create(
        strategy=strategy, contact=contact, happened_on="2019-09-01", method="meeting", about="x", logged_by=officer
    )
    for theme in Theme.objects.all()[:2]:
        EvidenceNarrative.objects.get_or_create(
            strategy=strategy, theme=theme, defaults={"strengths": "x", "challenges": "x", "opportunities": "x"}
        )
    for item in AgendaItem.objects.filter(meeting__board__strategy=strategy):
        Declaration.objects.create(agenda_item=item, user=User.objects.get(email="board@example.org"), interest="x")


def _fill() -> dict[int, str]:
    """Overwrite every free-text column of every row that has text in it; the columns by number."""
    columns: dict[int, str] = {}
    for number, (model, field, name) in enumerate(_text_columns(), start=100):
        columns[number] = name
        value = Concat(Cast("pk", models.CharField()), models.Value(" " + _payload(number, field.max_length)))
        model._default_manager.exclude(**{field.name: ""}).exclude(**{f"{field.name}__isnull": True}).update(
            **{field.name: value}
        )
        # An empty column too, unless a check constraint says empty means "not yet" (a priority's
        # response without its time): then only the rows that had text carry it.
        try:
            with transaction.atomic():
                model._default_manager.filter(**{field.name: ""}).update(**{field.name: value})
        except IntegrityError:
            pass
    return columns


ADDRESSES = ("href", "src", "action", "formaction", "data", "srcset", "style", "xlink:href")


class _Escapes(HTMLParser):
    """The hostile strings the markup *executes or loads*, not the text it shows."""

    def __init__(self) -> None:
        super().__init__(convert_charrefs=True)
        self.found: list[str] = []
        self._raw: str | None = None

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        if tag in ("script", "style"):
            self._raw = tag
        for name, value in attrs:
            value = value or ""
            if TOKEN not in value:
                continue
            handler = name.startswith("on") or tag == "svg"
            address = name in ADDRESSES and (
                re.match(r"\s*(javascript|data|vbscript):", value, re.I) is not None or "url(" in value
            )
            if handler or address:
                self.found.append(f"<{tag} {name}={value[:60]!r}>")

    def handle_endtag(self, tag: str) -> None:
        if tag == self._raw:
            self._raw = None

    def handle_data(self, data: str) -> None:
        if self._raw and TOKEN in data:
            self.found.append(f"<{self._raw}>{data[:60]!r}")


def escapes_in(html: str) -> list[str]:
    parser = _Escapes()
    parser.feed(html)
    parser.close()
    return parser.found


def _pattern(path: str, query: str) -> str | None:
    try:
        match = resolve(path)
    except Resolver404:
        return None
    keys = sorted({part.split("=", 1)[0] for part in query.split("&") if part})
    return f"{match.route}?{'&'.join(keys)}"


def _walk(client: Client) -> dict[str, str]:
    """Every HTML page reachable by links from START (a few per URL pattern): url -> its HTML."""
    seen_patterns: dict[str, int] = defaultdict(int)
    pages: dict[str, str] = {}
    queue = deque(START + (["/admin/"] if client.session.get("_auth_user_id") else []))
    visited: set[str] = set()
    while queue:
        url = queue.popleft()
        if url in visited:
            continue
        visited.add(url)
        parts = urlsplit(url)
        pattern = _pattern(parts.path, parts.query)
        if pattern is None or seen_patterns[pattern] >= PER_PATTERN:
            continue
        seen_patterns[pattern] += 1
        response = client.get(url)
        if response.status_code != 200 or "text/html" not in response.get("Content-Type", ""):
            continue
        html = response.content.decode()
        pages[url] = html
        for href in re.findall(r'href="(/[^"#]*)', html):
            href = href.replace("&amp;", "&")
            if not href.startswith(NEVER) and href not in visited:
                queue.append(href)
    return pages


def test_no_typed_text_reaches_html_unescaped(settings: Any, tmp_path: Path) -> None:
    settings.MEDIA_ROOT = str(tmp_path)
    call_command("loaddemo", stdout=io.StringIO())
    _add_what_the_demo_leaves_empty()
    columns = _fill()
    shown: dict[str, set[str]] = defaultdict(set)
    failures: list[str] = []
    visited = 0
    for role, email in ROLES.items():
        client = Client()
        if email:
            client.force_login(User.objects.get(email=email))
        for url, html in _walk(client).items():
            visited += 1
            failures += [f"{role} {url}: {escape}" for escape in escapes_in(html)]
            for number in {int(n) for n in re.findall(rf"{TOKEN}\((\d+)\)", html)}:
                shown[columns[number]].add(url)

    pack = Pack.objects.filter(kind=Pack.Kind.MEMBERS).first()
    assert pack is not None, "the demo has a members' pack"
    html = pack_html(pack_source(pack=pack), appendix_pages={})
    failures += [f"members' pack: {escape}" for escape in escapes_in(html)]
    in_pack = {columns[int(n)] for n in re.findall(rf"{TOKEN}\((\d+)\)", html)}

    print(f"\n{len(columns)} free-text columns, {visited} pages visited by {len(ROLES)} kinds of visitor:")
    for name in columns.values():
        pages = sorted(shown.get(name, ()))
        where = f"{len(pages)} pages, e.g. {pages[0]}" if pages else "on no page visited"
        print(f"  {name}: {where}{'; in the pack' if name in in_pack else ''}")
    print(f"{len(failures)} escapes")
    assert not failures, "\n".join(failures[:50])
    assert visited > 100 and len(shown) > len(columns) // 2  # the walk really reached the text


def test_the_detector_finds_what_it_should() -> None:
    """The parser above flags executable markup carrying the token, and not the token as text."""
    assert escapes_in(f"<p>&lt;script&gt;{TOKEN}(1)&lt;/script&gt;</p>") == []
    assert escapes_in(f'<a href="https://example.org/?q={TOKEN}(1)">x</a>') == []
    assert escapes_in(f"<script>{TOKEN}(1)</script>")
    assert escapes_in(f"<img src=x onerror={TOKEN}(1)>")
    assert escapes_in(f'<a href="javascript:{TOKEN}(1)">x</a>')
    assert escapes_in(f'<img src="data:text/html,{TOKEN}(1)">')
    assert escapes_in(f"<svg onload={TOKEN}(1)></svg>")
    assert escapes_in(f"<style>b{{background:url(http://127.0.0.1/{TOKEN}(1))}}</style>")
