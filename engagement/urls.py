from django.urls import path

from .views import (
    calls,
    consultations,
    consulted,
    events,
    home,
    priorities,
    propositions,
    public,
    register,
    responses,
    synthesis,
    updates,
)
from .views import publish as you_said

app_name = "engagement"

urlpatterns = [
    # People taking part: the landing page.
    path("", home.index, name="index"),
    # Calls for priorities: councillors read the calls addressed to them; officers run them.
    path("calls/", calls.call_list, name="call-list"),
    path("calls/new/", calls.call_create, name="call-create"),
    path("calls/<int:pk>/", calls.call_detail, name="call-detail"),
    path("calls/<int:pk>/edit/", calls.call_edit, name="call-edit"),
    path("calls/<int:pk>/priorities/", calls.call_priorities, name="call-priorities"),
    path("calls/<int:pk>/priorities.csv", calls.call_export, name="call-export"),
    # A council's priorities: its councillors write them.
    path("calls/<int:pk>/priorities/new/", priorities.priority_create, name="priority-create"),
    path("priorities/", priorities.priority_list, name="priority-list"),
    path("priorities/<int:pk>/", priorities.priority_detail, name="priority-detail"),
    path("priorities/<int:pk>/edit/", priorities.priority_edit, name="priority-edit"),
    path("priorities/<int:pk>/submit/", priorities.priority_submit, name="priority-submit"),
    path("priorities/<int:pk>/withdraw/", priorities.priority_withdraw, name="priority-withdraw"),
    # The officer's side: coding, response, moderation.
    path("priorities/<int:pk>/code/", priorities.priority_code, name="priority-code"),
    path("priorities/<int:pk>/respond/", priorities.priority_respond, name="priority-respond"),
    path("priorities/<int:pk>/hide/", priorities.priority_hide, name="priority-hide"),
    path("priorities/<int:pk>/unhide/", priorities.priority_unhide, name="priority-unhide"),
    # Consultations: officers create them and their questions; councillors and partners respond.
    path("consultations/", consultations.consultation_list, name="consultation-list"),
    path("consultations/new/", consultations.consultation_create, name="consultation-create"),
    path("consultations/<int:pk>/", consultations.consultation_detail, name="consultation-detail"),
    path("consultations/<int:pk>/edit/", consultations.consultation_edit, name="consultation-edit"),
    path("consultations/<int:pk>/questions/new/", consultations.question_create, name="question-create"),
    path("questions/<int:pk>/delete/", consultations.question_delete, name="question-delete"),
    path("questions/<int:pk>/move/", consultations.question_move, name="question-move"),
    path("consultations/<int:pk>/responses/", consultations.consultation_responses, name="consultation-responses"),
    path("consultations/<int:pk>/responses.csv", consultations.consultation_export, name="consultation-export"),
    path("consultations/<int:pk>/respond/", responses.response_start, name="response-start"),
    # What a consultation consults on: officers choose its propositions and upload PDFs; whoever
    # reads the consultation downloads them (the draft version: documents:consulted-draft).
    path("consultations/<int:pk>/propositions/", consulted.consultation_propositions, name="consultation-propositions"),
    path(
        "consultations/<int:pk>/documents/new/", consulted.consultation_document_add, name="consultation-document-add"
    ),
    path("consultation-documents/<int:pk>/", consulted.consultation_document, name="consultation-document"),
    path(
        "consultation-documents/<int:pk>/remove/",
        consulted.consultation_document_remove,
        name="consultation-document-remove",
    ),
    # An organisation's responses: its people write them; officers code, respond to and hide them.
    path("responses/", responses.response_list, name="response-list"),
    path("responses/<int:pk>/", responses.response_detail, name="response-detail"),
    path("responses/<int:pk>/edit/", responses.response_edit, name="response-edit"),
    path("responses/<int:pk>/code/", responses.response_code, name="response-code"),
    path("responses/<int:pk>/respond/", responses.response_reply, name="response-reply"),
    path("responses/<int:pk>/hide/", responses.response_hide, name="response-hide"),
    path("responses/<int:pk>/unhide/", responses.response_unhide, name="response-unhide"),
    # Propositions: officers merge similar priorities into them.
    path("propositions/", propositions.proposition_list, name="proposition-list"),
    path("propositions/new/", propositions.proposition_create, name="proposition-create"),
    path("propositions/<int:pk>/", propositions.proposition_detail, name="proposition-detail"),
    path("propositions/<int:pk>/edit/", propositions.proposition_edit, name="proposition-edit"),
    path("propositions/<int:pk>/status/", propositions.proposition_status, name="proposition-status"),
    # Public responses (no account) and offline input entered by officers (docs/adr/0041).
    path("consultations/<int:pk>/respond/public/", public.public_response_create, name="public-response-create"),
    path("consultations/<int:pk>/respond/public/sent/", public.public_response_sent, name="public-response-sent"),
    path("public-responses/confirm/<str:token>/", public.public_response_confirm, name="public-response-confirm"),
    path("consultations/<int:pk>/responses/offline/", public.offline_response_create, name="offline-response-create"),
    path("calls/<int:pk>/priorities/offline/", public.offline_priority_create, name="offline-priority-create"),
    # Events and workshops: everyone taking part reads them; officers run them and attach feedback.
    # The stakeholder register, engagement log and plan: officers and administrators only.
    path("events/", events.event_list, name="event-list"),
    path("events/new/", events.event_create, name="event-create"),
    path("events/<int:pk>/", events.event_detail, name="event-detail"),
    path("events/<int:pk>/edit/", events.event_edit, name="event-edit"),
    path("events/<int:pk>/cancel/", events.event_cancel, name="event-cancel"),
    path("events/<int:pk>/feedback/", events.event_feedback, name="event-feedback"),
    path("register/", register.contact_list, name="contact-list"),
    path("register/contacts/new/", register.contact_create, name="contact-create"),
    path("register/contacts/<int:pk>/", register.contact_detail, name="contact-detail"),
    path("register/contacts/<int:pk>/edit/", register.contact_edit, name="contact-edit"),
    path("register/contacts/<int:pk>/remove/", register.contact_remove, name="contact-remove"),
    path("register/organisations/<int:pk>/", register.organisation_register, name="organisation-register"),
    path("log/", register.entry_list, name="entry-list"),
    path("log/new/", register.entry_create, name="entry-create"),
    path("plan/", register.plan, name="plan"),
    path("plan/new/", register.activity_create, name="activity-create"),
    path("plan/<int:pk>/edit/", register.activity_edit, name="activity-edit"),
    # Updates: anyone subscribes (double opt-in) and unsubscribes with one click; officers write and
    # send updates to the confirmed subscribers; sent updates are listed publicly.
    path("updates/", updates.update_archive, name="update-archive"),
    path("updates/<int:pk>/", updates.update_public, name="update-public"),
    path("updates/subscribe/", updates.subscription_create, name="subscription-create"),
    # Follow a board: an email when its papers or minutes are published (the same subscriptions).
    path("updates/subscribe/boards/<int:board_pk>/", updates.subscription_create, name="board-subscribe"),
    path("updates/confirm/<str:token>/", updates.subscription_confirm, name="subscription-confirm"),
    path("updates/unsubscribe/<str:token>/", updates.subscription_unsubscribe, name="subscription-unsubscribe"),
    path("updates/manage/", updates.update_list, name="update-list"),
    path("updates/manage/new/", updates.update_create, name="update-create"),
    path("updates/manage/<int:pk>/", updates.update_detail, name="update-detail"),
    path("updates/manage/<int:pk>/edit/", updates.update_edit, name="update-edit"),
    path("updates/manage/<int:pk>/send/", updates.update_send, name="update-send"),
    # Synthesis: a call's and a consultation's figures charted for officers, and the XLSX exports.
    path("calls/<int:pk>/synthesis/", synthesis.call_synthesis_page, name="call-synthesis"),
    path("calls/<int:pk>/priorities.xlsx", synthesis.call_export_xlsx, name="call-export-xlsx"),
    path("consultations/<int:pk>/synthesis/", synthesis.consultation_synthesis_page, name="consultation-synthesis"),
    path("consultations/<int:pk>/responses.xlsx", synthesis.consultation_export_xlsx, name="consultation-export-xlsx"),
    # You said, we did: once closed, what people said and what the LEP replied, for everyone.
    path("consultations/<int:pk>/you-said/", you_said.consultation_published, name="consultation-published"),
    path("calls/<int:pk>/you-said/", you_said.call_published, name="call-published"),
]
