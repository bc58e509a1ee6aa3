from django.contrib import admin
from django.urls import include, path

from compliance.views.expiries import calendar_feed
from hims.health import health

urlpatterns = [
    path("health/", health, name="health"),
    # The iCalendar feed: outside the login (calendar clients cannot log in); the secret token
    # alone identifies the organization.
    path("calendar/<str:token>.ics", calendar_feed, name="calendar-feed"),
    path("accounts/", include("django.contrib.auth.urls")),
    path("admin/", admin.site.urls),
    path("", include("facilities.urls")),
    path("o/<slug:org>/", include("compliance.urls")),
]
