"""Imports from the upload page: a preview first, then the job runs on a worker; the ImportJob row
is the job's truth (status, attempts, progress, every rejected row)."""

from __future__ import annotations

import time
from datetime import timedelta

import pytest
from django.core.files.base import ContentFile
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse
from django.utils import timezone

from evidence import services
from evidence.models import ImportJob, Observation
from tests.conftest import Cast
from tests.evidence.conftest import BRES_FILE, Places

HEADER = "DATE,GEOGRAPHY_CODE,GEOGRAPHY_NAME,INDUSTRY_CODE,COUNT\n"


@pytest.fixture(autouse=True)
def media(settings, tmp_path) -> None:
    settings.MEDIA_ROOT = tmp_path


def _upload(client, cast: Cast, content: bytes, name: str = "bres.csv", layout: str = "bres"):
    url = reverse("evidence:import-list", kwargs={"strategy_slug": cast.strategy.slug})
    return client.post(url, {"file": SimpleUploadedFile(name, content), "layout": layout})


@pytest.mark.django_db
def test_upload_preview_start_and_done(client, cast: Cast, places: Places, django_capture_on_commit_callbacks) -> None:
    client.force_login(cast.officer)
    response = _upload(client, cast, BRES_FILE.read_bytes())
    job = ImportJob.objects.get()
    assert response.status_code == 302 and response.url == job.get_absolute_url()
    assert job.status == ImportJob.Status.PENDING and job.rows_total == 24_640
    preview = client.get(job.get_absolute_url()).content.decode()
    assert "The header matches the layout" in preview and "Tees Valley and Durham" in preview
    assert Observation.objects.count() == 0, "nothing is imported before the officer starts it"
    start = reverse("evidence:import-start", kwargs={"strategy_slug": cast.strategy.slug, "pk": job.pk})
    with django_capture_on_commit_callbacks(execute=True) as callbacks:
        client.post(start)
    assert len(callbacks) == 1, "the task is queued once the transaction commits"
    job.refresh_from_db()
    assert job.status == ImportJob.Status.DONE and job.attempts == 1
    assert job.rows_done == job.rows_total == 24_640 and job.percent == 100
    assert job.result["created"] == 24_640
    page = client.get(job.get_absolute_url()).content.decode()
    assert "Import complete" in page and "24,640" in page
    # Starting twice is refused.
    client.post(start)
    assert ImportJob.objects.get().attempts == 1


@pytest.mark.django_db
def test_a_rejected_file_fails_the_job_with_every_row_listed(
    client, cast: Cast, places: Places, django_capture_on_commit_callbacks
) -> None:
    client.force_login(cast.officer)
    _upload(client, cast, (HEADER + "2021,UKJ4,Kent,52,1\n2021,UKJ4,Kent,47,lots\n2021,UKJ4,Kent,52,1\n").encode())
    job = ImportJob.objects.get()
    with django_capture_on_commit_callbacks(execute=True):
        client.post(reverse("evidence:import-start", kwargs={"strategy_slug": cast.strategy.slug, "pk": job.pk}))
    job.refresh_from_db()
    assert job.status == ImportJob.Status.FAILED and job.attempts == 1
    assert job.errors == [
        {"row": 3, "message": "“COUNT” is “lots”, which is not a number."},
        {"row": 4, "message": "Duplicates row 2: UKJ4, 2021, industry 52 appears twice."},
    ]
    page = client.get(job.get_absolute_url()).content.decode()
    assert "Nothing was imported" in page and "Duplicates row 2" in page
    assert Observation.objects.count() == 0


@pytest.mark.django_db
def test_a_header_that_does_not_match_shows_in_the_preview(client, cast: Cast) -> None:
    client.force_login(cast.officer)
    _upload(client, cast, b"year,geo_cd,value\n2018,UKJ4,1\n")
    job = ImportJob.objects.get()
    page = client.get(job.get_absolute_url()).content.decode()
    assert "The file does not match the layout" in page and "Start the import" not in page


@pytest.mark.django_db
def test_only_csv_files_are_taken(client, cast: Cast) -> None:
    client.force_login(cast.officer)
    response = _upload(client, cast, b"%PDF-1.4", name="report.pdf")
    assert response.status_code == 200 and "is not a CSV file" in response.content.decode()
    assert ImportJob.objects.count() == 0


@pytest.mark.django_db
def test_attempts_are_counted_and_a_job_fails_after_three(cast: Cast) -> None:
    job = ImportJob(strategy=cast.strategy, layout="bres", file_name="x.csv", status=ImportJob.Status.QUEUED)
    job.file.save("x.csv", ContentFile(b"x"), save=False)
    job.save()
    job.file.storage.delete(job.file.name)  # the file has gone: an error that is not the file's rows
    for attempt in (1, 2):
        with pytest.raises(OSError):
            services.import_job_run(job_id=job.pk)
        job.refresh_from_db()
        assert job.status == ImportJob.Status.QUEUED and job.attempts == attempt
    assert services.import_job_run(job_id=job.pk) == "failed"
    job.refresh_from_db()
    assert job.status == ImportJob.Status.FAILED and job.attempts == 3 and "FileNotFoundError" in job.last_error
    assert services.import_job_run(job_id=job.pk) == "skipped"


@pytest.mark.django_db
def test_a_job_taken_over_from_a_stopped_worker_says_so(client, cast: Cast) -> None:
    job = ImportJob.objects.create(
        strategy=cast.strategy,
        layout="bres",
        file_name="a.csv",
        file="a.csv",
        status=ImportJob.Status.RUNNING,
        claimed_at=timezone.now(),
        attempts=2,
        restarts=1,
        rows_total=10,
    )
    client.force_login(cast.officer)
    page = client.get(job.get_absolute_url()).content.decode()
    assert "Attempt 2 of 3, restarted after a worker stopped." in page


@pytest.mark.django_db
def test_the_sweep_requeues_stale_jobs(cast: Cast, monkeypatch) -> None:
    sent: list[int] = []
    monkeypatch.setattr("evidence.tasks.import_run.delay", lambda job_id: sent.append(job_id))
    old = timezone.now() - timedelta(hours=1)
    stale = ImportJob.objects.create(
        strategy=cast.strategy,
        layout="bres",
        file_name="a.csv",
        file="a.csv",
        status=ImportJob.Status.RUNNING,
        claimed_at=old,
        attempts=1,
    )
    spent = ImportJob.objects.create(
        strategy=cast.strategy,
        layout="bres",
        file_name="b.csv",
        file="b.csv",
        status=ImportJob.Status.RUNNING,
        claimed_at=old,
        attempts=3,
    )
    fresh = ImportJob.objects.create(
        strategy=cast.strategy,
        layout="bres",
        file_name="c.csv",
        file="c.csv",
        status=ImportJob.Status.QUEUED,
        queued_at=timezone.now(),
    )
    assert services.import_job_requeue_stale(older_than=timedelta(minutes=15)) == 1
    assert sent == [stale.pk]
    for job in (stale, spent, fresh):
        job.refresh_from_db()
    assert stale.status == ImportJob.Status.RUNNING  # the claim its task makes takes it over
    assert spent.status == ImportJob.Status.FAILED and "three attempts" in spent.last_error
    assert fresh.status == ImportJob.Status.QUEUED


@pytest.fixture
def worker_media(monkeypatch, tmp_path) -> None:
    """The worker reads uploads from the same folder as the test (it inherits the environment)."""
    monkeypatch.setenv("MEDIA_ROOT", str(tmp_path))


@pytest.mark.celery_worker
@pytest.mark.django_db(transaction=True)
def test_a_real_worker_imports_the_bres_file(client, cast: Cast, places: Places, worker_media, celery_worker) -> None:
    client.force_login(cast.officer)
    _upload(client, cast, BRES_FILE.read_bytes())
    job = ImportJob.objects.get()
    client.post(reverse("evidence:import-start", kwargs={"strategy_slug": cast.strategy.slug, "pk": job.pk}))
    deadline = time.monotonic() + 60
    while time.monotonic() < deadline:
        job.refresh_from_db()
        if not job.is_active:
            break
        time.sleep(0.2)
    assert job.status == ImportJob.Status.DONE, job.last_error or celery_worker.log.read_text()[-2000:]
    assert job.attempts == 1 and job.result["created"] == 24_640
    assert Observation.objects.count() == 24_640
