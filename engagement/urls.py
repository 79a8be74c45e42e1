from django.urls import path

from .views import calls, home, priorities

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
]
