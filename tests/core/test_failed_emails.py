"""An email that cannot be sent fails visibly to officers (issue 13): the outbox row knows the
strategy it is about, the officer's "Your work" counts the failed ones and leads to a page that
says why each failed; other strategies' and sent emails are not there."""

from __future__ import annotations

import pytest
from django.test import Client
from django.urls import reverse

from core.models import Email
from core.services import email_queue
from tests.conftest import Cast

pytestmark = pytest.mark.django_db


def test_the_officer_sees_the_emails_that_could_not_be_sent(client: Client, cast: Cast) -> None:
    failed = email_queue(to="someone@example.org", subject="Priority received: Ports", body="…", strategy=cast.strategy)
    Email.objects.filter(pk=failed.pk).update(status=Email.Status.FAILED, last_error="SMTPRecipientsRefused: 550")
    other = email_queue(to="x@example.org", subject="Elsewhere", body="…", strategy=cast.other_strategy)
    Email.objects.filter(pk=other.pk).update(status=Email.Status.FAILED, last_error="Refused")
    email_queue(to="fine@example.org", subject="On its way", body="…", strategy=cast.strategy)

    client.force_login(cast.officer)
    page = client.get(reverse("your-work", kwargs={"strategy_slug": cast.strategy.slug})).content.decode()
    url = reverse("failed-emails", kwargs={"strategy_slug": cast.strategy.slug})
    assert "Emails that could not be sent" in page and f'href="{url}"' in page
    listed = client.get(url).content.decode()
    assert "someone@example.org" in listed and "SMTPRecipientsRefused: 550" in listed
    assert "Elsewhere" not in listed and "On its way" not in listed

    client.force_login(cast.councillor)
    assert (
        "Emails that could not be sent"
        not in client.get(reverse("your-work", kwargs={"strategy_slug": cast.strategy.slug})).content.decode()
    )
    assert client.get(url).status_code == 404


def test_no_line_when_nothing_failed(client: Client, cast: Cast) -> None:
    client.force_login(cast.officer)
    page = client.get(reverse("your-work", kwargs={"strategy_slug": cast.strategy.slug})).content.decode()
    assert "Emails that could not be sent" not in page
