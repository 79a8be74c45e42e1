"""The demo behind `python manage.py loaddemo`: a loader in Python, its content in data files.

The content (`content/*.toml`: organisations, people, boards, the schedule, evidence, calls,
consultations, events, texts) says what the demo holds; the modules here load it, one part of the
strategy's life each: `places` and `organisations` and `people` (the geography and the cast),
`strategies` and `schedule` (the strategies and the replayed plan), `boards` (boards, meetings and
decisions), `evidence` and `engagement`, `priorities` (the evidence phase's call, lived) and
`drafting` (the draft, the upcoming meeting's papers and packs). docs/demo-data.md says where every
fact comes from and how to add to the content.

Every fact comes from the two seed documents (../shared/seeds) or the public data extracts
(settings.SHARED_DATA_DIR); each record says where its facts come from (Organisation.note,
Strategy.source, Milestone.source). What the data does not hold is the portal's own choice, and
its text says so.

Loading is idempotent: every record is found by its natural key (an area's code and vintage, an
organisation's or strategy's slug, a person's email, a board's name in its strategy, a phase's
stage, a milestone's title in its phase…) and brought to its demo state, so a second run changes
nothing but the demo password's hash.
"""

from __future__ import annotations

from .content import DemoDataError, read_content
from .loader import DemoResult, load_demo
from .people import PASSWORD_ENV, DemoAccount, demo_password

__all__ = ["PASSWORD_ENV", "DemoAccount", "DemoDataError", "DemoResult", "demo_password", "load_demo"]


def __getattr__(name: str) -> str:
    """Two facts of the content by the names the tests use: `SELEP` (the code of the LEP loaded in
    detail) and `SELEP_PAGE` (the citation of the SELEP page, every milestone's source)."""
    if name == "SELEP":
        return str(read_content().parsed["places.toml"]["detailed_lep"])
    if name == "SELEP_PAGE":
        return read_content().sources["selep_page"]
    raise AttributeError(f"module {__name__!r} has no attribute {name!r}")
