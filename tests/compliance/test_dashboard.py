"""The dashboard's reads (compliance/dashboard.py): status counts from the status projection,
the roll-up by place, the most frequent problems, deadlines per month, and the facility list's
filter by compliance status."""

import datetime

import pytest
from django.core.exceptions import ValidationError
from django.utils import timezone

from compliance import dashboard
from compliance.deadlines import Bucket, Deadline, Kind
from compliance.engine import create_run
from compliance.models import CheckRun, ComplianceCheck, FacilityStatus
from compliance.services import check_run_start
from facilities.filters import FacilityFilter
from facilities.history import bulk_create_tracked
from facilities.models import Facility
from geography.models import Country, District, State
from tests.factories import FacilityFactory, MembershipFactory, OrganizationFactory, UserFactory
from tests.factories.compliance import CustomComplianceRuleFactory

COMPLIANT, PENDING, NON_COMPLIANT = "compliant", "pending", "non_compliant"
HIPAA_RISK = "HIPAA-164.308(a)(1)(ii)(A)"


def give_statuses(organization, actor, statuses):
    """Write a check and a status row for each (facility, status, problems, as_of) given, as
    the engine's projection would (bulk, so that hundreds of facilities stay fast)."""
    run = create_run(organization=organization, actor=actor, via="test")
    now = timezone.now()
    checks = ComplianceCheck.objects.bulk_create(
        [
            ComplianceCheck(
                run=run,
                organization=organization,
                facility=facility,
                as_of=as_of,
                overall_status=status,
                checked_at=now,
                checked_by=actor,
                rules_version="test",
                results=[],
                requirements_met=[],
                requirements_pending=[],
            )
            for facility, status, _problems, as_of in statuses
        ]
    )
    FacilityStatus.objects.bulk_create(
        [
            FacilityStatus(
                facility=facility,
                organization=organization,
                latest_check=check,
                overall_status=status,
                as_of=as_of,
                checked_at=now,
                problems=problems,
            )
            for check, (facility, status, problems, as_of) in zip(checks, statuses, strict=True)
        ]
    )


def bulk_facilities(organization, actor, count, state_code="US-CA", **fields):
    state = State.objects.get(code=state_code)
    facilities = [
        Facility(
            organization=organization,
            facility_name=f"Bulk {state_code} {index:05}",
            facility_type="hospital",
            ownership="private",
            bed_count=50,
            country_id=state.country_id,
            state=state,
            **fields,
        )
        for index in range(count)
    ]
    bulk_create_tracked(facilities, actor=actor, reason="test: bulk")
    return list(
        Facility.objects.filter(organization=organization, state=state).order_by("pk")[:count]
    )


@pytest.fixture
def organization(db):
    return OrganizationFactory(slug="acme")


@pytest.fixture
def actor(db):
    return UserFactory()


@pytest.mark.django_db
def test_status_counts_count_active_facilities_by_latest_status_with_their_age(organization, actor):
    today = organization.today()
    ok, late, bad, _never = (FacilityFactory(organization=organization) for _ in range(4))
    closed = FacilityFactory(
        organization=organization,
        status=Facility.Status.CLOSED,
        closed_on=datetime.date(2026, 1, 1),
    )
    give_statuses(
        organization,
        actor,
        [
            (ok, COMPLIANT, [], today - datetime.timedelta(days=3)),
            (late, COMPLIANT, [], today),
            (bad, NON_COMPLIANT, [HIPAA_RISK], today - datetime.timedelta(days=1)),
            (closed, NON_COMPLIANT, [HIPAA_RISK], today),
        ],
    )

    counts = {c.status: c for c in dashboard.status_counts(organization, today)}

    assert [c.status for c in counts.values()] == [COMPLIANT, PENDING, NON_COMPLIANT, "never"]
    assert (counts[COMPLIANT].count, counts[COMPLIANT].age_days) == (2, 3)
    assert (counts[PENDING].count, counts[PENDING].age_days) == (0, None)
    assert (counts[NON_COMPLIANT].count, counts[NON_COMPLIANT].age_days) == (1, 1)
    assert (counts["never"].count, counts["never"].age_days) == (1, None)
    assert counts["never"].url == "/o/acme/facilities/?compliance_status=never&status=active"


@pytest.mark.django_db
def test_compliance_status_filter_lists_facilities_by_status_and_never_checked(organization, actor):
    ok, bad, never = (FacilityFactory(organization=organization) for _ in range(3))
    today = organization.today()
    give_statuses(
        organization, actor, [(ok, COMPLIANT, [], today), (bad, NON_COMPLIANT, ["X"], today)]
    )
    queryset = Facility.objects.filter(organization=organization)

    def listed(value):
        return set(FacilityFilter({"compliance_status": value}, queryset=queryset).qs)

    assert listed(COMPLIANT) == {ok}
    assert listed(NON_COMPLIANT) == {bad}
    assert listed("never") == {never}
    assert listed("") == {ok, bad, never}
    assert not FacilityFilter({"compliance_status": "bogus"}, queryset=queryset).is_valid()


@pytest.fixture
def places(organization, actor):
    """California: two compliant (one with a district), one non-compliant with two problems,
    one never checked; Texas: one pending with one problem; Brazil (São Paulo): one compliant.
    A closed Californian facility is never counted."""
    today = organization.today()
    district = District.objects.filter(state__code="US-CA").order_by("pk").first()
    ca = [FacilityFactory(organization=organization) for _ in range(4)]
    ca[0].district = district
    ca[0]._change_reason = "test"
    ca[0].save()
    tx = FacilityFactory(organization=organization, state_code="US-TX")
    br = FacilityFactory(organization=organization, state_code="BR-SP")
    closed = FacilityFactory(
        organization=organization,
        status=Facility.Status.CLOSED,
        closed_on=datetime.date(2026, 1, 1),
    )
    give_statuses(
        organization,
        actor,
        [
            (ca[0], COMPLIANT, [], today),
            (ca[1], COMPLIANT, [], today),
            (ca[2], NON_COMPLIANT, [HIPAA_RISK, "CUSTOM-FIRE"], today),
            (tx, PENDING, [HIPAA_RISK], today),
            (br, COMPLIANT, [], today),
            (closed, NON_COMPLIANT, ["CUSTOM-FIRE"], today),
        ],
    )
    return {"district": district}


def _rows(rollup):
    return {
        row.name: (
            row.active,
            row.checked,
            row.compliant,
            row.never_checked,
            row.percent_compliant,
            row.problems,
            row.facilities_with_problems,
        )
        for row in rollup.rows
    }


@pytest.mark.django_db
def test_rollup_by_country_counts_compliance_and_open_problems(organization, places):
    rollup = dashboard.rollup(organization, dashboard.Place())

    assert rollup.level == "country"
    assert _rows(rollup) == {
        "Brazil": (1, 1, 1, 0, 100, 0, 0),
        "United States": (5, 4, 2, 1, 50, 3, 2),
    }
    assert (rollup.total.active, rollup.total.percent_compliant, rollup.total.problems) == (
        6,
        60,
        3,
    )
    us = next(row for row in rollup.rows if row.code == "US")
    assert us.drill_url == "/o/acme/?country=US"
    assert [c.label for c in rollup.breadcrumbs] == ["All countries"]


@pytest.mark.django_db
def test_rollup_drills_down_to_states_then_districts_with_a_breadcrumb(organization, places):
    us = Country.objects.get(code="US")
    california = State.objects.get(code="US-CA")

    states = dashboard.rollup(organization, dashboard.Place(us))
    districts = dashboard.rollup(organization, dashboard.Place(us, california))

    assert _rows(states) == {
        "California": (4, 3, 2, 1, 67, 2, 1),
        "Texas": (1, 1, 0, 0, 0, 1, 1),
    }
    texas = next(row for row in states.rows if row.code == "US-TX")
    assert texas.drill_url == "/o/acme/?country=US&state=US-TX"
    assert [(c.label, c.url) for c in states.breadcrumbs] == [
        ("All countries", "/o/acme/?country="),
        ("United States", ""),
    ]
    assert _rows(districts) == {
        places["district"].name: (1, 1, 1, 0, 100, 0, 0),
        "": (3, 2, 1, 1, 50, 2, 1),
    }
    assert [c.label for c in districts.breadcrumbs] == [
        "All countries",
        "United States",
        "California",
    ]
    assert districts.breadcrumbs[1].url == "/o/acme/?country=US"


@pytest.mark.django_db
def test_resolve_place_reads_codes_and_reports_unknown_ones(organization):
    member = MembershipFactory(organization=organization)

    assert dashboard.resolve_place({}, member, default_applies=True) == dashboard.Place()
    place = dashboard.resolve_place(
        {"country": "us", "state": "US-CA"}, member, default_applies=True
    )
    assert (place.country.code, place.state.code) == ("US", "US-CA")
    assert dashboard.resolve_place({"country": "ZZ"}, member, default_applies=True).error
    mismatch = dashboard.resolve_place(
        {"country": "BR", "state": "US-CA"}, member, default_applies=True
    )
    assert mismatch.error
    assert mismatch.country is None


@pytest.mark.django_db
def test_member_defaults_prefilter_the_rollup_unless_the_url_names_a_place(organization):
    member = MembershipFactory(
        organization=organization,
        default_country=Country.objects.get(code="US"),
        default_state=State.objects.get(code="US-TX"),
    )

    default = dashboard.resolve_place({}, member, default_applies=True)
    everything = dashboard.resolve_place({"country": ""}, member, default_applies=True)

    assert (default.state.code, default.from_default) == ("US-TX", True)
    assert everything == dashboard.Place()


@pytest.mark.django_db
def test_top_problems_counts_facilities_per_requirement_with_titles(organization, places):
    CustomComplianceRuleFactory(organization=organization, code="CUSTOM-FIRE", name="Fire drill")

    problems = dashboard.top_problems(organization)

    assert [(p.code, p.facilities) for p in problems] == [(HIPAA_RISK, 2), ("CUSTOM-FIRE", 1)]
    assert problems[0].title == "Risk analysis"
    assert problems[0].url == "/o/acme/catalog/#cat-US-HIPAA-SEC"
    assert (problems[1].title, problems[1].framework) == ("Fire drill", "CUSTOM")


@pytest.mark.django_db
def test_top_problems_keeps_the_ten_most_frequent(organization, actor):
    facilities = bulk_facilities(organization, actor, 12)
    today = organization.today()
    # Requirement R00 fails at 12 facilities, R01 at 11, ... R11 at 1.
    give_statuses(
        organization,
        actor,
        [
            (f, NON_COMPLIANT, [f"R{n:02}" for n in range(12 - i)], today)
            for i, f in enumerate(facilities)
        ],
    )

    problems = dashboard.top_problems(organization)

    assert [(p.code, p.facilities) for p in problems] == [(f"R{n:02}", 12 - n) for n in range(10)]


def _deadline(file_by, bucket):
    return Deadline(
        kind=Kind.LICENSE,
        item_id=1,
        title="t",
        reference="r",
        facility_id=1,
        facility_name="f",
        country_code="US",
        state_code="US-CA",
        facility_type="hospital",
        responsible_id=None,
        expires_on=file_by + datetime.timedelta(days=90),
        file_by=file_by,
        days_left=0,
        bucket=bucket,
        renew_url="",
    )


def test_deadlines_by_month_counts_file_by_dates_of_the_next_twelve_months():
    today = datetime.date(2026, 11, 28)
    deadlines = [
        _deadline(datetime.date(2026, 11, 27), Bucket.OVERDUE),  # overdue: not in the chart
        _deadline(datetime.date(2026, 11, 28), Bucket.DAYS_30),
        _deadline(datetime.date(2026, 12, 31), Bucket.DAYS_60),
        _deadline(datetime.date(2027, 2, 1), Bucket.DAYS_90),
        _deadline(datetime.date(2027, 2, 10), Bucket.AWAITING),  # renewal filed: nothing to file
        _deadline(datetime.date(2027, 10, 31), None),
        _deadline(datetime.date(2027, 11, 1), None),  # the 13th month
    ]

    months = dashboard.deadlines_by_month(deadlines, today)

    assert months[0].month == datetime.date(2026, 11, 1)
    assert months[-1].month == datetime.date(2027, 10, 1)
    assert [m.count for m in months] == [1, 1, 0, 1, 0, 0, 0, 0, 0, 0, 0, 1]


@pytest.mark.django_db
def test_check_all_service_leaves_no_run_when_nothing_matches(organization, actor):
    with pytest.raises(ValidationError):
        check_run_start(actor=actor, organization=organization, filters={}, via="test")
    with pytest.raises(ValidationError):
        check_run_start(
            actor=actor, organization=organization, filters={"facility_ids": []}, via="test"
        )

    assert not CheckRun.objects.exists()
