import datetime
import io
from types import SimpleNamespace

import pytest
from django.core.management import call_command
from django.core.management.base import CommandError
from django.db import transaction
from django.test import override_settings

from compliance.regulations import identifiers
from facilities import demo
from facilities.actors import os_user, system_user
from facilities.models import (
    Accreditation,
    Facility,
    FacilityLicense,
    Membership,
    Organization,
    RecordStatus,
    User,
)
from tests.factories import UserFactory

TRACKED_MODELS = (Organization, Membership, Facility, FacilityLicense, Accreditation)
DEMO_USERNAMES = {"admin", "aurora-admin", "aurora-officer", "aurora-viewer", "vale-officer"}
CURRENT = (RecordStatus.ACTIVE, RecordStatus.PENDING_RENEWAL)
NOTE = f"seed demo data (run by OS user {os_user()})"


@pytest.fixture(autouse=True)
def demo_environment(settings, tmp_path, monkeypatch):
    """DEBUG off (the command then needs --force), the credentials file under tmp_path and
    no password from the environment."""
    settings.DEBUG = False
    settings.BASE_DIR = tmp_path
    monkeypatch.delenv("DJANGO_SUPERUSER_PASSWORD", raising=False)
    return tmp_path


@pytest.fixture(scope="class")
def seeded(django_db_setup, django_db_blocker, tmp_path_factory):
    """One run of the command, shared by the read-only tests of a class (seeding takes
    seconds) and rolled back after the last of them."""
    base_dir = tmp_path_factory.mktemp("demo")
    with (
        django_db_blocker.unblock(),
        override_settings(BASE_DIR=base_dir, DEBUG=False),
        pytest.MonkeyPatch.context() as patch,
        transaction.atomic(),
    ):
        patch.delenv("DJANGO_SUPERUSER_PASSWORD", raising=False)
        output = _seed()
        yield SimpleNamespace(base_dir=base_dir, output=output)
        transaction.set_rollback(True)


def _seed(**options):
    out = io.StringIO()
    call_command("seed_demo_data", force=True, stdout=out, **options)
    return out.getvalue()


def _read_credentials(base_dir):
    lines = (base_dir / "var" / "demo-credentials.txt").read_text().splitlines()
    return dict(line.split(" ", 1) for line in lines)


def _snapshot():
    """Every row of the tables the command writes, and every history row."""
    rows = {model.__name__: list(model.objects.order_by("pk").values()) for model in TRACKED_MODELS}
    rows["User"] = list(User.objects.order_by("pk").values())
    for model in TRACKED_MODELS:
        rows[f"{model.__name__} history"] = list(model.history.order_by("pk").values())
    return rows


def _validate(facility, kind, value):
    if kind == "ccn":
        return identifiers.validate_ccn(value, facility_type=facility.facility_type)
    return identifiers.VALIDATORS[kind](value)


@pytest.mark.django_db
@pytest.mark.usefixtures("seeded")
class TestSeededDemo:
    """What one run of `seed_demo_data` on an empty database creates."""

    def test_creates_two_organizations_with_their_facilities(self):
        organizations = {(o.slug, o.name, o.time_zone) for o in Organization.objects.all()}
        facilities = Facility.objects.select_related("organization", "state")

        assert organizations == {
            ("aurora", "Aurora Health Network", "America/New_York"),
            ("vale", "Vale Clinics", "America/Sao_Paulo"),
        }
        assert facilities.filter(organization__slug="aurora").count() == 30
        assert facilities.filter(organization__slug="vale").count() == 3
        assert {f.status for f in facilities} == {Facility.Status.ACTIVE}
        assert {f.state.code for f in facilities if f.organization.slug == "aurora"} == {
            "US-CA", "US-TX", "US-NY", "US-FL", "BR-SP", "BR-RJ", "BR-MG", "IN-MH", "IN-KA",
            "IN-DL",
        }  # fmt: skip
        assert {f.state.code[:2] for f in facilities if f.organization.slug == "vale"} == {"BR"}

    def test_puts_every_facility_in_a_district_of_its_state(self):
        facilities = Facility.objects.select_related("district")

        misplaced = [
            f.facility_name
            for f in facilities
            if f.district is None or f.district.state_id != f.state_id
        ]

        assert misplaced == []

    def test_stores_valid_identifiers_for_each_country(self):
        facilities = list(Facility.objects.select_related("country", "state"))

        outcomes = {
            (kind, _validate(facility, kind, getattr(facility, field)).outcome)
            for facility in facilities
            for field, _country, kind in Facility.IDENTIFIERS
            if getattr(facility, field)
        }
        missing = [
            f.facility_name
            for f in facilities
            if (f.country.code == "US" and not f.npi_number)
            or (f.country.code == "US" and "medicare_participation" in f.services and not f.ccn)
            or (f.country.code == "BR" and not (f.cnes_number and f.cnpj and f.cnes_updated_on))
            or (f.country.code == "IN" and not f.hfr_id)
        ]

        assert outcomes == {
            ("npi", identifiers.Outcome.VALID),
            ("ccn", identifiers.Outcome.VALID),
            ("cnes", identifiers.Outcome.VALID),
            ("cnpj", identifiers.Outcome.VALID),
            ("hfr_id", identifiers.Outcome.VALID),
        }
        assert missing == []
        assert {(f.state.code, f.hfr_id[2:4]) for f in facilities if f.hfr_id} == {
            ("IN-MH", "27"),
            ("IN-KA", "29"),
            ("IN-DL", "07"),
        }
        assert {(f.state.code, f.ccn[:2]) for f in facilities if f.ccn} == {
            ("US-CA", "05"),
            ("US-TX", "45"),
            ("US-NY", "33"),
            ("US-FL", "10"),
        }

    def test_leaves_the_cnes_of_two_brazilian_facilities_overdue(self):
        brazilian = Facility.objects.filter(country__code="BR").select_related("organization")

        overdue = {
            f.facility_name
            for f in brazilian
            if f.cnes_updated_on < f.organization.today() - datetime.timedelta(days=184)
        }

        assert overdue == {"Clínica Aurora Niterói", "Clínica Vale Ipatinga"}

    def test_dates_licences_relative_to_the_organization_today(self):
        aurora = Organization.objects.get(slug="aurora")
        today = aurora.today()
        licenses = list(FacilityLicense.objects.filter(organization=aurora))

        days_left = [
            (lic.expiry_date - today).days
            for lic in licenses
            if lic.status in CURRENT and lic.expiry_date
        ]
        expired = [lic for lic in licenses if lic.expiry_date and lic.expiry_date < today]
        pending = [lic for lic in licenses if lic.status == RecordStatus.PENDING_RENEWAL]

        assert len([days for days in days_left if 0 <= days <= 90]) >= 3
        assert len([days for days in days_left if 0 <= days <= 30]) >= 1
        assert len(expired) >= 1
        assert {lic.status for lic in expired} == {RecordStatus.EXPIRED}
        assert len(pending) >= 1
        assert all(lic.renewal_filed_on < lic.expiry_date for lic in pending)
        assert all(lic.issued_date <= today for lic in licenses)

    def test_renews_exactly_one_licence_through_the_service(self):
        renewed = FacilityLicense.objects.get(status=RecordStatus.RENEWED)
        renewal = renewed.renewed_by

        reasons = {
            FacilityLicense.history.filter(id=pk).latest("history_id").history_change_reason
            for pk in (renewed.pk, renewal.pk)
        }

        assert (renewal.renews_id, renewal.status, renewal.license_type, renewal.facility_id) == (
            renewed.pk,
            RecordStatus.ACTIVE,
            renewed.license_type,
            renewed.facility_id,
        )
        assert renewal.expiry_date > renewed.expiry_date
        assert renewal.license_number != renewed.license_number
        assert reasons == {f"command: licence renew — {NOTE}"}

    def test_gives_new_york_facilities_an_operating_certificate_without_expiry(self):
        certificates = FacilityLicense.objects.filter(
            license_type="US-NY-OPERATING-CERTIFICATE"
        ).select_related("facility__state")

        assert len(certificates) == 2
        assert {(c.facility.state.code, c.expiry_date) for c in certificates} == {("US-NY", None)}

    def test_names_responsible_members_on_some_licences(self):
        responsible = FacilityLicense.objects.filter(responsible__isnull=False).select_related(
            "responsible__user"
        )

        assert {(lic.responsible.user.username, lic.organization_id) for lic in responsible} == {
            ("aurora-officer", Organization.objects.get(slug="aurora").pk),
            ("aurora-admin", Organization.objects.get(slug="aurora").pk),
            ("vale-officer", Organization.objects.get(slug="vale").pk),
        }

    def test_accredits_facilities_by_country(self):
        accreditations = list(Accreditation.objects.select_related("facility__country"))
        today = Organization.objects.get(slug="aurora").today()

        bodies = {(a.facility.country.code, a.accreditation_body) for a in accreditations}
        ona_levels = {
            a.accreditation_level for a in accreditations if a.accreditation_body == "ONA"
        }
        expiring = [a for a in accreditations if (a.expiry_date - today).days <= 60]

        assert bodies == {
            ("US", "TJC"), ("US", "DNV"), ("BR", "ONA"), ("BR", "JCI"), ("IN", "NABH"),
        }  # fmt: skip
        assert ona_levels == {"nivel_1", "nivel_2", "nivel_3"}
        assert [(a.accreditation_body, a.facility.facility_name) for a in expiring] == [
            ("TJC", "Aurora Houston Medical Center")
        ]
        assert "accreditation_deemed_status" in expiring[0].facility.services

    def test_records_the_system_user_and_a_command_reason_on_every_history_row(self):
        system = system_user().pk

        recorded = {
            model.__name__: set(model.history.values_list("history_user", "history_change_reason"))
            for model in TRACKED_MODELS
        }

        assert recorded == {
            "Organization": {(system, f"command: organization create — {NOTE}")},
            "Membership": {(system, f"command: member add — {NOTE}")},
            "Facility": {(system, f"command: facility create — {NOTE}")},
            "FacilityLicense": {
                (system, f"command: licence add — {NOTE}"),
                (system, f"command: licence renew — {NOTE}"),
            },
            "Accreditation": {(system, f"command: accreditation add — {NOTE}")},
        }

    def test_creates_members_whose_printed_passwords_work(self, seeded):
        credentials = _read_credentials(seeded.base_dir)
        users = {u.username: u for u in User.objects.filter(username__in=DEMO_USERNAMES)}

        logins = {name: users[name].check_password(pw) for name, pw in credentials.items()}
        members = set(
            Membership.objects.filter(is_active=True).values_list(
                "organization__slug", "user__username", "role"
            )
        )

        assert logins == dict.fromkeys(DEMO_USERNAMES, True)
        assert {u.email for u in users.values()} == {f"{n}@example.com" for n in DEMO_USERNAMES}
        assert (users["admin"].is_superuser, users["aurora-officer"].is_superuser) == (True, False)
        # The first admin is a person who can log in, never the system actor.
        assert members == {
            ("aurora", "admin", "admin"),
            ("aurora", "aurora-admin", "admin"),
            ("aurora", "aurora-officer", "officer"),
            ("aurora", "aurora-viewer", "viewer"),
            ("vale", "admin", "admin"),
            ("vale", "vale-officer", "officer"),
        }
        assert (
            f"  aurora-officer  {credentials['aurora-officer']}  "
            "Compliance officer, Aurora Health Network\n"
        ) in seeded.output
        assert (
            f"  admin           {credentials['admin']}  "
            "superuser; Organization admin, Aurora Health Network\n"
        ) in seeded.output

    def test_prints_a_summary_per_organization(self, seeded):
        expected = []
        for organization in Organization.objects.order_by("name"):
            licences = FacilityLicense.objects.filter(organization=organization).count()
            accreditations = Accreditation.objects.filter(organization=organization).count()
            facilities = Facility.objects.filter(organization=organization).count()
            expected.append(
                f"{organization.name}: {facilities} facilities, {licences} licences, "
                f"{accreditations} accreditation{'' if accreditations == 1 else 's'}"
            )

        summary = seeded.output.splitlines()[:2]

        assert summary == expected
        assert summary[0].startswith("Aurora Health Network: 30 facilities, ")


@pytest.mark.django_db
def test_seed_demo_data_run_twice_changes_nothing(demo_environment):
    _seed()
    before = _snapshot()
    credentials = _read_credentials(demo_environment)

    output = _seed()

    assert _snapshot() == before
    assert _read_credentials(demo_environment) == credentials
    assert "\nAlready up to date" in output


@pytest.mark.django_db
def test_seed_demo_data_records_the_actor_given_with_the_actor_option():
    operator = UserFactory(username="operator")

    _seed(actor="operator")

    history_users = set()
    reasons = set()
    for model in TRACKED_MODELS:
        history_users |= set(model.history.values_list("history_user", flat=True))
        reasons |= set(model.history.values_list("history_change_reason", flat=True))
    assert history_users == {operator.pk}
    assert "command: facility create — seed demo data" in reasons
    assert not Membership.objects.filter(user=operator).exists()


@pytest.mark.django_db
def test_seed_demo_data_refuses_without_debug_or_force(demo_environment):
    with pytest.raises(CommandError, match=r"Demo data is for development: set DEBUG=true"):
        call_command("seed_demo_data", stdout=io.StringIO())

    assert not Organization.objects.exists()
    assert not User.objects.filter(username__in=DEMO_USERNAMES).exists()
    assert not (demo_environment / "var" / "demo-credentials.txt").exists()


@pytest.mark.django_db
def test_ensure_users_gives_every_user_the_password_from_the_environment(monkeypatch):
    monkeypatch.setenv("DJANGO_SUPERUSER_PASSWORD", "demo password 2024")
    known = {"ana": "an older password"}

    users, created = demo.ensure_users({"ana": {}, "bruno": {"first_name": "Bruno"}}, known)

    assert created == 2
    assert known == {"ana": "demo password 2024", "bruno": "demo password 2024"}
    assert {name: u.check_password("demo password 2024") for name, u in users.items()} == {
        "ana": True,
        "bruno": True,
    }
    assert User.objects.get(username="bruno").first_name == "Bruno"


@pytest.mark.django_db
def test_ensure_users_sets_the_stored_password_again_where_it_no_longer_works():
    kept = UserFactory(username="kept")
    kept.set_password("stored")
    kept.save()
    changed_by_hand = UserFactory(username="changed")
    known = {"kept": "stored", "changed": "stored"}
    kept_hash = kept.password

    _users, created = demo.ensure_users({"kept": {}, "changed": {}}, known)

    changed_by_hand.refresh_from_db()
    kept.refresh_from_db()
    assert created == 0
    assert known == {"kept": "stored", "changed": "stored"}
    assert changed_by_hand.check_password("stored")
    assert kept.password == kept_hash


@pytest.mark.django_db
def test_ensure_users_generates_a_password_where_none_is_stored():
    UserFactory(username="forgotten")
    known = {}

    users, created = demo.ensure_users({"forgotten": {}, "new": {}}, known)

    assert created == 1
    assert set(known) == {"forgotten", "new"}
    assert {name: users[name].check_password(known[name]) for name in known} == {
        "forgotten": True,
        "new": True,
    }
