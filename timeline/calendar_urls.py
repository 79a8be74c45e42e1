"""A person's calendar: the page with their secret address, and the feed behind it
(mounted at /calendar/ by lis_portal/urls.py)."""

from django.urls import path

from .views import public

app_name = "calendars"

urlpatterns = [
    path("", public.calendar_settings, name="calendar-settings"),
    path("<str:token>.ics", public.personal_calendar, name="calendar-feed"),
]
