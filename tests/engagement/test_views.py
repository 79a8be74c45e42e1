"""The pages of calls and priorities through the test client: writing, saving a draft, submitting,
the stale-save refusal, the officer's filters, coding, response and moderation, the CSV export
with formulas neutralised, and query counts that do not grow with the rows."""

from __future__ import annotations

import csv
import io
from datetime import timedelta
from typing import Any

import pytest
import time_machine
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone

from core.models import AuditEvent, Theme
from core.spreadsheets import neutralise
from engagement.models import Call, Priority, Tag
from tests.conftest import Cast
from tests.engagement.conftest import Setting, bulk_priorities, make_priority

pytestmark = pytest.mark.django_db


def url(name: str, setting: Setting, pk: int | None = None) -> str:
    kwargs: dict[str, Any] = {"strategy_slug": setting.strategy.slug}
    if pk is not None:
        kwargs["pk"] = pk
    return reverse(f"engagement:{name}", kwargs=kwargs)


def form_data(setting: Setting, **overrides: Any) -> dict[str, Any]:
    people = Theme.objects.get(slug="people")
    data: dict[str, Any] = {
        "organisation": setting.council.pk,
        "title": "Skills for the ports",
        "summary": "A skills centre.",
        "why_it_matters": "Employers cannot recruit.",
        "evidence_title_1": "Labour market report",
        "evidence_url_1": "https://example.org/report",
        "foundations": [people.pk],
        "areas": [setting.district.pk],
        "scale": "local",
        "version": "",
    }
    data.update(overrides)
    return data


def test_councillor_saves_a_draft_then_submits_it(
    client, cast: Cast, setting: Setting, mailoutbox, django_capture_on_commit_callbacks
) -> None:
    client.force_login(cast.councillor)
    response = client.post(url("priority-create", setting, setting.call.pk), form_data(setting, action="draft"))
    priority = Priority.objects.get()
    assert response.status_code == 302 and response.url == priority.get_absolute_url()
    assert priority.status == Priority.Status.DRAFT
    assert priority.evidence_links == [{"title": "Labour market report", "url": "https://example.org/report"}]
    page = client.get(priority.get_absolute_url()).content.decode()
    assert "saved as a draft" in page and "Submit priority" in page

    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(url("priority-submit", setting, priority.pk))
    priority.refresh_from_db()
    assert priority.status == Priority.Status.SUBMITTED
    assert len(mailoutbox) == 1
    listing = client.get(url("priority-list", setting)).content.decode()
    assert "Skills for the ports" in listing and "Submitted" in listing


def test_submit_from_the_form_of_an_incomplete_priority_keeps_the_draft(client, cast: Cast, setting: Setting) -> None:
    client.force_login(cast.councillor)
    data = form_data(setting, action="submit", foundations=[], summary="")
    response = client.post(url("priority-create", setting, setting.call.pk), data, follow=True)
    priority = Priority.objects.get()
    assert priority.status == Priority.Status.DRAFT
    page = response.content.decode()
    assert "Your changes are saved in the draft, but it was not submitted" in page
    assert "add a summary and at least one foundation or grand challenge" in page


def test_bad_form_input_is_refused_with_clear_errors(client, cast: Cast, setting: Setting, other_setting) -> None:
    client.force_login(cast.councillor)
    data = form_data(
        setting,
        summary="x" * 50_000,
        evidence_url_1="javascript:alert(1)",
        organisation=other_setting.council.pk,  # a forged council
        areas=[other_setting.district.pk],  # a place of another strategy
    )
    response = client.post(url("priority-create", setting, setting.call.pk), data)
    page = response.content.decode()
    assert response.status_code == 200
    assert "govuk-error-summary" in page
    assert "The summary must be 2,000 characters or fewer" in page
    assert "starting https://" in page
    assert "Choose a council you are a councillor of" in page
    assert "Choose places of this strategy from the list" in page
    assert Priority.objects.count() == 0


def test_script_in_a_priority_is_shown_as_text(client, cast: Cast, setting: Setting) -> None:
    priority = make_priority(
        setting, cast.councillor, title="<script>alert(1)</script>", summary='<img src=x onerror="x()">'
    )
    client.force_login(cast.officer)
    page = client.get(priority.get_absolute_url()).content.decode()
    assert "<script>alert(1)</script>" not in page and "&lt;script&gt;alert(1)&lt;/script&gt;" in page
    assert "<img src=x" not in page


def test_a_stale_save_shows_what_changed_and_keeps_my_words(client, cast: Cast, setting: Setting) -> None:
    priority = make_priority(setting, cast.councillor)
    Priority.objects.filter(pk=priority.pk).update(title="A colleague’s title", version=2)
    client.force_login(cast.councillor)
    response = client.post(url("priority-edit", setting, priority.pk), form_data(setting, title="My title", version=1))
    page = response.content.decode()
    assert response.status_code == 200
    assert "Someone else saved this priority" in page
    assert "A colleague’s title" in page and 'value="My title"' in page
    assert 'name="version" value="2"' in page
    priority.refresh_from_db()
    assert priority.title == "A colleague’s title"


def test_edit_is_refused_after_the_call_closes(client, cast: Cast, setting: Setting) -> None:
    priority = make_priority(setting, cast.councillor)
    client.force_login(cast.councillor)
    with time_machine.travel(setting.call.closes_at + timedelta(minutes=1)):
        response = client.post(url("priority-edit", setting, priority.pk), form_data(setting, title="Late", version=1))
        assert response.status_code == 302
        page = client.get(priority.get_absolute_url()).content.decode()
    assert "has closed" in page
    priority.refresh_from_db()
    assert priority.title != "Late"
    response = client.get(url("priority-create", setting, setting.closed_call.pk))
    assert response.status_code == 302


def test_withdraw_asks_then_withdraws(client, cast: Cast, setting: Setting) -> None:
    priority = make_priority(setting, cast.councillor)
    client.force_login(cast.councillor)
    assert "Withdraw “" in client.get(url("priority-withdraw", setting, priority.pk)).content.decode()
    client.post(url("priority-withdraw", setting, priority.pk))
    priority.refresh_from_db()
    assert priority.status == Priority.Status.WITHDRAWN


def test_officer_creates_and_edits_a_call(client, cast: Cast, setting: Setting) -> None:
    client.force_login(cast.officer)
    drafting = setting.process.phases[2]
    data = {
        "title": "Priorities for the draft",
        "description": "Tell us.",
        "audience": "councillors",
        "phase": drafting.pk,
        "opens_on_0": "7",
        "opens_on_1": "10",
        "opens_on_2": "2026",
        "opens_time": "09:00",
        "closes_on_0": "31",
        "closes_on_1": "10",
        "closes_on_2": "2026",
        "closes_time": "17:00",
    }
    response = client.post(url("call-create", setting), data)
    call = Call.objects.get(title="Priorities for the draft")
    assert response.status_code == 302
    assert timezone.localtime(call.closes_at).strftime("%Y-%m-%d %H:%M") == "2026-10-31 17:00"
    edit = client.get(url("call-edit", setting, call.pk)).content.decode()
    assert 'name="version" value="1"' in edit
    response = client.post(
        url("call-edit", setting, call.pk), {**data, "closes_on_0": "1", "closes_on_1": "10", "version": "1"}
    )
    page = response.content.decode()
    assert "The call must close after it opens" in page


def test_officer_codes_responds_and_hides(
    client, cast: Cast, setting: Setting, mailoutbox, django_capture_on_commit_callbacks
) -> None:
    priority = make_priority(setting, cast.councillor)
    client.force_login(cast.officer)
    ideas = Theme.objects.get(slug="ideas")
    client.post(url("priority-code", setting, priority.pk), {"coded_themes": [ideas.pk], "tags": "ports, Skills"})
    with django_capture_on_commit_callbacks(execute=True):
        client.post(url("priority-respond", setting, priority.pk), {"response": "It is proposition 2."})
    response = client.post(url("priority-hide", setting, priority.pk), {"reason": ""})
    assert "Enter the reason for hiding the priority" in response.content.decode()
    client.post(url("priority-hide", setting, priority.pk), {"reason": "Duplicate"})
    priority.refresh_from_db()
    assert [t.name for t in priority.tags.all()] == ["ports", "Skills"]
    assert priority.response == "It is proposition 2." and priority.is_hidden
    assert mailoutbox[-1].to == [cast.councillor.email]
    # The councillor sees the response, not the moderation reason.
    client.force_login(cast.councillor)
    page = client.get(priority.get_absolute_url()).content.decode()
    assert "It is proposition 2." in page and "Duplicate" not in page


def test_officer_filters_the_priorities_of_a_call(client, cast: Cast, setting: Setting) -> None:
    first = make_priority(setting, cast.councillor, title="Coded one")
    make_priority(setting, cast.councillor, title="Uncoded one")
    make_priority(setting, cast.councillor, submit=False, title="Still a draft")
    client.force_login(cast.officer)
    client.post(url("priority-code", setting, first.pk), {"coded_themes": [], "tags": "ports"})
    everything = client.get(url("call-priorities", setting, setting.call.pk)).content.decode()
    assert "Coded one" in everything and "Uncoded one" in everything and "Still a draft" not in everything
    uncoded = client.get(url("call-priorities", setting, setting.call.pk), {"coded": "no"}).content.decode()
    assert "Uncoded one" in uncoded and "Coded one" not in uncoded
    tag = Tag.objects.get(strategy=setting.strategy, name="ports")
    tagged = client.get(url("call-priorities", setting, setting.call.pk), {"tag": tag.pk}).content.decode()
    assert "Coded one" in tagged and "Uncoded one" not in tagged


# The export ---------------------------------------------------------------------------------------


def read_export(response: Any) -> list[list[str]]:
    body = b"".join(response.streaming_content).decode("utf-8-sig")
    return list(csv.reader(io.StringIO(body)))


@pytest.mark.parametrize(
    ("value", "expected"),
    [
        ("=1+1", "'=1+1"),
        ("+44 1234", "'+44 1234"),
        ("-2", "'-2"),
        ("@SUM(A1)", "'@SUM(A1)"),
        ("\tTab", "'\tTab"),
        ("\rCR", "'\rCR"),
        ("Plain = text", "Plain = text"),
        ("", ""),
    ],
)
def test_neutralise(value: str, expected: str) -> None:
    assert neutralise(value) == expected


def test_export_streams_csv_with_formulas_neutralised(client, cast: Cast, setting: Setting) -> None:
    make_priority(
        setting,
        cast.councillor,
        title='=HYPERLINK("https://evil.example","Click")',
        summary="+SUM(1,2)",
        why_it_matters="@cmd",
        evidence_links=[{"title": "-1 report", "url": "https://example.org/a"}],
    )
    make_priority(setting, cast.councillor, submit=False, title="=A draft")
    client.force_login(cast.officer)
    response = client.get(url("call-export", setting, setting.call.pk))
    assert response.status_code == 200 and response.streaming
    assert response["Content-Type"] == "text/csv; charset=utf-8"
    assert response["Content-Disposition"].startswith('attachment; filename="priorities-')
    rows = read_export(response)
    header, row = rows[0], rows[1]
    assert len(rows) == 2  # the draft stays with the council
    cells = dict(zip(header, row, strict=True))
    assert cells["Title"] == '\'=HYPERLINK("https://evil.example","Click")'
    assert cells["Summary"] == "'+SUM(1,2)"
    assert cells["Why it matters"] == "'@cmd"
    assert cells["Evidence links"] == "'-1 report <https://example.org/a>"
    assert cells["Council"] == setting.council.name
    for value in row:
        assert not value.startswith(("=", "+", "-", "@", "\t", "\r"))
    assert AuditEvent.objects.filter(verb="call.priorities_exported").count() == 1


# Query counts ---------------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("name", "role"),
    [
        ("call-priorities", "officer"),
        ("call-export", "officer"),
        ("call-list", "officer"),
        ("call-detail", "officer"),
        ("priority-list", "councillor"),
        ("call-detail", "councillor"),
    ],
)
def test_query_count_does_not_grow_with_priorities(
    client, cast: Cast, setting: Setting, name: str, role: str, django_assert_num_queries
) -> None:
    client.force_login(getattr(cast, role))
    bulk_priorities(setting, cast.councillor, 2, prefix="Few")
    target = url(name, setting) if name in ("call-list", "priority-list") else url(name, setting, setting.call.pk)

    def fetch() -> None:
        response = client.get(target)
        assert response.status_code == 200
        if response.streaming:
            b"".join(response.streaming_content)

    fetch()  # warm the session
    with CaptureQueriesContext(connection) as few:
        fetch()
    bulk_priorities(setting, cast.councillor, 48, prefix="Many")
    with django_assert_num_queries(len(few)):
        fetch()
