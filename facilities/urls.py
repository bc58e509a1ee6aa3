from django.urls import include, path

from facilities.views import (
    accreditations,
    facilities,
    home,
    licenses,
    members,
    preferences,
    settings,
)

app_name = "facilities"

# Everything under /o/<org>/: the organization comes from the URL, and the access helpers
# scope every lookup to it.
organization_patterns = [
    path("", home.organization_home, name="organization"),
    path("facilities/", facilities.FacilityListView.as_view(), name="facility-list"),
    path("facilities/new/", facilities.FacilityCreateView.as_view(), name="facility-create"),
    path("facilities/<int:pk>/", facilities.FacilityDetailView.as_view(), name="facility-detail"),
    path(
        "facilities/<int:pk>/history/",
        facilities.FacilityHistoryView.as_view(),
        name="facility-history",
    ),
    path("facilities/<int:pk>/edit/", facilities.FacilityEditView.as_view(), name="facility-edit"),
    path("facilities/<int:pk>/close/", facilities.facility_close, name="facility-close"),
    path("facilities/<int:pk>/reopen/", facilities.facility_reopen, name="facility-reopen"),
    path(
        "facilities/<int:pk>/licences/new/",
        licenses.LicenseCreateView.as_view(),
        name="license-create",
    ),
    path("licences/<int:pk>/edit/", licenses.LicenseEditView.as_view(), name="license-edit"),
    path("licences/<int:pk>/renew/", licenses.LicenseRenewView.as_view(), name="license-renew"),
    path(
        "facilities/<int:pk>/accreditations/new/",
        accreditations.AccreditationCreateView.as_view(),
        name="accreditation-create",
    ),
    path(
        "accreditations/<int:pk>/edit/",
        accreditations.AccreditationEditView.as_view(),
        name="accreditation-edit",
    ),
    path("members/", members.MemberListView.as_view(), name="member-list"),
    path("members/add/", members.MemberAddView.as_view(), name="member-add"),
    path("members/<int:pk>/role/", members.MemberRoleView.as_view(), name="member-role"),
    path("members/<int:pk>/deactivate/", members.member_deactivate, name="member-deactivate"),
    path("members/<int:pk>/history/", members.MemberHistoryView.as_view(), name="member-history"),
    path(
        "settings/",
        settings.OrganizationSettingsView.as_view(),
        name="organization-settings",
    ),
    path("preferences/", preferences.PreferencesView.as_view(), name="preferences"),
]

urlpatterns = [
    path("", home.home, name="home"),
    path("o/<slug:org>/", include(organization_patterns)),
]
