"""What gets written and rendered: the draft strategy (sections and numbered versions), board
papers with their appendices, and packs rendered to one PDF by Celery.

A draft section links to the evidence items, the submitted priorities and the propositions it
draws on (of the same strategy). A review window opens a draft version to the people of chosen
partner organisations until a closing date, emails each of them once, and they comment on its
sections; officers reply and resolve. A window's audience may be wider (ADR 0042): everyone taking
part in the strategy, or the public, whose comments are confirmed by email and moderated."""

from __future__ import annotations

from datetime import date
from typing import ClassVar

from django.conf import settings
from django.core.exceptions import ValidationError
from django.core.validators import FileExtensionValidator, MaxLengthValidator
from django.db import models
from django.db.models import Q
from django.urls import reverse
from django.utils import timezone

from core.claims import Claimed
from core.models import Organisation, Strategy, Theme
from engagement.models import Consultation, Priority, Proposition
from evidence.models import EvidenceItem
from timeline.models import AgendaItem, Decision, Meeting

COMMENT_MAX = 4_000


class DraftStrategy(models.Model):
    """The draft Local Industrial Strategy: one per strategy, written as ordered sections."""

    class Status(models.TextChoices):
        WORKING = "working", "Working draft"
        PARTNER_REVIEW = "partner_review", "Partner review"
        BOARD_APPROVAL = "board_approval", "Board approval"
        FINAL = "final", "Final"

    strategy = models.OneToOneField(Strategy, on_delete=models.CASCADE, related_name="draft")
    title = models.CharField(max_length=200)
    status = models.CharField(max_length=16, choices=Status.choices, default=Status.WORKING)
    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        verbose_name_plural = "draft strategies"

    def __str__(self) -> str:
        return self.title


class DraftSection(models.Model):
    """One section of the draft, in Markdown. `version` counts saves so a stale save is refused."""

    draft = models.ForeignKey(DraftStrategy, on_delete=models.CASCADE, related_name="sections")
    order = models.PositiveSmallIntegerField()
    title = models.CharField(max_length=200)
    theme = models.ForeignKey(
        Theme,
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
        help_text="The foundation or grand challenge the section covers, if any.",
    )
    body = models.TextField(blank=True, help_text="Markdown.")
    version = models.PositiveIntegerField(default=1)
    updated_at = models.DateTimeField(auto_now=True)
    updated_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    # What the section draws on; set through services.draft_section_links_set (same strategy only).
    evidence_items = models.ManyToManyField(EvidenceItem, blank=True, related_name="draft_sections")
    priorities = models.ManyToManyField(Priority, blank=True, related_name="draft_sections")
    propositions = models.ManyToManyField(Proposition, blank=True, related_name="draft_sections")

    class Meta:
        ordering = ["draft", "order", "pk"]
        constraints = [models.UniqueConstraint(fields=["draft", "title"], name="draft_section_title_unique")]

    def __str__(self) -> str:
        return self.title


class DraftVersion(models.Model):
    """A numbered snapshot of the whole draft, with a note: what a pack renders and a diff compares."""

    draft = models.ForeignKey(DraftStrategy, on_delete=models.CASCADE, related_name="versions")
    number = models.PositiveIntegerField()
    note = models.CharField(max_length=300)
    status = models.CharField(max_length=16, choices=DraftStrategy.Status.choices)
    sections = models.JSONField(help_text="[{title, body}] in order, as saved.")
    created_by = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, on_delete=models.SET_NULL, related_name="+")
    created_at = models.DateTimeField(default=timezone.now)

    class Meta:
        ordering = ["draft", "-number"]
        constraints = [models.UniqueConstraint(fields=["draft", "number"], name="draft_version_number_unique")]

    def __str__(self) -> str:
        return f"Version {self.number}: {self.note}"


class ConsultedVersion(models.Model):
    """The draft version a consultation consults on. It lives here, pointing at engagement's
    consultation, so engagement does not depend on documents (ADR 5); engagement's pages show it
    through the hook in engagement/consulted.py. Linking a version publishes its read-only page
    (`documents:consulted-draft`) to the people who may read the consultation, for as long as the
    link stands."""

    consultation = models.OneToOneField(Consultation, on_delete=models.CASCADE, related_name="consulted_version")
    version = models.ForeignKey(DraftVersion, on_delete=models.PROTECT, related_name="consultations")
    linked_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    linked_at = models.DateTimeField(default=timezone.now)

    def __str__(self) -> str:
        return f"{self.consultation} consults on version {self.version.number}"


class ReviewWindow(models.Model):
    """A draft version opened for comment by its audience: the councillors and partners of chosen
    organisations of the strategy (its partners), everyone taking part in the strategy, or the
    public (ADR 0042). One open window per draft at a time."""

    class Audience(models.TextChoices):
        ORGANISATIONS = "organisations", "The invited organisations"
        TAKING_PART = "taking_part", "Everyone taking part in the strategy"
        PUBLIC = "public", "The public"

    draft = models.ForeignKey(DraftStrategy, on_delete=models.CASCADE, related_name="review_windows")
    version = models.ForeignKey(DraftVersion, on_delete=models.PROTECT, related_name="review_windows")
    organisations = models.ManyToManyField(
        Organisation,
        blank=True,
        related_name="review_windows",
        help_text="The partner organisations whose people are invited (for that audience, the only commenters).",
    )
    audience = models.CharField(max_length=16, choices=Audience.choices, default=Audience.ORGANISATIONS)
    opened_by = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, on_delete=models.SET_NULL, related_name="+")
    opened_at = models.DateTimeField(default=timezone.now)
    closes_on = models.DateField(
        null=True, blank=True, help_text="The last day for comments, as the invitation email says."
    )
    closed_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    closed_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        ordering = ["draft", "-opened_at", "-pk"]
        constraints = [
            models.UniqueConstraint(
                fields=["draft"], condition=Q(closed_at__isnull=True), name="review_window_one_open_per_draft"
            )
        ]

    def __str__(self) -> str:
        return f"Review of version {self.version.number}"

    def get_absolute_url(self) -> str:
        return reverse("documents:review-detail", kwargs={"strategy_slug": self.draft.strategy.slug, "pk": self.pk})

    @property
    def is_open(self) -> bool:
        return self.closed_at is None


class ReviewCommentQuerySet(models.QuerySet["ReviewComment"]):
    def confirmed(self) -> ReviewCommentQuerySet:
        """Every comment but those from the public still awaiting their sender's confirmation."""
        return self.filter(status=ReviewComment.Status.CONFIRMED)

    def shown_to_audience(self) -> ReviewCommentQuerySet:
        """What the window's audience reads: confirmed, and (from the public) published."""
        return self.confirmed().filter(moderation__in=["", ReviewComment.Moderation.PUBLISHED])


class ReviewComment(models.Model):
    """A comment on one section in a review window (Markdown), or an officer's reply to one.
    Only a comment (not a reply) is resolved.

    A comment from the public (someone who does not take part in the strategy, ADR 0042) is
    moderated: pending until an officer publishes or hides it. One sent signed out has no author
    but a name, an email address and a typed organisation; it is stored unconfirmed with the hash
    of the token emailed to its sender, who confirms it within `confirm_by` (ADR 0041's pattern)."""

    class Status(models.TextChoices):
        CONFIRMED = "confirmed", "Confirmed"
        UNCONFIRMED = "unconfirmed", "Awaiting the sender’s confirmation"

    class Moderation(models.TextChoices):
        NONE = "", "Not moderated"
        PENDING = "pending", "Awaiting moderation"
        PUBLISHED = "published", "Published"
        HIDDEN = "hidden", "Hidden"

    window = models.ForeignKey(ReviewWindow, on_delete=models.CASCADE, related_name="comments")
    section = models.ForeignKey(DraftSection, on_delete=models.CASCADE, related_name="review_comments")
    parent = models.ForeignKey("self", null=True, blank=True, on_delete=models.CASCADE, related_name="replies")
    author = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, on_delete=models.SET_NULL, related_name="+")
    organisation = models.ForeignKey(
        Organisation, null=True, blank=True, on_delete=models.SET_NULL, related_name="+", help_text="Speaking for."
    )
    body = models.TextField(validators=[MaxLengthValidator(COMMENT_MAX)], help_text="Markdown.")
    created_at = models.DateTimeField(default=timezone.now)
    resolved_at = models.DateTimeField(null=True, blank=True)
    resolved_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    # From the public (ADR 0042).
    status = models.CharField(max_length=12, choices=Status.choices, default=Status.CONFIRMED)
    moderation = models.CharField(max_length=10, choices=Moderation.choices, blank=True, default="")
    commenter_name = models.CharField(max_length=150, blank=True)
    commenter_email = models.EmailField(blank=True, help_text="For the confirmation only; never shown.")
    commenter_organisation = models.CharField(max_length=200, blank=True)
    show_name = models.BooleanField(default=False, help_text="The sender agreed to their name being shown.")
    token_hash = models.CharField(max_length=64, blank=True, db_index=True)
    confirm_by = models.DateTimeField(null=True, blank=True)
    confirmed_at = models.DateTimeField(null=True, blank=True)

    objects = ReviewCommentQuerySet.as_manager()

    class Meta:
        ordering = ["created_at", "pk"]
        indexes = [models.Index(fields=["section", "resolved_at"], name="review_comment_section")]
        constraints = [
            models.CheckConstraint(
                condition=Q(parent__isnull=True) | Q(resolved_at__isnull=True), name="review_reply_not_resolved"
            ),
            models.CheckConstraint(
                condition=Q(moderation="") | Q(parent__isnull=True), name="review_reply_not_moderated"
            ),
            models.CheckConstraint(
                condition=Q(status="confirmed")
                | (Q(author__isnull=True) & ~Q(moderation="") & ~Q(token_hash="") & Q(confirm_by__isnull=False)),
                name="review_unconfirmed_is_public_with_token",
            ),
        ]

    def __str__(self) -> str:
        return f"Comment {self.pk} on {self.section}"

    @property
    def is_from_public(self) -> bool:
        return self.moderation != self.Moderation.NONE

    @property
    def commenter_label(self) -> str:
        """Who the comment is from, as the window's audience reads it: a signed-out sender's name
        (and organisation) only if they agreed, never their email address."""
        if self.author_id is not None or not self.is_from_public:
            name = self.author.name if self.author else "Someone"
            return f"{name}, {self.organisation.name}" if self.organisation else name
        if self.show_name and self.commenter_name:
            org = self.commenter_organisation
            return f"{self.commenter_name}, {org}" if org else self.commenter_name
        return "A member of the public"


class BoardPaper(models.Model):
    """The paper for one agenda item: a cover sheet, a Markdown body and uploaded PDF appendices.
    An exempt paper names its Schedule 12A paragraph and the public-interest reason."""

    class DecisionRequired(models.TextChoices):
        APPROVE = "approve", "Approve"
        ENDORSE = "endorse", "Endorse"
        NOTE = "note", "Note"

    class ExemptParagraph(models.TextChoices):
        # Local Government Act 1972, Schedule 12A, Part 1.
        P1 = "1", "1 – information relating to any individual"
        P2 = "2", "2 – information likely to reveal the identity of an individual"
        P3 = "3", "3 – financial or business affairs of any particular person"
        P4 = "4", "4 – consultations or negotiations on labour relations"
        P5 = "5", "5 – legal professional privilege"
        P6 = "6", "6 – notices, orders or directions under an enactment"
        P7 = "7", "7 – prevention, investigation or prosecution of crime"

    agenda_item = models.OneToOneField(AgendaItem, on_delete=models.CASCADE, related_name="paper")
    title = models.CharField(max_length=300)
    author = models.CharField(max_length=150)
    purpose = models.TextField()
    recommendations = models.TextField(help_text="Markdown.")
    decision_required = models.CharField(max_length=8, choices=DecisionRequired.choices)
    financial_implications = models.TextField(blank=True)
    legal_implications = models.TextField(blank=True)
    risk_implications = models.TextField(blank=True)
    body = models.TextField(blank=True, help_text="Markdown.")
    is_exempt = models.BooleanField("exempt from publication", default=False)
    exempt_paragraph = models.CharField(
        "Schedule 12A paragraph", max_length=2, choices=ExemptParagraph.choices, blank=True
    )
    public_interest_reason = models.TextField(blank=True)
    version = models.PositiveIntegerField(default=1)
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        ordering = ["agenda_item__meeting", "agenda_item__number"]
        constraints = [
            models.CheckConstraint(
                condition=Q(is_exempt=False) | (~Q(exempt_paragraph="") & ~Q(public_interest_reason="")),
                name="board_paper_exempt_has_reason",
            )
        ]

    def __str__(self) -> str:
        return self.title

    def clean(self) -> None:
        super().clean()
        if self.is_exempt and not self.exempt_paragraph:
            raise ValidationError(
                {"exempt_paragraph": "Choose the Schedule 12A paragraph that makes the paper exempt."}
            )
        if self.is_exempt and not self.public_interest_reason.strip():
            raise ValidationError(
                {"public_interest_reason": "Say why the public interest in keeping it exempt outweighs disclosing it."}
            )


def appendix_upload_to(instance: PaperAppendix, filename: str) -> str:
    return f"documents/appendices/{instance.paper.agenda_item.meeting_id}/{instance.sha256[:16]}.pdf"


class PaperAppendix(models.Model):
    """An uploaded PDF appended to the pack after its paper; its pages count in the numbering."""

    paper = models.ForeignKey(BoardPaper, on_delete=models.CASCADE, related_name="appendices")
    order = models.PositiveSmallIntegerField(default=1)
    title = models.CharField(max_length=200)
    file = models.FileField(upload_to=appendix_upload_to, validators=[FileExtensionValidator(["pdf"])])
    sha256 = models.CharField(max_length=64)
    page_count = models.PositiveIntegerField()
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["paper", "order", "pk"]
        verbose_name_plural = "paper appendices"

    def __str__(self) -> str:
        return self.title


class Pack(Claimed):
    """One rendered PDF. The row is the job's truth: queued → rendering → ready or failed. A ready
    pack is immutable; `fingerprint` digests every input, so asking again when nothing has
    changed returns the same pack."""

    class Kind(models.TextChoices):
        MEMBERS = "members", "Members’ pack"
        PUBLIC = "public", "Public pack"
        DRAFT = "draft", "Draft strategy pack"
        PUBLISHED = "published", "Published strategy"

    class Status(models.TextChoices):
        QUEUED = "queued", "Queued"
        RENDERING = "rendering", "Rendering"
        READY = "ready", "Ready"
        FAILED = "failed", "Failed"

    MAX_ATTEMPTS: ClassVar[int] = 3

    strategy = models.ForeignKey(Strategy, on_delete=models.CASCADE, related_name="packs")
    kind = models.CharField(max_length=10, choices=Kind.choices)
    meeting = models.ForeignKey(Meeting, null=True, blank=True, on_delete=models.CASCADE, related_name="packs")
    draft_version = models.ForeignKey(
        DraftVersion, null=True, blank=True, on_delete=models.PROTECT, related_name="packs"
    )
    fingerprint = models.CharField(max_length=64, unique=True, help_text="SHA-256 of every input.")
    inputs = models.JSONField(default=dict, help_text="What went in: papers and their versions, the draft version.")
    status = models.CharField(max_length=10, choices=Status.choices, default=Status.QUEUED, db_index=True)
    progress = models.PositiveSmallIntegerField(default=0, help_text="Per cent.")
    error = models.TextField(blank=True)
    file = models.FileField(upload_to="documents/packs/", blank=True)
    sha256 = models.CharField(max_length=64, blank=True)
    page_count = models.PositiveIntegerField(null=True, blank=True)
    requested_by = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, on_delete=models.SET_NULL, related_name="+")
    created_at = models.DateTimeField(default=timezone.now)
    finished_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        ordering = ["-created_at", "-pk"]
        constraints = [
            models.CheckConstraint(
                condition=Q(kind__in=["draft", "published"], draft_version__isnull=False)
                | (~Q(kind__in=["draft", "published"]) & Q(meeting__isnull=False)),
                name="pack_has_its_source",
            ),
            models.CheckConstraint(
                condition=~Q(status="ready") | (~Q(file="") & ~Q(sha256="") & Q(page_count__isnull=False)),
                name="pack_ready_has_file",
            ),
        ]

    def __str__(self) -> str:
        if self.kind == self.Kind.PUBLISHED:  # public: not the saved version's note, which is the officers'
            return f"{self.get_kind_display()} – {self.strategy.name}"
        source = self.meeting if self.meeting_id else self.draft_version
        return f"{self.get_kind_display()} – {source}"

    def get_absolute_url(self) -> str:
        return reverse("documents:pack-detail", kwargs={"strategy_slug": self.strategy.slug, "pk": self.pk})

    @property
    def is_finished(self) -> bool:
        return self.status in (self.Status.READY, self.Status.FAILED)

    # The renderer's steps (documents/render.py pack_pdf reports these per cents), as a person reads them.
    STAGES: ClassVar[tuple[tuple[int, str], ...]] = (
        (95, "saving the PDF"),
        (70, "writing the PDF"),
        (20, "laying out the pages"),
        (10, "gathering the papers and the draft"),
        (0, "starting"),
    )

    @property
    def stage(self) -> str:
        """What the renderer is doing now: "laying out the pages"."""
        return next(text for floor, text in self.STAGES if self.progress >= floor)


# Review invitations ---------------------------------------------------------------------------


class ReviewInvitation(models.Model):
    """One row per person emailed that a review window opened: its unique key stops a second run
    emailing the same person again (someone in two invited organisations gets one email)."""

    window = models.ForeignKey(ReviewWindow, on_delete=models.CASCADE, related_name="invitations")
    user = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="+")
    sent_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        constraints = [models.UniqueConstraint(fields=["window", "user"], name="review_invitation_once")]

    def __str__(self) -> str:
        return f"Invitation to {self.window} for {self.user}"


# The published strategy ------------------------------------------------------------------------


class Publication(models.Model):
    """An edition of the published strategy: a saved draft version the board signed off (the
    decision), public from `published_on`, with its PDF (a pack of kind PUBLISHED on the same
    version). An edition is never edited: a correction is the next edition, with a change note."""

    strategy = models.ForeignKey(Strategy, on_delete=models.CASCADE, related_name="publications")
    edition = models.PositiveIntegerField()
    version = models.ForeignKey(DraftVersion, on_delete=models.PROTECT, related_name="publications")
    decision = models.ForeignKey(
        Decision, on_delete=models.PROTECT, related_name="publications", help_text="The board's sign-off."
    )
    published_on = models.DateField(help_text="Public from this day.")
    summary = models.TextField(help_text="Plain text: the lead paragraph.")
    change_note = models.TextField(blank=True, help_text="What changed since the last edition (from edition 2).")
    pack = models.ForeignKey(Pack, null=True, blank=True, on_delete=models.PROTECT, related_name="publications")
    published_by = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, on_delete=models.SET_NULL, related_name="+")
    created_at = models.DateTimeField(default=timezone.now)

    class Meta:
        ordering = ["strategy", "-edition"]
        constraints = [
            models.UniqueConstraint(fields=["strategy", "edition"], name="publication_edition_unique"),
            models.CheckConstraint(
                condition=Q(edition=1) | ~Q(change_note=""), name="publication_later_edition_has_change_note"
            ),
        ]

    def __str__(self) -> str:
        return f"Edition {self.edition} of {self.strategy}"

    def get_absolute_url(self) -> str:
        return reverse(
            "documents:publication-edition", kwargs={"strategy_slug": self.strategy.slug, "edition": self.edition}
        )

    def is_public(self, *, today: date | None = None) -> bool:
        """Public from its day: everybody who sees the strategy reads it then."""
        return self.published_on <= (today or timezone.localdate())
