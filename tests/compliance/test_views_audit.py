"""Audit pages: the history of a licence, an accreditation and an attestation, and the
organization's audit log with its filters, pages and CSV export (issue 6, item 4)."""

import csv
import datetime
import html
import io
import re
import zoneinfo
from urllib.parse import parse_qs

import pytest
from django.conf import settings
from django.core.files.uploadedfile import SimpleUploadedFile
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from compliance import audit_log
from compliance import services as compliance_services
from compliance.engine import run_checks
from facilities import services
from facilities.history import bulk_create_tracked, bulk_update_tracked, save_tracked
from facilities.models import Facility, FacilityLicense, Membership
from facilities.selectors import FieldChange
from tests.factories import AccreditationFactory, FacilityFactory, FacilityLicenseFactory
from tests.factories.compliance import AttestationFactory
from tests.factories.tenancy import make_tenancy

PDF = b"%PDF-1.4\n%%EOF\n"


@pytest.fixture
def tenancy(db):
    return make_tenancy()


def _url(name, tenancy, **kwargs):
    return reverse(f"compliance:{name}", kwargs={"org": tenancy.organization.slug, **kwargs})


def _summary(entries):
    return [(e.object_label, e.action, e.who, e.reason, e.changes) for e in entries]


# --- One object's history --------------------------------------------------------------------


@pytest.mark.django_db
def test_license_history_shows_each_change_with_who_when_why_and_the_fields(client, tenancy):
    facility = FacilityFactory(organization=tenancy.organization)
    license = FacilityLicenseFactory(
        facility=facility,
        license_number="CA-1",
        issued_date=datetime.date(2026, 1, 15),
        expiry_date=datetime.date(2027, 1, 14),
    )
    services.license_update(
        actor=tenancy.officer,
        license=license,
        data={"expiry_date": datetime.date(2027, 6, 30), "issued_by": "CDPH"},
        via="web",
        note="Typo on entry",
    )
    client.force_login(tenancy.viewer)

    response = client.get(_url("license-history", tenancy, pk=license.pk))

    assert _summary(response.context["entries"]) == [
        (
            "California hospital licence CA-1",
            "changed",
            "Officer Acme",
            "web: licence edit — Typo on entry",
            [
                FieldChange("Expires", "2027-01-14", "2027-06-30"),
                FieldChange("Issued by", "California Department of Public Health", "CDPH"),
            ],
        ),
        ("California hospital licence CA-1", "created", "", "test: factory", []),
    ]
    content = response.content.decode()
    assert "2027-01-14" in content
    assert "2027-06-30" in content
    assert "web: licence edit — Typo on entry" in content
    assert response.context["back_url"] == facility.get_absolute_url()


@pytest.mark.django_db
def test_accreditation_history_shows_the_status_change_with_its_label(client, tenancy):
    accreditation = AccreditationFactory(
        facility=FacilityFactory(organization=tenancy.organization), certificate_number="TJC-9"
    )
    services.accreditation_update(
        actor=tenancy.officer,
        accreditation=accreditation,
        data={"status": "suspended"},
        via="web",
        note="Survey finding",
    )
    client.force_login(tenancy.officer)

    response = client.get(_url("accreditation-history", tenancy, pk=accreditation.pk))

    [change, created] = response.context["entries"]
    assert (change.who, change.reason, change.changes) == (
        "Officer Acme",
        "web: accreditation edit — Survey finding",
        [FieldChange("Status", "Active", "Suspended")],
    )
    assert created.action == "created"


@pytest.mark.django_db
def test_attestation_history_lists_its_creation(client, tenancy):
    attestation = compliance_services.attestation_create(
        actor=tenancy.officer,
        organization=tenancy.organization,
        facility=None,
        requirement_code="HIPAA-164.308(a)(1)(ii)(A)",
        outcome="implemented",
        attested_on=tenancy.organization.today(),
        note="Annual review",
        via="web",
    )
    client.force_login(tenancy.viewer)

    response = client.get(_url("attestation-history", tenancy, pk=attestation.pk))

    [entry] = response.context["entries"]
    assert (entry.action, entry.who, entry.reason) == (
        "created",
        "Officer Acme",
        "web: attest — Annual review",
    )
    assert response.context["back_url"] == _url("attestation-detail", tenancy, pk=attestation.pk)


@pytest.mark.django_db
def test_facility_and_attestation_pages_link_their_history_pages(client, tenancy):
    facility = FacilityFactory(organization=tenancy.organization)
    license = FacilityLicenseFactory(facility=facility)
    accreditation = AccreditationFactory(facility=facility)
    attestation = AttestationFactory(organization=tenancy.organization)
    client.force_login(tenancy.viewer)

    facility_page = client.get(facility.get_absolute_url()).content.decode()
    attestation_page = client.get(
        _url("attestation-detail", tenancy, pk=attestation.pk)
    ).content.decode()

    assert _url("license-history", tenancy, pk=license.pk) in facility_page
    assert _url("accreditation-history", tenancy, pk=accreditation.pk) in facility_page
    assert _url("attestation-history", tenancy, pk=attestation.pk) in attestation_page


# --- The audit log ----------------------------------------------------------------------------


def _edit_license(tenancy, license, expiry, note="Renewal filed late"):
    return services.license_update(
        actor=tenancy.officer,
        license=license,
        data={"expiry_date": expiry},
        via="web",
        note=note,
    )


@pytest.mark.django_db
def test_audit_log_lists_the_organizations_changes_runs_and_uploads_newest_first(
    client, tenancy, evidence_root
):
    facility = services.facility_create(
        actor=tenancy.admin,
        organization=tenancy.organization,
        data={
            "facility_name": "Mercy",
            "facility_type": "hospital",
            "ownership": "private",
            "country": FacilityFactory.build().country,
            "state": FacilityFactory.build().state,
        },
        via="web",
    )
    license = FacilityLicenseFactory(
        facility=facility, license_number="CA-7", expiry_date=datetime.date(2027, 1, 14)
    )
    _edit_license(tenancy, license, datetime.date(2027, 3, 1))
    compliance_services.evidence_attach(
        actor=tenancy.officer,
        organization=tenancy.organization,
        upload=SimpleUploadedFile("licence.pdf", PDF),
        license=license,
        via="web",
    )
    run_checks(Facility.objects.filter(pk=facility.pk), actor=tenancy.officer, via="web")
    # Another organization's activity never shows.
    services.facility_update(
        actor=tenancy.outsider,
        facility=FacilityFactory(organization=tenancy.other_organization),
        data={"bed_count": 3},
        via="web",
    )
    client.force_login(tenancy.officer)

    response = client.get(_url("audit-log", tenancy))

    entries = response.context["page"].entries
    assert [(e.object_label, e.action, e.who) for e in entries[:5]] == [
        ("Check run", "run", "Officer Acme"),
        ("Evidence file: licence.pdf", "created", "Officer Acme"),
        ("Licence: California hospital licence CA-7", "changed", "Officer Acme"),
        ("Licence: California hospital licence CA-7", "created", ""),
        ("Facility: Mercy", "created", "Admin Acme"),
    ]
    assert entries[0].reason.startswith("web: as of ")
    assert "1 of 1 facilities" in entries[0].reason
    assert entries[2].changes == [FieldChange("Expires", "2027-01-14", "2027-03-01")]
    assert entries[2].reason == "web: licence edit — Renewal filed late"
    labels = {e.object_label for e in entries}
    assert "Organization: Acme Health" in labels
    assert not any("Other" in e.who or "Other Health" in e.object_label for e in entries)
    assert response.context["page"].has_next is False


@pytest.mark.django_db
@pytest.mark.parametrize(
    ("query", "expected"),
    [
        ({"model": "facilitylicense"}, [("Licence", "changed"), ("Licence", "created")]),
        ({"action": "changed"}, [("Licence", "changed")]),
        ({"action": "run"}, [("Check run", "run")]),
        ({"model": "checkrun", "action": "created"}, []),
    ],
)
def test_audit_log_filters_by_model_and_action(client, tenancy, query, expected):
    facility = FacilityFactory(organization=tenancy.organization)
    license = FacilityLicenseFactory(facility=facility, expiry_date=datetime.date(2027, 1, 14))
    _edit_license(tenancy, license, datetime.date(2027, 3, 1))
    run_checks(Facility.objects.filter(pk=facility.pk), actor=tenancy.admin, via="web")
    client.force_login(tenancy.officer)

    response = client.get(_url("audit-log", tenancy), query)

    entries = response.context["page"].entries
    assert [(e.object_label.split(":")[0], e.action) for e in entries] == expected


@pytest.mark.django_db
def test_audit_log_filters_by_user(client, tenancy):
    facility = FacilityFactory(organization=tenancy.organization)
    services.facility_update(
        actor=tenancy.admin, facility=facility, data={"bed_count": 10}, via="web"
    )
    services.facility_update(
        actor=tenancy.officer, facility=facility, data={"bed_count": 20}, via="web"
    )
    client.force_login(tenancy.officer)

    response = client.get(_url("audit-log", tenancy), {"user": tenancy.admin.pk})

    assert [(e.who, e.changes) for e in response.context["page"].entries] == [
        ("Admin Acme", [FieldChange("Beds", "120", "10")])
    ]


@pytest.mark.django_db
def test_audit_log_date_range_is_in_the_organizations_time_zone(client, tenancy):
    # Acme is in New York: 03:00 UTC on 2 March is still 1 March there.
    utc = zoneinfo.ZoneInfo("UTC")
    facility = FacilityFactory.build(organization=tenancy.organization)
    facility._history_date = datetime.datetime(2026, 2, 1, tzinfo=utc)
    save_tracked(facility, actor=tenancy.officer, reason="test: arrange")
    for when, beds in [
        (datetime.datetime(2026, 3, 2, 3), 1),
        (datetime.datetime(2026, 3, 2, 15), 2),
    ]:
        facility._history_date = when.replace(tzinfo=utc)
        services.facility_update(
            actor=tenancy.officer, facility=facility, data={"bed_count": beds}, via="web"
        )
    client.force_login(tenancy.officer)

    first = client.get(
        _url("audit-log", tenancy), {"date_from": "2026-03-01", "date_to": "2026-03-01"}
    )
    second = client.get(
        _url("audit-log", tenancy), {"date_from": "2026-03-02", "date_to": "2026-03-02"}
    )

    assert [e.changes for e in first.context["page"].entries] == [[FieldChange("Beds", "120", "1")]]
    assert [e.changes for e in second.context["page"].entries] == [[FieldChange("Beds", "1", "2")]]


@pytest.mark.django_db
@pytest.mark.parametrize(
    ("query", "field"),
    [
        ({"model": "nosuchmodel"}, "model"),
        ({"action": "erased"}, "action"),
        ({"date_from": "2026-13-45"}, "date_from"),
        ({"user": "999999"}, "user"),
        ({"user": "abc"}, "user"),
        ({"date_from": "2026-03-02", "date_to": "2026-03-01"}, "date_to"),
    ],
)
def test_audit_log_bad_filter_values_are_errors_and_list_nothing(client, tenancy, query, field):
    client.force_login(tenancy.officer)

    response = client.get(_url("audit-log", tenancy), query)

    assert response.status_code == 200
    assert list(response.context["form"].errors) == [field]
    assert response.context["page"] is None
    assert "Some filters are not valid, so no row is listed." in response.content.decode()


@pytest.fixture
def kolkata(tenancy):
    """Acme moved east of UTC: midnight of 1 January of year 1 there is before year 1 in UTC."""
    tenancy.organization.time_zone = "Asia/Kolkata"
    save_tracked(tenancy.organization, actor=tenancy.admin, reason="test: arrange")
    return tenancy


@pytest.mark.django_db
@pytest.mark.parametrize(
    ("query", "field"),
    [
        ({"date_to": "9999-12-31"}, "date_to"),
        ({"date_from": "0001-01-01"}, "date_from"),
        ({"date_from": "1899-12-31", "date_to": "2026-03-01"}, "date_from"),
    ],
)
def test_audit_log_dates_outside_the_bounds_are_field_errors(client, kolkata, query, field):
    client.force_login(kolkata.officer)

    response = client.get(_url("audit-log", kolkata), query)

    assert response.status_code == 200
    assert response.context["form"].errors == {
        field: ["Choose a date between 1900-01-01 and 9998-12-31."]
    }
    assert response.context["page"] is None
    content = response.content.decode()
    assert "Choose a date between 1900-01-01 and 9998-12-31." in content
    assert "Some filters are not valid, so no row is listed." in content


@pytest.mark.django_db
def test_audit_log_accepts_the_first_and_last_days_east_of_utc(client, kolkata):
    client.force_login(kolkata.officer)
    everything = client.get(_url("audit-log", kolkata)).context["page"].entries

    response = client.get(
        _url("audit-log", kolkata), {"date_from": "1900-01-01", "date_to": "9998-12-31"}
    )

    assert response.context["form"].errors == {}
    assert _summary(response.context["page"].entries) == _summary(everything)
    assert (
        "Organization: Acme Health",
        "changed",
        "Admin Acme",
        "test: arrange",
        [FieldChange("Time zone", "America/New_York", "Asia/Kolkata")],
    ) in _summary(everything)


@pytest.mark.django_db
def test_audit_log_refuses_a_user_of_another_organization_as_a_filter(client, tenancy):
    FacilityFactory(organization=tenancy.other_organization)
    client.force_login(tenancy.officer)

    response = client.get(_url("audit-log", tenancy), {"user": tenancy.outsider.pk})

    assert list(response.context["form"].errors) == ["user"]
    assert response.context["page"] is None


def _link(response, rel):
    """The query of the page's pagination link `rel`, parsed."""
    found = re.search(rf'href="\?([^"]*)" rel="{rel}"', response.content.decode())
    assert found, f"no {rel} link"
    return parse_qs(html.unescape(found.group(1)), keep_blank_values=True)


@pytest.mark.django_db
def test_audit_log_pages_hold_fifty_rows_and_link_older_ones_by_cursor(client, tenancy):
    facility = FacilityFactory(organization=tenancy.organization)
    for beds in range(1, 61):
        services.facility_update(
            actor=tenancy.officer, facility=facility, data={"bed_count": beds}, via="web"
        )
    client.force_login(tenancy.officer)

    first = client.get(_url("audit-log", tenancy), {"model": "facility"})
    older_link = _link(first, "next")
    second = client.get(_url("audit-log", tenancy), older_link)

    page, older = first.context["page"], second.context["page"]
    assert (len(page.entries), page.has_previous, page.has_next) == (50, False, True)
    assert page.entries[0].changes == [FieldChange("Beds", "59", "60")]
    assert page.entries[-1].changes == [FieldChange("Beds", "10", "11")]
    assert older_link == {"model": ["facility"], "before": [page.next_cursor]}
    assert (len(older.entries), older.has_previous, older.has_next) == (11, True, False)
    assert older.entries[0].changes == [FieldChange("Beds", "9", "10")]
    assert older.entries[-1].action == "created"
    assert older.next_cursor == ""
    assert _link(second, "first") == {"model": ["facility"]}
    assert "Older entries →" in first.content.decode()
    assert 'rel="first"' not in first.content.decode()


@pytest.mark.django_db
@pytest.mark.parametrize(
    "before",
    [
        "x",
        "2026-01-01T00:00:00~1~facility",  # no offset
        "2026-01-01T00:00:00+00:00~1~nosuchmodel",
        "2026-01-01T00:00:00+00:00~99999999999999999999~facility",
        "0001-01-01T00:00:00+05:30~1~facility",  # before year 1 in UTC
        "2026-01-01T00:00:00+00:00~-1~facility",
    ],
)
def test_audit_log_a_cursor_not_written_by_the_log_reads_the_newest_page(client, tenancy, before):
    facility = FacilityFactory(organization=tenancy.organization)
    services.facility_update(
        actor=tenancy.officer, facility=facility, data={"bed_count": 7}, via="web"
    )
    client.force_login(tenancy.officer)

    response = client.get(_url("audit-log", tenancy), {"model": "facility", "before": before})

    page = response.context["page"]
    assert (page.has_previous, page.has_next) == (False, False)
    assert [(e.action, e.changes) for e in page.entries] == [
        ("changed", [FieldChange("Beds", "120", "7")]),
        ("created", []),
    ]


def _history_ids_from(start, *models):
    """The next history rows of `models` get ids start + 1, start + 2, ...: rows of different
    kinds with the same id, to tie on the log's second sort key."""
    with connection.cursor() as cursor:
        for model in models:
            table = model.history.model._meta.db_table
            cursor.execute(
                "SELECT setval(pg_get_serial_sequence(%s, 'history_id'), %s)", [table, start]
            )


@pytest.mark.skipif(
    settings.DATABASES["default"]["ENGINE"] != "django.db.backends.postgresql",
    reason="ties history ids through PostgreSQL's sequences",
)
@pytest.mark.django_db
@pytest.mark.parametrize("per_page", [1, 2, 3, 5])
def test_audit_log_cursor_pages_repeat_and_skip_no_row_when_rows_tie(tenancy, per_page):
    utc = zoneinfo.ZoneInfo("UTC")
    instant = datetime.datetime(2026, 3, 1, 12, tzinfo=utc)
    _history_ids_from(5000, Facility, FacilityLicense)
    facility = FacilityFactory.build(organization=tenancy.organization)
    facility._history_date = instant
    save_tracked(facility, actor=tenancy.officer, reason="test: arrange")
    license = FacilityLicenseFactory.build(facility=facility)
    license._history_date = instant
    save_tracked(license, actor=tenancy.officer, reason="test: arrange")
    for n in range(1, 4):
        facility._history_date = license._history_date = instant
        services.facility_update(
            actor=tenancy.officer, facility=facility, data={"bed_count": n}, via="web"
        )
        _edit_license(tenancy, license, datetime.date(2027, n, 1))
    organization, filters = tenancy.organization, audit_log.AuditFilters()
    everything = list(audit_log.audit_rows(organization, filters))
    tied = [(row["log_kind"], row["log_row"]) for row in everything if row["log_when"] == instant]
    assert tied == [
        ("facility", 5004),
        ("facilitylicense", 5004),
        ("facility", 5003),
        ("facilitylicense", 5003),
        ("facility", 5002),
        ("facilitylicense", 5002),
        ("facility", 5001),
        ("facilitylicense", 5001),
    ]

    walked, pages, before = [], [], None
    while True:
        page = audit_log.audit_page(organization, filters, before=before, per_page=per_page)
        walked.extend(page.entries)
        pages.append((page.has_previous, page.has_next))
        if not page.has_next:
            break
        before = audit_log.Cursor.parse(page.next_cursor)

    assert _summary(walked) == _summary(audit_log.audit_entries(everything))
    assert [e.when for e in walked] == [row["log_when"] for row in everything]
    count = -(-len(everything) // per_page)
    assert pages == [(n > 0, n < count - 1) for n in range(count)]


@pytest.mark.django_db
def test_audit_log_exports_the_filtered_log_as_streamed_csv(client, tenancy):
    facility = FacilityFactory(organization=tenancy.organization, facility_name="Mercy")
    license = FacilityLicenseFactory(
        facility=facility, license_number="CA-7", expiry_date=datetime.date(2027, 1, 14)
    )
    _edit_license(tenancy, license, datetime.date(2027, 3, 1), note="=HYPERLINK(evil)")
    services.facility_update(
        actor=tenancy.admin, facility=facility, data={"bed_count": 7}, via="web"
    )
    client.force_login(tenancy.officer)

    response = client.get(
        _url("audit-log", tenancy), {"model": "facilitylicense", "_export": "csv"}
    )

    assert response.streaming
    assert response["Content-Type"] == "text/csv; charset=utf-8"
    today = tenancy.organization.today().isoformat()
    assert response["Content-Disposition"] == f'attachment; filename="audit-acme-{today}.csv"'
    rows = list(csv.reader(io.StringIO(b"".join(response.streaming_content).decode())))
    assert rows[0] == ["When", "User", "Record", "Action", "Reason", "Changes"]
    assert [row[1:] for row in rows[1:]] == [
        [
            "Officer Acme",
            "Licence: California hospital licence CA-7",
            "changed",
            "web: licence edit — =HYPERLINK(evil)",
            "Expires: 2027-01-14 → 2027-03-01",
        ],
        ["", "Licence: California hospital licence CA-7", "created", "test: factory", ""],
    ]
    # The date is in the organization's zone (New York), with its offset.
    assert rows[1][0].endswith(("-05:00", "-04:00"))


@pytest.mark.django_db
def test_audit_log_export_neutralises_cells_that_look_like_formulas(client, tenancy):
    FacilityFactory(organization=tenancy.organization, facility_name="=cmd|calc")
    client.force_login(tenancy.officer)

    response = client.get(_url("audit-log", tenancy), {"model": "facility", "_export": "csv"})

    rows = list(csv.reader(io.StringIO(b"".join(response.streaming_content).decode())))
    assert rows[1][2] == "Facility: =cmd|calc"
    assert rows[1][4] == "test: factory"


@pytest.mark.django_db
def test_audit_log_export_reads_the_log_in_chunks(client, tenancy, monkeypatch):
    facility = FacilityFactory(organization=tenancy.organization)
    for beds in range(1, 8):
        services.facility_update(
            actor=tenancy.officer, facility=facility, data={"bed_count": beds}, via="web"
        )
    monkeypatch.setattr("compliance.audit_log.EXPORT_CHUNK", 3)
    client.force_login(tenancy.officer)

    response = client.get(_url("audit-log", tenancy), {"model": "facility", "_export": "csv"})

    rows = list(csv.reader(io.StringIO(b"".join(response.streaming_content).decode())))
    assert [row[5] for row in rows[1:]] == [
        f"Beds: {old} → {new}"
        for old, new in zip([6, 5, 4, 3, 2, 1, 120], range(7, 0, -1), strict=True)
    ] + [""]


# --- Queries ----------------------------------------------------------------------------------


def _activity(tenancy, count, evidence_root):
    """`count` facilities created and edited in bulk, then one of each other kind of row."""
    template = FacilityFactory(organization=tenancy.organization)
    bulk = bulk_create_tracked(
        [
            Facility(
                organization=tenancy.organization,
                facility_name=f"Bulk {n}",
                facility_type="clinic",
                ownership="public",
                country=template.country,
                state=template.state,
            )
            for n in range(count)
        ],
        actor=tenancy.admin,
        reason="command: import",
    )
    for facility in bulk:
        facility.bed_count = 9
    bulk_update_tracked(bulk, ["bed_count"], actor=tenancy.admin, reason="command: fix beds")
    license = FacilityLicenseFactory(facility=template, expiry_date=datetime.date(2027, 1, 14))
    services.license_update(
        actor=tenancy.officer,
        license=license,
        data={"expiry_date": datetime.date(2027, 2, 1), "responsible": None},
        via="web",
        note="fix",
    )
    services.membership_change_role(
        actor=tenancy.admin,
        membership=tenancy.membership(tenancy.viewer),
        role=Membership.Role.OFFICER,
        via="web",
    )
    compliance_services.evidence_attach(
        actor=tenancy.officer,
        organization=tenancy.organization,
        upload=SimpleUploadedFile("a.pdf", PDF),
        license=license,
        via="web",
    )
    bulk_update_tracked(
        [tenancy.organization], ["name"], actor=tenancy.admin, reason="admin: change"
    )
    run_checks(Facility.objects.filter(pk=template.pk), actor=tenancy.officer, via="web")


@pytest.mark.django_db
@pytest.mark.parametrize("count", [60, 200])
def test_audit_log_older_page_runs_the_same_queries_without_offset(
    client, tenancy, evidence_root, count
):
    _activity(tenancy, count, evidence_root)
    client.force_login(tenancy.officer)
    cursor = client.get(_url("audit-log", tenancy)).context["page"].next_cursor

    with CaptureQueriesContext(connection) as queries:
        response = client.get(_url("audit-log", tenancy), {"before": cursor})

    # The page after the newest 50 holds facility rows only: session, user, membership (3);
    # the page of the union (1); the facility rows with their predecessors' ids, and the
    # predecessors (2); the user filter's choices (1).
    page = response.context["page"]
    assert [e.object_label.split(":")[0] for e in page.entries] == ["Facility"] * 50
    assert page.has_previous is True
    assert len(queries) == 7, "\n".join(q["sql"][:150] for q in queries.captured_queries)
    [union] = [q["sql"] for q in queries.captured_queries if "UNION ALL" in q["sql"]]
    assert "OFFSET" not in union
    # On PostgreSQL every part of the union is cut at one page and a row, and so is the whole.
    parts_cut = connection.features.supports_slicing_ordering_in_compound
    assert union.count("LIMIT 51") == (union.count("UNION ALL") + 2 if parts_cut else 1)


@pytest.mark.django_db
@pytest.mark.parametrize("count", [5, 200])
def test_audit_log_page_runs_a_fixed_number_of_queries(client, tenancy, evidence_root, count):
    _activity(tenancy, count, evidence_root)
    client.force_login(tenancy.officer)

    with CaptureQueriesContext(connection) as queries:
        response = client.get(_url("audit-log", tenancy))

    # A page of 50 of the 2 * `count` facility rows and 11 other rows.
    assert len(response.context["page"].entries) == min(50, 2 * count + 11)
    # Session, user, membership (3); the page of the union (1); per kind on the page, its rows
    # with their predecessors' ids, and the predecessors: organization, membership, facility,
    # licence (8); evidence (1: an upload has no predecessor); check runs (1); the user
    # filter's choices (1). The idle timeout stamps the session at sign-in, not on this page.
    assert len(queries) == 15, "\n".join(q["sql"][:150] for q in queries.captured_queries)


@pytest.mark.django_db
@pytest.mark.parametrize(("role", "shown"), [("viewer", False), ("officer", True), ("admin", True)])
def test_navigation_links_the_audit_log_for_officers_and_admins(client, tenancy, role, shown):
    client.force_login(getattr(tenancy, role))

    response = client.get(_url("catalog", tenancy))

    assert (f'href="{_url("audit-log", tenancy)}"' in response.content.decode()) is shown
