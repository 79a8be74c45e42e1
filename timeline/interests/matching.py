"""Which register entries may apply to an agenda item, and why: a pure function over text.

The rule is meant to be explained in one sentence on the page: an entry may apply when its
organisation's name, or a name in its description (a word starting with a capital letter that is
not a common word such as "Director" or "Council"), appears in the agenda item's title or its
paper's title. Nothing is declared for the member: the page only points at what to look at.
"""

from __future__ import annotations

import re
from collections.abc import Iterable
from dataclasses import dataclass

# Capitalised words too common in titles and registers to say anything on their own.
_COMMON = (
    "a an and as at by for from in into of on or the to with",
    "board boards member members membership chair chairman vice trustee trustees director directors",
    "non executive partner owner employee employed employment consultant adviser advisor governor patron",
    "company companies limited ltd plc llp group holdings trust trusts foundation charity society club",
    "association council councils county borough district city town parish authority",
    "local industrial strategy enterprise partnership economic economy growth business businesses",
    "university college school schools centre center national regional royal",
    "land property house home road street lane farm",
    "gift gifts hospitality dinner lunch ticket tickets",
    "paper papers item report update progress draft proposal plan",
    "kent east west north south essex sussex medway england uk british",
)
COMMON_WORDS = frozenset(" ".join(_COMMON).split())
WORD = re.compile(r"[A-Za-z][A-Za-z'’&-]+")


@dataclass(frozen=True)
class Match:
    """An entry that may apply, and the sentence that says why ("“Example Business Group” is in
    the paper’s title")."""

    entry_pk: int
    reasons: tuple[str, ...]


def _normal(text: str) -> str:
    return " ".join(WORD.findall(text.replace("’", "'"))).lower()


def _contains(haystack: str, phrase: str) -> bool:
    return bool(phrase) and re.search(rf"(?<![a-z]){re.escape(phrase)}(?![a-z])", haystack) is not None


def names_in(description: str, organisation: str) -> list[str]:
    """The distinctive words of an entry: the capitalised words of its description and
    organisation that are not common words, at least four letters long, in order, once each."""
    seen: list[str] = []
    for word in WORD.findall(f"{organisation} {description}"):
        clean = word.strip("'’&-")
        if len(clean) >= 4 and clean[0].isupper() and clean.lower() not in COMMON_WORDS and clean not in seen:
            seen.append(clean)
    return seen


def entry_matches(
    *, entry_pk: int, description: str, organisation: str, titles: Iterable[tuple[str, str]]
) -> Match | None:
    """`titles`: (where, text) pairs, such as ("the item’s title", "3. Growth Deal pipeline").
    A Match with one reason per title the entry's organisation (else its names) appear in."""
    reasons: list[str] = []
    organisation_phrase = _normal(organisation)
    names = names_in(description, organisation)
    for where, text in titles:
        haystack = _normal(text)
        if organisation_phrase and _contains(haystack, organisation_phrase):
            reasons.append(f"“{organisation.strip()}” is in {where}")
            continue
        found = [name for name in names if _contains(haystack, _normal(name))]
        if found:
            words = ", ".join(f"“{name}”" for name in found)
            reasons.append(f"{words} {'is' if len(found) == 1 else 'are'} in {where}")
    return Match(entry_pk, tuple(reasons)) if reasons else None
