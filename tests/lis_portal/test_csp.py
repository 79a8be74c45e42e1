"""Content-Security-Policy: every HTML page carries the policy with a nonce of its own, and its
markup needs nothing the policy refuses (an inline script without the nonce, a <style> element or
style="" attribute, an on…="" handler). Downloads keep their own, stricter policy.

The pages are every URL the portal names that needs no more than a strategy (walked from the URL
resolver, so a new page is covered without touching this file), as an officer and as an
administrator, with the admin's changelist and change form, and the error pages."""

from __future__ import annotations

import re
from collections.abc import Iterator

import pytest
from django.http import HttpResponse
from django.test import Client
from django.urls import URLPattern, URLResolver, get_resolver, reverse

from tests.conftest import Cast
from tests.evidence.conftest import make_item

pytestmark = pytest.mark.django_db

NONCE_IN_HEADER = re.compile(r"script-src 'self' 'nonce-([A-Za-z0-9+/=]+)'")
SCRIPT_TAG = re.compile(r"<script\b([^>]*)>", re.I)
STYLE_TAG = re.compile(r"<style\b([^>]*)>", re.I)
STYLE_ATTRIBUTE = re.compile(r"<[a-z][^>]*\sstyle\s*=", re.I)
EVENT_HANDLER = re.compile(r"<[a-z][^>]*\son[a-z]+\s*=", re.I)
JAVASCRIPT_URL = re.compile(r"""(?:href|src|action)\s*=\s*["']?\s*javascript:""", re.I)

POLICY = {
    "default-src": "'self'",
    "object-src": "'none'",
    "base-uri": "'self'",
    "form-action": "'self'",
    "frame-ancestors": "'none'",
    "img-src": "'self'",
    "style-src": "'self'",
}


def _names(
    patterns: list[URLPattern | URLResolver], prefix: str = "", outer: frozenset[str] = frozenset()
) -> Iterator[tuple[str, frozenset[str]]]:
    for pattern in patterns:
        params = outer | set(pattern.pattern.regex.groupindex)
        if isinstance(pattern, URLResolver):
            if pattern.namespace == "admin":
                continue  # the admin is visited below, as an administrator
            namespace = f"{prefix}{pattern.namespace}:" if pattern.namespace else prefix
            yield from _names(pattern.url_patterns, namespace, params)
        elif pattern.name:
            yield f"{prefix}{pattern.name}", params


def _portal_urls(strategy_slug: str) -> list[str]:
    urls = []
    for name, params in sorted(set(_names(get_resolver().url_patterns))):
        if params == {"strategy_slug"}:
            urls.append(reverse(name, kwargs={"strategy_slug": strategy_slug}))
        elif not params:
            urls.append(reverse(name))
    return urls


def assert_policy_kept(response, url: str) -> str | None:
    """The response's policy and the page's markup agree; returns the nonce."""
    header = response.get("Content-Security-Policy", "")
    directives = dict(part.strip().split(" ", 1) for part in header.split(";") if part.strip())
    for directive, value in POLICY.items():
        assert directives.get(directive) == value, f"{url}: {directive} {value} missing from {header!r}"
    assert re.search(r"script-src 'self'(;|$| 'nonce-)", header), f"{url}: scripts from elsewhere allowed: {header!r}"
    # The nonce is in the header once the page used it (the admin uses none: its scripts are files).
    match = NONCE_IN_HEADER.search(header)
    nonce = match.group(1) if match else None
    html = response.content.decode()
    for attributes in SCRIPT_TAG.findall(html):
        if "src=" in attributes or 'type="application/json"' in attributes:
            continue
        assert nonce and f'nonce="{nonce}"' in attributes, f"{url}: an inline script without the nonce: {attributes}"
    assert not STYLE_TAG.search(html), f"{url}: a <style> element (styles belong in main.scss)"
    assert not STYLE_ATTRIBUTE.search(html), f"{url}: a style attribute: {STYLE_ATTRIBUTE.search(html)}"
    assert not EVENT_HANDLER.search(html), f"{url}: an inline event handler: {EVENT_HANDLER.search(html)}"
    assert not JAVASCRIPT_URL.search(html), f"{url}: a javascript: URL"
    return nonce


@pytest.mark.parametrize("role", ["anonymous", "officer", "admin"])
def test_every_html_page_has_the_policy_and_keeps_to_it(client: Client, cast: Cast, role: str) -> None:
    if role != "anonymous":
        client.force_login(getattr(cast, role))
    checked = 0
    for url in _portal_urls(cast.strategy.slug):
        response = client.get(url)
        if "text/html" not in response.get("Content-Type", "") or b"<html" not in response.content:
            continue  # a redirect, a download, an empty 405
        assert_policy_kept(response, url)
        checked += 1
    assert checked >= (15 if role == "anonymous" else 40), f"only {checked} HTML pages were checked"


def test_each_response_has_a_fresh_nonce(client: Client, cast: Cast) -> None:
    nonces = {assert_policy_kept(client.get(reverse("home")), "/") for _ in range(3)}
    client.force_login(cast.officer)
    overview = reverse("strategy-overview", kwargs={"strategy_slug": cast.strategy.slug})
    nonces |= {assert_policy_kept(client.get(overview), overview) for _ in range(3)}
    assert None not in nonces
    assert len(nonces) == 6


def test_error_pages_have_the_policy(client: Client, cast: Cast) -> None:
    response = client.get("/no/such/page/")
    assert response.status_code == 404
    assert_policy_kept(response, "/no/such/page/")
    other = reverse("strategy-overview", kwargs={"strategy_slug": cast.other_strategy.slug}) + "audit/"
    client.force_login(cast.councillor)
    assert_policy_kept(client.get(other), other)


def test_the_admin_pages_have_the_policy_and_load_their_scripts_from_files(client: Client, cast: Cast) -> None:
    client.force_login(cast.admin)
    pages = [
        reverse("admin:index"),
        reverse("admin:core_user_changelist"),
        reverse("admin:core_user_change", args=[cast.officer.pk]),
        reverse("admin:core_user_add"),
        reverse("admin:core_strategy_change", args=[cast.strategy.pk]),
    ]
    for url in pages:
        response = client.get(url)
        assert response.status_code == 200, url
        assert_policy_kept(response, url)


def test_a_download_keeps_its_own_stricter_policy(client: Client, cast: Cast, settings, tmp_path) -> None:
    settings.MEDIA_ROOT = tmp_path
    item = make_item(cast.strategy, pdf=True)
    url = reverse("evidence:item-download", kwargs={"strategy_slug": cast.strategy.slug, "pk": item.pk})
    response = client.get(url)
    assert response.status_code == 200
    assert response["Content-Security-Policy"] == "default-src 'none'; sandbox"


def test_the_server_error_page_has_the_policy(rf) -> None:
    """Django calls handler500 inside the middleware, so the 500 page gets the policy too (it has
    no inline script to need a nonce: it stands alone, with no request)."""
    from csp.middleware import CSPMiddleware

    from lis_portal.errors import server_error

    response = CSPMiddleware(server_error)(rf.get("/"))
    assert isinstance(response, HttpResponse)
    assert response.status_code == 500
    assert_policy_kept(response, "500")
