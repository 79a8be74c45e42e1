"""Decisions outside meetings (written procedures, delegated decisions) and the forward plan.

Every decision so far was taken at a meeting: each existing row becomes kind "meeting", of its
meeting's board, dated the meeting's day (in the portal's time zone); then board and date are
required."""

from typing import Any

import django.db.models.deletion
from django.conf import settings
from django.db import migrations, models
from django.utils import timezone


def _from_meetings(apps: Any, schema_editor: Any) -> None:
    Decision = apps.get_model("timeline", "Decision")
    for decision in Decision.objects.select_related("meeting").iterator():
        decision.board_id = decision.meeting.board_id
        decision.decided_on = timezone.localtime(decision.meeting.starts_at).date()
        decision.save(update_fields=["board", "decided_on"])


class Migration(migrations.Migration):
    dependencies = [
        ("timeline", "0004_board_membership_organisation"),
        migrations.swappable_dependency(settings.AUTH_USER_MODEL),
    ]

    operations = [
        migrations.CreateModel(
            name="ForwardPlanEntry",
            fields=[
                ("id", models.BigAutoField(auto_created=True, primary_key=True, serialize=False, verbose_name="ID")),
                ("title", models.CharField(max_length=300, verbose_name="decision to be taken")),
                ("expected_on", models.DateField(verbose_name="expected date")),
                (
                    "decision_maker",
                    models.CharField(
                        choices=[("board", "The board"), ("officer", "An officer, under a delegation of the board")],
                        default="board",
                        max_length=8,
                        verbose_name="who decides",
                    ),
                ),
                (
                    "officer",
                    models.CharField(
                        blank=True,
                        help_text="When an officer decides, their name and post.",
                        max_length=200,
                        verbose_name="officer",
                    ),
                ),
                ("papers", models.TextField(blank=True, verbose_name="papers expected")),
                (
                    "status",
                    models.CharField(
                        choices=[("planned", "Planned"), ("taken", "Taken"), ("withdrawn", "Withdrawn")],
                        default="planned",
                        max_length=10,
                    ),
                ),
                (
                    "version",
                    models.PositiveIntegerField(default=1, help_text="Counts saves, so a stale edit is refused."),
                ),
                ("updated_at", models.DateTimeField(auto_now=True)),
            ],
            options={
                "verbose_name_plural": "forward plan entries",
                "ordering": ["expected_on", "pk"],
            },
        ),
        migrations.CreateModel(
            name="WrittenProcedure",
            fields=[
                ("id", models.BigAutoField(auto_created=True, primary_key=True, serialize=False, verbose_name="ID")),
                (
                    "question",
                    models.TextField(help_text="The resolution put to the board's members.", verbose_name="resolution"),
                ),
                (
                    "closes_on",
                    models.DateField(help_text="The last day members may respond.", verbose_name="closing date"),
                ),
                (
                    "status",
                    models.CharField(
                        choices=[("open", "Open for responses"), ("closed", "Closed")], default="open", max_length=8
                    ),
                ),
                ("created_at", models.DateTimeField(auto_now_add=True)),
            ],
            options={
                "ordering": ["-closes_on", "-pk"],
            },
        ),
        migrations.CreateModel(
            name="WrittenProcedureResponse",
            fields=[
                ("id", models.BigAutoField(auto_created=True, primary_key=True, serialize=False, verbose_name="ID")),
                (
                    "answer",
                    models.CharField(
                        choices=[("agree", "Agree"), ("disagree", "Disagree"), ("abstain", "Abstain")], max_length=10
                    ),
                ),
                ("comment", models.TextField(blank=True)),
                ("recorded_at", models.DateTimeField(auto_now=True)),
            ],
            options={
                "ordering": ["procedure", "member__name"],
            },
        ),
        migrations.AlterModelOptions(
            name="decision",
            options={"ordering": ["-decided_on", "-pk"]},
        ),
        migrations.AddField(
            model_name="board",
            name="phases_closed_outside_meetings",
            field=models.BooleanField(
                default=False,
                help_text="When ticked, a written procedure of this board that approves may close the phase it closes.",
                verbose_name="The board’s rules allow a written procedure to close a phase",
            ),
        ),
        migrations.AddField(
            model_name="decision",
            name="board",
            field=models.ForeignKey(
                help_text="The board that decided, or whose decision was delegated.",
                null=True,
                on_delete=django.db.models.deletion.CASCADE,
                related_name="decisions",
                to="timeline.board",
            ),
        ),
        migrations.AddField(
            model_name="decision",
            name="decided_on",
            field=models.DateField(
                help_text="The meeting's day, the day a written procedure closed, or the officer's decision.",
                null=True,
                verbose_name="decision date",
            ),
        ),
        migrations.AddField(
            model_name="decision",
            name="delegate_name",
            field=models.CharField(
                blank=True,
                help_text="For a delegated decision, the officer's name.",
                max_length=150,
                verbose_name="decided by",
            ),
        ),
        migrations.AddField(
            model_name="decision",
            name="delegate_post",
            field=models.CharField(
                blank=True,
                help_text="For a delegated decision, the officer's post.",
                max_length=150,
                verbose_name="post",
            ),
        ),
        migrations.AddField(
            model_name="decision",
            name="delegated_by",
            field=models.ForeignKey(
                blank=True,
                help_text="The board's decision that delegated this one, if recorded here.",
                null=True,
                on_delete=django.db.models.deletion.SET_NULL,
                related_name="delegated_decisions",
                to="timeline.decision",
            ),
        ),
        migrations.AddField(
            model_name="decision",
            name="delegation",
            field=models.TextField(
                blank=True, help_text="For a delegated decision, the delegation it rests on: which board, when, what."
            ),
        ),
        migrations.AddField(
            model_name="decision",
            name="kind",
            field=models.CharField(
                choices=[
                    ("meeting", "At a meeting"),
                    ("written", "By written procedure"),
                    ("delegated", "Delegated to an officer"),
                ],
                default="meeting",
                max_length=12,
            ),
        ),
        migrations.AddField(
            model_name="decision",
            name="published_on",
            field=models.DateField(
                blank=True,
                help_text="When published, the day it becomes public; none: public at once.",
                null=True,
                verbose_name="publication date",
            ),
        ),
        migrations.RunPython(_from_meetings, migrations.RunPython.noop),
        migrations.AlterField(
            model_name="decision",
            name="board",
            field=models.ForeignKey(
                help_text="The board that decided, or whose decision was delegated.",
                on_delete=django.db.models.deletion.CASCADE,
                related_name="decisions",
                to="timeline.board",
            ),
        ),
        migrations.AlterField(
            model_name="decision",
            name="decided_on",
            field=models.DateField(
                help_text="The meeting's day, the day a written procedure closed, or the officer's decision.",
                verbose_name="decision date",
            ),
        ),
        migrations.AlterField(
            model_name="decision",
            name="meeting",
            field=models.ForeignKey(
                blank=True,
                null=True,
                on_delete=django.db.models.deletion.CASCADE,
                related_name="decisions",
                to="timeline.meeting",
            ),
        ),
        migrations.AddIndex(
            model_name="decision",
            index=models.Index(fields=["board", "decided_on"], name="decision_board_day"),
        ),
        migrations.AddConstraint(
            model_name="decision",
            constraint=models.CheckConstraint(
                condition=models.Q(
                    models.Q(("kind", "meeting"), ("meeting__isnull", False)),
                    models.Q(models.Q(("kind", "meeting"), _negated=True), ("meeting__isnull", True)),
                    _connector="OR",
                ),
                name="decision_meeting_only_at_meetings",
            ),
        ),
        migrations.AddConstraint(
            model_name="decision",
            constraint=models.CheckConstraint(
                condition=models.Q(
                    models.Q(("kind", "delegated"), _negated=True),
                    models.Q(
                        models.Q(("delegate_name", ""), _negated=True),
                        models.Q(("delegation", ""), _negated=True),
                        ("closes_phase__isnull", True),
                    ),
                    _connector="OR",
                ),
                name="decision_delegated_names_officer",
            ),
        ),
        migrations.AddField(
            model_name="forwardplanentry",
            name="board",
            field=models.ForeignKey(
                on_delete=django.db.models.deletion.CASCADE, related_name="forward_plan_entries", to="timeline.board"
            ),
        ),
        migrations.AddField(
            model_name="forwardplanentry",
            name="decision",
            field=models.ForeignKey(
                blank=True,
                null=True,
                on_delete=django.db.models.deletion.PROTECT,
                related_name="forward_plan_entries",
                to="timeline.decision",
            ),
        ),
        migrations.AddField(
            model_name="writtenprocedure",
            name="board",
            field=models.ForeignKey(
                on_delete=django.db.models.deletion.CASCADE, related_name="written_procedures", to="timeline.board"
            ),
        ),
        migrations.AddField(
            model_name="writtenprocedure",
            name="decision",
            field=models.OneToOneField(
                blank=True,
                null=True,
                on_delete=django.db.models.deletion.SET_NULL,
                related_name="written_procedure",
                to="timeline.decision",
            ),
        ),
        migrations.AddField(
            model_name="writtenprocedure",
            name="opened_by",
            field=models.ForeignKey(
                null=True, on_delete=django.db.models.deletion.SET_NULL, related_name="+", to=settings.AUTH_USER_MODEL
            ),
        ),
        migrations.AddField(
            model_name="writtenprocedureresponse",
            name="member",
            field=models.ForeignKey(
                on_delete=django.db.models.deletion.CASCADE, related_name="+", to=settings.AUTH_USER_MODEL
            ),
        ),
        migrations.AddField(
            model_name="writtenprocedureresponse",
            name="procedure",
            field=models.ForeignKey(
                on_delete=django.db.models.deletion.CASCADE, related_name="responses", to="timeline.writtenprocedure"
            ),
        ),
        migrations.AddField(
            model_name="writtenprocedureresponse",
            name="recorded_by",
            field=models.ForeignKey(
                null=True, on_delete=django.db.models.deletion.SET_NULL, related_name="+", to=settings.AUTH_USER_MODEL
            ),
        ),
        migrations.AddConstraint(
            model_name="forwardplanentry",
            constraint=models.CheckConstraint(
                condition=models.Q(
                    models.Q(("status", "taken"), _negated=True), ("decision__isnull", False), _connector="OR"
                ),
                name="forward_plan_taken_has_decision",
            ),
        ),
        migrations.AddConstraint(
            model_name="forwardplanentry",
            constraint=models.CheckConstraint(
                condition=models.Q(
                    models.Q(("decision_maker", "officer"), _negated=True),
                    models.Q(("officer", ""), _negated=True),
                    _connector="OR",
                ),
                name="forward_plan_officer_named",
            ),
        ),
        migrations.AddConstraint(
            model_name="writtenprocedure",
            constraint=models.CheckConstraint(
                condition=models.Q(("status", "closed"), ("decision__isnull", True), _connector="OR"),
                name="written_procedure_open_undecided",
            ),
        ),
        migrations.AddConstraint(
            model_name="writtenprocedureresponse",
            constraint=models.UniqueConstraint(
                fields=("procedure", "member"), name="written_procedure_response_unique"
            ),
        ),
    ]
