from django.urls import path

from .views import dashboard, decisions, forward_plan, interests, meetings, milestones, minutes, public

app_name = "timeline"

urlpatterns = [
    # Everybody: the published timeline, its Gantt and its calendar feed.
    path("", public.timeline, name="index"),
    path("gantt/", public.gantt, name="gantt"),
    path("calendar.ics", public.strategy_calendar, name="calendar"),
    # People taking part and board members: the process; officers change it.
    path("dashboard/", dashboard.dashboard, name="dashboard"),
    path("milestones/", milestones.milestone_list, name="milestone-list"),
    path("milestones/new/", milestones.milestone_create, name="milestone-create"),
    path("milestones/<int:pk>/", milestones.milestone_detail, name="milestone-detail"),
    path("milestones/<int:pk>/edit/", milestones.milestone_edit, name="milestone-edit"),
    path("milestones/<int:pk>/status/", milestones.milestone_status, name="milestone-status"),
    path("milestones/<int:pk>/move/", milestones.milestone_move, name="milestone-move"),
    path("phases/<int:pk>/edit/", milestones.phase_edit, name="phase-edit"),
    # Boards and their meetings: public; a meeting's page (documents') shows its business once its
    # papers are published. Officers change them; decisions: see timeline/views/meetings.py.
    path("boards/", meetings.board_list, name="board-list"),
    path("boards/<int:pk>/", meetings.board_detail, name="board-detail"),
    path("boards/<int:pk>/calendar.ics", public.board_calendar, name="board-calendar"),
    path("meetings/", meetings.meeting_list, name="meeting-list"),
    path("meetings/new/", meetings.meeting_create, name="meeting-create"),
    path("meetings/<int:pk>/", meetings.meeting_detail, name="meeting-detail"),
    path("meetings/<int:pk>/edit/", meetings.meeting_edit, name="meeting-edit"),
    path("meetings/<int:pk>/agenda/new/", meetings.agenda_item_create, name="agenda-item-create"),
    path("meetings/<int:pk>/attendance/", meetings.attendance_edit, name="attendance-edit"),
    path("meetings/<int:pk>/declarations/new/", meetings.declaration_create, name="declaration-create"),
    path("meetings/<int:pk>/decisions/new/", meetings.decision_create, name="decision-create"),
    # A meeting's minutes: public once published; officers write and move them on.
    path("meetings/<int:pk>/minutes/", minutes.minutes_detail, name="minutes-detail"),
    path("meetings/<int:pk>/minutes/v<int:number>/", minutes.minutes_version, name="minutes-version"),
    path("meetings/<int:pk>/minutes/new/", minutes.minutes_create, name="minutes-create"),
    path("meetings/<int:pk>/minutes/edit/", minutes.minutes_edit, name="minutes-edit"),
    path("meetings/<int:pk>/minutes/circulate/", minutes.minutes_circulate, name="minutes-circulate"),
    path("meetings/<int:pk>/minutes/approve/", minutes.minutes_approve, name="minutes-approve"),
    path("meetings/<int:pk>/minutes/publish/", minutes.minutes_publish, name="minutes-publish"),
    path("meetings/<int:pk>/minutes/correct/", minutes.minutes_correct, name="minutes-correct"),
    # Registers of interests: public with the board; the member and officers change them.
    path("interests/", interests.register_list, name="interest-register-list"),
    path("interests/yours/", interests.register_yours, name="interest-register-yours"),
    path("members/<int:pk>/interests/", interests.register_detail, name="interest-register-detail"),
    path("members/<int:pk>/interests/new/", interests.entry_create, name="interest-entry-create"),
    path("members/<int:pk>/interests/review/", interests.register_review, name="interest-register-review"),
    path("interests/entries/<int:pk>/edit/", interests.entry_edit, name="interest-entry-edit"),
    path("interests/entries/<int:pk>/end/", interests.entry_end, name="interest-entry-end"),
    path(
        "meetings/<int:pk>/declarations/from-register/",
        interests.declaration_from_register,
        name="declaration-from-register",
    ),
    path("decisions/", meetings.decision_list, name="decision-list"),
    path("decisions/<int:pk>/", meetings.decision_detail, name="decision-detail"),
    # Decisions outside meetings: written procedures (officers; each board's members for theirs)
    # and delegated decisions (officers).
    path("decisions/delegated/new/", decisions.decision_delegated_create, name="decision-delegated-create"),
    path("written-procedures/", decisions.written_procedure_list, name="written-procedure-list"),
    path("written-procedures/new/", decisions.written_procedure_create, name="written-procedure-create"),
    path("written-procedures/<int:pk>/", decisions.written_procedure_detail, name="written-procedure-detail"),
    path("written-procedures/<int:pk>/respond/", decisions.written_procedure_respond, name="written-procedure-respond"),
    path(
        "written-procedures/<int:pk>/responses/new/",
        decisions.written_procedure_response_create,
        name="written-procedure-response-create",
    ),
    path("written-procedures/<int:pk>/outcome/", decisions.written_procedure_close, name="written-procedure-close"),
    # The forward plan: everybody reads it; officers keep it.
    path("forward-plan/", forward_plan.forward_plan_page, name="forward-plan"),
    path("forward-plan/new/", forward_plan.forward_plan_entry_create, name="forward-plan-entry-create"),
    path("forward-plan/<int:pk>/edit/", forward_plan.forward_plan_entry_edit, name="forward-plan-entry-edit"),
]
