"""Filing deadlines (compliance/deadlines.py): buckets, leads, overrides, which records count,
the organization's today, and a constant number of queries."""

import datetime
from unittest import mock

import pytest

from compliance.deadlines import (
    FILING_BUCKETS,
    Bucket,
    Deadline,
    Kind,
    bucket_counts,
    bucket_for,
    organization_deadlines,
)
from facilities.models import Facility, FacilityLicense, LeadTimeOverride, RecordStatus
from tests.factories.compliance import AttestationFactory
from tests.factories.facilities import (
    AccreditationFactory,
    FacilityFactory,
    FacilityLicenseFactory,
    OrganizationFactory,
)

TODAY = datetime.date(2026, 6, 1)
CA_LEAD = 30  # US-CA-HOSPITAL: file at least 30 days before expiry (Cal. H&SC §1267(a))
ISSUED = datetime.date(2020, 1, 1)


def days(n: int) -> datetime.timedelta:
    return datetime.timedelta(days=n)


def _license(facility: Facility, expiry: datetime.date, **kwargs: object) -> FacilityLicense:
    return FacilityLicenseFactory(
        facility=facility, issued_date=ISSUED, expiry_date=expiry, **kwargs
    )


def _only(organization, today=TODAY) -> Deadline:
    (deadline,) = organization_deadlines(organization, today=today)
    return deadline


@pytest.mark.parametrize(
    ("days_left", "bucket"),
    [
        (-1, Bucket.OVERDUE),
        (0, Bucket.DAYS_30),
        (30, Bucket.DAYS_30),
        (31, Bucket.DAYS_60),
        (60, Bucket.DAYS_60),
        (61, Bucket.DAYS_90),
        (90, Bucket.DAYS_90),
        (91, None),
    ],
)
def test_bucket_for_days_left(days_left, bucket):
    assert bucket_for(days_left, expired=False, renewal_filed=False) is bucket


@pytest.mark.parametrize(
    ("days_left", "expired", "renewal_filed", "bucket"),
    [
        (-31, True, False, Bucket.LAPSED),
        (-31, True, True, Bucket.AWAITING),
        (10, False, True, Bucket.AWAITING),
        (-5, False, True, Bucket.AWAITING),
    ],
)
def test_bucket_for_lapsed_and_awaiting_are_apart(days_left, expired, renewal_filed, bucket):
    assert bucket_for(days_left, expired=expired, renewal_filed=renewal_filed) is bucket
    assert bucket not in FILING_BUCKETS


@pytest.mark.django_db
@pytest.mark.parametrize(
    ("days_left", "bucket"),
    [
        (-1, Bucket.OVERDUE),
        (0, Bucket.DAYS_30),
        (30, Bucket.DAYS_30),
        (31, Bucket.DAYS_60),
        (60, Bucket.DAYS_60),
        (61, Bucket.DAYS_90),
        (90, Bucket.DAYS_90),
        (91, None),
    ],
)
def test_license_deadline_days_left_and_bucket(days_left, bucket):
    facility = FacilityFactory()
    license = _license(facility, TODAY + days(CA_LEAD + days_left))

    deadline = _only(facility.organization)

    assert deadline.kind is Kind.LICENSE
    assert deadline.item_id == license.pk
    assert deadline.file_by == TODAY + days(days_left)
    assert deadline.days_left == days_left
    assert deadline.bucket is bucket
    assert deadline.lead_days == CA_LEAD


@pytest.mark.django_db
def test_license_on_its_expiry_day_is_valid_and_overdue():
    facility = FacilityFactory()
    _license(facility, TODAY)

    deadline = _only(facility.organization)

    assert deadline.days_left == -CA_LEAD
    assert deadline.bucket is Bucket.OVERDUE


@pytest.mark.django_db
def test_license_the_day_after_expiry_is_lapsed():
    facility = FacilityFactory()
    # A stored "active" status is not trusted over the dates.
    _license(facility, TODAY - days(1), status=RecordStatus.ACTIVE)

    deadline = _only(facility.organization)

    assert deadline.bucket is Bucket.LAPSED
    assert deadline.days_left == -CA_LEAD - 1


@pytest.mark.django_db
@pytest.mark.parametrize(
    ("expiry_offset", "filed_offset", "bucket"),
    [
        (10, 0, Bucket.AWAITING),  # filed, still valid
        (-5, -6, Bucket.AWAITING),  # filed before expiry, now past it: awaiting the authority
        (-5, -5, Bucket.AWAITING),  # filed on the expiry date itself
        (-5, -4, Bucket.LAPSED),  # filed after expiry: lapsed, as the engine says
    ],
)
def test_license_with_renewal_filed(expiry_offset, filed_offset, bucket):
    facility = FacilityFactory()
    _license(
        facility,
        TODAY + days(expiry_offset),
        status=RecordStatus.PENDING_RENEWAL,
        renewal_filed_on=TODAY + days(filed_offset),
    )

    deadline = _only(facility.organization)

    assert deadline.bucket is bucket
    assert deadline.renewal_filed_on == TODAY + days(filed_offset)


@pytest.mark.django_db
def test_organization_override_moves_license_into_an_earlier_bucket():
    facility = FacilityFactory()
    _license(facility, TODAY + days(CA_LEAD + 45))
    assert _only(facility.organization).bucket is Bucket.DAYS_60
    LeadTimeOverride.objects.create(
        organization=facility.organization, license_type="US-CA-HOSPITAL", file_by_days=60
    )

    deadline = _only(facility.organization)

    assert deadline.lead_days == 60
    assert deadline.days_left == 15
    assert deadline.bucket is Bucket.DAYS_30


@pytest.mark.django_db
def test_another_organizations_override_does_not_apply():
    facility = FacilityFactory()
    _license(facility, TODAY + days(CA_LEAD + 45))
    LeadTimeOverride.objects.create(
        organization=OrganizationFactory(), license_type="US-CA-HOSPITAL", file_by_days=60
    )

    assert _only(facility.organization).lead_days == CA_LEAD


@pytest.mark.django_db
def test_must_file_by_on_29_february():
    facility = FacilityFactory()
    _license(facility, datetime.date(2028, 3, 30))
    today = datetime.date(2028, 2, 1)

    deadline = _only(facility.organization, today=today)

    assert deadline.file_by == datetime.date(2028, 2, 29)
    assert deadline.days_left == 28
    assert deadline.bucket is Bucket.DAYS_30


@pytest.mark.django_db
@pytest.mark.parametrize(
    ("time_zone", "utc_now", "local_today"),
    [
        # 12:00 UTC on 1 June is already 2 June in Kiritimati (UTC+14).
        ("Pacific/Kiritimati", "2026-06-01T12:00:00+00:00", datetime.date(2026, 6, 2)),
        # 03:00 UTC on 1 June is still 31 May in Los Angeles (UTC-7 in summer).
        ("America/Los_Angeles", "2026-06-01T03:00:00+00:00", datetime.date(2026, 5, 31)),
    ],
)
def test_today_is_the_organizations_local_date(time_zone, utc_now, local_today):
    facility = FacilityFactory(organization=OrganizationFactory(time_zone=time_zone))
    # file by 2026-06-01: day 0 in UTC; -1 in Kiritimati, +1 in Los Angeles.
    _license(facility, datetime.date(2026, 6, 1) + days(CA_LEAD))
    organization = Facility.objects.get(pk=facility.pk).organization

    with mock.patch(
        "django.utils.timezone.now", return_value=datetime.datetime.fromisoformat(utc_now)
    ):
        assert organization.today() == local_today
        (deadline,) = organization_deadlines(organization)

    assert deadline.days_left == (datetime.date(2026, 6, 1) - local_today).days
    assert deadline.bucket is (Bucket.OVERDUE if deadline.days_left < 0 else Bucket.DAYS_30)


@pytest.mark.django_db
def test_superseded_suspended_revoked_and_closed_records_do_not_count():
    organization = OrganizationFactory()
    facility = FacilityFactory(organization=organization)
    old = _license(facility, TODAY + days(10), status=RecordStatus.RENEWED)
    renewal = _license(facility, TODAY + days(375), renews=old)
    # A renewal row pointing at a licence supersedes it whatever its stored status says.
    older = _license(facility, TODAY + days(5), license_number="OLD-2")
    _license(facility, TODAY + days(300), renews=older, license_number="NEW-2")
    _license(facility, TODAY + days(20), status=RecordStatus.SUSPENDED)
    _license(facility, TODAY + days(20), status=RecordStatus.REVOKED)
    _license(facility, None, license_number="NO-EXPIRY")
    closed = FacilityFactory(
        organization=organization, status=Facility.Status.CLOSED, closed_on=TODAY
    )
    _license(closed, TODAY + days(20))
    _license(FacilityFactory(), TODAY + days(20))  # another organization's

    deadlines = organization_deadlines(organization, today=TODAY)

    assert [(d.kind, d.reference) for d in deadlines] == [
        (Kind.LICENSE, "California hospital licence NEW-2"),
        (Kind.LICENSE, f"California hospital licence {renewal.license_number}"),
    ]


@pytest.mark.django_db
def test_accreditation_uses_its_bodys_lead_and_the_latest_of_a_body_counts():
    facility = FacilityFactory()
    AccreditationFactory(
        facility=facility,
        certified_date=ISSUED,
        expiry_date=TODAY + days(10),
        certificate_number="OLD",
    )
    current = AccreditationFactory(
        facility=facility,
        certified_date=ISSUED,
        expiry_date=TODAY + days(200),
        certificate_number="NEW",
    )

    deadline = _only(facility.organization)

    assert deadline.kind is Kind.ACCREDITATION
    assert deadline.item_id == current.pk
    assert deadline.lead_days == 184  # the catalog's [M] default for every body
    assert deadline.file_by == TODAY + days(16)
    assert deadline.bucket is Bucket.DAYS_30
    assert deadline.reference == "The Joint Commission NEW"
    assert (
        deadline.renew_url == f"/o/{facility.organization.slug}/accreditations/{current.pk}/edit/"
    )


@pytest.mark.django_db
def test_latest_attestation_per_requirement_and_scope_counts():
    organization = OrganizationFactory()
    facility = FacilityFactory(organization=organization)
    code = "HIPAA-164.308(a)(1)(ii)(A)"
    AttestationFactory(
        organization=organization, requirement_code=code, attested_on=TODAY - days(400)
    )
    whole = AttestationFactory(
        organization=organization,
        requirement_code=code,
        attested_on=TODAY - days(300),
        valid_until=TODAY + days(40),
    )
    site = AttestationFactory(
        organization=organization,
        facility=facility,
        requirement_code=code,
        attested_on=TODAY - days(10),
    )

    deadlines = organization_deadlines(organization, today=TODAY)

    assert [(d.item_id, d.facility_id, d.expires_on, d.file_by, d.bucket) for d in deadlines] == [
        (whole.pk, None, TODAY + days(40), TODAY + days(10), Bucket.DAYS_30),
        (site.pk, facility.pk, TODAY + days(355), TODAY + days(325), None),
    ]
    assert deadlines[0].kind is Kind.ATTESTATION
    assert deadlines[0].renew_url == (
        f"/o/{organization.slug}/attest/?requirement=HIPAA-164.308%28a%29%281%29%28ii%29%28A%29"
    )
    assert deadlines[1].renew_url.endswith(f"&facility={facility.pk}")
    assert deadlines[1].facility_name == facility.facility_name


@pytest.mark.django_db
def test_deadlines_ordered_by_file_by_then_kind_and_counted():
    facility = FacilityFactory()
    organization = facility.organization
    _license(facility, TODAY + days(CA_LEAD + 5))  # 0-30
    _license(facility, TODAY - days(3))  # lapsed
    AccreditationFactory(
        facility=facility, certified_date=ISSUED, expiry_date=TODAY + days(184 + 5)
    )  # same file-by as the first licence
    _license(facility, TODAY + days(400))  # far off

    deadlines = organization_deadlines(organization, today=TODAY)
    counts = bucket_counts(deadlines)

    assert [(d.kind, d.days_left) for d in deadlines] == [
        (Kind.LICENSE, -33),
        (Kind.ACCREDITATION, 5),
        (Kind.LICENSE, 5),
        (Kind.LICENSE, 370),
    ]
    assert counts == {
        Bucket.OVERDUE: 0,
        Bucket.DAYS_30: 2,
        Bucket.DAYS_60: 0,
        Bucket.DAYS_90: 0,
        Bucket.LAPSED: 1,
        Bucket.AWAITING: 0,
    }


def test_bucket_counts_of_nothing_has_every_bucket():
    assert bucket_counts([]) == dict.fromkeys(Bucket, 0)


@pytest.mark.django_db
@pytest.mark.parametrize("facilities", [1, 20])
def test_organization_deadlines_query_count_is_constant(facilities, django_assert_num_queries):
    organization = OrganizationFactory()
    for index in range(facilities):
        facility = FacilityFactory(organization=organization)
        _license(facility, TODAY + days(index + 1))
        AccreditationFactory(facility=facility, certified_date=ISSUED, expiry_date=TODAY + days(9))
        AttestationFactory(organization=organization, facility=facility, attested_on=TODAY)

    # Overrides, licences, accreditations, attestations.
    with django_assert_num_queries(4):
        deadlines = organization_deadlines(organization, today=TODAY)

    assert len(deadlines) == 3 * facilities
