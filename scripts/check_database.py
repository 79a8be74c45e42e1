"""Before `make run` migrates: when the database cannot be reached, say in one line what to do.

With DATABASE_URL unset the portal uses SQLite, which needs nothing. With it set, PostgreSQL must be
running and the database must exist; a missing one is the commonest first-run stumble.
"""

from __future__ import annotations

import os
import sys
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))
os.environ.setdefault("DJANGO_SETTINGS_MODULE", "lis_portal.settings.local")

import django

django.setup()

from django.db import connection  # noqa: E402
from django.db.utils import OperationalError  # noqa: E402


def main() -> int:
    try:
        connection.ensure_connection()
    except OperationalError as error:
        db = connection.settings_dict
        host, port, user, name = db.get("HOST") or "localhost", db.get("PORT") or 5432, db.get("USER"), db["NAME"]
        if "does not exist" in str(error):
            who = f" -U {user}" if user else ""
            print(
                f"The database “{name}” does not exist on {host}:{port}. Create it with "
                f"`createdb -h {host} -p {port}{who} {name}`, or unset DATABASE_URL to use SQLite.",
                file=sys.stderr,
            )
        else:
            first_line = str(error).strip().splitlines()[0] if str(error).strip() else type(error).__name__
            print(
                f"Cannot reach the database at {host}:{port} ({first_line}). Is PostgreSQL running, and is "
                "DATABASE_URL right? Unset it to use SQLite.",
                file=sys.stderr,
            )
        return 1
    return 0


if __name__ == "__main__":
    sys.exit(main())
