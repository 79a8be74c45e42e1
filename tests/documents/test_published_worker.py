"""The published strategy's PDF, rendered by a real Celery worker on the real Redis: tagged, in
English, with the sections' text, the public evidence and the agreed propositions only."""

from __future__ import annotations

import pytest
from django.core.files.storage import default_storage
from django.utils import timezone

from documents.models import Pack
from tests.conftest import Cast
from tests.documents.conftest import pdf_reader
from tests.documents.publishing import (
    AGREED,
    EMERGING,
    FOOTNOTE_MARKER,
    OPEN_EVIDENCE,
    SECRET_EVIDENCE,
    SECTION_MARKER,
    make_publishable,
    publish,
)
from tests.documents.test_worker import _wait

pytestmark = [pytest.mark.celery_worker, pytest.mark.postgres_only]


def test_a_real_worker_renders_the_published_strategy(cast: Cast, media, pack_workers) -> None:
    worker = pack_workers()
    today = timezone.localdate()
    edition = publish(make_publishable(cast.strategy), on=today)
    pack = edition.pack
    assert pack is not None and pack.kind == Pack.Kind.PUBLISHED
    _wait(pack, {Pack.Status.READY, Pack.Status.FAILED}, timeout=60)
    assert pack.status == Pack.Status.READY, (pack.error, worker.text())
    with default_storage.open(pack.file.name, "rb") as handle:
        reader = pdf_reader(handle.read())
    assert len(reader.pages) == pack.page_count
    root = reader.trailer["/Root"]
    assert "/StructTreeRoot" in root and root["/Lang"] == "en-GB"
    assert reader.metadata is not None and reader.metadata.title == cast.strategy.name
    text = " ".join(" ".join(page.extract_text() or "" for page in reader.pages).split())
    assert f"Published {today:%-d %B %Y}" in text
    assert SECTION_MARKER in text and "1. Introduction" in text
    assert FOOTNOTE_MARKER in text  # the footnote, from the same source as the page
    assert "Evidence items by foundation" in text  # the evidence at a glance, charted with its table
    assert OPEN_EVIDENCE in text and AGREED in text
    assert SECRET_EVIDENCE not in text and EMERGING not in text and "not for publication" not in text
