from __future__ import annotations

from django.apps import AppConfig


class DocumentsConfig(AppConfig):
    name = "documents"
    verbose_name = "Draft strategy, board papers and packs"

    def ready(self) -> None:
        from engagement.consulted import register_consulted
        from engagement.trail import register_priority_trail, register_proposition_trail
        from timeline.meeting_page import register_meeting_page

        from .consulted import EDITOR, consulted_version_items
        from .trail import priority_trail_steps, proposition_trail_steps

        # A priority's page tells where it went in the draft and at the boards (engagement/trail.py).
        register_priority_trail(priority_trail_steps)
        register_proposition_trail(proposition_trail_steps)
        # A meeting's page shows its agenda with the papers and packs: it is documents' (design.md).
        register_meeting_page("documents:meeting-detail")
        # A consultation lists the draft version it consults on (engagement/consulted.py).
        register_consulted(consulted_version_items, editor=EDITOR)
