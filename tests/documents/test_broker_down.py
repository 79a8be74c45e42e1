"""Redis unreachable when an officer requests a pack (issue 13, item 3): the page answers, not 500;
the pack is saved, queued, and the page says it will be made when the worker is back; then, with
the broker back, the sweep sends it to a real worker, which renders it."""

from __future__ import annotations

import logging
from datetime import timedelta

import pytest
from django.urls import reverse

from documents import services
from documents.models import Pack
from documents.views.packs import BROKER_DOWN
from tests.conftest import Cast
from tests.core.test_broker_down import broker_unreachable
from tests.documents.conftest import make_papers
from tests.documents.test_worker import _wait

pytestmark = [pytest.mark.celery_worker, pytest.mark.postgres_only]


def test_a_pack_requested_with_the_broker_down_waits_queued_and_is_rendered_later(
    client, cast: Cast, settings, media, pack_workers, caplog
) -> None:
    worker = pack_workers()
    papers = make_papers(cast)
    client.force_login(cast.officer)
    meeting = papers.process.meeting
    url = reverse("documents:meeting-detail", kwargs={"strategy_slug": cast.strategy.slug, "pk": meeting.pk})

    with broker_unreachable(settings), caplog.at_level(logging.WARNING, logger="core.queue"):
        response = client.post(url, {"kind": Pack.Kind.PUBLIC, "draft_version": ""}, follow=True)

    assert response.status_code == 200
    pack = Pack.objects.get()
    assert response.redirect_chain[-1][0] == pack.get_absolute_url()
    assert pack.status == Pack.Status.QUEUED and pack.attempts == 0
    page = response.content.decode()
    assert "saved and queued, but the background worker cannot be reached" in page
    assert BROKER_DOWN.split(",")[0] in page
    assert "The broker did not take documents.pack_render" in caplog.text

    # The broker is back: the sweep (every two minutes in production) sends the render. (A zero
    # timedelta would be read as "the default", so one microsecond.)
    assert services.pack_sweep(older_than=timedelta(microseconds=1)) == 1
    _wait(pack, {Pack.Status.READY, Pack.Status.FAILED}, timeout=90)
    assert pack.status == Pack.Status.READY, (pack.error, worker.text())
    assert pack.attempts == 1
