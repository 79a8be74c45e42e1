"""The demo's people (content/people.toml): five accounts sharing one password, their memberships of
organisations and of boards."""

from __future__ import annotations

import os
import secrets
from dataclasses import dataclass

from django.contrib.auth.hashers import make_password

from core.models import Membership, Role, User
from timeline.models import Board, BoardMembership

from .content import Content, Entry
from .organisations import Organisations
from .records import upsert

PASSWORD_ENV = "DEMO_PASSWORD"  # noqa: S105 - the name of the variable, not a password
# Readable: no 0/O, 1/l/I, 2/Z, 5/S look-alikes.
_PASSWORD_ALPHABET = "abcdefghjkmnpqrstuvwxyzACDEFGHJKLMNPQRTUVWXY346789"  # noqa: S105


def demo_password() -> tuple[str, bool]:
    """DEMO_PASSWORD from the environment, or a new readable one; and whether it was generated."""
    password = os.environ.get(PASSWORD_ENV, "").strip()
    if password:
        return password, False
    chars = "".join(secrets.choice(_PASSWORD_ALPHABET) for _ in range(12))
    return f"{chars[:4]}-{chars[4:8]}-{chars[8:]}", True


@dataclass(frozen=True)
class DemoAccount:
    email: str
    name: str
    access: str


@dataclass
class People:
    users: dict[str, User]  # by email
    records_by: User  # who the demo's records are added, created and recorded by
    memberships: list[Membership]
    board_memberships: list[BoardMembership]
    accounts: list[DemoAccount]

    def named(self, entry: Entry, key: str) -> User:
        """The person an entry names by email under `key`."""
        email = entry.text(key)
        if email not in self.users:
            raise entry.error(f"“{key}” is {email}, which is not a person of people.toml.")
        return self.users[email]


def load_people(content: Content, *, password: str, orgs: Organisations, boards: dict[str, Board]) -> People:
    file = content.file("people.toml", required=["records_by", "person"])
    entries = file.entries(
        "person",
        name="email",
        required=["email", "name", "access"],
        optional=["organisation", "role", "boards", "represents", "administrator"],
    )
    hashed = make_password(password)  # hashed once, for speed: the accounts share the demo password
    users: dict[str, User] = {}
    for entry in entries:
        admin = entry.flag("administrator")
        users[entry.text("email")] = upsert(
            User,
            {"email": entry.text("email")},
            {
                "name": entry.text("name"),
                "is_staff": admin,
                "is_superuser": admin,
                "is_active": True,
                "password": hashed,
            },
        )
    memberships: list[Membership] = []
    board_memberships: list[BoardMembership] = []
    accounts: list[DemoAccount] = []
    for entry in entries:
        user = users[entry.text("email")]
        organisation = None
        if "organisation" in entry.data:
            organisation = orgs.named(entry, "organisation")
            role = entry.choice("role", Role)
            memberships.append(upsert(Membership, {"user": user, "organisation": organisation}, {"role": role}))
        elif "role" in entry.data:
            raise entry.error("“role” is a role in an organisation: name the “organisation” too.")
        board_names = entry.texts("boards", ())
        for name in board_names:
            if name not in boards:
                raise entry.error(f"“boards” names “{name}”, which is not a board of boards.toml.")
            board_memberships.append(
                upsert(
                    BoardMembership,
                    {"board": boards[name], "user": user},
                    {"role": BoardMembership.Role.MEMBER, "organisation_name": entry.text("represents", "")},
                )
            )
        access = entry.text(
            "access", organisation=organisation.name if organisation else "", boards=" and ".join(board_names)
        )
        accounts.append(DemoAccount(user.email, user.name, access))
    records_by = users.get(file.text("records_by"))
    if records_by is None:
        raise file.error(f"“records_by” is {file.text('records_by')}, which is not a person of people.toml.")
    return People(users, records_by, memberships, board_memberships, accounts)
