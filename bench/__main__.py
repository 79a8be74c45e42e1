"""python -m bench: the timeline pages at 5 and at 500 milestones, against a bare view."""

from __future__ import annotations

import os
import sys
from datetime import datetime, timedelta

import django

os.environ.setdefault("DJANGO_SETTINGS_MODULE", "lis_portal.settings.test")
os.environ.setdefault("ROOT_URLCONF", "bench.urls")
django.setup()

from django.conf import settings  # noqa: E402
from django.db import connection  # noqa: E402
from django.test import Client  # noqa: E402
from django.test.utils import setup_test_environment  # noqa: E402
from django.utils import timezone  # noqa: E402

from bench.harness import database_url, median_ms, server  # noqa: E402

PAGES = ["dashboard/", "milestones/", "gantt/", ""]
REPEAT = int(os.environ.get("BENCH_REPEAT", "30"))


def seed(size: str) -> tuple[str, str]:
    """A strategy with its six phases and, for "large", 500 milestones, 60 meetings, 300 decisions."""
    from core.models import Membership, Organisation, Role, Strategy, User
    from tests.timeline.conftest import make_process
    from timeline.models import Board, Decision, Meeting, Milestone

    lep = Organisation.objects.create(name=f"Bench LEP {size}", slug=f"bench-lep-{size}", kind=Organisation.Kind.LEP)
    strategy = Strategy.objects.create(slug=f"bench-{size}", name=f"Bench {size}", lead=lep, summary="Bench")
    officer = User.objects.create_user(email=f"officer@{size}.bench", name="Bench Officer", password=None)
    Membership.objects.create(user=officer, organisation=lep, role=Role.OFFICER)
    Board.objects.create(strategy=strategy, name="Strategic Board", kind=Board.Kind.STRATEGIC)
    process = make_process(strategy)
    if size == "large":
        milestones, meetings, decisions = 500, 60, 300
    else:
        milestones, meetings, decisions = 2, 1, 1  # with the three of make_process: 5 milestones
    phases = process.phases
    Milestone.objects.bulk_create(
        Milestone(
            phase=phases[n % 6],
            title=f"Milestone {n}",
            order=10 + n,
            status="at_risk" if n % 7 == 0 else "in_progress",
            due_date=phases[n % 6].planned_start + timedelta(days=n % 50),
            owner=officer,
        )
        for n in range(milestones)
    )
    start = timezone.make_aware(datetime(2026, 12, 1, 10))
    created = Meeting.objects.bulk_create(
        Meeting(board=process.board, title=f"Meeting {n}", starts_at=start + timedelta(days=7 * n))
        for n in range(meetings)
    )
    Decision.objects.bulk_create(
        Decision(
            meeting=created[n % len(created)],
            board=process.board,
            decided_on=created[n % len(created)].starts_at.date(),
            text=f"Decision {n}",
            outcome="approved",
        )
        for n in range(decisions)
    )
    client = Client()
    client.force_login(officer)
    from tests.two_factor import verify_session

    verify_session(client, officer)
    return strategy.slug, f"{settings.SESSION_COOKIE_NAME}={client.cookies[settings.SESSION_COOKIE_NAME].value}"


def main() -> int:
    setup_test_environment()
    old_name = connection.creation.create_test_db(verbosity=0, autoclobber=True)
    try:
        seeds = {size: seed(size) for size in ("small", "large")}
        print(
            f"Timeline pages against a bare Django view, gunicorn (1 worker), {connection.vendor}, "
            f"median of {REPEAT} requests"
        )
        print(f"{'page':<22}{'milestones':>11}{'median ms':>11}{'bare ms':>9}{'ratio':>8}")
        with server(database_url(connection.settings_dict)) as port:
            for size, (slug, cookie) in seeds.items():
                bare = median_ms(port, "/bench/bare/", cookie, repeat=REPEAT)
                for page in PAGES:
                    ms = median_ms(port, f"/{slug}/timeline/{page}", cookie, repeat=REPEAT)
                    name = "timeline/" + page if page else "timeline (public)"
                    count = 500 + 3 if size == "large" else 5
                    print(f"{name:<22}{count:>11}{ms:>11.1f}{bare:>9.1f}{ms / bare:>8.1f}")
    finally:
        connection.creation.destroy_test_db(old_name, verbosity=0)
    return 0


if __name__ == "__main__":
    sys.exit(main())
