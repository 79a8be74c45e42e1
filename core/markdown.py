"""User text: Markdown rendered to HTML, then sanitised by nh3 with an allow-list (docs/design.md, PDFs).

Every piece of text a person writes reaches a template, web page or PDF, only through
`markdown_to_html`. The allow-list has no images, no styles, no scripts, no forms and no
`rel` or `class` of the writer's choosing: charts and pictures in packs come from our own
templates, and links may only be http(s) or mailto (nh3 also adds rel="noopener noreferrer",
so a writer cannot turn a link into a PDF attachment with rel="attachment").
"""

from __future__ import annotations

import re

import markdown as markdown_lib
import nh3
from django.utils.safestring import SafeString, mark_safe

ALLOWED_TAGS: frozenset[str] = frozenset(
    {
        "p",
        "br",
        "hr",
        "strong",
        "em",
        "b",
        "i",
        "code",
        "pre",
        "blockquote",
        "ul",
        "ol",
        "li",
        "h2",
        "h3",
        "h4",
        "h5",
        "h6",
        "a",
        "table",
        "thead",
        "tbody",
        "tr",
        "th",
        "td",
        "caption",
        "abbr",
        "sup",
        "sub",
    }
)
ALLOWED_ATTRIBUTES: dict[str, set[str]] = {
    "a": {"href", "title"},
    "abbr": {"title"},
    "th": {"scope", "colspan", "rowspan"},
    "td": {"colspan", "rowspan"},
    "ol": {"start"},
}
ALLOWED_URL_SCHEMES: frozenset[str] = frozenset({"http", "https", "mailto"})
EXTENSIONS = ["tables", "sane_lists", "fenced_code"]
_HEADING = re.compile(r"<(/?)h([1-6])\b", re.IGNORECASE)
# Markdown's footnotes extension names its targets "fn:<label>" and "fnref:<label>".
_FOOTNOTE_TARGET = re.compile(r'(id="|href="#)(fnref|fn):([^"]*)"')
_UNSAFE_ID_CHARACTERS = re.compile(r"[^A-Za-z0-9_-]")


def _shift_headings(html: str, top: int) -> str:
    """Number the writer's headings from `top` down with no level skipped: the highest level they
    used becomes `top` (so it sits under the page's own headings), the next one used `top + 1`, and
    so on — a text whose headings start at `##`, or jump from `#` to `###`, still makes a valid outline."""
    used = sorted({int(level) for _, level in _HEADING.findall(html)})
    renumber = {level: min(6, top + rank) for rank, level in enumerate(used)}

    def shift(match: re.Match[str]) -> str:
        return f"<{match[1]}h{renumber[int(match[2])]}"

    return _HEADING.sub(shift, html)


def sanitise_html(html: str, *, footnote_ids: str | None = None) -> str:
    """nh3 with our allow-list: the last step before anything reaches a template. With
    `footnote_ids`, the footnotes' markers and notes keep their ids — only ids of that prefix, so a
    writer can choose none of their own."""
    attributes = {tag: set(names) for tag, names in ALLOWED_ATTRIBUTES.items()}
    attribute_filter = None
    if footnote_ids:
        attributes["sup"] = {"id"}
        attributes["li"] = {"id"}

        def attribute_filter(tag: str, name: str, value: str) -> str | None:
            return value if name != "id" or value.startswith(f"{footnote_ids}-fn") else None

    return nh3.clean(
        html,
        tags=set(ALLOWED_TAGS),
        clean_content_tags={"script", "style"},
        attributes=attributes,
        attribute_filter=attribute_filter,
        url_schemes=set(ALLOWED_URL_SCHEMES),
        link_rel="noopener noreferrer",
        strip_comments=True,
    )


def _prefix_footnotes(html: str, prefix: str) -> str:
    """Give the footnotes' targets ids unique on the page ("<prefix>-fn-1"), so that several texts
    with footnotes (a strategy's sections) can share one page."""

    def prefixed(match: re.Match[str]) -> str:
        label = _UNSAFE_ID_CHARACTERS.sub("-", match[3])
        return f'{match[1]}{prefix}-{match[2]}-{label}"'

    return _FOOTNOTE_TARGET.sub(prefixed, html)


def markdown_to_html(text: str, *, top_heading: int = 3, footnote_ids: str | None = None) -> SafeString:
    """Markdown → HTML → nh3. Raw HTML in the text is escaped by Markdown's own rules where it
    can be, and whatever survives is cut down to the allow-list. `top_heading` is the level a
    `#` heading becomes (3 by default: under a page's h1 and a section's h2). Given
    `footnote_ids` (a prefix unique on the page, like "section-4"), footnotes (`[^1]` in the text,
    `[^1]: the note` below it) become numbered notes linked both ways."""
    extensions = EXTENSIONS + (["footnotes"] if footnote_ids else [])
    html = markdown_lib.markdown(text or "", extensions=extensions, output_format="html")
    if footnote_ids:
        html = _prefix_footnotes(html, footnote_ids)
    clean = sanitise_html(_shift_headings(html, top_heading), footnote_ids=footnote_ids)
    return mark_safe(clean)  # noqa: S308 — sanitised by nh3 on the line above
