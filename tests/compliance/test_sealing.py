"""Tamper evidence by sealing (compliance.sealing, DESIGN.md §9): `seal_audit_trail` chains
SHA-256 digests of new audit rows into append-only seals up to a safe horizon, and
`verify_audit_trail` names the first row edited, removed or inserted out of order."""

import io
import threading

import psycopg
import pytest
from django.conf import settings
from django.core.management import call_command, load_command_class
from django.core.management.base import CommandError
from django.db import connection, transaction
from psycopg import sql

from compliance import sealing
from compliance.engine import run_checks
from compliance.models import AuditSeal, ComplianceCheck
from facilities.models import Facility, Organization
from tests.factories import (
    FacilityFactory,
    FacilityLicenseFactory,
    OrganizationFactory,
    UserFactory,
)

pytestmark = pytest.mark.skipif(
    settings.DATABASES["default"]["ENGINE"] != "django.db.backends.postgresql",
    reason="these tests tamper through PostgreSQL's session_replication_role",
)

HistoricalOrganization = Organization.history.model
ORGANIZATIONS = HistoricalOrganization._meta.db_table


def _execute(template: str, *params: object) -> None:
    with connection.cursor() as cursor:
        cursor.execute(sql.SQL(template).format(sql.Identifier(ORGANIZATIONS)), params)  # type: ignore[arg-type]


def _seal(actor, **options) -> str:
    out = io.StringIO()
    call_command("seal_audit_trail", actor=actor.username, stdout=out, **options)
    return out.getvalue()


def _verify() -> str:
    out = io.StringIO()
    call_command("verify_audit_trail", stdout=out, stderr=io.StringIO())
    return out.getvalue()


def _verify_fails() -> str:
    with pytest.raises(CommandError) as failed:
        call_command("verify_audit_trail", stdout=io.StringIO(), stderr=io.StringIO())
    assert failed.value.returncode == 1
    return str(failed.value)


@pytest.fixture
def actor():
    return UserFactory(username="sealer")


@pytest.fixture
def trail(db):
    """History rows of three organizations, a facility and a licence, one check and the rules
    catalog it is read with: 7 rows. (The tables' name order differs from the key order of a
    jsonb document: the seal must not depend on it.)"""
    organizations = [OrganizationFactory(name=f"Org {n}", slug=f"org-{n}") for n in range(3)]
    facility = FacilityFactory(organization=organizations[0])
    FacilityLicenseFactory(facility=facility)
    run_checks(Facility.objects.filter(pk=facility.pk), actor=UserFactory(), via="test")
    return organizations


def _history_ids() -> list[int]:
    return list(HistoricalOrganization.objects.order_by("history_id").values_list("pk", flat=True))


@pytest.mark.django_db
def test_seal_chains_the_new_rows_of_every_audit_table(trail, actor):
    output = _seal(actor)

    seal = AuditSeal.objects.get()
    organizations = seal.tables[ORGANIZATIONS]
    checks = seal.tables[ComplianceCheck._meta.db_table]
    ids = _history_ids()
    assert output.startswith(f"Seal #1: {seal.rows} rows (")
    assert (seal.sequence, seal.previous_digest, seal.sealed_by) == (1, "", actor)
    assert len(seal.digest) == 64
    assert organizations["fields"][:3] == ["history_id", "id", "name"]
    assert "history_change_reason" in organizations["fields"]
    assert (organizations["after_id"], organizations["last_id"]) == (0, ids[-1])
    assert (organizations["rows"], organizations["total"]) == (3, 3)
    assert (checks["rows"], checks["last_id"]) == (1, ComplianceCheck.objects.get().pk)
    assert seal.rows == sum(meta["rows"] for meta in seal.tables.values())


@pytest.mark.django_db
def test_second_seal_continues_the_chain_and_nothing_new_appends_no_seal(trail, actor):
    _seal(actor)
    again = _seal(actor)
    OrganizationFactory(name="Late Health", slug="late")

    output = _seal(actor)

    first, second = AuditSeal.objects.order_by("sequence")
    assert again == "Nothing new to seal (newest seal #1).\n"
    assert second.previous_digest == first.digest
    assert second.tables[ORGANIZATIONS]["after_id"] == first.tables[ORGANIZATIONS]["last_id"]
    assert (second.tables[ORGANIZATIONS]["rows"], second.tables[ORGANIZATIONS]["total"]) == (1, 4)
    assert second.rows == 1
    assert output == f"Seal #2: 1 rows ({ORGANIZATIONS} 1), digest {second.digest}.\n"


@pytest.mark.django_db
def test_max_rows_splits_the_work_into_several_seals(trail, actor):
    _seal(actor, max_rows=2)

    seals = list(AuditSeal.objects.order_by("sequence"))
    assert [seal.tables[ORGANIZATIONS]["rows"] for seal in seals] == [2, 1]
    assert _verify() == "Audit trail intact: 2 seal(s), 7 rows verified, 0 rows not yet sealed.\n"


@pytest.mark.django_db
def test_verify_passes_on_a_clean_sealed_database_and_counts_unsealed_rows(trail, actor):
    _seal(actor)
    clean = _verify()
    OrganizationFactory(name="Late Health", slug="late")

    later = _verify()

    assert clean == "Audit trail intact: 1 seal(s), 7 rows verified, 0 rows not yet sealed.\n"
    assert later == "Audit trail intact: 1 seal(s), 7 rows verified, 1 rows not yet sealed.\n"


@pytest.mark.django_db
def test_verify_names_an_edited_row(trail, actor, append_only_bypassed):
    _seal(actor)
    edited = _history_ids()[1]

    with append_only_bypassed():
        _execute("UPDATE {} SET name = 'Forged' WHERE history_id = %s", edited)

    assert _verify_fails() == (
        f"Audit trail verification FAILED: 1 problem(s); first: {ORGANIZATIONS}: row {edited} "
        "was edited (sealed in #1)."
    )


@pytest.mark.django_db
def test_verify_names_the_first_edited_row_and_blames_no_seal_when_rows_differ_in_two_seals(
    trail, actor, append_only_bypassed
):
    _seal(actor, max_rows=2)  # seal #1 holds the first two rows, seal #2 the third
    first, _, third = _history_ids()

    with append_only_bypassed():
        _execute("UPDATE {} SET name = 'Forged' WHERE history_id IN (%s, %s)", first, third)

    result = sealing.verify()
    assert result.problems == [f"{ORGANIZATIONS}: row {first} was edited (sealed in #1)."]
    assert _verify_fails() == (
        f"Audit trail verification FAILED: 1 problem(s); first: {ORGANIZATIONS}: row {first} "
        "was edited (sealed in #1)."
    )


@pytest.mark.django_db
def test_verify_names_the_newest_row_deleted(trail, actor, append_only_bypassed):
    _seal(actor)
    newest = _history_ids()[-1]

    with append_only_bypassed():
        _execute("DELETE FROM {} WHERE history_id = %s", newest)

    message = _verify_fails()
    assert message.startswith(
        f"Audit trail verification FAILED: 1 problem(s); first: {ORGANIZATIONS}: row {newest} "
        "was removed (sealed in #1)."
    )


@pytest.mark.django_db
def test_verify_names_a_row_inserted_below_the_sealed_head(actor):
    first = OrganizationFactory(name="First", slug="first")
    with connection.cursor() as cursor:  # an id drawn and never used, as by a rollback
        cursor.execute("SELECT nextval(pg_get_serial_sequence(%s, 'history_id'))", [ORGANIZATIONS])
        [(unused,)] = cursor.fetchall()
    OrganizationFactory(name="Second", slug="second")
    _seal(actor)
    original = HistoricalOrganization.objects.get(id=first.pk)

    # Inserts are what the triggers allow: no bypass needed to forge a back-dated row.
    forged = HistoricalOrganization(
        **{
            f.attname: getattr(original, f.attname)
            for f in HistoricalOrganization._meta.concrete_fields
        }
    )
    forged.history_id = unused
    forged.history_change_reason = "back-dated"
    forged.save(force_insert=True)

    assert _verify_fails() == (
        f"Audit trail verification FAILED: 1 problem(s); first: {ORGANIZATIONS}: row {unused} was "
        "inserted out of order (an unused id below the head of seal #1)."
    )


@pytest.mark.django_db
def test_verify_detects_an_altered_seal(trail, actor, append_only_bypassed):
    _seal(actor)
    seal = AuditSeal.objects.get()
    tables = {**seal.tables, ORGANIZATIONS: {**seal.tables[ORGANIZATIONS], "total": 99}}

    with append_only_bypassed(), connection.cursor() as cursor:
        cursor.execute(
            "UPDATE compliance_auditseal SET tables = %s::jsonb WHERE id = %s",
            [sealing.canonical_json(tables).decode(), seal.pk],
        )

    message = _verify_fails()
    assert "first: Seal #1 does not match its digest: the seal itself was altered." in message


@pytest.mark.django_db
def test_a_second_sealer_says_another_is_running(trail, actor):
    dsn = connection.get_connection_params()
    with psycopg.connect(
        dbname=dsn["dbname"], user=dsn.get("user"), host=dsn.get("host"), port=dsn.get("port")
    ) as other:
        other.execute("SELECT pg_advisory_lock(%s)", [sealing.ADVISORY_LOCK_KEY])

        output = _seal(actor)

    assert output == "Another seal_audit_trail is running: nothing done.\n"
    assert not AuditSeal.objects.exists()


@pytest.mark.django_db(transaction=True)
def test_a_seal_taken_during_an_uncommitted_insert_raises_no_false_alarm(actor):
    """A transaction draws a lower id, a later one commits a higher id first. Sealing up to
    max(id) without waiting would leave the lower row below the head, to appear later as an
    insertion out of order. The sealer waits for it (here: gives up after the lock timeout and
    leaves the table to the next seal; then, waiting, seals both)."""
    OrganizationFactory(name="Before", slug="before")
    inserted, release = threading.Event(), threading.Event()
    slow: list[int] = []

    def slow_transaction() -> None:
        try:
            with transaction.atomic():
                slow.append(OrganizationFactory(name="Slow", slug="slow").pk)
                inserted.set()
                release.wait(timeout=30)
        finally:
            connection.close()

    thread = threading.Thread(target=slow_transaction)
    thread.start()
    assert inserted.wait(timeout=30)
    fast = OrganizationFactory(name="Fast", slug="fast")  # a higher id, committed first

    during = _seal(actor, lock_timeout=0.3)
    release.set()
    thread.join(timeout=30)
    after = _seal(actor)

    slow_row = HistoricalOrganization.objects.get(id=slow[0])
    fast_row = HistoricalOrganization.objects.get(id=fast.pk)
    assert slow_row.history_id < fast_row.history_id
    assert (
        f"{ORGANIZATIONS}: in-flight inserts held it for more than 0.3s; its new rows wait for "
        "the next seal." in during
    )
    assert during.endswith("Nothing to seal yet.\n")
    seal = AuditSeal.objects.get()
    assert seal.tables[ORGANIZATIONS]["last_id"] == fast_row.history_id
    assert f"{ORGANIZATIONS} 3" in after
    assert _verify() == "Audit trail intact: 1 seal(s), 3 rows verified, 0 rows not yet sealed.\n"


@pytest.mark.django_db(transaction=True)
def test_a_seal_waits_for_an_in_flight_insert_and_seals_it(actor):
    OrganizationFactory(name="Before", slug="before")
    inserted = threading.Event()

    def slow_transaction() -> None:
        try:
            with transaction.atomic():
                OrganizationFactory(name="Slow", slug="slow")
                inserted.set()
                threading.Event().wait(0.5)  # still uncommitted while the sealer starts
        finally:
            connection.close()

    thread = threading.Thread(target=slow_transaction)
    thread.start()
    assert inserted.wait(timeout=30)
    OrganizationFactory(name="Fast", slug="fast")

    output = _seal(actor)
    thread.join(timeout=30)

    assert f"{ORGANIZATIONS} 3" in output
    assert AuditSeal.objects.get().tables[ORGANIZATIONS]["total"] == 3
    assert _verify() == "Audit trail intact: 1 seal(s), 3 rows verified, 0 rows not yet sealed.\n"


# --- The commands -----------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("name", "phrases"),
    [
        ("seal_audit_trail", ["safe", "horizon", "--actor", "--max-rows", "--lock-timeout"]),
        ("verify_audit_trail", ["edited, removed or inserted out of order", "non-zero"]),
    ],
)
def test_commands_explain_themselves_in_help(name, phrases):
    parser = load_command_class("compliance", name).create_parser("manage.py", name)

    text = " ".join(parser.format_help().split())

    for phrase in phrases:
        assert phrase in text


@pytest.mark.django_db
def test_seal_refuses_bad_options(actor):
    with pytest.raises(CommandError, match="--max-rows must be at least 1"):
        _seal(actor, max_rows=0)
    with pytest.raises(CommandError, match="--lock-timeout must be positive"):
        _seal(actor, lock_timeout=0)


@pytest.mark.django_db
def test_verify_without_seals_fails_when_there_are_audit_rows(trail):
    assert _verify_fails() == (
        "No seals, but 7 audit rows: run seal_audit_trail (if seals existed before, they were "
        "removed)."
    )
