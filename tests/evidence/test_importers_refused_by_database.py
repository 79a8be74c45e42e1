"""All or nothing when the database itself refuses a row half-way through the write, on PostgreSQL
(COPY) and on SQLite (bulk_create) alike: new regions, indicators and observations all roll back."""

from __future__ import annotations

import io
from collections.abc import Iterator

import pytest
from django.db import connection

from core.models import Area
from evidence.importers import ImportRejected, import_stream
from evidence.models import Indicator, Observation
from tests.evidence.conftest import Places

pytestmark = pytest.mark.django_db

BRES_HEADER = "DATE,GEOGRAPHY_CODE,GEOGRAPHY_NAME,INDUSTRY_CODE,COUNT\n"


@pytest.fixture
def no_value_999() -> Iterator[None]:
    """A rule of the database the importer's checks know nothing of (gone with the test's transaction)."""
    with connection.cursor() as cursor:
        if connection.vendor == "postgresql":
            cursor.execute("ALTER TABLE evidence_observation ADD CONSTRAINT test_no_999 CHECK (value <> 999)")
        else:
            cursor.execute(
                "CREATE TRIGGER test_no_999 BEFORE INSERT ON evidence_observation WHEN NEW.value = 999 "
                "BEGIN SELECT RAISE(ABORT, 'test_no_999'); END"
            )
    yield


def test_a_row_the_database_refuses_leaves_nothing(places: Places, no_value_999: None) -> None:
    rows = [f"2021,{code},Region,{n:02d},{n + 1000}\n" for code in ("UKJ4", "TLH3", "TLH4") for n in range(1, 99)]
    rows[150] = "2021,TLH3,Region,53,999\n"
    areas_before = Area.objects.count()
    with pytest.raises(ImportRejected, match=r"Nothing was imported: the database refused the file \(.*test_no_999"):
        import_stream(io.BytesIO((BRES_HEADER + "".join(rows)).encode()), layout="bres")
    assert Observation.objects.count() == 0
    assert Area.objects.count() == areas_before
    assert not Indicator.objects.exists()
