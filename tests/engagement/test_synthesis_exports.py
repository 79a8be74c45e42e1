"""The XLSX exports of priorities and responses, beside the CSV ones: the same columns, rows and
filters, read back with openpyxl; ids and counts are numbers, moments are dates, and every cell a
spreadsheet might run is text (an inline string, never a formula) with no visible leading quote."""

from __future__ import annotations

import csv
import io
from datetime import datetime
from typing import Any

import pytest
from django.urls import reverse
from openpyxl import load_workbook

from core.models import AuditEvent
from core.spreadsheets import csv_cell
from engagement import services
from engagement.models import ConsultationResponse, Priority
from tests.conftest import Cast
from tests.engagement.conftest import Setting, make_consultation, make_priority, make_response

pytestmark = pytest.mark.django_db

DANGEROUS = ["=1+1", "+x", "-x", "@x", "\tx", "\rx"]
TEXT = {"s", "inlineStr"}  # how openpyxl reads a text cell back; a formula is "f"
XLSX = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"


def url(name: str, setting: Setting, pk: int) -> str:
    return reverse(f"engagement:{name}", kwargs={"strategy_slug": setting.strategy.slug, "pk": pk})


def read_xlsx(response: Any) -> tuple[list[list[Any]], list[list[str]]]:
    """The sheet's values, and each cell's type ("s" text, "f" formula, "n" number, "d" date…).
    A text cell that looks like a formula must carry Excel's own quote prefix (a style, not a character)."""
    body = b"".join(response.streaming_content)
    sheet = load_workbook(io.BytesIO(body)).active
    assert sheet is not None
    values = [[cell.value for cell in row] for row in sheet.iter_rows()]
    types = [[cell.data_type for cell in row] for row in sheet.iter_rows()]
    for row in sheet.iter_rows():
        for cell in row:
            assert cell.data_type != "f"
            if isinstance(cell.value, str) and cell.value.startswith(("=", "+", "-", "@", "\t", "\n")):
                assert cell.data_type in TEXT and cell.quotePrefix, cell.coordinate
    return values, types


def read_csv(response: Any) -> list[list[str]]:
    return list(csv.reader(io.StringIO(b"".join(response.streaming_content).decode("utf-8-sig"))))


def test_priorities_xlsx_keeps_formulas_as_text(client, cast: Cast, setting: Setting) -> None:
    for n, value in enumerate(DANGEROUS):
        priority = make_priority(setting, cast.councillor, title=f"Priority {n}")
        # Straight into the row: the form strips a leading tab or carriage return, an import might not.
        Priority.objects.filter(pk=priority.pk).update(summary=value, why_it_matters="\x0bodd")
    make_priority(setting, cast.councillor, submit=False, title="=A draft")
    client.force_login(cast.officer)

    response = client.get(url("call-export-xlsx", setting, setting.call.pk))

    assert response.status_code == 200
    assert response["Content-Type"] == XLSX
    assert response["Content-Disposition"].startswith('attachment; filename="priorities-')
    assert response["Content-Disposition"].endswith('.xlsx"')
    values, types = read_xlsx(response)
    header, rows = values[0], values[1:]
    assert len(rows) == len(DANGEROUS)  # the draft stays with its council
    summaries = sorted(row[header.index("Summary")] for row in rows)
    # As written, no quote shown; the carriage return read back as the line feed XML makes of it.
    assert summaries == sorted(value.replace("\r", "\n") for value in DANGEROUS)
    typed = {"Priority id": "n", "Submitted at": "d", "Title": "s", "Summary": "s"}
    for row, row_types in zip(rows, types[1:], strict=True):
        assert {name: row_types[header.index(name)] for name in typed} == typed
        assert isinstance(row[0], int) and isinstance(row[header.index("Submitted at")], datetime)
    assert all(row[header.index("Why it matters")] == "odd" for row in rows)  # a control XML forbids, dropped
    csv_rows = read_csv(client.get(url("call-export", setting, setting.call.pk)))
    assert csv_rows[0] == header
    by_id = {row[0]: row for row in csv_rows[1:]}
    for row in rows:  # the same cells as the CSV, but for the control character and the line ending
        expected = [c.replace("\r", "\n") for c in by_id[str(row[0])] if "\x0b" not in c]
        xlsx = [c.replace("\n", "\r") if isinstance(c, str) and c.startswith("\n") else c for c in row]
        assert expected == [csv_cell(c).replace("\r", "\n") for c in xlsx if c != "odd"]
    events = AuditEvent.objects.filter(verb="call.priorities_exported").order_by("pk")
    assert [(e.actor_id, e.data) for e in events] == [(cast.officer.pk, {"format": "xlsx"}), (cast.officer.pk, {})]


def test_priorities_xlsx_follows_the_lists_filters(client, cast: Cast, setting: Setting) -> None:
    make_priority(setting, cast.councillor, title="Shown")
    hidden = make_priority(setting, cast.councillor, title="Hidden one")
    services.priority_hide(actor=cast.officer, priority=hidden, reason="Duplicate")
    client.force_login(cast.officer)
    values, _ = read_xlsx(client.get(url("call-export-xlsx", setting, setting.call.pk) + "?hidden=hide"))
    assert [row[4] for row in values[1:]] == ["Shown"]
    event = AuditEvent.objects.filter(verb="call.priorities_exported").latest("pk")
    assert event.data == {"hidden": "hide", "format": "xlsx"}
    # A filter that makes no sense is ignored, as the list does: everything, nothing run.
    values, _ = read_xlsx(client.get(url("call-export-xlsx", setting, setting.call.pk) + "?status=%3D1%2B1"))
    assert len(values) == 3


def test_responses_xlsx_keeps_formulas_as_text(client, cast: Cast, setting: Setting) -> None:
    consultation = make_consultation(setting, title="=Consultation")
    consultation.questions.filter(order=1).update(text="=SUM(A1:A9) what?")
    make_response(setting, consultation, cast.partner, q0="@x")
    client.force_login(cast.officer)

    response = client.get(url("consultation-export-xlsx", setting, consultation.pk))

    assert response.status_code == 200 and response["Content-Type"] == XLSX
    values, types = read_xlsx(response)
    header, row = values[0], values[1]
    assert "'Q1. =SUM(A1:A9) what?" not in header and "Q1. =SUM(A1:A9) what?" in header
    cells = dict(zip(header, row, strict=True))
    assert cells["Q1. =SUM(A1:A9) what?"] == "@x"
    assert cells["Consultation"] == "=Consultation"
    assert cells["Q3. Which places do you work in?"] == "Medway; Thanet"
    assert isinstance(cells["Response id"], int) and isinstance(cells["Submitted at"], datetime)
    assert {t for row_types in types for t in row_types} <= TEXT | {"n", "d"}
    csv_row = read_csv(client.get(url("consultation-export", setting, consultation.pk)))[1]
    assert csv_row == [csv_cell(c) for c in row]
    assert csv_row[header.index("Consultation")] == "'=Consultation"
    assert AuditEvent.objects.filter(verb="consultation.responses_exported", data__format="xlsx").count() == 1


@pytest.mark.parametrize("value", DANGEROUS)
def test_each_dangerous_answer_comes_back_as_text(client, cast: Cast, setting: Setting, value: str) -> None:
    consultation = make_consultation(setting)
    response = make_response(setting, consultation, cast.partner)
    question = consultation.questions.get(order=1)
    ConsultationResponse.objects.filter(pk=response.pk).update(answers={**response.answers, str(question.pk): value})
    client.force_login(cast.officer)
    values, types = read_xlsx(client.get(url("consultation-export-xlsx", setting, consultation.pk)))
    column = values[0].index("Q1. What should the strategy do for skills?")
    assert values[1][column] == value.replace("\r", "\n")
    assert types[1][column] in TEXT


def test_an_empty_export_has_its_header(client, cast: Cast, setting: Setting) -> None:
    client.force_login(cast.admin)
    values, _ = read_xlsx(client.get(url("call-export-xlsx", setting, setting.call.pk)))
    assert len(values) == 1 and values[0][0] == "Priority id"
    assert not Priority.objects.exists()
