"""Accessibility checks for browser tests: axe-core and the Nu HTML checker on the page Playwright has open.

    from tests.browser.axe import assert_accessible

    page.goto("/")
    assert_accessible(page)

axe-core comes from node_modules (package.json pins it; scripts/build_assets.sh installs it).
The page is checked against the WCAG 2.0, 2.1 and 2.2 level A and AA rules axe can test
automatically — the standard the accessibility statement names. The same call sends the page's
HTML as it is now (page.content(): the document after its scripts ran) to the Nu HTML checker
(tests/browser/nu.py) and fails on any error it reports, warnings aside: invalid HTML leaves
browsers and assistive technologies to guess (WCAG 2.0 and 2.1's 4.1.1 Parsing).
"""

from __future__ import annotations

from pathlib import Path
from typing import Any

from playwright.sync_api import Page

from tests.browser import nu

ROOT = Path(__file__).resolve().parents[2]
AXE_SCRIPT = ROOT / "node_modules" / "axe-core" / "axe.min.js"
WCAG_TAGS = ["wcag2a", "wcag2aa", "wcag21a", "wcag21aa", "wcag22aa"]

# Runs in the page: axe over the whole document, reduced to what a failure message needs.
_RUN_AXE = """
async (tags) => {
  const results = await window.axe.run(document, { runOnly: { type: "tag", values: tags } });
  return results.violations.map((violation) => ({
    id: violation.id,
    impact: violation.impact,
    help: violation.help,
    helpUrl: violation.helpUrl,
    targets: violation.nodes.map((node) => node.target),
  }));
}
"""


def _axe_source() -> str:
    if not AXE_SCRIPT.exists():
        raise FileNotFoundError(f"{AXE_SCRIPT} is missing: run scripts/build_assets.sh (it runs npm ci).")
    return AXE_SCRIPT.read_text(encoding="utf-8")


def _selector(target: Any) -> str:
    """axe names a node by a list of selectors (more than one when it is inside a frame or shadow root)."""
    if isinstance(target, list):
        return " >>> ".join(_selector(part) for part in target)
    return str(target)


def axe_violations(page: Page) -> list[dict[str, Any]]:
    """The WCAG A/AA violations axe finds in the page as it is now."""
    if not page.evaluate("() => typeof window.axe !== 'undefined'"):
        # evaluate, not add_script_tag: it works whatever Content-Security-Policy the page sets.
        page.evaluate(_axe_source())
    violations: list[dict[str, Any]] = page.evaluate(_RUN_AXE, WCAG_TAGS)
    return violations


def assert_accessible(page: Page) -> None:
    """Fail with every axe violation (rule, impact, help, the offending nodes) and every Nu HTML
    checker error (message, line, extract), naming the page's URL."""
    html = page.content()
    pending = nu.html_errors(html, page.url)  # checked while axe runs
    violations = axe_violations(page)
    errors = pending.result()
    if not violations and not errors:
        return
    lines = []
    if violations:
        lines.append(f"{len(violations)} accessibility violation(s) on {page.url}:")
        for violation in violations:
            lines.append(f"- {violation['id']} ({violation['impact']}): {violation['help']} <{violation['helpUrl']}>")
            lines.extend(f"    {_selector(target)}" for target in violation["targets"])
    if errors:
        lines.append(nu.describe(errors, page.url))
    raise AssertionError("\n".join(lines))
