"""Reads of subscriptions and updates."""

from __future__ import annotations

from django.db.models import Count, QuerySet

from core.models import Email, Strategy

from ..models import Subscription, Update, UpdateDelivery

# Updates ----------------------------------------------------------------------------------------------


def subscription_counts(*, strategy: Strategy) -> dict[str, int]:
    """Subscribers to the strategy's updates (not its boards' followers) by status, in one query."""
    rows = dict(
        Subscription.objects.filter(strategy=strategy, board__isnull=True)
        .values_list("status")
        .annotate(n=Count("pk"))
        .values_list("status", "n")
    )
    return {status: rows.get(status, 0) for status in Subscription.Status.values}


def update_list_for_strategy(*, strategy: Strategy) -> QuerySet[Update]:
    """Every update of the strategy, newest first, with the number of addresses each reached."""
    return (
        Update.objects.filter(strategy=strategy).annotate(delivered=Count("deliveries")).order_by("-created_at", "-pk")
    )


def update_list_sent(*, strategy: Strategy) -> QuerySet[Update]:
    """The public archive: sent updates, newest first (not the boards' announcements: the boards'
    pages hold what they announce)."""
    return Update.objects.filter(strategy=strategy, board__isnull=True, status=Update.Status.SENT).order_by(
        "-sent_at", "-pk"
    )


def update_progress(*, update: Update) -> dict[str, int]:
    """How far an update's sending has got: addresses reached, and their emails by status."""
    by_status = dict(
        UpdateDelivery.objects.filter(update=update)
        .values_list("email__status")
        .annotate(n=Count("pk"))
        .values_list("email__status", "n")
    )
    delivered = sum(by_status.values())
    return {
        "delivered": delivered,
        "sent": by_status.get(Email.Status.SENT, 0),
        "failed": by_status.get(Email.Status.FAILED, 0),
        "waiting": by_status.get(Email.Status.QUEUED, 0) + by_status.get(Email.Status.SENDING, 0),
        "recipients": max(update.recipients, delivered),
    }
