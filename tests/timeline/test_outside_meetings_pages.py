"""The pages of decisions outside meetings: a member responds on the procedure's page, anyone else
is sent back with the reason; the decision list and the published timeline say how each decision
was taken, in a number of queries that does not grow with the decisions; a refusal of the service
comes back on the form."""

from __future__ import annotations

from datetime import date, datetime, timedelta
from zoneinfo import ZoneInfo

import pytest
import time_machine
from django.db import connection
from django.test import Client
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from core.models import User
from tests.conftest import Cast
from tests.timeline.conftest import Process, make_process
from timeline import outside_meetings
from timeline.models import Decision, WrittenProcedure

LONDON = ZoneInfo("Europe/London")
TODAY = datetime(2026, 7, 10, 12, tzinfo=LONDON)

pytestmark = pytest.mark.django_db


@pytest.fixture(autouse=True)
def _today() -> object:
    with time_machine.travel(TODAY, tick=False) as traveller:
        yield traveller


@pytest.fixture
def process(cast: Cast) -> Process:
    return make_process(cast.strategy)


def _url(cast: Cast, name: str, **kwargs: object) -> str:
    return reverse(f"timeline:{name}", kwargs={"strategy_slug": cast.strategy.slug, **kwargs})


def _client(person: User) -> Client:
    client = Client()
    client.force_login(person)
    return client


def _procedure(cast: Cast, process: Process) -> WrittenProcedure:
    return outside_meetings.written_procedure_open(
        actor=cast.officer, board=process.board, question="Agree the scope?", closes_on=date(2026, 7, 17)
    )


def test_a_member_responds_on_the_procedures_page(cast: Cast, process: Process) -> None:
    procedure = _procedure(cast, process)
    member = _client(cast.board_member)
    page = _url(cast, "written-procedure-detail", pk=procedure.pk)
    assert "Your response" in member.get(page).content.decode()

    response = member.post(_url(cast, "written-procedure-respond", pk=procedure.pk), {"answer": "disagree"})

    assert response.status_code == 302 and response["Location"] == page
    assert procedure.responses.get().answer == "disagree"
    assert "Your response has been recorded." in member.get(page).content.decode()


def test_an_officer_who_is_not_a_member_is_told_why_not(cast: Cast, process: Process) -> None:
    procedure = _procedure(cast, process)
    officer = _client(cast.officer)
    page = _url(cast, "written-procedure-detail", pk=procedure.pk)
    assert "Your response" not in officer.get(page).content.decode()

    officer.post(_url(cast, "written-procedure-respond", pk=procedure.pk), {"answer": "agree"})

    assert not procedure.responses.exists()
    assert "Only the chair and members of the Kent Strategic Board respond" in officer.get(page).content.decode()


def test_a_refused_outcome_comes_back_on_the_form(cast: Cast, process: Process) -> None:
    procedure = _procedure(cast, process)

    response = _client(cast.officer).post(
        _url(cast, "written-procedure-close", pk=procedure.pk), {"is_published": "on"}
    )

    assert response.status_code == 200
    assert "has not responded yet" in response.content.decode()
    assert not Decision.objects.exists()


def test_a_delegated_decision_is_recorded_from_its_form(cast: Cast, process: Process) -> None:
    response = _client(cast.officer).post(
        _url(cast, "decision-delegated-create"),
        {
            "board": process.board.pk,
            "text": "Contract awarded.",
            "outcome": "approved",
            "decided_on_0": "8",
            "decided_on_1": "7",
            "decided_on_2": "2026",
            "delegate_name": "Jane Smith",
            "delegate_post": "Chief Executive",
            "delegation": "Strategic Board, 12 March 2026, item 5",
            "is_published": "on",
        },
    )

    decision = Decision.objects.get()
    assert response.status_code == 302 and response["Location"] == _url(cast, "decision-detail", pk=decision.pk)
    assert decision.how_taken == "Delegated to Jane Smith, Chief Executive"


def _decisions(cast: Cast, process: Process, count: int) -> None:
    for n in range(count):
        outside_meetings.decision_record_delegated(
            actor=cast.officer,
            board=process.board,
            text=f"Delegated {n}",
            outcome="approved",
            decided_on=date(2026, 7, 1) + timedelta(days=n % 9),
            delegate_name="Jane Smith",
            delegate_post="Chief Executive",
            delegation="Strategic Board, 12 March 2026, item 5",
        )
        procedure = WrittenProcedure.objects.create(
            board=process.board, question=f"Written {n}", closes_on=date(2026, 7, 1)
        )
        outside_meetings.written_procedure_close(actor=cast.officer, procedure=procedure)


@pytest.mark.parametrize("role", ["officer", "board_member", "councillor", "anonymous"])
def test_lists_say_how_each_decision_was_taken_in_a_fixed_number_of_queries(
    cast: Cast, process: Process, role: str, django_assert_num_queries
) -> None:
    person = cast.person(role)
    client = _client(person) if person else Client()
    name = "index" if role == "anonymous" else "decision-list"
    _decisions(cast, process, 2)
    with CaptureQueriesContext(connection) as few:
        first = client.get(_url(cast, name))
    _decisions(cast, process, 8)

    with django_assert_num_queries(len(few), exact=True):
        page = client.get(_url(cast, name)).content.decode()

    assert first.status_code == 200
    assert "Delegated to Jane Smith, Chief Executive" in page
    assert "By written procedure, closed 1 July 2026" in page
