"""The evidence base: evidence items, indicators and their observations, import jobs, the
evidence narrative per foundation, and the partners invited to add evidence."""

from __future__ import annotations

from typing import ClassVar

from django.conf import settings
from django.core.validators import URLValidator
from django.db import models
from django.db.models import Q
from django.urls import reverse

from core.claims import Claimed
from core.models import Area, Strategy, Theme


class Sharing(models.TextChoices):
    """Who may see an evidence item, widest first."""

    OPEN = "open", "Open: everyone, including the public"
    PARTNERS = "partners", "Partners: people taking part in the strategy"
    OFFICERS = "officers", "Officers only"


class EvidenceItem(models.Model):
    """A report, dataset, statistic, case study or consultation output behind the strategy."""

    class Kind(models.TextChoices):
        REPORT = "report", "Report"
        DATASET = "dataset", "Dataset"
        STATISTIC = "statistic", "Statistic"
        CASE_STUDY = "case_study", "Case study"
        CONSULTATION_OUTPUT = "consultation_output", "Consultation output"

    class FileType(models.TextChoices):
        PDF = "pdf", "PDF"
        XLSX = "xlsx", "Excel workbook (XLSX)"
        CSV = "csv", "CSV"
        DOCX = "docx", "Word document (DOCX)"

    CONTENT_TYPES: ClassVar[dict[str, str]] = {
        "pdf": "application/pdf",
        "xlsx": "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
        "csv": "text/csv",
        "docx": "application/vnd.openxmlformats-officedocument.wordprocessingml.document",
    }

    strategy = models.ForeignKey(Strategy, on_delete=models.CASCADE, related_name="evidence_items")
    title = models.CharField(max_length=300)
    kind = models.CharField(max_length=24, choices=Kind.choices)
    summary = models.TextField()
    publisher = models.CharField(max_length=200)
    published_on = models.DateField(help_text="The date the evidence was published.")
    link = models.URLField(
        max_length=500,
        blank=True,
        validators=[URLValidator(schemes=["http", "https"])],
        help_text="A web address starting http:// or https://.",
    )
    file = models.FileField(upload_to="evidence/items/%Y/%m/", blank=True, max_length=300)
    file_type = models.CharField(max_length=8, choices=FileType.choices, blank=True)
    file_name = models.CharField(max_length=200, blank=True, help_text="The uploaded file's name, for the download.")
    file_size = models.PositiveBigIntegerField(default=0)
    licence = models.CharField(max_length=120, help_text="For example, Open Government Licence v3.0.")
    sharing = models.CharField(max_length=12, choices=Sharing.choices, default=Sharing.PARTNERS, db_index=True)
    themes = models.ManyToManyField(Theme, blank=True, related_name="evidence_items")
    areas = models.ManyToManyField(Area, blank=True, related_name="evidence_items")
    quality_note = models.TextField(blank=True, help_text="How far the evidence can be relied on, and why.")
    added_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)
    version = models.PositiveIntegerField(default=1, help_text="Counts saves, so a stale edit is refused.")

    class Meta:
        ordering = ["-published_on", "-pk"]
        constraints = [
            # Exactly one of a link and an uploaded file.
            models.CheckConstraint(
                condition=(Q(link="") & ~Q(file="")) | (~Q(link="") & Q(file="")),
                name="evidence_item_link_xor_file",
            ),
            models.CheckConstraint(
                condition=Q(file="", file_type="") | (~Q(file="") & ~Q(file_type="")),
                name="evidence_item_file_has_type",
            ),
        ]
        indexes = [models.Index(fields=["strategy", "sharing", "-published_on"], name="evidence_item_list")]

    def __str__(self) -> str:
        return self.title

    def get_absolute_url(self) -> str:
        return reverse("evidence:item-detail", kwargs={"strategy_slug": self.strategy.slug, "pk": self.pk})

    @property
    def content_type(self) -> str:
        return self.CONTENT_TYPES.get(self.file_type, "application/octet-stream")


class Indicator(models.Model):
    """A measure that observations are values of, with where it comes from and its licence."""

    code = models.SlugField(max_length=100, unique=True)
    name = models.CharField(max_length=200)
    unit = models.CharField(max_length=60, help_text="For example, people, £ million, £ per hour, rank.")
    source = models.CharField(max_length=300)
    licence = models.CharField(max_length=120)
    source_url = models.URLField(max_length=500, blank=True, validators=[URLValidator(schemes=["http", "https"])])
    geography_note = models.CharField(
        max_length=300, help_text="The level of geography the figures are for, e.g. NUTS 2016 level 2 (= ITL2)."
    )
    layout = models.CharField(max_length=16, blank=True, help_text="The import layout the indicator comes from.")

    class Meta:
        ordering = ["name"]

    def __str__(self) -> str:
        return self.name


class Observation(models.Model):
    """One value of an indicator for a place, a period and (for industry data) an industry.

    `geo_code` is the code as the source gives it; `area` is the portal's Area for it, or empty for
    the national comparators (England, the UK, Great Britain) that no Area kind holds."""

    # No index of its own: the natural key's unique index starts with the indicator. The foreign
    # keys stay in the database, so nothing can orphan a row; the importer checks them once per
    # referenced row instead of once per observation (ADR 21, ADR 24).
    indicator = models.ForeignKey(Indicator, on_delete=models.CASCADE, related_name="observations", db_index=False)
    area = models.ForeignKey(Area, null=True, blank=True, on_delete=models.PROTECT, related_name="observations")
    geo_code = models.CharField(max_length=12)
    period = models.CharField(max_length=24, help_text="The period as a label: 2021, or 2021-04 for a financial year.")
    year = models.PositiveSmallIntegerField()
    industry_code = models.CharField(max_length=32, blank=True, default="")
    value = models.FloatField()

    class Meta:
        ordering = ["indicator", "geo_code", "year", "industry_code"]
        constraints = [
            models.UniqueConstraint(
                fields=["indicator", "geo_code", "period", "industry_code"], name="observation_natural_key"
            ),
            models.CheckConstraint(condition=~Q(geo_code=""), name="observation_has_geo_code"),
        ]
        indexes = [models.Index(fields=["indicator", "year", "geo_code"], name="observation_by_year")]

    def __str__(self) -> str:
        industry = f" {self.industry_code}" if self.industry_code else ""
        return f"{self.indicator.code} {self.geo_code} {self.period}{industry}: {self.value}"


class ImportJob(Claimed):
    """An import of one CSV file. The row is the job's truth: a worker claims it with a
    conditional update, counts the attempt, reports progress and records the outcome."""

    class Status(models.TextChoices):
        PENDING = "pending", "Waiting for you to check the preview"
        QUEUED = "queued", "Queued"
        RUNNING = "running", "Running"
        DONE = "done", "Done"
        FAILED = "failed", "Failed"

    class Layout(models.TextChoices):
        BRES = "bres", "Nomis BRES employment (DATE, GEOGRAPHY_CODE, INDUSTRY_CODE, COUNT)"
        GVA = "gva", "ONS regional GVA by industry (one column per year)"
        ONS_LOCAL = "ons_local", "ONS local statistics (areacd, indicator, period, observation)"
        IOD = "iod", "Indices of Deprivation 2019 district summaries"
        NESTA_SIC4 = "nesta_sic4", "Nesta BRES employment by SIC 2007 class (year, geo_cd, SIC4, value)"

    MAX_ATTEMPTS: ClassVar[int] = 3

    strategy = models.ForeignKey(
        Strategy, null=True, blank=True, on_delete=models.SET_NULL, related_name="evidence_import_jobs"
    )
    layout = models.CharField(max_length=16, choices=Layout.choices)
    file = models.FileField(upload_to="evidence/imports/%Y/%m/", max_length=300)
    file_name = models.CharField(max_length=200)
    skip_unknown_areas = models.BooleanField(
        default=False, help_text="Skip (and count) rows for places the portal does not hold, instead of refusing them."
    )
    status = models.CharField(max_length=8, choices=Status.choices, default=Status.PENDING, db_index=True)
    rows_total = models.PositiveIntegerField(default=0)
    rows_done = models.PositiveIntegerField(default=0)
    errors = models.JSONField(default=list, blank=True, help_text="Rejected rows: [{row, message}].")
    last_error = models.TextField(blank=True)
    result = models.JSONField(default=dict, blank=True, help_text="Counts: created, updated, unchanged, skipped.")
    preview = models.JSONField(default=dict, blank=True, help_text="The header and first rows, for the preview.")
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    created_at = models.DateTimeField(auto_now_add=True)
    queued_at = models.DateTimeField(null=True, blank=True)
    finished_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        ordering = ["-created_at", "-pk"]

    def __str__(self) -> str:
        return f"Import of {self.file_name} ({self.get_status_display()})"

    def get_absolute_url(self) -> str:
        if self.strategy is None:  # a job whose strategy was deleted has no page
            return ""
        return reverse("evidence:import-detail", kwargs={"strategy_slug": self.strategy.slug, "pk": self.pk})

    @property
    def percent(self) -> int:
        if self.status == self.Status.DONE:
            return 100
        return int(100 * self.rows_done / self.rows_total) if self.rows_total else 0

    @property
    def is_active(self) -> bool:
        return self.status in (self.Status.QUEUED, self.Status.RUNNING)


class EvidenceNarrative(models.Model):
    """What the evidence says for one foundation of productivity: strengths, challenges, opportunities."""

    strategy = models.ForeignKey(Strategy, on_delete=models.CASCADE, related_name="evidence_narratives")
    theme = models.ForeignKey(Theme, on_delete=models.PROTECT, related_name="evidence_narratives")
    strengths = models.TextField(blank=True)
    challenges = models.TextField(blank=True)
    opportunities = models.TextField(blank=True)
    updated_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        ordering = ["theme__order"]
        constraints = [models.UniqueConstraint(fields=["strategy", "theme"], name="evidence_narrative_unique")]

    def __str__(self) -> str:
        return f"{self.theme} – {self.strategy}"


class EvidenceContributor(models.Model):
    """A partner an officer has invited to add evidence items to the strategy's library."""

    strategy = models.ForeignKey(Strategy, on_delete=models.CASCADE, related_name="evidence_contributors")
    user = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="+")
    invited_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["created_at"]
        constraints = [models.UniqueConstraint(fields=["strategy", "user"], name="evidence_contributor_unique")]

    def __str__(self) -> str:
        return f"{self.user} may add evidence to {self.strategy}"
