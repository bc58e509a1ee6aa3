"""Check runs from the web: "Check all" and the facility list's bulk action start a run in the
background (the immediate task backend in tests); its progress page, JSON progress and the
list of recent runs."""

from pathlib import Path

import pytest
from django.conf import settings
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from compliance.engine import create_run, execute_run
from compliance.models import CheckRun, ComplianceCheck
from geography.models import State
from tests.factories import FacilityFactory
from tests.factories.tenancy import make_tenancy

# Every request of a signed-in member starts with these three. (A first request stamps the
# session's last activity, at most once a minute: each test makes one before measuring.)
SESSION_USER_MEMBERSHIP = 3


@pytest.fixture
def tenancy(db):
    return make_tenancy()


@pytest.fixture
def facilities(tenancy):
    """Two Californian and one Texan active facilities, and a closed one."""
    organization = tenancy.organization
    return {
        "ca": [FacilityFactory(organization=organization) for _ in range(2)],
        "tx": FacilityFactory(organization=organization, state_code="US-TX"),
        "closed": FacilityFactory(
            organization=organization, status="closed", closed_on="2026-01-01"
        ),
    }


def _url(name, tenancy, **kwargs):
    return reverse(f"compliance:{name}", kwargs={"org": tenancy.organization.slug, **kwargs})


@pytest.mark.django_db
def test_check_all_runs_every_active_facility_in_the_background(
    client, tenancy, facilities, django_capture_on_commit_callbacks
):
    client.force_login(tenancy.officer)

    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(_url("run-start", tenancy))

    run = CheckRun.objects.get()
    assert response["Location"] == _url("run-detail", tenancy, pk=run.pk)
    assert (run.actor, run.via, run.status, run.filters) == (
        tenancy.officer,
        "web",
        "finished",
        {},
    )
    checked = sorted(run.checks.values_list("facility_id", flat=True))
    active = sorted(f.pk for f in [*facilities["ca"], facilities["tx"]])
    assert checked == active  # one check each, the closed facility never
    assert run.task_id


@pytest.mark.django_db
def test_bulk_action_checks_the_filtered_list(
    client, tenancy, facilities, django_capture_on_commit_callbacks
):
    texas = State.objects.get(code="US-TX")
    filters = {"country": str(texas.country_id), "state": str(texas.pk)}
    client.force_login(tenancy.officer)

    confirm = client.get(_url("run-start", tenancy), filters)
    with django_capture_on_commit_callbacks(execute=True):
        client.post(_url("run-start", tenancy), filters)

    assert "Check this facility" in confirm.content.decode()
    assert confirm.context["count"] == 1
    run = CheckRun.objects.get()
    assert run.filters == {"list": filters}  # the list's filters, never its facilities' ids
    assert list(run.checks.values_list("facility_id", flat=True)) == [facilities["tx"].pk]
    assert run.status == "finished"


@pytest.mark.django_db
def test_bulk_action_stores_only_the_lists_filters_and_checks_exactly_its_facilities(
    client, tenancy, facilities, django_capture_on_commit_callbacks
):
    """The list's `all` and `default` flags, its page and sort are not filters; the run's
    filters are resolved again when it executes: the active Californian facilities only."""
    california = State.objects.get(code="US-CA")
    filters = {"country": str(california.country_id), "state": str(california.pk)}
    params = {**filters, "all": "1", "default": "1", "page": "2", "sort": "-facility_name"}
    client.force_login(tenancy.officer)

    confirm = client.get(_url("run-start", tenancy), params)
    with django_capture_on_commit_callbacks(execute=True):
        client.post(_url("run-start", tenancy), params)

    assert confirm.context["filters"] == filters
    assert confirm.context["count"] == 2
    run = CheckRun.objects.get()
    assert run.filters == {"list": filters}
    checked = sorted(run.checks.values_list("facility_id", flat=True))
    assert checked == sorted(f.pk for f in facilities["ca"])  # not Texas, not the closed one
    assert (run.status, run.total, run.checked) == ("finished", 2, 2)


@pytest.mark.django_db
@pytest.mark.parametrize("flag", ["all", "default"])
def test_a_list_flag_alone_is_not_a_filter(
    client, tenancy, facilities, django_capture_on_commit_callbacks, flag
):
    client.force_login(tenancy.officer)

    confirm = client.get(_url("run-start", tenancy), {flag: "1"})
    with django_capture_on_commit_callbacks(execute=True):
        client.post(_url("run-start", tenancy), {flag: "1"})

    assert confirm.context["filters"] == {}
    assert "The organization has 3 active facilities." in confirm.content.decode()
    run = CheckRun.objects.get()
    assert run.filters == {}
    assert run.checks.count() == 3


@pytest.mark.django_db
def test_facility_list_offers_the_bulk_action_with_its_filters(client, tenancy, facilities):
    client.force_login(tenancy.officer)

    content = client.get(
        reverse("facilities:facility-list", kwargs={"org": "acme"}), {"q": "Facility", "page": 1}
    ).content.decode()

    assert 'href="/o/acme/runs/new/?q=Facility"' in content


@pytest.mark.django_db
def test_confirmation_counts_the_active_facilities(client, tenancy, facilities):
    client.force_login(tenancy.officer)

    response = client.get(_url("run-start", tenancy))

    assert response.context["count"] == 3
    assert "Check these 3 facilities" in response.content.decode()
    assert not CheckRun.objects.exists()


@pytest.mark.django_db
@pytest.mark.parametrize(
    ("filters", "message"),
    [
        ({"state": "not-a-state"}, "Some filters are not valid: nothing was checked."),
        ({"status": "closed"}, "No active facility matches these filters: nothing to check."),
    ],
)
def test_bulk_action_with_bad_or_empty_filters_starts_nothing(
    client, tenancy, facilities, filters, message
):
    client.force_login(tenancy.officer)

    response = client.post(_url("run-start", tenancy), filters, follow=True)

    assert [str(m) for m in response.context["messages"]] == [message]
    assert response.redirect_chain[-1][0] == "/o/acme/facilities/"
    assert not CheckRun.objects.exists()


@pytest.mark.django_db
def test_viewer_cannot_start_a_run(client, tenancy, facilities):
    client.force_login(tenancy.viewer)

    response = client.post(_url("run-start", tenancy))

    assert response.status_code == 403
    assert not CheckRun.objects.exists()


@pytest.mark.django_db
def test_run_detail_shows_progress_counts_and_checks(client, tenancy, facilities):
    run = execute_run(
        create_run(organization=tenancy.organization, actor=tenancy.officer, via="web")
    )
    check = run.checks.order_by("facility__facility_name").first()
    client.force_login(tenancy.viewer)

    response = client.get(_url("run-detail", tenancy, pk=run.pk))

    content = response.content.decode()
    assert response.context["progress"]["done"] is True
    assert 'data-field="status_label">Finished</strong>' in content
    assert '<span data-field="checked">3</span> / <span data-field="total">3</span>' in content
    assert _url("check-detail", tenancy, pk=check.pk) in content
    assert 'src="/static/js/run_progress.js"' in content
    assert f'data-progress-url="{_url("run-progress", tenancy, pk=run.pk)}"' in content


@pytest.mark.django_db
def test_progress_endpoint_reports_a_half_done_run(client, tenancy, facilities):
    run = create_run(organization=tenancy.organization, actor=tenancy.officer, via="web")

    class Stop(Exception):
        pass

    def stop(current):
        raise Stop

    with pytest.raises(Stop):
        execute_run(run, chunk_size=2, progress=stop)
    client.force_login(tenancy.viewer)

    response = client.get(_url("run-progress", tenancy, pk=run.pk), HTTP_X_BACKGROUND_POLL="1")

    data = response.json()
    assert {k: data[k] for k in ("status", "checked", "total", "percent", "done")} == {
        "status": "running",
        "checked": 2,
        "total": 3,
        "percent": 67,
        "done": False,
    }
    assert sum(data["counts"].values()) == 2
    assert response["Cache-Control"] == "no-store"


@pytest.mark.django_db
def test_a_failed_run_shows_members_a_generic_error_never_the_exception(
    client, tenancy, facilities
):
    """Even a run that failed before the error was made generic, with the exception's text
    stored, shows only the generic message."""
    raw = 'IntegrityError: duplicate key value violates unique constraint "check_unique"'
    run = create_run(organization=tenancy.organization, actor=tenancy.officer, via="web")
    CheckRun.objects.filter(pk=run.pk).update(status="failed", error=raw)
    client.force_login(tenancy.viewer)

    page = client.get(_url("run-detail", tenancy, pk=run.pk)).content.decode()
    data = client.get(_url("run-progress", tenancy, pk=run.pk)).json()

    generic = "The run stopped on an error; operators have the details in the logs."
    assert (data["status"], data["done"], data["error"]) == ("failed", True, generic)
    assert f'<p class="form-errors">{generic}</p>' in page
    assert "IntegrityError" not in page
    assert "check_unique" not in page


@pytest.mark.django_db
def test_an_unfailed_run_reports_no_error(client, tenancy, facilities):
    run = create_run(organization=tenancy.organization, actor=tenancy.officer, via="web")
    client.force_login(tenancy.viewer)

    data = client.get(_url("run-progress", tenancy, pk=run.pk)).json()

    assert data["error"] == ""


@pytest.mark.django_db
@pytest.mark.parametrize("name", ["run-detail", "run-progress"])
def test_run_of_another_organization_answers_404(client, tenancy, name):
    other = FacilityFactory(organization=tenancy.other_organization)
    run = create_run(organization=other.organization, actor=tenancy.outsider, via="web")
    client.force_login(tenancy.admin)

    response = client.get(_url(name, tenancy, pk=run.pk))

    assert response.status_code == 404


@pytest.mark.django_db
def test_run_list_shows_the_organizations_runs_only(client, tenancy, facilities):
    mine = create_run(organization=tenancy.organization, actor=tenancy.officer, via="web")
    FacilityFactory(organization=tenancy.other_organization)
    create_run(organization=tenancy.other_organization, actor=tenancy.outsider, via="web")
    client.force_login(tenancy.viewer)

    response = client.get(_url("run-list", tenancy))

    assert list(response.context["runs"]) == [mine]
    assert f'href="{_url("run-detail", tenancy, pk=mine.pk)}">Run {mine.pk}</a>' in (
        response.content.decode()
    )


@pytest.mark.django_db
@pytest.mark.parametrize("runs", [1, 10])
def test_run_list_query_count_does_not_grow_with_runs(client, tenancy, facilities, runs):
    for _ in range(runs):
        create_run(organization=tenancy.organization, actor=tenancy.officer, via="web")
    client.force_login(tenancy.viewer)

    client.get(_url("run-list", tenancy))

    # Session, user, membership; the runs with their actors.
    with CaptureQueriesContext(connection) as captured:
        client.get(_url("run-list", tenancy))

    assert len(captured) == SESSION_USER_MEMBERSHIP + 1


@pytest.mark.django_db
@pytest.mark.parametrize("count", [1, 10])
def test_run_detail_query_count_does_not_grow_with_checks(client, tenancy, count):
    for _ in range(count):
        FacilityFactory(organization=tenancy.organization)
    run = execute_run(
        create_run(organization=tenancy.organization, actor=tenancy.officer, via="web")
    )
    client.force_login(tenancy.viewer)

    client.get(_url("run-list", tenancy))

    # Session, user, membership; the run with its actor; the checks' count and page.
    with CaptureQueriesContext(connection) as captured:
        response = client.get(_url("run-detail", tenancy, pk=run.pk))

    assert len(captured) == SESSION_USER_MEMBERSHIP + 3
    assert len(response.context["page_obj"]) == count == ComplianceCheck.objects.count()


def test_progress_script_marks_its_requests_as_background_polls():
    script = Path(settings.BASE_DIR, "static", "js", "run_progress.js").read_text()

    assert '"X-Background-Poll": "1"' in script
    assert "2000" in script


def test_progress_script_stops_polling_once_redirected_to_the_login_page():
    script = Path(settings.BASE_DIR, "static", "js", "run_progress.js").read_text()

    assert "response.redirected" in script
    assert (
        'data-field="stopped"'
        in Path(settings.BASE_DIR, "templates", "compliance", "run_detail.html").read_text()
    )
