from __future__ import annotations

from django.apps import AppConfig


class EngagementConfig(AppConfig):
    name = "engagement"
    verbose_name = "Engagement and consultation"

    def ready(self) -> None:
        # The audit log shows nobody an event about a draft they could not open (engagement/selectors/audit.py).
        from core.selectors import register_audit_hidden

        from .selectors.audit import audit_hidden_drafts

        register_audit_hidden(audit_hidden_drafts)
        # A board's page offers to follow it by email: the board's topic of the update subscriptions.
        from timeline.meeting_page import register_board_follow

        register_board_follow("engagement:board-subscribe")
