"""`python manage.py loaddemo`: load the demo (idempotent) and print what it holds and how to sign in."""

from __future__ import annotations

import logging
import time
from typing import Any

from django.core.exceptions import ValidationError
from django.core.management.base import BaseCommand, CommandError

from lis_portal import demo


class Command(BaseCommand):
    help = (
        "Load the demo: the South East LEP's Local Industrial Strategy replayed so that today falls in drafting, "
        "three lighter strategies, their areas, organisations, boards and five demo accounts. Safe to run again: "
        f"it brings the same records back to their demo state. The accounts' password is ${demo.PASSWORD_ENV}, "
        "or a new one printed at the end. docs/demo-data.md says where every fact comes from."
    )

    def handle(self, *args: Any, **options: Any) -> None:
        # In-process tasks (no broker) log each run at INFO, and kombu warns that the in-memory
        # broker has no host name: dozens of lines that hide the summary a newcomer needs.
        logging.getLogger("celery").setLevel(logging.WARNING)
        logging.getLogger("kombu").setLevel(logging.ERROR)
        started = time.monotonic()
        password, generated = demo.demo_password()
        try:
            result = demo.load_demo(password=password, password_generated=generated)
        except demo.DemoDataError as error:
            raise CommandError(str(error)) from error
        except ValidationError as error:
            # A record made by hand holds a name or code the demo needs (say, another slug, same name).
            raise CommandError(f"The demo clashes with a record already in the database: {error}") from error
        elapsed = time.monotonic() - started

        write = self.stdout.write
        write(self.style.SUCCESS(f"Demo loaded in {elapsed:.1f} s."))
        write(
            f"The South East schedule ({result.original_span}) is replayed {result.shift.days:,} days later: "
            f"today, {result.today.day} {result.today:%B %Y}, stands for "
            f"{result.replay_today.day} {result.replay_today:%B %Y}, three weeks into drafting."
        )
        width = max(len(label) for label in result.counts)
        for label, count in result.counts.items():
            detail = result.breakdown.get(label)
            extra = f"  ({', '.join(f'{kind}: {n}' for kind, n in sorted(detail.items()))})" if detail else ""
            write(f"  {label:<{width}}  {count:>3}{extra}")

        origin = (
            f"generated for this run; set {demo.PASSWORD_ENV} to choose it"
            if result.password_generated
            else f"from {demo.PASSWORD_ENV}"
        )
        write("")
        write(f"Demo accounts (one password for all five, {origin}):")
        write(f"  password: {result.password}")
        email_width = max(len(a.email) for a in result.accounts)
        for account in result.accounts:
            write(f"  {account.email:<{email_width}}  {account.access}")
