"""The shared vocabulary every app uses (docs/design.md): strategies, organisations, areas, themes,
people and their memberships, invitations, and the audit trail."""

from __future__ import annotations

import hashlib
import re
from typing import Any, ClassVar

from django.contrib.auth.models import AbstractBaseUser, BaseUserManager, PermissionsMixin
from django.contrib.contenttypes.models import ContentType
from django.core.exceptions import ValidationError
from django.db import models
from django.db.models import Q
from django.db.models.functions import Lower
from django.urls import reverse
from django.utils import timezone

from .audit import audit_sentence
from .claims import Claimed


class UserManager(BaseUserManager["User"]):
    use_in_migrations = True

    def _create(self, email: str, password: str | None, **fields: Any) -> User:
        if not email:
            raise ValueError("A user needs an email address.")
        user = self.model(email=self.normalize_email(email).lower(), **fields)
        user.set_password(password)
        user.save(using=self._db)
        return user

    def create_user(self, email: str, password: str | None = None, **fields: Any) -> User:
        fields.setdefault("is_staff", False)
        fields.setdefault("is_superuser", False)
        return self._create(email, password, **fields)

    def create_superuser(self, email: str, password: str | None = None, **fields: Any) -> User:
        fields.update(is_staff=True, is_superuser=True)
        return self._create(email, password, **fields)


class User(AbstractBaseUser, PermissionsMixin):
    """A person. Signs in with their email address; administrators are staff."""

    email = models.EmailField("email address", max_length=254, unique=True)
    name = models.CharField("full name", max_length=150)
    is_staff = models.BooleanField(default=False, help_text="Can sign in to the Django admin.")
    is_active = models.BooleanField(default=True)
    date_joined = models.DateTimeField(default=timezone.now)

    objects: ClassVar[UserManager] = UserManager()

    USERNAME_FIELD = "email"
    EMAIL_FIELD = "email"
    REQUIRED_FIELDS = ["name"]

    # An erased person (lis_portal.personal_data.person_erase) keeps their row, so what they
    # contributed stays credited, under this name and an address at this domain.
    ERASED_NAME: ClassVar[str] = "a participant"
    ERASED_DOMAIN: ClassVar[str] = "erased.invalid"

    class Meta:
        ordering = ["name", "email"]
        constraints = [
            # Emails are stored lower-cased, so one person cannot hold two accounts by case.
            models.CheckConstraint(condition=Q(email=Lower("email")), name="user_email_lower"),
        ]

    def __str__(self) -> str:
        return self.name or self.email

    def clean(self) -> None:
        super().clean()
        self.email = self.__class__.objects.normalize_email(self.email).lower()

    def get_full_name(self) -> str:
        return self.name

    @classmethod
    def erased_email(cls, pk: int) -> str:
        return f"erased-{pk}@{cls.ERASED_DOMAIN}"

    @classmethod
    def is_erased_email(cls, email: str) -> bool:
        return email.lower().endswith(f"@{cls.ERASED_DOMAIN}")

    def get_short_name(self) -> str:
        return self.name or self.email


class Area(models.Model):
    """A place by its official code: a district, county or unitary authority (ONS GSS codes), an
    ITL/NUTS statistical region, or a LEP area. Districts sit inside counties, regions and LEP areas."""

    class Kind(models.TextChoices):
        DISTRICT = "district", "District"
        COUNTY = "county", "County"
        UNITARY = "unitary", "Unitary authority"
        ITL_REGION = "itl_region", "ITL / NUTS region"
        LEP_AREA = "lep_area", "LEP area"

    # Each kind checks its own code pattern; the database holds the same rule (Meta.constraints).
    CODE_PATTERNS: ClassVar[dict[str, str]] = {
        Kind.DISTRICT: r"^E0[789][0-9]{6}$",  # E07 shire districts, E08 metropolitan, E09 London boroughs
        Kind.COUNTY: r"^E10[0-9]{6}$",
        Kind.UNITARY: r"^E06[0-9]{6}$",
        Kind.ITL_REGION: r"^(UK|TL)[C-N]([0-9]{1,2}[0-9A-Z]?)?$",  # UKJ4 / TLJ4 Kent, UKJ41, TLH3 Essex
        Kind.LEP_AREA: r"^E37[0-9]{6}$",
    }
    CODE_EXAMPLES: ClassVar[dict[str, str]] = {
        Kind.DISTRICT: "E07000105 (Ashford)",
        Kind.COUNTY: "E10000016 (Kent)",
        Kind.UNITARY: "E06000035 (Medway)",
        Kind.ITL_REGION: "UKJ4 or TLJ4 (Kent)",
        Kind.LEP_AREA: "E37000030 (South East LEP)",
    }

    code = models.CharField(max_length=12, help_text="ONS GSS, ITL/NUTS or LEP code, e.g. E07000105.")
    name = models.CharField(max_length=120)
    kind = models.CharField(max_length=16, choices=Kind.choices)
    vintage = models.CharField(
        max_length=8, blank=True, help_text="The year of the boundaries the code belongs to, e.g. 2017 for LEP17."
    )
    parents = models.ManyToManyField(
        "self", symmetrical=False, blank=True, related_name="children", help_text="The areas this one sits inside."
    )

    class Meta:
        ordering = ["kind", "name"]
        constraints = [
            models.UniqueConstraint(fields=["code", "vintage"], name="area_code_vintage_unique"),
            models.CheckConstraint(
                condition=(
                    Q(kind="district", code__regex=r"^E0[789][0-9]{6}$")
                    | Q(kind="county", code__regex=r"^E10[0-9]{6}$")
                    | Q(kind="unitary", code__regex=r"^E06[0-9]{6}$")
                    | Q(kind="itl_region", code__regex=r"^(UK|TL)[C-N]([0-9]{1,2}[0-9A-Z]?)?$")
                    | Q(kind="lep_area", code__regex=r"^E37[0-9]{6}$")
                ),
                name="area_code_fits_kind",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.name} ({self.code})"

    def clean(self) -> None:
        super().clean()
        pattern = self.CODE_PATTERNS.get(self.kind)
        if pattern and self.code and not re.match(pattern, self.code):
            raise ValidationError(
                {
                    "code": f"“{self.code}” is not a {self.get_kind_display().lower()} code. "
                    f"Enter a code like {self.CODE_EXAMPLES[self.kind]}."
                }
            )


class Theme(models.Model):
    """One of the five foundations of productivity or the four grand challenges."""

    class Kind(models.TextChoices):
        FOUNDATION = "foundation", "Foundation of productivity"
        GRAND_CHALLENGE = "grand_challenge", "Grand challenge"

    slug = models.SlugField(unique=True)
    name = models.CharField(max_length=80)
    kind = models.CharField(max_length=16, choices=Kind.choices)
    description = models.TextField()
    description_source = models.CharField(
        max_length=200, help_text="Where the description comes from: a seed document, or the portal's own words."
    )
    order = models.PositiveSmallIntegerField()

    class Meta:
        ordering = ["kind", "order"]
        constraints = [models.UniqueConstraint(fields=["kind", "order"], name="theme_kind_order_unique")]

    def __str__(self) -> str:
        return self.name


class Organisation(models.Model):
    """A body that takes part: the LEP, federated areas, councils, universities, businesses…"""

    class Kind(models.TextChoices):
        LEP = "lep", "Local Enterprise Partnership"
        FEDERATED_AREA = "federated_area", "Federated area partnership"
        COUNTY_COUNCIL = "county_council", "County council"
        DISTRICT_COUNCIL = "district_council", "District or borough council"
        UNITARY_COUNCIL = "unitary_council", "Unitary council"
        UNIVERSITY = "university", "University"
        COLLEGE = "college", "College"
        BUSINESS = "business", "Business"
        BUSINESS_GROUP = "business_group", "Business group"
        VOLUNTARY = "voluntary", "Voluntary body"
        GOVERNMENT = "government", "Government department"
        COUNCILS_ASSOCIATION = "councils_association", "Association of councils"

    COUNCIL_KINDS: ClassVar[frozenset[str]] = frozenset(
        {Kind.COUNTY_COUNCIL, Kind.DISTRICT_COUNCIL, Kind.UNITARY_COUNCIL}
    )

    name = models.CharField(max_length=200, unique=True)
    slug = models.SlugField(max_length=200, unique=True)
    kind = models.CharField(max_length=24, choices=Kind.choices)
    area = models.ForeignKey(
        Area,
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="organisations",
        help_text="The area a council governs or a partnership covers.",
    )
    website = models.URLField(blank=True)
    note = models.TextField(blank=True, help_text="Where the facts about this organisation come from.")

    class Meta:
        ordering = ["name"]

    def __str__(self) -> str:
        return self.name

    @property
    def is_council(self) -> bool:
        return self.kind in self.COUNCIL_KINDS


class Role(models.TextChoices):
    """The role a person has through their membership of an organisation."""

    COUNCILLOR = "councillor", "Councillor"
    OFFICER = "officer", "LEP officer"
    PARTNER = "partner", "Partner"


class Membership(models.Model):
    user = models.ForeignKey(User, on_delete=models.CASCADE, related_name="memberships")
    organisation = models.ForeignKey(Organisation, on_delete=models.CASCADE, related_name="memberships")
    role = models.CharField(max_length=16, choices=Role.choices)
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["organisation__name"]
        constraints = [
            models.UniqueConstraint(fields=["user", "organisation"], name="membership_user_organisation_unique")
        ]

    def __str__(self) -> str:
        return f"{self.user} – {self.get_role_display()}, {self.organisation}"

    def clean(self) -> None:
        super().clean()
        org = getattr(self, "organisation", None)
        if org is None:
            return
        if self.role == Role.OFFICER and org.kind != Organisation.Kind.LEP:
            raise ValidationError({"role": "LEP officers are members of a LEP. Choose a LEP, or another role."})
        if self.role == Role.COUNCILLOR and not org.is_council:
            raise ValidationError({"role": "Councillors are members of a council. Choose a council, or another role."})


class Strategy(models.Model):
    """One Local Industrial Strategy for one LEP area: the root every other record hangs off."""

    slug = models.SlugField(max_length=60, unique=True, help_text="Used in the strategy's web addresses.")
    name = models.CharField(max_length=200)
    lead = models.ForeignKey(
        Organisation,
        on_delete=models.PROTECT,
        related_name="led_strategies",
        limit_choices_to={"kind": Organisation.Kind.LEP},
        help_text="The LEP that leads the strategy.",
        error_messages={"invalid": "A strategy is led by a LEP. Choose a Local Enterprise Partnership."},
    )
    partners = models.ManyToManyField(
        Organisation,
        blank=True,
        related_name="partner_strategies",
        help_text="Councils, federated areas and partners that take part.",
    )
    area = models.ForeignKey(
        Area,
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="strategies",
        limit_choices_to={"kind": Area.Kind.LEP_AREA},
        error_messages={"invalid": "A strategy covers a LEP area. Choose an area of kind LEP area."},
    )
    summary = models.TextField(help_text="A paragraph for the home page.")
    aims = models.TextField(blank=True, help_text="The strategy's aims, one per line.")
    schedule_note = models.TextField(
        blank=True, help_text="Anything a reader should know about the dates shown (for example, a replayed demo)."
    )
    source = models.TextField(blank=True, help_text="Where the facts on the overview come from.")
    demo_note = models.TextField(
        blank=True,
        help_text="For a strategy loaded as demo content: which of its texts are illustrative and which facts "
        "are real. The overview shows it; empty for a real strategy.",
    )
    is_published = models.BooleanField(default=True, help_text="Shown to the public on the home page.")
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["name"]
        verbose_name_plural = "strategies"

    def __str__(self) -> str:
        return self.name

    def get_absolute_url(self) -> str:
        return reverse("strategy-overview", kwargs={"strategy_slug": self.slug})

    @property
    def aim_list(self) -> list[str]:
        return [line.strip() for line in self.aims.splitlines() if line.strip()]

    # Top-level paths the portal uses itself, so no strategy may take them as its slug.
    RESERVED_SLUGS: ClassVar[frozenset[str]] = frozenset(
        {"accounts", "admin", "api", "static", "media", "healthz", "accessibility", "privacy", "cookies", "calendar"}
    )

    def clean(self) -> None:
        super().clean()
        if self.slug in self.RESERVED_SLUGS:
            raise ValidationError({"slug": f"“{self.slug}” is used by the portal itself. Choose another slug."})
        lead = getattr(self, "lead", None)
        if lead is not None and lead.kind != Organisation.Kind.LEP:
            raise ValidationError({"lead": "A strategy is led by a LEP. Choose a Local Enterprise Partnership."})


class Invitation(models.Model):
    """An invitation to join an organisation with a role. The emailed link sets a password once."""

    email = models.EmailField(max_length=254)
    name = models.CharField(max_length=150)
    organisation = models.ForeignKey(Organisation, on_delete=models.CASCADE, related_name="invitations")
    role = models.CharField(max_length=16, choices=Role.choices)
    token_hash = models.CharField(max_length=64, unique=True, editable=False)
    invited_by = models.ForeignKey(User, null=True, on_delete=models.SET_NULL, related_name="+")
    created_at = models.DateTimeField(auto_now_add=True)
    expires_at = models.DateTimeField()
    accepted_at = models.DateTimeField(null=True, blank=True)
    accepted_user = models.ForeignKey(
        User, null=True, blank=True, on_delete=models.SET_NULL, related_name="accepted_invitations"
    )

    class Meta:
        ordering = ["-created_at"]

    def __str__(self) -> str:
        return f"{self.email} to {self.organisation} as {self.get_role_display()}"

    @staticmethod
    def hash_token(token: str) -> str:
        return hashlib.sha256(token.encode()).hexdigest()

    @property
    def is_expired(self) -> bool:
        return timezone.now() >= self.expires_at

    @property
    def is_usable(self) -> bool:
        return self.accepted_at is None and not self.is_expired


class AuditEvent(models.Model):
    """Who did what to which record, when. Written by services in the same transaction as the change."""

    actor = models.ForeignKey(User, null=True, blank=True, on_delete=models.SET_NULL, related_name="+")
    verb = models.CharField(max_length=60, help_text="What happened, e.g. invitation.accepted.")
    strategy = models.ForeignKey(Strategy, null=True, blank=True, on_delete=models.CASCADE, related_name="audit_events")
    target_type = models.ForeignKey(ContentType, null=True, blank=True, on_delete=models.SET_NULL)
    target_id = models.CharField(max_length=64, blank=True)
    target_repr = models.CharField(max_length=200, blank=True)
    data = models.JSONField(default=dict, blank=True)
    created_at = models.DateTimeField(default=timezone.now, db_index=True)

    class Meta:
        ordering = ["-created_at", "-id"]
        indexes = [models.Index(fields=["strategy", "-created_at"], name="audit_strategy_time")]

    def __str__(self) -> str:
        return f"{self.created_at:%Y-%m-%d %H:%M} {self.sentence} ({self.target_repr})"

    @property
    def sentence(self) -> str:
        """What happened, as people read it (core/audit.py gives each kind its sentence)."""
        return audit_sentence(self)


class Email(Claimed):
    """An email on its way out. The row is the job's truth: a Celery task claims it with a
    conditional update, sends it once, and records the outcome; a sweep re-queues stuck ones."""

    class Status(models.TextChoices):
        QUEUED = "queued", "Queued"
        SENDING = "sending", "Sending"
        SENT = "sent", "Sent"
        FAILED = "failed", "Failed"

    MAX_ATTEMPTS: ClassVar[int] = 3

    to = models.EmailField(max_length=254)
    subject = models.CharField(max_length=200)
    body = models.TextField()
    headers = models.JSONField(
        default=dict, blank=True, help_text="Extra headers, e.g. List-Unsubscribe for update emails (RFC 8058)."
    )
    strategy = models.ForeignKey(
        "Strategy",
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
        help_text="The strategy the email is about, whose officers see it if it cannot be sent.",
    )
    status = models.CharField(max_length=8, choices=Status.choices, default=Status.QUEUED, db_index=True)
    last_error = models.TextField(blank=True)
    created_at = models.DateTimeField(default=timezone.now)
    sent_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        ordering = ["-created_at"]

    def __str__(self) -> str:
        return f"{self.subject} to {self.to} ({self.get_status_display()})"


class RateLimitCount(models.Model):
    """A rate limit's count kept in the database while the cache (Redis) cannot be reached
    (core.ratelimit): the key, how many requests so far, and when the window ends."""

    key = models.CharField(max_length=200, unique=True)
    count = models.PositiveIntegerField(default=0)
    expires_at = models.DateTimeField(db_index=True)

    def __str__(self) -> str:
        return f"{self.key}: {self.count} until {self.expires_at:%H:%M}"
