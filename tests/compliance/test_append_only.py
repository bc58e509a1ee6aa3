"""The audit trail is append-only at the database (compliance.append_only, DESIGN.md §9):
PostgreSQL triggers refuse UPDATE, DELETE and TRUNCATE on history tables, checks and seals, and
DELETE and TRUNCATE on check runs, whatever the SQL; the admin offers no way to edit history."""

import pytest
from django.apps import apps
from django.conf import settings
from django.core.management import call_command
from django.db import connection, transaction
from django.db.utils import ProgrammingError
from django.urls import reverse
from psycopg import sql

from compliance import append_only, sealing
from compliance.engine import run_checks
from compliance.models import AuditSeal, CheckRun, ComplianceCheck
from facilities.models import Facility, Organization
from tests.factories import FacilityFactory, OrganizationFactory, UserFactory

pytestmark = [
    pytest.mark.skipif(
        settings.DATABASES["default"]["ENGINE"] != "django.db.backends.postgresql",
        reason="the append-only triggers exist on PostgreSQL only",
    ),
    pytest.mark.django_db,
]

HistoricalOrganization = Organization.history.model


def _sql(template: str, table: str) -> sql.Composed:
    """A statement on `table`, its name quoted by psycopg."""
    return sql.SQL(template).format(sql.Identifier(table))  # type: ignore[arg-type]


def _refused(statement: sql.Composed, params: list[object] | None = None) -> str:
    """Run `statement` in a savepoint; return the database's refusal message."""
    with connection.cursor() as cursor:
        # The test's own inserts left deferred foreign-key checks pending, and TRUNCATE
        # refuses a table with pending trigger events before any trigger of ours runs.
        cursor.execute("SET CONSTRAINTS ALL IMMEDIATE")
        with pytest.raises(ProgrammingError) as refused, transaction.atomic():
            cursor.execute(statement, params)
    return str(refused.value)


@pytest.fixture
def organization():
    return OrganizationFactory(name="Acme Health", slug="acme")


@pytest.fixture
def check():
    facility = FacilityFactory()
    [run] = run_checks(Facility.objects.filter(pk=facility.pk), actor=UserFactory(), via="test")
    return ComplianceCheck.objects.get(run=run)


def test_history_rows_refuse_update_delete_and_truncate(organization):
    row = HistoricalOrganization.objects.get(id=organization.pk)
    table = HistoricalOrganization._meta.db_table

    update = _refused(_sql("UPDATE {} SET name = 'Forged' WHERE history_id = %s", table), [row.pk])
    delete = _refused(_sql("DELETE FROM {} WHERE history_id = %s", table), [row.pk])
    truncate = _refused(_sql("TRUNCATE {}", table))

    assert f"UPDATE on table {table} refused: the table is append-only" in update
    assert f"DELETE on table {table} refused: the table is append-only" in delete
    assert f"TRUNCATE on table {table} refused: the table is append-only" in truncate
    row_after = HistoricalOrganization.objects.get(pk=row.pk)
    assert (row_after.name, row_after.history_change_reason) == (
        "Acme Health",
        row.history_change_reason,
    )


def test_checks_refuse_update_delete_and_truncate(check):
    table = ComplianceCheck._meta.db_table

    update = _refused(
        _sql("UPDATE {} SET overall_status = 'compliant' WHERE id = %s", table), [check.pk]
    )
    delete = _refused(_sql("DELETE FROM {} WHERE id = %s", table), [check.pk])
    truncate = _refused(_sql("TRUNCATE {} CASCADE", table))

    for operation, message in (("UPDATE", update), ("DELETE", delete), ("TRUNCATE", truncate)):
        assert f"{operation} on table {table} refused: the table is append-only" in message
    assert ComplianceCheck.objects.get(pk=check.pk).overall_status == check.overall_status


def test_seals_refuse_update_delete_and_truncate(organization):
    [seal] = sealing.seal(actor=UserFactory()).seals
    table = AuditSeal._meta.db_table

    update = _refused(_sql("UPDATE {} SET digest = 'forged' WHERE id = %s", table), [seal.pk])
    delete = _refused(_sql("DELETE FROM {} WHERE id = %s", table), [seal.pk])
    truncate = _refused(_sql("TRUNCATE {}", table))

    for operation, message in (("UPDATE", update), ("DELETE", delete), ("TRUNCATE", truncate)):
        assert f"{operation} on table {table} refused: the table is append-only" in message
    assert AuditSeal.objects.get(pk=seal.pk).digest == seal.digest


def test_check_runs_refuse_delete_and_truncate_but_record_progress(check):
    run = check.run
    table = CheckRun._meta.db_table

    delete = _refused(_sql("DELETE FROM {} WHERE id = %s", table), [run.pk])
    truncate = _refused(_sql("TRUNCATE {} CASCADE", table))
    with connection.cursor() as cursor:
        cursor.execute(
            _sql("UPDATE {} SET checked = 7, error = 'noted' WHERE id = %s", table), [run.pk]
        )

    assert f"DELETE on table {table} refused: the table is append-only" in delete
    assert f"TRUNCATE on table {table} refused: the table is append-only" in truncate
    run.refresh_from_db()
    assert (run.checked, run.error) == (7, "noted")


def _triggers() -> dict[str, dict[str, str]]:
    """{table: {trigger name: definition}} for the append-only triggers."""
    with connection.cursor() as cursor:
        cursor.execute(
            """
            SELECT c.relname, t.tgname, pg_get_triggerdef(t.oid)
            FROM pg_trigger t JOIN pg_class c ON c.oid = t.tgrelid
            WHERE NOT t.tgisinternal AND t.tgname LIKE 'hims_append_only%%'
              AND t.tgenabled = 'O'
            """
        )
        triggers: dict[str, dict[str, str]] = {}
        for table, name, definition in cursor.fetchall():
            triggers.setdefault(table, {})[name] = definition
    return triggers


def test_every_history_table_and_audit_table_carries_the_triggers():
    """Walks the app registry, so a history table added later without triggers fails here."""
    history_tables = {
        model._meta.db_table
        for model in apps.get_models()
        if model.__name__.startswith("Historical") or hasattr(model, "history_id")
    }
    triggers = _triggers()

    assert len(history_tables) >= 9  # organizations ... custom rules, as of this writing
    append_only = ["compliance_compliancecheck", "compliance_auditseal", "compliance_rulescatalog"]
    for table in [*sorted(history_tables), *append_only]:
        row, truncate = (
            triggers[table]["hims_append_only_row"],
            triggers[table]["hims_append_only_truncate"],
        )
        assert "BEFORE DELETE OR UPDATE" in row, table
        assert "FOR EACH ROW" in row, table
        assert "BEFORE TRUNCATE" in truncate, table
        assert "FOR EACH STATEMENT" in truncate, table
    run_row = triggers["compliance_checkrun"]["hims_append_only_row"]
    assert "BEFORE DELETE ON" in run_row
    assert "UPDATE" not in run_row
    assert "BEFORE TRUNCATE" in triggers["compliance_checkrun"]["hims_append_only_truncate"]
    assert set(triggers) == history_tables | {*append_only, "compliance_checkrun"}


def test_installer_restores_a_missing_trigger_and_is_idempotent():
    table = HistoricalOrganization._meta.db_table
    with connection.cursor() as cursor:
        cursor.execute(f"DROP TRIGGER {append_only.ROW_TRIGGER} ON {table}")

    first = append_only.install(connection, apps.get_models())
    second = append_only.install(connection, apps.get_models())

    assert first == [table]
    assert second == []
    assert set(_triggers()[table]) == {"hims_append_only_row", "hims_append_only_truncate"}


def test_migrate_installs_missing_triggers_after_migrating():
    """The post_migrate handler: a history table a later migration adds gets the triggers."""
    table = HistoricalOrganization._meta.db_table
    with connection.cursor() as cursor:
        cursor.execute(f"DROP TRIGGER {append_only.ROW_TRIGGER} ON {table}")
        cursor.execute(f"DROP TRIGGER {append_only.TRUNCATE_TRIGGER} ON {table}")

    call_command("migrate", verbosity=0)

    assert set(_triggers()[table]) == {"hims_append_only_row", "hims_append_only_truncate"}


def test_replica_session_bypasses_the_triggers(organization, append_only_bypassed):
    """The one exception, used by the test suite's flush and the tamper tests."""
    table = HistoricalOrganization._meta.db_table

    with append_only_bypassed(), connection.cursor() as cursor:
        cursor.execute(
            _sql("UPDATE {} SET name = 'Forged' WHERE id = %s", table), [organization.pk]
        )

    assert HistoricalOrganization.objects.get(id=organization.pk).name == "Forged"
    assert "append-only" in _refused(_sql("DELETE FROM {}", table))


# --- The admin offers no change, delete or revert on history ---------------------------------


def test_history_settings_disable_revert_and_enforce_permissions():
    assert settings.SIMPLE_HISTORY_REVERT_DISABLED is True
    assert settings.SIMPLE_HISTORY_ENFORCE_HISTORY_MODEL_PERMISSIONS is True


def test_admin_history_is_read_only_for_a_superuser(client, organization):
    client.force_login(UserFactory(is_staff=True, is_superuser=True))
    record = HistoricalOrganization.objects.get(id=organization.pk)
    url = reverse(
        "admin:facilities_organization_simple_history",
        args=[organization.pk, record.history_id],
    )

    history_page = client.get(
        reverse("admin:facilities_organization_history", args=[organization.pk])
    )
    record_page = client.get(url)
    revert = client.post(url, {"name": "Reverted", "slug": "acme"})

    assert history_page.status_code == 200
    assert "Acme Health" in history_page.content.decode()
    assert record_page.status_code == 200
    # Revert disabled: the historical record is shown without a button to save it back.
    assert 'name="_save"' not in record_page.content.decode()
    assert 'name="_change_history"' not in record_page.content.decode()
    assert revert.status_code == 403
    organization.refresh_from_db()
    assert organization.name == "Acme Health"
    assert HistoricalOrganization.objects.filter(id=organization.pk).count() == 1


def test_admin_has_no_change_or_delete_for_seals(client, organization):
    [seal] = sealing.seal(actor=UserFactory()).seals
    client.force_login(UserFactory(is_staff=True, is_superuser=True))

    change = client.get(reverse("admin:compliance_auditseal_change", args=[seal.pk]))
    post = client.post(reverse("admin:compliance_auditseal_change", args=[seal.pk]), {})
    delete = client.post(
        reverse("admin:compliance_auditseal_delete", args=[seal.pk]), {"post": "yes"}
    )
    add = client.get(reverse("admin:compliance_auditseal_add"))

    assert change.status_code == 200
    assert 'name="_save"' not in change.content.decode()
    assert (post.status_code, delete.status_code, add.status_code) == (403, 403, 403)
    assert AuditSeal.objects.get(pk=seal.pk).digest == seal.digest


def test_admin_hides_seals_from_staff_who_are_not_superusers(client):
    staff = UserFactory(is_staff=True)
    client.force_login(staff)

    response = client.get(reverse("admin:compliance_auditseal_changelist"))

    assert response.status_code == 403
