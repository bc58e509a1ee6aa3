"""Expiry reminders (compliance/reminders.py and manage.py send_expiry_reminders)."""

import datetime
import io

import pytest
from django.core import mail
from django.core.mail.backends.locmem import EmailBackend as LocmemBackend
from django.core.management import CommandError, call_command

from compliance.models import ReminderDelivery
from compliance.reminders import member_windows, most_urgent_window, send_reminders
from facilities import services
from facilities.models import Membership, Organization, RecordStatus
from tests.factories import (
    FacilityFactory,
    FacilityLicenseFactory,
    MembershipFactory,
    OrganizationFactory,
)
from tests.factories.tenancy import make_tenancy

MONDAY = datetime.date(2026, 6, 1)
CA_LEAD = 30
ISSUED = datetime.date(2020, 1, 1)
BASE_URL = "https://compliance.example.org"


class FailOnSecondMessageBackend(LocmemBackend):
    """Accepts the first message of the process, then fails once: an SMTP server that drops
    the connection on the second recipient."""

    calls = 0

    def send_messages(self, messages):
        type(self).calls += 1
        if type(self).calls == 2:
            raise ConnectionError("SMTP connection lost")
        return super().send_messages(messages)


class DownBackend(LocmemBackend):
    """A mail server that refuses every message while `down`."""

    down = True

    def send_messages(self, messages):
        if type(self).down:
            raise ConnectionError("SMTP server unreachable")
        return super().send_messages(messages)


def _mail_down(settings):
    DownBackend.down = True
    settings.MAILERS = {"default": {"BACKEND": "tests.compliance.test_reminders.DownBackend"}}


def _days(n):
    return datetime.timedelta(days=n)


def _license_due(facility, days_left, today=MONDAY, **kwargs):
    """A California hospital licence whose must-file-by date is `days_left` days after today."""
    return FacilityLicenseFactory(
        facility=facility,
        issued_date=ISSUED,
        expiry_date=today + _days(CA_LEAD + days_left),
        **kwargs,
    )


def _set(membership, **fields):
    for name, value in fields.items():
        setattr(membership, name, value)
    membership._change_reason = "test: preferences"
    membership.save()


def _run(tenancy, today=MONDAY, **kwargs):
    return send_reminders(
        Organization.objects.filter(pk=tenancy.organization.pk),
        base_url=BASE_URL,
        today=today,
        **kwargs,
    )


def _deliveries():
    return sorted(
        (d.recipient.username, d.item_id, d.deadline, d.window, d.status)
        for d in ReminderDelivery.objects.select_related("recipient")
    )


@pytest.fixture
def tenancy(db):
    return make_tenancy()


@pytest.mark.parametrize(
    ("days_left", "window"),
    [(91, None), (90, 90), (61, 90), (60, 60), (8, 30), (7, 7), (1, 7), (0, 0), (-3, 0)],
)
def test_most_urgent_window(days_left, window):
    assert most_urgent_window(days_left, [90, 60, 30, 7, 0]) == window


@pytest.mark.parametrize(
    ("chosen", "windows"),
    [
        ([], [90, 60, 30, 7, 0]),
        ([30, 7], [30, 7]),
        ([45, 30], [30]),  # a window the organization does not send is ignored
        (["30", None, True, 7], [7]),  # stored values that are not whole days are ignored
        ("30,7", [90, 60, 30, 7, 0]),  # not a list at all: every window
    ],
)
def test_member_windows(chosen, windows):
    membership = Membership(reminder_windows=chosen)

    assert member_windows(membership, [90, 60, 30, 7, 0]) == windows


@pytest.mark.django_db
def test_one_digest_per_recipient_per_run(tenancy):
    facility = FacilityFactory(organization=tenancy.organization, facility_name="North Hospital")
    first = _license_due(facility, 5)
    second = _license_due(facility, 45)
    _license_due(facility, 120)  # no window reached yet
    FacilityLicenseFactory(issued_date=ISSUED, expiry_date=MONDAY + _days(CA_LEAD + 5))

    run = _run(tenancy)

    assert sorted(m.to[0] for m in mail.outbox) == ["admin@example.com", "officer@example.com"]
    message = next(m for m in mail.outbox if m.to == ["officer@example.com"])
    assert message.subject == "Acme Health: 2 filing deadlines to act on"
    assert f"California hospital licence {first.license_number} (North Hospital)" in message.body
    assert "File by: 2026-06-06 (5 days left)" in message.body
    assert f"{BASE_URL}/o/acme/licences/{first.pk}/renew/" in message.body
    html, mimetype = message.alternatives[0]
    assert mimetype == "text/html"
    assert f'href="{BASE_URL}/o/acme/licences/{second.pk}/renew/"' in html
    assert len(run.sent) == 2
    assert _deliveries() == sorted(
        (user, lic.pk, lic.expiry_date - _days(CA_LEAD), window, "sent")
        for user in ("admin", "officer")
        for lic, window in ((first, 7), (second, 60))
    )


@pytest.mark.django_db
def test_rerun_sends_no_duplicate(tenancy):
    facility = FacilityFactory(organization=tenancy.organization)
    _license_due(facility, 5)
    _run(tenancy)
    deliveries = _deliveries()
    mail.outbox.clear()

    run = _run(tenancy)

    assert mail.outbox == []
    assert run.digests == []
    assert _deliveries() == deliveries


@pytest.mark.django_db
def test_skipped_days_still_send_only_the_most_urgent_window(tenancy):
    facility = FacilityFactory(organization=tenancy.organization)
    license = _license_due(facility, 35)
    _set(tenancy.membership(tenancy.admin), reminders_enabled=False)
    _run(tenancy)  # 35 days left: the 60-day window
    mail.outbox.clear()

    # Runs were missed for three weeks: 5 days left now. The 30-day window was never sent,
    # and only the 7-day one goes out.
    _run(tenancy, today=MONDAY + _days(30))

    file_by = license.expiry_date - _days(CA_LEAD)
    assert [m.to for m in mail.outbox] == [["officer@example.com"]]
    assert _deliveries() == [
        ("officer", license.pk, file_by, 7, "sent"),
        ("officer", license.pk, file_by, 60, "sent"),
    ]


@pytest.mark.django_db
def test_failed_send_stays_pending_and_the_rerun_sends_it(tenancy, settings):
    facility = FacilityFactory(organization=tenancy.organization)
    license = _license_due(facility, 5)
    FailOnSecondMessageBackend.calls = 0
    settings.MAILERS = {
        "default": {"BACKEND": "tests.compliance.test_reminders.FailOnSecondMessageBackend"}
    }

    run = _run(tenancy)

    file_by = license.expiry_date - _days(CA_LEAD)
    assert [d.recipient.username for d in run.sent] == ["admin"]
    assert [(d.recipient.username, error) for d, error in run.failed] == [
        ("officer", "ConnectionError: SMTP connection lost")
    ]
    assert _deliveries() == [
        ("admin", license.pk, file_by, 7, "sent"),
        ("officer", license.pk, file_by, 7, "pending"),
    ]
    mail.outbox.clear()

    rerun = _run(tenancy)

    assert [m.to for m in mail.outbox] == [["officer@example.com"]]
    assert [d.recipient.username for d in rerun.sent] == ["officer"]
    assert _deliveries() == [
        ("admin", license.pk, file_by, 7, "sent"),
        ("officer", license.pk, file_by, 7, "sent"),
    ]


@pytest.mark.django_db
def test_responsible_viewer_is_reminded_unless_opted_out_and_outsiders_never(tenancy):
    facility = FacilityFactory(organization=tenancy.organization)
    viewer = tenancy.membership(tenancy.viewer)
    theirs = _license_due(facility, 5, responsible=viewer)
    _license_due(facility, 6)  # nobody's in particular: officers and admins only
    _set(tenancy.membership(tenancy.admin), reminders_enabled=False)
    other_facility = FacilityFactory(organization=tenancy.other_organization)
    _license_due(other_facility, 5)

    _run(tenancy)

    assert sorted(m.to[0] for m in mail.outbox) == ["officer@example.com", "viewer@example.com"]
    viewer_mail = next(m for m in mail.outbox if m.to == ["viewer@example.com"])
    assert theirs.license_number in viewer_mail.body
    assert "1 filing deadline to act on" in viewer_mail.subject
    assert not ReminderDelivery.objects.filter(recipient=tenancy.outsider).exists()

    mail.outbox.clear()
    ReminderDelivery.objects.all().delete()
    _set(viewer, reminders_enabled=False)
    _run(tenancy)

    assert [m.to for m in mail.outbox] == [["officer@example.com"]]


@pytest.mark.django_db
def test_deactivated_members_get_nothing(tenancy):
    facility = FacilityFactory(organization=tenancy.organization)
    _license_due(facility, 5, responsible=tenancy.membership(tenancy.viewer))
    for membership in Membership.objects.filter(organization=tenancy.organization):
        _set(membership, is_active=False)

    run = _run(tenancy)

    assert run.digests == []
    assert mail.outbox == []


@pytest.mark.django_db
def test_awaiting_lapsed_and_unchosen_windows_get_no_reminder(tenancy):
    facility = FacilityFactory(organization=tenancy.organization)
    _license_due(
        facility, 5, status=RecordStatus.PENDING_RENEWAL, renewal_filed_on=MONDAY - _days(1)
    )
    FacilityLicenseFactory(facility=facility, issued_date=ISSUED, expiry_date=MONDAY - _days(1))
    due = _license_due(facility, 20)
    _set(tenancy.membership(tenancy.admin), reminder_windows=[7])

    _run(tenancy)

    assert [m.to for m in mail.outbox] == [["officer@example.com"]]
    assert [(d[1], d[3]) for d in _deliveries()] == [(due.pk, 30)]


@pytest.mark.django_db
def test_weekly_digest_only_on_mondays_with_the_most_urgent_window(tenancy):
    facility = FacilityFactory(organization=tenancy.organization)
    license = _license_due(facility, 40, today=MONDAY)
    _set(tenancy.membership(tenancy.officer), reminder_frequency="weekly")
    _set(tenancy.membership(tenancy.admin), reminders_enabled=False)

    for offset in range(1, 7):  # Tuesday to Sunday: the 60-day window is owed but waits
        _run(tenancy, today=MONDAY + _days(offset))
    assert mail.outbox == []
    _run(tenancy, today=MONDAY + _days(14))  # 26 days left on the Monday two weeks on

    assert [m.to for m in mail.outbox] == [["officer@example.com"]]
    assert [(d[1], d[3]) for d in _deliveries()] == [(license.pk, 30)]


@pytest.mark.django_db
def test_dry_run_prints_and_writes_nothing(tenancy):
    facility = FacilityFactory(organization=tenancy.organization, facility_name="North Hospital")
    license = _license_due(facility, 5, today=tenancy.organization.today())
    out = io.StringIO()

    call_command("send_expiry_reminders", "--dry-run", "--organization", "acme", stdout=out)

    output = out.getvalue()
    assert "acme: officer@example.com (1 reminders)" in output
    assert f"California hospital licence {license.license_number} (North Hospital)" in output
    assert "Dry run: 2 digests would be sent; nothing written." in output
    assert mail.outbox == []
    assert not ReminderDelivery.objects.exists()


@pytest.mark.django_db
def test_command_sends_and_reports(tenancy):
    facility = FacilityFactory(organization=tenancy.organization)
    _license_due(facility, 0, today=tenancy.organization.today())
    MembershipFactory(organization=tenancy.organization, role="officer", reminders_enabled=False)
    out = io.StringIO()

    call_command("send_expiry_reminders", "--base-url", BASE_URL, stdout=out)

    assert "2 digests sent, 0 failed." in out.getvalue()
    assert ReminderDelivery.objects.filter(status="sent", window=0).count() == 2


@pytest.mark.django_db
def test_reminder_deliveries_are_read_only_in_the_admin(client, tenancy):
    superuser = tenancy.admin
    superuser.is_staff = superuser.is_superuser = True
    superuser.save()
    facility = FacilityFactory(organization=tenancy.organization)
    _license_due(facility, 5)
    _run(tenancy)
    delivery = ReminderDelivery.objects.first()
    client.force_login(superuser)

    changelist = client.get("/admin/compliance/reminderdelivery/")
    change = client.get(f"/admin/compliance/reminderdelivery/{delivery.pk}/change/")
    add = client.get("/admin/compliance/reminderdelivery/add/")

    assert changelist.status_code == 200
    assert list(changelist.context["cl"].result_list) == list(
        ReminderDelivery.objects.order_by("-created_at")
    )
    assert change.status_code == 200
    assert change.context["has_change_permission"] is False
    assert add.status_code == 403


@pytest.mark.django_db
def test_zero_day_reminder_failing_on_the_last_valid_day_is_sent_the_next_day(tenancy, settings):
    facility = FacilityFactory(organization=tenancy.organization)
    license = _license_due(facility, -CA_LEAD)  # expires today: the 0-day window's last day
    file_by = license.expiry_date - _days(CA_LEAD)
    _mail_down(settings)
    failed = _run(tenancy)
    assert [(d.recipient.username, error) for d, error in failed.failed] == [
        ("admin", "ConnectionError: SMTP server unreachable"),
        ("officer", "ConnectionError: SMTP server unreachable"),
    ]
    DownBackend.down = False

    # The next day the licence has lapsed: no new reminder is owed, the pending one still is.
    run = _run(tenancy, today=MONDAY + _days(1))

    assert sorted(m.to[0] for m in mail.outbox) == ["admin@example.com", "officer@example.com"]
    assert license.license_number in mail.outbox[0].body
    # Sent after the expiry date: the digest says the licence has expired.
    expired_line = f"Expired: {license.expiry_date.isoformat()}"
    assert expired_line in mail.outbox[0].body
    html = mail.outbox[0].alternatives[0].content
    assert f"{license.expiry_date.isoformat()} (expired)" in html
    assert [(d.recipient.username, [r.window for r in d.reminders]) for d in run.sent] == [
        ("admin", [0]),
        ("officer", [0]),
    ]
    assert _deliveries() == [
        ("admin", license.pk, file_by, 0, "sent"),
        ("officer", license.pk, file_by, 0, "sent"),
    ]


def _file_renewal(license, tenancy):
    services.license_update(
        actor=tenancy.officer,
        license=license,
        data={"status": RecordStatus.PENDING_RENEWAL, "renewal_filed_on": MONDAY},
        via="test",
        note="Filed with the state",
    )


def _renew(license, tenancy):
    services.license_renew(
        actor=tenancy.officer,
        license=license,
        data={
            "license_number": "NEW-1",
            "issued_date": MONDAY,
            "expiry_date": MONDAY + _days(730),
        },
        via="test",
    )


@pytest.mark.django_db
@pytest.mark.parametrize("settle", [_file_renewal, _renew], ids=["renewal filed", "renewed"])
def test_pending_reminder_of_an_item_renewed_since_is_cancelled_not_sent(tenancy, settings, settle):
    facility = FacilityFactory(organization=tenancy.organization)
    license = _license_due(facility, 5)
    file_by = license.expiry_date - _days(CA_LEAD)
    _mail_down(settings)
    _run(tenancy)
    DownBackend.down = False
    settle(license, tenancy)

    run = _run(tenancy, today=MONDAY + _days(1))

    assert mail.outbox == []
    assert run.digests == []
    assert run.cancelled == 2
    assert _deliveries() == [
        ("admin", license.pk, file_by, 7, "cancelled"),
        ("officer", license.pk, file_by, 7, "cancelled"),
    ]
    assert not ReminderDelivery.objects.filter(status=ReminderDelivery.Status.PENDING).exists()


@pytest.mark.django_db
def test_pending_reminder_overtaken_by_a_more_urgent_window_is_replaced_by_it(tenancy, settings):
    facility = FacilityFactory(organization=tenancy.organization)
    license = _license_due(facility, 5)
    file_by = license.expiry_date - _days(CA_LEAD)
    _set(tenancy.membership(tenancy.admin), reminders_enabled=False)
    _mail_down(settings)
    _run(tenancy)  # the 7-day reminder fails
    DownBackend.down = False

    run = _run(tenancy, today=MONDAY + _days(6))  # past the must-file-by date: the 0-day window

    assert [m.to for m in mail.outbox] == [["officer@example.com"]]
    assert [[r.window for r in d.reminders] for d in run.sent] == [[0]]
    assert _deliveries() == [
        ("officer", license.pk, file_by, 0, "sent"),
        ("officer", license.pk, file_by, 7, "cancelled"),
    ]


@pytest.mark.django_db
def test_pending_reminder_of_a_weekly_recipient_waits_for_monday(tenancy, settings):
    facility = FacilityFactory(organization=tenancy.organization)
    license = _license_due(facility, 3 - CA_LEAD)  # expires on Thursday
    file_by = license.expiry_date - _days(CA_LEAD)
    _set(tenancy.membership(tenancy.admin), reminders_enabled=False)
    _set(tenancy.membership(tenancy.officer), reminder_frequency="weekly")
    _mail_down(settings)
    _run(tenancy)
    DownBackend.down = False

    tuesday = _run(tenancy, today=MONDAY + _days(1))

    assert (tuesday.digests, tuesday.cancelled) == ([], 0)
    assert _deliveries() == [("officer", license.pk, file_by, 0, "pending")]

    _run(tenancy, today=MONDAY + _days(7))  # lapsed by then: the pending reminder still goes

    assert [m.to for m in mail.outbox] == [["officer@example.com"]]
    assert _deliveries() == [("officer", license.pk, file_by, 0, "sent")]


@pytest.mark.django_db
def test_one_organizations_broken_data_does_not_stop_the_others_reminders(tenancy):
    broken = OrganizationFactory(name="Aardvark Clinics", slug="aardvark")
    MembershipFactory(organization=broken, role="officer")
    # A licence typed with year 1 for its expiry: its must-file-by date is before 0001-01-01.
    FacilityLicenseFactory(
        facility=FacilityFactory(organization=broken),
        issued_date=datetime.date(1, 1, 1),
        expiry_date=datetime.date(1, 1, 10),
    )
    facility = FacilityFactory(organization=tenancy.organization)
    license = _license_due(facility, 3, today=tenancy.organization.today())
    out, err = io.StringIO(), io.StringIO()

    with pytest.raises(CommandError, match=r"^1 organizations failed\.$"):
        call_command("send_expiry_reminders", stdout=out, stderr=err)

    assert err.getvalue() == (
        "aardvark: reminders failed: OverflowError: date value out of range (nothing sent for "
        "it; the other organizations went on).\n"
    )
    assert "2 digests sent, 0 failed." in out.getvalue()
    assert sorted(m.to[0] for m in mail.outbox) == ["admin@example.com", "officer@example.com"]
    assert sorted(
        ReminderDelivery.objects.values_list("organization__slug", "item_id", "status")
    ) == [("acme", license.pk, "sent"), ("acme", license.pk, "sent")]
