"""The PostgreSQL write path of the importer (ADR 24): COPY straight in or through a staging table,
the foreign keys' check done once per referenced row, all or nothing when the database itself
refuses a row half-way, the same number of queries whatever the size of the file."""

from __future__ import annotations

import io
from collections.abc import Iterator

import pytest
from django.core.files.base import ContentFile
from django.db import IntegrityError, connection, transaction
from django.test.utils import CaptureQueriesContext

from core.models import Area
from evidence import services
from evidence.importers import ImportRejected, ImportResult, import_stream
from evidence.models import ImportJob, Indicator, Observation
from tests.conftest import Cast
from tests.evidence.conftest import Places

pytestmark = pytest.mark.django_db

BRES_HEADER = "DATE,GEOGRAPHY_CODE,GEOGRAPHY_NAME,INDUSTRY_CODE,COUNT\n"


@pytest.fixture(autouse=True)
def _postgresql_only() -> None:
    if connection.vendor != "postgresql":
        pytest.skip("The COPY write path is PostgreSQL's; other databases use bulk_create.")


def _import(text: str, layout: str = "bres") -> ImportResult:
    return import_stream(io.BytesIO(text.encode("utf-8")), layout=layout)


def _bres(rows: int, *, shift: int = 0, bad_row: int | None = None, areas: tuple[str, ...] = ("UKJ4",)) -> str:
    """A BRES file in the order Nomis gives (year, place, industry), which is not the table's key order."""
    lines = [BRES_HEADER]
    n = 0
    for year in range(2000, 2100):
        for code in areas:
            for industry in range(1, 100):
                if n == rows:
                    return "".join(lines)
                value = 999 if bad_row is not None and n + 2 == bad_row else 10_000 + n + shift
                lines.append(f"{year},{code},Region {code},{industry:02d},{value}\n")
                n += 1
    raise AssertionError("ask for fewer rows")


@pytest.fixture
def no_value_999() -> Iterator[None]:
    """A database rule the importer's checks know nothing of, so that the database itself refuses a
    row in the middle of the write (the constraint goes with the test's transaction)."""
    with connection.cursor() as cursor:
        cursor.execute("ALTER TABLE evidence_observation ADD CONSTRAINT test_no_999 CHECK (value <> 999)")
    yield


def _stored() -> list[tuple[object, ...]]:
    return list(
        Observation.objects.order_by("pk").values_list("pk", "geo_code", "period", "industry_code", "value", "area")
    )


def test_a_database_error_half_way_through_a_first_import_leaves_nothing(places: Places, no_value_999: None) -> None:
    areas_before = Area.objects.count()
    with pytest.raises(ImportRejected, match="the database refused the file") as caught:
        _import(_bres(3000, bad_row=1500, areas=("UKJ4", "TLH3", "TLH4")))
    assert "test_no_999" in caught.value.message
    assert (
        "DETAIL: Failing row contains" in caught.value.message and "UKJ4, 2005, 2005, 14, 999" in caught.value.message
    )
    assert Observation.objects.count() == 0
    assert Area.objects.count() == areas_before, "the regions the file would have created are not kept"
    assert not Indicator.objects.exists()
    with connection.cursor() as cursor:
        cursor.execute("SHOW session_replication_role")
        assert cursor.fetchone()[0] == "origin"


def test_a_database_error_half_way_through_a_merge_keeps_what_was_stored(places: Places, no_value_999: None) -> None:
    first = _import(_bres(2000))
    assert (first.created, first.updated, first.unchanged) == (2000, 0, 0)
    before = _stored()
    with pytest.raises(ImportRejected, match="the database refused the file"):
        _import(_bres(2500, shift=1, bad_row=1200))  # 2,000 changed values and 500 new rows, one refused
    assert _stored() == before


def test_reimport_through_the_staging_table_changes_nothing(places: Places) -> None:
    text = _bres(1200, areas=("UKJ4", "TLH3"))
    assert _import(text).created == 1200
    before = _stored()
    again = _import(text)
    assert (again.created, again.updated, again.unchanged) == (0, 0, 1200)
    assert again.areas_created == []
    assert _stored() == before
    changed = _import(text.replace("2000,TLH3,Region TLH3,07,", "2000,TLH3,Region TLH3,07,1") + "2101,UKJ4,Kent,01,5\n")
    assert (changed.created, changed.updated, changed.unchanged) == (1, 1, 1199)
    assert Observation.objects.get(geo_code="TLH3", period="2000", industry_code="07").value == 110_105  # was 10,105


def test_rows_are_rejected_before_anything_is_staged(places: Places) -> None:
    text = _bres(300) + "2021,UKJ4,Kent," + "9" * 33 + ",1\n" + "2021,UKJ4,Kent,01,x\n" + "2000,UKJ4,Kent,01,0\n"
    with pytest.raises(ImportRejected) as caught:
        _import(text)
    assert caught.value.errors == [
        {"row": 302, "message": "The industry code “" + "9" * 33 + "” is longer than 32 characters."},
        {"row": 303, "message": "“COUNT” is “x”, which is not a number."},
        {"row": 304, "message": "Duplicates row 2: UKJ4, 2000, industry 01 appears twice."},
    ]
    assert Observation.objects.count() == 0


def test_the_foreign_keys_still_guard_writes_after_an_import(places: Places) -> None:
    _import(_bres(50))
    with connection.cursor() as cursor:
        cursor.execute("SHOW session_replication_role")
        assert cursor.fetchone()[0] == "origin", "the row triggers are back on for whatever follows"
    indicator = Indicator.objects.get()
    with pytest.raises(IntegrityError), transaction.atomic(), connection.cursor() as cursor:
        cursor.execute("SET CONSTRAINTS ALL IMMEDIATE")
        cursor.execute(
            "INSERT INTO evidence_observation (indicator_id, area_id, geo_code, period, year, industry_code, value) "
            "VALUES (%s, %s, 'UKJ4', '1999', 1999, '01', 1)",
            [indicator.pk, places.kent.pk + 10_000],
        )


def test_without_the_privilege_the_row_triggers_check_every_row(places: Places) -> None:
    """A database role that may not set session_replication_role imports the same way, with PostgreSQL's
    own per-row foreign-key checks (slower, never wrong)."""
    from evidence.importers import _row_triggers_can_be_skipped

    role = f"lis_import_test_{connection.settings_dict['NAME']}"[:63]
    with connection.cursor() as cursor:
        cursor.execute(f'CREATE ROLE "{role}" NOLOGIN NOSUPERUSER')
        cursor.execute(f'GRANT ALL ON ALL TABLES IN SCHEMA public TO "{role}"')
        cursor.execute(f'GRANT ALL ON ALL SEQUENCES IN SCHEMA public TO "{role}"')
        cursor.execute(f'SET ROLE "{role}"')
        try:
            assert _row_triggers_can_be_skipped(cursor) is False
            result = _import(_bres(400, areas=("UKJ4", "TLH3")))
            again = _import(_bres(400, areas=("UKJ4", "TLH3"), shift=1))
        finally:
            cursor.execute("RESET ROLE")
    assert (result.created, again.updated) == (400, 400)
    assert Observation.objects.count() == 400


def test_the_number_of_queries_does_not_grow_with_the_rows(places: Places) -> None:
    _import(_bres(200, areas=("UKJ4", "TLH3")))  # the region and the indicator exist from here on
    counts = []
    for rows in (20, 4000):
        Observation.objects.all().delete()
        for again in (False, True):  # a first import (straight COPY) and a re-import (staging table, merge)
            with CaptureQueriesContext(connection) as queries:
                result = _import(_bres(rows, areas=("UKJ4", "TLH3")))
            assert result.observations == rows and (result.unchanged == rows) is again
            counts.append(len(queries))
    assert counts[:2] == counts[2:], counts


def test_a_job_whose_file_the_database_refuses_fails_at_once_with_its_progress(
    cast: Cast, places: Places, no_value_999: None, settings, tmp_path
) -> None:
    """On the Celery path: progress is reported while rows are checked, and a refusal by the database
    fails the job on its first attempt (a retry would be refused again), with nothing written."""
    settings.MEDIA_ROOT = tmp_path
    text = _bres(12_000, bad_row=11_000, areas=("UKJ4", "TLH3"))
    job = ImportJob(strategy=cast.strategy, layout="bres", file_name="bres.csv", status=ImportJob.Status.QUEUED)
    job.file.save("bres.csv", ContentFile(text.encode()), save=False)
    job.rows_total = 12_000
    job.save()
    with CaptureQueriesContext(connection) as queries:
        assert services.import_job_run(job_id=job.pk) == "rejected"
    progress = [q["sql"] for q in queries if "rows_done" in q["sql"] and q["sql"].startswith("UPDATE")]
    assert any('"rows_done" = 4999' in sql for sql in progress), progress
    assert any('"rows_done" = 9999' in sql for sql in progress), progress
    job.refresh_from_db()
    assert job.status == ImportJob.Status.FAILED and job.attempts == 1
    assert "the database refused the file" in job.last_error and "test_no_999" in job.last_error
    assert Observation.objects.count() == 0 and not Area.objects.filter(code="TLH3").exists()
