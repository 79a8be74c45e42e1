"""The cast every test shares: a councillor, an officer, a board member, a partner, an outsider,
an administrator and anonymous; and two strategies, so that leaks across strategies show.

Each person takes part in `strategy` only; `other_strategy` has a cast of its own (other_*), so a
test can check that nobody sees the other strategy's private pages."""

from __future__ import annotations

import importlib
import os
import shutil
import socket
import subprocess
import sys
import time
import uuid
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path

import pytest
import redis
from celery import Celery
from django.conf import settings
from django.db import connection

from core.models import Organisation, Role, Strategy, Theme, User
from tests.factories import (
    BoardFactory,
    BoardMembershipFactory,
    MembershipFactory,
    OrganisationFactory,
    StrategyFactory,
    UserFactory,
)

ROOT = Path(__file__).resolve().parent.parent


@dataclass
class Cast:
    strategy: Strategy
    other_strategy: Strategy
    councillor: User
    officer: User
    board_member: User
    partner: User
    outsider: User
    admin: User
    other_officer: User

    def person(self, role: str) -> User | None:
        """The person for a role name used in permission tables; None is anonymous."""
        return None if role == "anonymous" else getattr(self, role)


def _strategy_with_cast(prefix: str) -> tuple[Strategy, dict[str, User]]:
    lep = OrganisationFactory(name=f"{prefix} LEP", slug=f"{prefix}-lep", kind=Organisation.Kind.LEP)
    council = OrganisationFactory(
        name=f"{prefix} Borough Council", slug=f"{prefix}-council", kind=Organisation.Kind.DISTRICT_COUNCIL
    )
    university = OrganisationFactory(
        name=f"{prefix} University", slug=f"{prefix}-university", kind=Organisation.Kind.UNIVERSITY
    )
    strategy = StrategyFactory(slug=prefix, name=f"{prefix.title()} Local Industrial Strategy", lead=lep)
    strategy.partners.add(council, university)
    officer = MembershipFactory(
        user=UserFactory(email=f"officer@{prefix}.example", name=f"{prefix.title()} Officer"),
        organisation=lep,
        role=Role.OFFICER,
    ).user
    councillor = MembershipFactory(
        user=UserFactory(email=f"councillor@{prefix}.example", name=f"{prefix.title()} Councillor"),
        organisation=council,
        role=Role.COUNCILLOR,
    ).user
    partner = MembershipFactory(
        user=UserFactory(email=f"partner@{prefix}.example", name=f"{prefix.title()} Partner"),
        organisation=university,
        role=Role.PARTNER,
    ).user
    board = BoardFactory(strategy=strategy, name=f"{prefix.title()} Strategic Board")
    board_member = BoardMembershipFactory(
        board=board, user=UserFactory(email=f"board@{prefix}.example", name=f"{prefix.title()} Board Member")
    ).user
    return strategy, {"officer": officer, "councillor": councillor, "partner": partner, "board_member": board_member}


@pytest.fixture
def cast(db: None) -> Cast:
    strategy, people = _strategy_with_cast("kent")
    other_strategy, other_people = _strategy_with_cast("berkshire")
    outsider = UserFactory(email="outsider@example.org", name="Olive Outsider")
    admin = UserFactory(email="admin@example.org", name="Ada Administrator", is_staff=True, is_superuser=True)
    return Cast(
        strategy=strategy,
        other_strategy=other_strategy,
        outsider=outsider,
        admin=admin,
        other_officer=other_people["officer"],
        **people,
    )


@pytest.fixture(autouse=True)
def _two_factor_verified_sign_in(monkeypatch: pytest.MonkeyPatch) -> None:
    """`client.force_login(person)` gives a session that two-factor sign-in already verified
    (tests/two_factor.py), so pages answer as they do after the code page."""
    from django.test import Client

    from tests.two_factor import verify_session

    original = Client.force_login

    def force_login(self: Client, user: User, backend: str | None = None) -> None:
        original(self, user, backend)
        verify_session(self, user)

    monkeypatch.setattr(Client, "force_login", force_login)


@pytest.fixture(autouse=True)
def _shipped_themes(request: pytest.FixtureRequest) -> None:
    """A transactional test empties every table when it ends, the themes a data migration
    shipped included; put them back before any transactional test that follows."""
    marker = request.node.get_closest_marker("django_db")
    if "transactional_db" not in request.fixturenames and not (marker and marker.kwargs.get("transaction")):
        return
    request.getfixturevalue("transactional_db")
    from django.apps import apps

    if not Theme.objects.exists():
        importlib.import_module("core.migrations.0002_themes").add_themes(apps, None)


# A real Celery worker on the real Redis ------------------------------------------------------------


@dataclass
class Worker:
    queue: str
    mail_dir: Path
    process: subprocess.Popen[bytes]
    log: Path


@pytest.fixture
def celery_worker(transactional_db: None, tmp_path: Path) -> Iterator[Worker]:
    """Start `celery worker` in a subprocess against REDIS_URL and the test database, on a queue
    of its own, and point this process's Celery app at it. The test must be transactional, so
    the worker sees what the test commits."""
    redis_url = os.environ.get("REDIS_URL")
    if not redis_url:
        pytest.skip("REDIS_URL is not set: the real-worker tests need Redis (.ci/run sets it).")
    from lis_portal.celery import app

    queue = app.conf.task_default_queue
    redis.Redis.from_url(redis_url).delete(queue)  # nothing left over from an earlier run
    mail_dir = tmp_path / "mail"
    log = tmp_path / "worker.log"
    env = {
        **os.environ,
        "DJANGO_SETTINGS_MODULE": "lis_portal.settings.test",
        "DATABASE_URL": _database_url(connection.settings_dict),
        "REDIS_URL": redis_url,
        "CELERY_TASK_ALWAYS_EAGER": "false",
        "EMAIL_BACKEND": "django.core.mail.backends.filebased.EmailBackend",
        "EMAIL_FILE_PATH": str(mail_dir),
    }
    name = f"test-{uuid.uuid4().hex[:8]}@{socket.gethostname()}"
    celery = shutil.which("celery", path=str(Path(sys.executable).parent)) or "celery"
    with log.open("wb") as out:
        process = subprocess.Popen(
            [celery, "-A", "lis_portal", "worker", "-Q", queue, "--pool=solo", "--loglevel=INFO", "-n", name],
            cwd=ROOT,
            env=env,
            stdout=out,
            stderr=subprocess.STDOUT,
        )
    app.conf.task_always_eager = False
    try:
        _wait_for_worker(app, name, process, log)
        yield Worker(queue=queue, mail_dir=mail_dir, process=process, log=log)
    finally:
        app.conf.task_always_eager = True
        process.terminate()
        try:
            process.wait(timeout=20)
        except subprocess.TimeoutExpired:
            process.kill()


def _database_url(db: dict[str, object]) -> str:
    if db["ENGINE"] == "django.db.backends.sqlite3":
        return f"sqlite:///{db['NAME']}"
    user, password = db.get("USER") or "", db.get("PASSWORD") or ""
    auth = f"{user}:{password}@" if password else (f"{user}@" if user else "")
    return f"postgres://{auth}{db.get('HOST') or '127.0.0.1'}:{db.get('PORT') or 5432}/{db['NAME']}"


def _wait_for_worker(app: Celery, name: str, process: subprocess.Popen[bytes], log: Path) -> None:
    deadline = time.monotonic() + 60
    while time.monotonic() < deadline:
        if process.poll() is not None:
            raise RuntimeError(f"The Celery worker exited early:\n{log.read_text()}")
        replies = app.control.ping(destination=[name], timeout=1.0)
        if replies:
            return
    raise RuntimeError(f"The Celery worker did not answer within 60 s:\n{log.read_text()}")


def pytest_collection_modifyitems(config: pytest.Config, items: list[pytest.Item]) -> None:
    """Skip, with a reason, the PostgreSQL-only tests on a machine without PostgreSQL."""
    if settings.DATABASES["default"]["ENGINE"].endswith("postgresql"):
        return
    skip = pytest.mark.skip(reason="Needs PostgreSQL: set DATABASE_URL (CI and developer machines do).")
    for item in items:
        if "postgres_only" in item.keywords:
            item.add_marker(skip)
