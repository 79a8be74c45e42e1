"""The safe PDF renderer (docs/design.md, PDFs): WeasyPrint with one URL fetcher of ours.

Every resource WeasyPrint asks for — images, stylesheets, fonts, SVG references and
`<a rel="attachment">` files — goes through `PortalURLFetcher`, which serves only:

- our static files, at STATIC_URL under `PORTAL_BASE_URL`, read through staticfiles storage
  (or the finders, where files are served from the source tree, as in development and tests);
- media, at MEDIA_URL under `PORTAL_BASE_URL`, read through Django's default storage API, so it
  works the same on disk and on object storage;
- small `data:` URLs.

Everything else is refused: `file://` (any path), http(s) to anywhere, ftp, and redirects (the
fetcher never opens a connection, so there is nothing to redirect). A refused fetch raises
`ValueError`, which WeasyPrint turns into a logged warning: the document still renders, without
the resource. Templates reach the portal's files through `{% static %}` and `.url`, which give
paths; WeasyPrint resolves them against `PORTAL_BASE_URL` (a reserved `.invalid` name that no
resolver answers, so even a bug here could not reach a real host).
"""

from __future__ import annotations

import base64
import binascii
import logging
import mimetypes
import posixpath
from collections.abc import Sequence
from typing import Any
from urllib.parse import unquote, urlsplit

from django.conf import settings
from django.contrib.staticfiles import finders
from django.contrib.staticfiles.storage import staticfiles_storage
from django.core.files.storage import default_storage
from weasyprint import CSS, HTML
from weasyprint.urls import URLFetcher, URLFetcherResponse

logger = logging.getLogger(__name__)

PORTAL_BASE_URL = "https://portal.invalid/"
MAX_DATA_URL_BYTES = 2 * 1024 * 1024
MAX_FILE_BYTES = 50 * 1024 * 1024
DEFAULT_PDF_VARIANT = "pdf/ua-1"


class FetchRefused(ValueError):
    """A URL the PDF renderer will not fetch."""


def _safe_relative(path: str) -> str:
    """A storage name from a URL path: decoded, normalised, and refused if it climbs out."""
    name = unquote(path)
    if "\x00" in name or "\\" in name:
        raise FetchRefused(f"Refused a path with forbidden characters: {path!r}")
    normal = posixpath.normpath("/" + name).lstrip("/")
    if not normal or normal == "." or normal.startswith("..") or normal != name.strip("/"):
        raise FetchRefused(f"Refused a path that is not plainly inside the folder: {path!r}")
    return normal


class PortalURLFetcher(URLFetcher):
    """A WeasyPrint 70 URLFetcher that serves only our static files, media (through the
    storage API) and small data: URLs. See the module docstring."""

    def __init__(self, *, max_data_bytes: int = MAX_DATA_URL_BYTES, **kwargs: Any) -> None:
        # No handlers are used (fetch() below never calls urllib); the base class still wants
        # its attributes (WeasyPrint reads _fail_on_errors). Redirects are off for good measure.
        super().__init__(allowed_protocols=("data", "https"), allow_redirects=False, fail_on_errors=False, **kwargs)
        self.max_data_bytes = max_data_bytes
        self.refused: list[str] = []
        self.served: list[str] = []

    def fetch(self, url: str, headers: dict[str, str] | None = None) -> URLFetcherResponse:
        try:
            response = self._fetch(url)
        except FetchRefused:
            self.refused.append(url)
            raise
        self.served.append(url)
        return response

    def _fetch(self, url: str) -> URLFetcherResponse:
        if url[:5].lower() == "data:":
            return self._data(url)
        if not url.startswith(PORTAL_BASE_URL):
            raise FetchRefused(f"Refused to fetch {url[:200]!r}: PDFs use only the portal's own files.")
        parts = urlsplit(url)
        path = parts.path
        static_prefix = urlsplit(settings.STATIC_URL).path
        media_prefix = urlsplit(settings.MEDIA_URL).path
        if path.startswith(static_prefix):
            return self._static(_safe_relative(path[len(static_prefix) :]), url)
        if path.startswith(media_prefix):
            return self._media(_safe_relative(path[len(media_prefix) :]), url)
        raise FetchRefused(f"Refused to fetch {url[:200]!r}: not a static or media file.")

    def _data(self, url: str) -> URLFetcherResponse:
        header, _, payload = url[5:].partition(",")
        if len(payload) > self.max_data_bytes * 4 // 3 + 4:
            raise FetchRefused("Refused a data: URL larger than the limit.")
        is_base64 = header.endswith(";base64")
        mime = (header[: -len(";base64")] if is_base64 else header).split(";")[0] or "text/plain"
        try:
            body = base64.b64decode(payload, validate=True) if is_base64 else unquote(payload).encode()
        except (binascii.Error, ValueError) as error:
            raise FetchRefused("Refused a malformed data: URL.") from error
        if len(body) > self.max_data_bytes:
            raise FetchRefused("Refused a data: URL larger than the limit.")
        return URLFetcherResponse("data:", body, {"Content-Type": mime})

    def _static(self, name: str, url: str) -> URLFetcherResponse:
        found = finders.find(name) if not staticfiles_storage.exists(name) else None
        if found:
            with open(found if isinstance(found, str) else found[0], "rb") as handle:
                body = handle.read(MAX_FILE_BYTES + 1)
        elif staticfiles_storage.exists(name):
            with staticfiles_storage.open(name, "rb") as handle:
                body = handle.read(MAX_FILE_BYTES + 1)
        else:
            raise FetchRefused(f"No static file {name!r}.")
        return self._response(url, name, body)

    def _media(self, name: str, url: str) -> URLFetcherResponse:
        if not default_storage.exists(name):
            raise FetchRefused(f"No media file {name!r}.")
        with default_storage.open(name, "rb") as handle:
            body = handle.read(MAX_FILE_BYTES + 1)
        return self._response(url, name, body)

    @staticmethod
    def _response(url: str, name: str, body: bytes) -> URLFetcherResponse:
        if len(body) > MAX_FILE_BYTES:
            raise FetchRefused(f"Refused {name!r}: larger than the limit.")
        mime = mimetypes.guess_type(name)[0] or "application/octet-stream"
        return URLFetcherResponse(url, body, {"Content-Type": mime})


def pdf_document(html: str, *, stylesheets: Sequence[str] = (), fetcher: PortalURLFetcher | None = None) -> Any:
    """Lay `html` out (WeasyPrint's Document), fetching only through our fetcher. `stylesheets`
    are static paths (e.g. "pdf/pack.css") added as author stylesheets."""
    fetcher = fetcher or PortalURLFetcher()
    css = [
        CSS(url=PORTAL_BASE_URL + settings.STATIC_URL.lstrip("/") + path, url_fetcher=fetcher) for path in stylesheets
    ]
    return HTML(string=html, base_url=PORTAL_BASE_URL, url_fetcher=fetcher, media_type="print").render(
        stylesheets=css, pdf_variant=DEFAULT_PDF_VARIANT
    )


def pdf_render(
    html: str,
    *,
    stylesheets: Sequence[str] = (),
    pdf_variant: str | None = DEFAULT_PDF_VARIANT,
    fetcher: PortalURLFetcher | None = None,
    uncompressed: bool = False,
) -> bytes:
    """Render `html` to PDF bytes, tagged (PDF/UA-1) by default. Every fetch goes through our
    fetcher; refused ones are left out and logged."""
    fetcher = fetcher or PortalURLFetcher()
    css = [
        CSS(url=PORTAL_BASE_URL + settings.STATIC_URL.lstrip("/") + path, url_fetcher=fetcher) for path in stylesheets
    ]
    pdf: bytes = HTML(string=html, base_url=PORTAL_BASE_URL, url_fetcher=fetcher, media_type="print").write_pdf(
        stylesheets=css, pdf_variant=pdf_variant, uncompressed_pdf=uncompressed
    )
    if fetcher.refused:
        logger.warning("The PDF renderer refused %d fetch(es): %s", len(fetcher.refused), fetcher.refused[:5])
    return pdf
