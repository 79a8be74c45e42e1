from __future__ import annotations

from django.apps import AppConfig


class DocumentsConfig(AppConfig):
    name = "documents"
    verbose_name = "Draft strategy, board papers and packs"

    def ready(self) -> None:
        # A priority's page tells where it went in the draft and at the boards (engagement/trail.py).
        from engagement.trail import register_priority_trail

        from .selectors import priority_trail_steps

        register_priority_trail(priority_trail_steps)
