"""The Gantt chart as data: phases and milestones placed on a time axis, ready for a template to
draw as inline SVG (templates/timeline/includes/gantt.html).

`gantt_chart` is a pure function: it reads the phases and their prefetched milestones (no queries
of its own) and a "today", and returns coordinates in the SVG's own units (its viewBox), with
every label already worded. The template only draws, so the same chart serves the pages, print,
and later the WeasyPrint PDF packs (inline SVG and presentation attributes only: no fonts,
no scripts, no external files).
"""

from __future__ import annotations

import textwrap
from collections.abc import Callable, Sequence
from dataclasses import dataclass, field
from datetime import date, timedelta

from .models import Milestone, Phase
from .selectors import phase_current

# Geometry, in SVG user units. The SVG scales to its container's width; these keep the text
# legible at the width of a GOV.UK page (960 px) and on an A4 page in landscape or portrait.
WIDTH = 960
LABEL_WIDTH = 300  # the column of phase and milestone names
CHART_LEFT = LABEL_WIDTH + 16
CHART_RIGHT = WIDTH - 12
HEADER_HEIGHT = 56  # month and year labels, and the "Today" marker
LINE_HEIGHT = 17
ROW_PADDING = 14
LEGEND_HEIGHT = 44

PHASE_LABEL_CHARS = 38  # about what fits in LABEL_WIDTH at 14 px bold Arial
MILESTONE_LABEL_CHARS = 44  # at 13 px regular, after the indent

MONTH_NAMES = ("Jan", "Feb", "Mar", "Apr", "May", "Jun", "Jul", "Aug", "Sep", "Oct", "Nov", "Dec")


@dataclass(frozen=True)
class Span:
    """A bar: from `start` to `end` inclusive, at `x` and `width` on the chart."""

    start: date
    end: date
    x: float
    width: float


@dataclass(frozen=True)
class MonthTick:
    x: float  # where the month starts: a grid line
    label_x: float
    label: str  # "Oct"
    year: str  # "2026" on the first tick and each January, else ""
    anchor: str  # "middle" when each month is labelled, else "start"


@dataclass(frozen=True)
class Row:
    kind: str  # "phase" or "milestone"
    name: str
    lines: tuple[str, ...]  # the name wrapped to fit the label column
    y: float  # top of the row
    height: float
    status: str  # in words: "Complete", "Current", "Not started"; a milestone's status
    band: bool  # shaded, so that a phase and its milestones read as one group
    phase: Phase
    milestone: Milestone | None = None
    # A phase row: its bars.
    planned: Span | None = None
    actual: Span | None = None
    ongoing: bool = False
    # A milestone row: its diamond.
    due: date | None = None
    done: bool = False
    overdue: bool = False
    mark_x: float | None = None

    @property
    def middle(self) -> float:
        return self.y + self.height / 2

    @property
    def labels(self) -> list[tuple[float, str]]:
        """Each label line with its baseline, the lines centred in the row."""
        first = self.middle - (len(self.lines) - 1) * LINE_HEIGHT / 2 + 5
        return [(round(first + i * LINE_HEIGHT, 1), line) for i, line in enumerate(self.lines)]

    @property
    def planned_y(self) -> float:
        return self.middle - 11  # the outlined bar is 22 high

    @property
    def actual_y(self) -> float:
        return self.middle - 6  # the filled bar is 12 high, inside it

    @property
    def diamond(self) -> str:
        """The diamond's points, for <polygon points="…">."""
        if self.mark_x is None:
            return ""
        return diamond_points(self.mark_x, self.middle)


def diamond_points(x: float, y: float, r: float = 8) -> str:
    return f"{x:.1f},{y - r:.1f} {x + r:.1f},{y:.1f} {x:.1f},{y + r:.1f} {x - r:.1f},{y:.1f}"


@dataclass(frozen=True)
class GanttChart:
    chart_id: str  # prefix of the SVG's element ids, unique on the page
    title: str
    summary: str  # what the chart shows, in a sentence or two: the SVG's <desc>
    start: date
    end: date
    today: date
    today_x: float | None  # None when today is outside the chart
    width: int
    height: float
    rows_top: float
    rows_bottom: float
    legend_y: float
    chart_left: int = CHART_LEFT
    chart_right: int = CHART_RIGHT
    label_width: int = LABEL_WIDTH
    months: list[MonthTick] = field(default_factory=list)
    rows: list[Row] = field(default_factory=list)
    key_milestones_only: bool = False

    @property
    def phase_rows(self) -> list[Row]:
        return [row for row in self.rows if row.kind == "phase"]

    @property
    def today_top(self) -> float:
        return self.rows_top - 6

    @property
    def today_label_y(self) -> float:
        return self.rows_top - 9

    @property
    def legend(self) -> dict[str, float | str]:
        """Where the legend's keys go (the texts follow each key)."""
        y = self.legend_y
        return {
            "planned_y": y - 11,
            "actual_y": y - 9,
            "done": diamond_points(236, y - 4, 7),
            "open": diamond_points(396, y - 4, 7),
            "today_top": y - 13,
            "today_bottom": y + 5,
        }


def _month_start(day: date) -> date:
    return day.replace(day=1)


def _next_month(day: date) -> date:
    return date(day.year + day.month // 12, day.month % 12 + 1, 1)


def _wrap(text: str, width: int) -> tuple[str, ...]:
    """The whole label, wrapped at spaces over as many lines as it needs (the row grows to fit):
    never cut short, on the web or in a pack."""
    return tuple(textwrap.wrap(text, width=width)) or ("",)


def _long_date(day: date) -> str:
    return f"{day.day} {day:%B %Y}"


def phase_status(phase: Phase, current: Phase | None) -> str:
    if phase.actual_end:
        return "Complete"
    if current is not None and phase.pk == current.pk:
        return "Current"
    return "Not started"


def _period(phases: Sequence[Phase], milestones_of: dict[int, list[Milestone]], today: date) -> tuple[date, date]:
    """Whole months around every planned and actual date, every due date, and today while a phase runs."""
    days: list[date] = []
    for phase in phases:
        days += [phase.planned_start, phase.planned_end]
        days += [d for d in (phase.actual_start, phase.actual_end) if d]
        days += [m.due_date for m in milestones_of[phase.pk] if m.due_date]
        if phase.actual_start and not phase.actual_end:
            days.append(max(today, phase.actual_start))
    return _month_start(min(days)), _next_month(max(days)) - timedelta(days=1)


def _month_ticks(start: date, end: date, x_of: Callable[[date], float]) -> list[MonthTick]:
    """Month ticks: every month while they fit, else every second, third… month."""
    month_count = (end.year - start.year) * 12 + end.month - start.month + 1
    step = next(s for s in (1, 2, 3, 6, 12, 24) if month_count / s <= 18)
    months: list[MonthTick] = []
    month = start
    index = 0
    while month <= end:
        following = _next_month(month)
        if index % step == 0:
            first = not months
            months.append(
                MonthTick(
                    x=x_of(month),
                    label_x=round((x_of(month) + x_of(following)) / 2, 1) if step == 1 else x_of(month) + 3,
                    label=MONTH_NAMES[month.month - 1],
                    year=str(month.year) if first or month.month == 1 else "",
                    anchor="middle" if step == 1 else "start",
                )
            )
        month, index = following, index + 1
    return months


def gantt_chart(
    *,
    phases: Sequence[Phase],
    today: date,
    key_milestones_only: bool = False,
    chart_id: str = "gantt",
    title: str = "Gantt chart of the phases and milestones",
    label_width: int = LABEL_WIDTH,
) -> GanttChart | None:
    """The chart of `phases` (each with its milestones prefetched, in order), as seen on `today`.

    Every phase gets a row with its planned dates as an outlined bar and its actual dates as a
    filled one (running to today while it is under way); beneath it, a row per milestone
    (only the key ones if `key_milestones_only`) with a diamond on its due date. The time axis
    runs from the first of the month of the earliest date to the end of the month of the latest.
    None when there are no phases. A wider `label_width` (a pack's landscape page) gives the names
    more room, so a long one wraps over fewer lines; the months get the rest of the width."""
    phases = list(phases)
    chart_left = label_width + CHART_LEFT - LABEL_WIDTH
    phase_chars = PHASE_LABEL_CHARS * label_width // LABEL_WIDTH
    milestone_chars = MILESTONE_LABEL_CHARS * label_width // LABEL_WIDTH
    if not phases:
        return None
    current = phase_current(phases=phases)
    milestones_of = {
        phase.pk: [m for m in phase.milestones.all() if m.is_key or not key_milestones_only] for phase in phases
    }

    start, end = _period(phases, milestones_of, today)
    total_days = (end - start).days + 1
    scale = (CHART_RIGHT - chart_left) / total_days

    def x_of(day: date) -> float:
        return round(chart_left + (day - start).days * scale, 1)

    def span(first: date, last: date) -> Span:
        x = x_of(first)
        return Span(first, last, x, max(round(x_of(last + timedelta(days=1)) - x, 1), 2.0))

    def middle_of(day: date) -> float:
        return round(x_of(day) + scale / 2, 1)

    months = _month_ticks(start, end, x_of)

    rows: list[Row] = []
    y = float(HEADER_HEIGHT)
    for number, phase in enumerate(phases, start=1):
        band = number % 2 == 1
        status = phase_status(phase, current)
        label = f"{number}. {phase.name}" + (" (current)" if status == "Current" else "")
        lines = _wrap(label, phase_chars)
        height = max(len(lines) * LINE_HEIGHT + ROW_PADDING, 40)
        actual = None
        ongoing = False
        if phase.actual_start:
            ongoing = phase.actual_end is None
            actual_end = phase.actual_end or max(today, phase.actual_start)
            actual = span(phase.actual_start, actual_end)
        rows.append(
            Row(
                kind="phase",
                name=phase.name,
                lines=lines,
                y=y,
                height=height,
                status=status,
                band=band,
                phase=phase,
                planned=span(phase.planned_start, phase.planned_end),
                actual=actual,
                ongoing=ongoing,
            )
        )
        y += height
        for milestone in milestones_of[phase.pk]:
            lines = _wrap(milestone.title, milestone_chars)
            height = len(lines) * LINE_HEIGHT + ROW_PADDING - 2
            done = milestone.status == Milestone.Status.DONE
            rows.append(
                Row(
                    kind="milestone",
                    name=milestone.title,
                    lines=lines,
                    y=y,
                    height=height,
                    status=str(milestone.get_status_display()),
                    band=band,
                    phase=phase,
                    milestone=milestone,
                    due=milestone.due_date,
                    done=done,
                    overdue=milestone.is_overdue(today),
                    mark_x=middle_of(milestone.due_date) if milestone.due_date else None,
                )
            )
            y += height

    today_x = middle_of(today) if start <= today <= end else None
    milestone_rows = [row for row in rows if row.kind == "milestone"]
    kind = "key milestones" if key_milestones_only else "milestones"
    summary = [
        f"{len(phases)} phase{'s' if len(phases) != 1 else ''} from {_long_date(start)} to {_long_date(end)}.",
        f"Current phase: {current.name}." if current else "Every phase is complete.",
    ]
    if milestone_rows:
        done_count = sum(row.done for row in milestone_rows)
        summary.append(f"{len(milestone_rows)} {kind}, {done_count} done.")
    summary.append(f"Today is {_long_date(today)}.")
    summary.append("The table below the chart gives the same dates.")
    return GanttChart(
        chart_id=chart_id,
        title=title,
        summary=" ".join(summary),
        start=start,
        end=end,
        today=today,
        today_x=today_x,
        width=WIDTH,
        height=y + LEGEND_HEIGHT,
        rows_top=float(HEADER_HEIGHT),
        rows_bottom=y,
        legend_y=y + 26,
        months=months,
        rows=rows,
        key_milestones_only=key_milestones_only,
        chart_left=chart_left,
        label_width=label_width,
    )
