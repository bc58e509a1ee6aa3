from django.contrib import admin
from django.urls import include, path

from hims.health import health

urlpatterns = [
    path("health/", health, name="health"),
    path("accounts/", include("django.contrib.auth.urls")),
    path("admin/", admin.site.urls),
    path("", include("facilities.urls")),
    path("o/<slug:org>/", include("compliance.urls")),
]
