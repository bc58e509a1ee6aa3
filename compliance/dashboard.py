"""Reads of the organization's dashboard: where its facilities stand, place by place, what must
be filed soon, and which requirements fail most often.

Everything comes from the status projection (`FacilityStatus`, one row per facility, kept by
the engine) and the deadlines (`compliance.deadlines`), aggregated in the database or counted
in Python from rows that do not grow with the number of facilities beyond one small row each
(the problem codes). The number of queries is fixed whatever the number of facilities:

1. the status counts (one GROUP BY status);
2. the roll-up of the chosen level (one GROUP BY place, status);
3. the status by state of the chart (one GROUP BY state, status);
4. the open problems of the facilities that have any (one row of codes each);
5. the names of the custom rules among the ten most frequent problems;
6-9. the deadlines (`organization_deadlines`: four);
plus at most one to name the place drilled into (from the URL, or the member's default).
"""

from __future__ import annotations

import datetime
from collections import Counter
from collections.abc import Callable, Iterable, Sequence
from dataclasses import dataclass, field
from typing import Any
from urllib.parse import urlencode

from django.db import models
from django.db.models import Count, Min, QuerySet, Sum
from django.db.models.lookups import GreaterThan
from django.urls import reverse
from django.utils.translation import gettext
from django.utils.translation import gettext_lazy as _

from compliance import deadlines as deadlines_module
from compliance.deadlines import BUCKET_LABELS, FILING_BUCKETS, Bucket, Deadline
from compliance.models import ComplianceCheck, CustomComplianceRule, FacilityStatus
from compliance.regulations.registry import get_requirement
from facilities.models import Facility, Membership, Organization
from facilities.selectors import default_place
from geography.models import Country, State

# The facility list's `compliance_status` filter value of facilities never checked.
NEVER_CHECKED = "never"
Overall = ComplianceCheck.OverallStatus
STATUS_ORDER = (Overall.COMPLIANT, Overall.PENDING, Overall.NON_COMPLIANT, NEVER_CHECKED)
STATUS_LABELS: dict[str, Any] = {
    **{status: status.label for status in Overall},
    NEVER_CHECKED: _("Never checked"),
}
TOP_PROBLEMS = 10
CHART_MONTHS = 12


class JsonArrayLength(models.Func):
    """The length of a JSON array column: PostgreSQL's jsonb_array_length, SQLite's
    json_array_length. NULL (no status row) stays NULL, which SUM and COUNT skip."""

    function = "json_array_length"
    output_field = models.IntegerField()

    def as_postgresql(self, compiler: Any, connection: Any, **extra: Any) -> Any:
        return self.as_sql(compiler, connection, function="jsonb_array_length", **extra)


def _status_key(value: str | None) -> str:
    return value or NEVER_CHECKED


def _active_facilities(organization: Organization) -> QuerySet[Facility]:
    return Facility.objects.filter(organization=organization, status=Facility.Status.ACTIVE)


def _facility_list_url(organization: Organization, **params: Any) -> str:
    url = reverse("facilities:facility-list", kwargs={"org": organization.slug})
    query = {key: value for key, value in params.items() if value not in (None, "")}
    return f"{url}?{urlencode(query)}" if query else url


# --- Status counts ------------------------------------------------------------------------------


@dataclass(frozen=True)
class StatusCount:
    status: str
    label: str
    count: int
    url: str
    oldest_as_of: datetime.date | None = None
    age_days: int | None = None  # how old the oldest status of this kind is


def status_counts(organization: Organization, today: datetime.date) -> list[StatusCount]:
    """Active facilities by the status of their latest current check, never-checked apart,
    each with the age of its oldest status and a link to the facility list so filtered."""
    rows = (
        _active_facilities(organization)
        .values("compliance_status__overall_status")
        .annotate(count=Count("pk"), oldest=Min("compliance_status__as_of"))
        .order_by()
    )
    found: dict[str, dict[str, Any]] = {
        _status_key(row["compliance_status__overall_status"]): dict(row) for row in rows
    }
    counts = []
    for status in STATUS_ORDER:
        row = found.get(status, {})
        oldest = row.get("oldest")
        counts.append(
            StatusCount(
                status=status,
                label=str(STATUS_LABELS[status]),
                count=row.get("count", 0),
                url=_facility_list_url(organization, compliance_status=status, status="active"),
                oldest_as_of=oldest,
                age_days=(today - oldest).days if oldest else None,
            )
        )
    return counts


# --- Roll-up by place ---------------------------------------------------------------------------


@dataclass
class RollupRow:
    """One place of the roll-up. `percent_compliant` is compliant ÷ checked (never-checked
    facilities are not in the denominator: they are shown apart). `problems` counts the
    mandatory requirements missing or expired over the latest current checks (a facility
    missing three counts three); `facilities_with_problems` counts facilities."""

    name: str
    code: str = ""
    drill_url: str = ""
    list_url: str = ""
    active: int = 0
    checked: int = 0
    compliant: int = 0
    pending: int = 0
    non_compliant: int = 0
    never_checked: int = 0
    problems: int = 0
    facilities_with_problems: int = 0

    @property
    def percent_compliant(self) -> int | None:
        return round(100 * self.compliant / self.checked) if self.checked else None

    def add(self, status: str, count: int, problems: int, with_problems: int) -> None:
        self.active += count
        if status == NEVER_CHECKED:
            self.never_checked += count
        else:
            self.checked += count
            setattr(self, status, getattr(self, status) + count)
        self.problems += problems
        self.facilities_with_problems += with_problems


@dataclass(frozen=True)
class Crumb:
    label: str
    url: str = ""  # blank: the current level


@dataclass
class Rollup:
    level: str  # "country", "state" or "district": what the rows are
    rows: list[RollupRow]
    total: RollupRow
    breadcrumbs: list[Crumb]
    country: Country | None = None
    state: State | None = None
    from_default: bool = False  # pre-filtered by the member's default country/state
    error: str = ""


@dataclass(frozen=True)
class Place:
    """Where the roll-up is drilled into, resolved from the URL or the member's defaults."""

    country: Country | None = None
    state: State | None = None
    from_default: bool = False
    error: str = ""


def resolve_place(
    params: dict[str, str], membership: Membership, *, default_applies: bool
) -> Place:
    """The place of `?country=US&state=US-CA` (ISO codes). Without either parameter, the
    member's default state (or country) is used when `default_applies`; an explicit empty
    `?country=` means "every country". An unknown code or a state outside the country gives
    an error message and the top level. At most one query."""
    country_code = params.get("country", "").strip().upper()
    state_code = params.get("state", "").strip().upper()
    if "country" not in params and "state" not in params and default_applies:
        country, state = default_place(membership)
        return Place(country, state, from_default=True) if country else Place()
    if state_code:
        named = State.objects.select_related("country").filter(code=state_code).first()
        if named is None or (country_code and named.country.code != country_code):
            return Place(error=gettext("There is no such state: every country is shown."))
        return Place(named.country, named)
    if country_code:
        found = Country.objects.filter(code=country_code).first()
        if found is None:
            return Place(error=gettext("There is no such country: every country is shown."))
        return Place(found)
    return Place()


def _dashboard_url(organization: Organization, **params: str) -> str:
    url = reverse("facilities:organization", kwargs={"org": organization.slug})
    return f"{url}?{urlencode(params)}"


def _status_aggregates(queryset: QuerySet[Facility], *keys: str) -> Iterable[dict[str, Any]]:
    problems = JsonArrayLength("compliance_status__problems")
    rows: Iterable[dict[str, Any]] = (
        queryset.values(*keys, "compliance_status__overall_status")
        .annotate(
            count=Count("pk"),
            problems=Sum(problems),
            with_problems=Count("pk", filter=GreaterThan(problems, 0)),
        )
        .order_by()
    )
    return rows


def rollup(organization: Organization, place: Place) -> Rollup:
    """Active facilities of the place's next level down (countries, a country's states, a
    state's districts), with status counts, % compliant and open problems. One query."""
    queryset = _active_facilities(organization)
    country, state = place.country, place.state
    everywhere = gettext("All countries")
    row_for: Callable[[dict[str, Any]], RollupRow]
    keys: tuple[str, ...]
    if country is not None and state is not None:
        queryset = queryset.filter(state=state)
        level, keys = "district", ("district_id", "district__name")
        crumbs = [
            Crumb(everywhere, _dashboard_url(organization, country="")),
            Crumb(country.name, _dashboard_url(organization, country=country.code)),
            Crumb(state.name),
        ]

        def row_for(row: dict[str, Any]) -> RollupRow:
            district = row["district_id"]
            list_url = _facility_list_url(
                organization, status="active", country=country.pk, state=state.pk, district=district
            )
            return RollupRow(
                name=row["district__name"] or "", list_url=list_url if district else ""
            )

    elif country is not None:
        queryset = queryset.filter(country=country)
        level, keys = "state", ("state_id", "state__code", "state__name")
        crumbs = [Crumb(everywhere, _dashboard_url(organization, country="")), Crumb(country.name)]

        def row_for(row: dict[str, Any]) -> RollupRow:
            return RollupRow(
                name=row["state__name"],
                code=row["state__code"],
                drill_url=_dashboard_url(
                    organization, country=country.code, state=row["state__code"]
                ),
                list_url=_facility_list_url(
                    organization, status="active", country=country.pk, state=row["state_id"]
                ),
            )

    else:
        level, keys = "country", ("country_id", "country__code", "country__name")
        crumbs = [Crumb(everywhere)]

        def row_for(row: dict[str, Any]) -> RollupRow:
            return RollupRow(
                name=row["country__name"],
                code=row["country__code"],
                drill_url=_dashboard_url(organization, country=row["country__code"]),
                list_url=_facility_list_url(
                    organization, status="active", country=row["country_id"]
                ),
            )

    by_place: dict[Any, RollupRow] = {}
    total = RollupRow(name=gettext("Total"))
    for row in _status_aggregates(queryset, *keys):
        status = _status_key(row["compliance_status__overall_status"])
        figures = (status, row["count"], row["problems"] or 0, row["with_problems"])
        total.add(*figures)
        entry = by_place.get(row[keys[0]])
        if entry is None:
            entry = by_place[row[keys[0]]] = row_for(row)
        entry.add(*figures)
    rows = sorted(by_place.values(), key=lambda r: (r.name == "", r.name.casefold()))
    total.list_url = _facility_list_url(
        organization,
        status="active",
        country=country.pk if country else None,
        state=state.pk if state else None,
    )
    return Rollup(
        level=level,
        rows=rows,
        total=total,
        breadcrumbs=crumbs,
        country=country,
        state=state,
        from_default=place.from_default,
        error=place.error,
    )


# --- The status-by-state chart's data -----------------------------------------------------------


@dataclass
class StateStatus:
    code: str
    name: str
    counts: dict[str, int] = field(default_factory=dict)

    @property
    def total(self) -> int:
        return sum(self.counts.values())


def status_by_state(organization: Organization, country: Country | None) -> list[StateStatus]:
    """Active facilities by state and status (within the country when one is chosen), the
    states with most facilities first. One query."""
    queryset = _active_facilities(organization)
    if country is not None:
        queryset = queryset.filter(country=country)
    states: dict[str, StateStatus] = {}
    rows = (
        queryset.values("state__code", "state__name", "compliance_status__overall_status")
        .annotate(count=Count("pk"))
        .order_by()
    )
    for row in rows:
        entry = states.setdefault(
            row["state__code"],
            StateStatus(row["state__code"], row["state__name"], dict.fromkeys(STATUS_ORDER, 0)),
        )
        entry.counts[_status_key(row["compliance_status__overall_status"])] += row["count"]
    return sorted(states.values(), key=lambda s: (-s.total, s.code))


# --- The most frequent problems -----------------------------------------------------------------


@dataclass(frozen=True)
class Problem:
    code: str
    title: str
    framework: str
    facilities: int
    url: str


def top_problems(organization: Organization, limit: int = TOP_PROBLEMS) -> list[Problem]:
    """The requirements most often missing or expired (mandatory ones) in the latest current
    checks of the active facilities, with the number of facilities each. Two queries: the
    problem codes of the facilities that have any, the names of the custom rules among them.
    Ties are broken by code, so the list is stable."""
    lists = (
        FacilityStatus.objects.filter(
            organization=organization, facility__status=Facility.Status.ACTIVE
        )
        .alias(open=JsonArrayLength("problems"))
        .filter(open__gt=0)
        .values_list("problems", flat=True)
    )
    counter: Counter[str] = Counter()
    for codes in lists:
        counter.update(set(codes))
    top = sorted(counter.items(), key=lambda item: (-item[1], item[0]))[:limit]
    custom_codes = [code for code, _count in top if get_requirement(code) is None]
    custom_names = dict(
        CustomComplianceRule.objects.filter(
            organization=organization, code__in=custom_codes
        ).values_list("code", "name")
        if custom_codes
        else ()
    )
    catalog = reverse("compliance:catalog", kwargs={"org": organization.slug})
    rules = reverse("compliance:rule-list", kwargs={"org": organization.slug})
    problems = []
    for code, count in top:
        found = get_requirement(code)
        if found is not None:
            framework, requirement = found
            title, framework_code = gettext(str(requirement.title)), framework.code
            url = f"{catalog}#cat-{framework.code}"
        else:
            title, framework_code = custom_names.get(code, code), "CUSTOM"
            url = rules
        problems.append(Problem(code, title, framework_code, count, url))
    return problems


# --- Deadlines ----------------------------------------------------------------------------------


@dataclass(frozen=True)
class BucketCount:
    bucket: Bucket
    label: str
    count: int
    url: str
    filing: bool


@dataclass(frozen=True)
class MonthCount:
    month: datetime.date  # its first day
    count: int


def expiries_url(organization: Organization, **params: str) -> str:
    url = reverse("compliance:expiries", kwargs={"org": organization.slug})
    return f"{url}?{urlencode(params)}" if params else url


def deadline_buckets(
    organization: Organization, deadlines: Sequence[Deadline]
) -> list[BucketCount]:
    """The filing buckets, then lapsed and awaiting apart, each linking to the expiries page."""
    counts = deadlines_module.bucket_counts(deadlines)
    return [
        BucketCount(
            bucket=bucket,
            label=str(BUCKET_LABELS[bucket]),
            count=counts.get(bucket, 0),
            url=expiries_url(organization, bucket=bucket.value),
            filing=bucket in FILING_BUCKETS,
        )
        for bucket in Bucket
    ]


def _add_months(day: datetime.date, months: int) -> datetime.date:
    index = day.month - 1 + months
    return datetime.date(day.year + index // 12, index % 12 + 1, 1)


def deadlines_by_month(
    deadlines: Sequence[Deadline], today: datetime.date, months: int = CHART_MONTHS
) -> list[MonthCount]:
    """Must-file-by dates from today on, per calendar month, this month and the next 11.
    Lapsed items and those awaiting the authority have nothing left to file; overdue ones are
    in the bucket counts, not here."""
    first = today.replace(day=1)
    starts = [_add_months(first, n) for n in range(months)]
    end = _add_months(first, months)
    counter = Counter(
        d.file_by.replace(day=1)
        for d in deadlines
        if d.bucket not in (Bucket.LAPSED, Bucket.AWAITING) and today <= d.file_by < end
    )
    return [MonthCount(month, counter.get(month, 0)) for month in starts]


# --- The facility list's filter by compliance status -------------------------------------------


def status_filter_choices() -> list[tuple[str, str]]:
    """The choices of the facility list's `compliance_status` filter."""
    return [(status, str(STATUS_LABELS[status])) for status in STATUS_ORDER]


def filter_by_compliance_status(queryset: QuerySet[Facility], value: str) -> QuerySet[Facility]:
    """Facilities whose latest current check has this status, or never checked ("never")."""
    if value == NEVER_CHECKED:
        return queryset.filter(compliance_status__isnull=True)
    return queryset.filter(compliance_status__overall_status=value)
