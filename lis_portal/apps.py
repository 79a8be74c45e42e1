import tomllib
from pathlib import Path

from django.apps import AppConfig

PEOPLE = Path(__file__).resolve().parent / "demo" / "content" / "people.toml"


class LisPortalConfig(AppConfig):
    name = "lis_portal"
    verbose_name = "LIS Portal"

    def ready(self) -> None:
        # The demo's accounts, exempt from two-factor sign-in only under DEBUG with
        # TWO_FACTOR_DEMO_EXEMPT (core/two_factor.py); production settings never exempt anyone.
        from core.two_factor import register_demo_accounts

        with PEOPLE.open("rb") as file:
            register_demo_accounts(person["email"] for person in tomllib.load(file).get("person", []))
