from django.contrib import admin
from django.urls import include, path

from core import views as core_views

from . import personal_data_views, views

urlpatterns = [
    path("", views.home, name="home"),
    path("healthz", views.healthz, name="healthz"),
    path("robots.txt", views.robots_txt, name="robots-txt"),
    path("accessibility/", views.page("pages/accessibility.html"), name="accessibility"),
    path("privacy/", views.page("pages/privacy.html"), name="privacy"),
    path("cookies/", views.page("pages/cookies.html"), name="cookies"),
    # A person's own data, and an administrator's erasure of a person (lis_portal/personal_data.py).
    path("accounts/your-data/", personal_data_views.your_data, name="your-data"),
    path("accounts/your-data.json", personal_data_views.your_data_json, name="your-data-json"),
    path("accounts/your-data.csv", personal_data_views.your_data_csv, name="your-data-csv"),
    path("accounts/people/<int:pk>/erase/", personal_data_views.person_erase, name="person-erase"),
    path("accounts/", include("core.urls")),
    path("admin/", admin.site.urls),
    path("calendar/", include("timeline.calendar_urls")),
    path("api/", include("evidence.api_urls")),
    path("<slug:strategy_slug>/", views.strategy_overview, name="strategy-overview"),
    path("<slug:strategy_slug>/audit/", core_views.audit_log, name="audit-log"),
    path("<slug:strategy_slug>/emails/failed/", core_views.failed_emails, name="failed-emails"),
    path("<slug:strategy_slug>/your-work/", views.your_work, name="your-work"),
    path("<slug:strategy_slug>/timeline/", include("timeline.urls")),
    path("<slug:strategy_slug>/evidence/", include("evidence.urls")),
    path("<slug:strategy_slug>/engagement/", include("engagement.urls")),
    path("<slug:strategy_slug>/documents/", include("documents.urls")),
]

handler400 = "lis_portal.errors.bad_request"
handler403 = "lis_portal.errors.permission_denied"
handler404 = "lis_portal.errors.page_not_found"
handler500 = "lis_portal.errors.server_error"
