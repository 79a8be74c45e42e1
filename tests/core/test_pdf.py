"""The safe PDF renderer: only our static files, media through the storage API, and small
data: URLs; nothing else is fetched, whatever the HTML asks for."""

from __future__ import annotations

import base64
import http.server
import io
import threading
from collections.abc import Iterator

import pytest
from django.core.files.base import ContentFile
from django.core.files.storage import default_storage
from pypdf import PdfReader

from core.markdown import markdown_to_html
from core.pdf import PORTAL_BASE_URL, PortalURLFetcher, pdf_render

PASSWD_MARKERS = (b"root:x:0:0", b"/bin/bash", b"nologin")
SECRET = b"FETCHED-FROM-THE-NETWORK-9f2c"


class _Recorder(http.server.BaseHTTPRequestHandler):
    hits: list[str] = []

    def do_GET(self) -> None:
        _Recorder.hits.append(self.path)
        self.send_response(200)
        self.send_header("Content-Type", "text/css")
        self.end_headers()
        self.wfile.write(b"/* " + SECRET + b" */ body { color: red }")

    def log_message(self, *args: object) -> None:
        pass


@pytest.fixture
def listener() -> Iterator[str]:
    """A real HTTP server on 127.0.0.1 that records every request it gets."""
    _Recorder.hits = []
    server = http.server.ThreadingHTTPServer(("127.0.0.1", 0), _Recorder)
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    yield f"http://127.0.0.1:{server.server_address[1]}"
    server.shutdown()


def _hostile(urls: list[str]) -> str:
    """An image, a stylesheet link, a CSS background and an attachment link for each URL."""
    links = "".join(f'<link rel="stylesheet" href="{url}">' for url in urls)
    body = "".join(
        f'<img src="{url}" alt="image {n}"><a rel="attachment" href="{url}">attachment {n}</a>'
        f'<p style="background: url({url})">background {n}</p>'
        for n, url in enumerate(urls)
    )
    return f'<html lang="en-GB"><head><title>Hostile</title>{links}</head><body><h1>Hostile</h1>{body}</body></html>'


def _assert_clean(pdf: bytes) -> None:
    for marker in (*PASSWD_MARKERS, SECRET):
        assert marker not in pdf
    reader = PdfReader(io.BytesIO(pdf))
    assert reader.attachments == {}
    text = "".join(page.extract_text() for page in reader.pages)
    assert "root:" not in text


def test_hostile_html_renders_and_fetches_nothing(listener: str) -> None:
    html = _hostile(["file:///etc/passwd", "http://127.0.0.1:9/", f"{listener}/secret", "ftp://127.0.0.1:9/x"])
    fetcher = PortalURLFetcher()
    pdf = pdf_render(html, fetcher=fetcher, uncompressed=True)
    assert pdf.startswith(b"%PDF")
    assert _Recorder.hits == []
    assert fetcher.served == []
    assert any(url.startswith("file:///etc/passwd") for url in fetcher.refused)
    assert any(url.startswith("http://127.0.0.1:9/") for url in fetcher.refused)
    assert any(url.startswith(listener) for url in fetcher.refused)
    _assert_clean(pdf)


def test_hostile_markdown_is_sanitised_before_the_renderer(listener: str) -> None:
    text = (
        f"![x](file:///etc/passwd) ![y]({listener}/i.png)\n\n"
        f'<link rel="stylesheet" href="{listener}/s.css"><a rel="attachment" href="file:///etc/passwd">a</a>'
        f'<img src="http://127.0.0.1:9/" alt="z">'
    )
    fetcher = PortalURLFetcher()
    html = (
        f'<html lang="en-GB"><head><title>T</title></head><body><h1>Section</h1>{markdown_to_html(text)}</body></html>'
    )
    pdf = pdf_render(html, fetcher=fetcher, uncompressed=True)
    assert fetcher.refused == [] and fetcher.served == []
    assert _Recorder.hits == []
    _assert_clean(pdf)


def test_static_files_are_served() -> None:
    fetcher = PortalURLFetcher()
    response = fetcher.fetch(PORTAL_BASE_URL + "static/pdf/pack.css")
    assert b"@page" in response.read()


def test_climbing_out_of_static_is_refused() -> None:
    fetcher = PortalURLFetcher()
    for url in ("static/%2e%2e/%2e%2e/etc/passwd", "static/..%2f..%2fsettings.py", "media/../core/models.py"):
        with pytest.raises(ValueError, match="Refused"):
            fetcher.fetch(PORTAL_BASE_URL + url)


def test_media_is_read_through_the_storage_api(settings, tmp_path) -> None:
    settings.MEDIA_ROOT = tmp_path
    name = default_storage.save("documents/test/logo.svg", ContentFile(b"<svg xmlns='http://www.w3.org/2000/svg'/>"))
    response = PortalURLFetcher().fetch(PORTAL_BASE_URL + "media/" + name)
    assert response.read().startswith(b"<svg")
    assert response.content_type == "image/svg+xml"


def test_small_data_urls_are_served_and_large_ones_refused() -> None:
    small = "data:text/plain;base64," + base64.b64encode(b"hello").decode()
    assert PortalURLFetcher().fetch(small).read() == b"hello"
    large = "data:text/plain;base64," + base64.b64encode(b"x" * 2000).decode()
    with pytest.raises(ValueError, match="larger"):
        PortalURLFetcher(max_data_bytes=1000).fetch(large)
