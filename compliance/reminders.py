"""Expiry reminders: which filing deadline is owed to whom, recorded before it is sent.

The rules (README "Expiry reminders"):
- A reminder is about an item's must-file-by date (compliance.deadlines). The windows are days
  before that date (settings.EXPIRY_REMINDER_WINDOWS, default 90, 60, 30, 7, 0). A window is owed
  once days left <= window; each run sends, per (recipient, item, deadline), only the most urgent
  owed window, unless it was already sent: a skipped day, or a week between weekly digests,
  still sends the most urgent one and never a stale backlog.
- Items with a renewal filed (awaiting the authority) get no filing reminders. Lapsed items
  (past their expiry date) get none either: the 0-day window, owed from the must-file-by date
  through the expiry date, is the last call; after expiry the expiries page and the check
  results show the item as lapsed.
- Recipients: the item's responsible member, and the organization's officers and admins; only
  active members (and active users) with reminders enabled, and only the windows they chose
  (empty: all of the organization's). Members with a weekly digest receive theirs on Mondays in
  the organization's today. Members of other organizations never see another's items.
- One digest per recipient per run (plain text and HTML).
- Crash safety: every (recipient, item, deadline, window) is recorded as a pending
  ReminderDelivery before any e-mail goes out and marked sent after its digest is accepted by
  the mail backend. A rerun sends what is still pending or newly owed; at most the one digest
  in flight at a crash is sent twice. A digest that fails stays pending and the next run
  retries it.
"""

from __future__ import annotations

import datetime
import operator
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field
from functools import reduce

from django.conf import settings
from django.core.mail import EmailMultiAlternatives
from django.db.models import Q
from django.template.loader import render_to_string
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import ngettext

from compliance.deadlines import Bucket, Deadline, organization_deadlines
from compliance.models import ReminderDelivery
from facilities.models import Membership, Organization, User

# Buckets that receive filing reminders: not lapsed, not awaiting the authority.
_REMINDED_BUCKETS = frozenset(
    {None, Bucket.OVERDUE, Bucket.DAYS_30, Bucket.DAYS_60, Bucket.DAYS_90}
)


@dataclass(frozen=True, slots=True)
class Reminder:
    deadline: Deadline
    window: int


@dataclass(slots=True)
class Digest:
    organization: Organization
    recipient: User
    reminders: list[Reminder] = field(default_factory=list)


@dataclass(slots=True)
class ReminderRun:
    """What a run sent (or, dry, would send) and what failed, for the command's output."""

    digests: list[Digest] = field(default_factory=list)
    sent: list[Digest] = field(default_factory=list)
    failed: list[tuple[Digest, str]] = field(default_factory=list)


def organization_windows() -> list[int]:
    return sorted({int(w) for w in settings.EXPIRY_REMINDER_WINDOWS}, reverse=True)


def member_windows(membership: Membership, windows: Sequence[int]) -> list[int]:
    """The member's chosen windows among the organization's (empty choice: all). Values that
    are not whole numbers are ignored rather than failing the whole run."""
    chosen = membership.reminder_windows
    if not chosen or not isinstance(chosen, list):
        return list(windows)
    picked = {w for w in chosen if isinstance(w, int) and not isinstance(w, bool)}
    return [w for w in windows if w in picked]


def most_urgent_window(days_left: int, windows: Iterable[int]) -> int | None:
    """The smallest window already reached (days left <= window), or None if none is."""
    owed = [w for w in windows if days_left <= w]
    return min(owed) if owed else None


def _recipients_for(deadline: Deadline, members: Sequence[Membership]) -> list[Membership]:
    return [
        m
        for m in members
        if m.pk == deadline.responsible_id
        or m.role in (Membership.Role.OFFICER, Membership.Role.ADMIN)
    ]


def plan_organization(
    organization: Organization, *, today: datetime.date | None = None
) -> list[Digest]:
    """The digests owed today for one organization (nothing is written).

    A fixed number of queries: the deadlines (4), the members, the deliveries already sent.
    """
    today = organization.today() if today is None else today
    deadlines = [
        d
        for d in organization_deadlines(organization, today=today)
        if d.bucket in _REMINDED_BUCKETS
    ]
    windows = organization_windows()
    if not deadlines or not windows:
        return []
    members = [
        m
        for m in Membership.objects.filter(
            organization=organization,
            is_active=True,
            user__is_active=True,
            reminders_enabled=True,
        )
        .exclude(user__email="")
        .select_related("user")
        .order_by("user__username", "pk")
        if m.reminder_frequency != Membership.ReminderFrequency.WEEKLY or today.weekday() == 0
    ]
    if not members:
        return []
    sent = set(
        ReminderDelivery.objects.filter(
            organization=organization,
            status=ReminderDelivery.Status.SENT,
            deadline__gte=min(d.file_by for d in deadlines),
        ).values_list("recipient_id", "item_kind", "item_id", "deadline", "window")
    )
    digests: dict[int, Digest] = {}
    for deadline in deadlines:
        for member in _recipients_for(deadline, members):
            window = most_urgent_window(deadline.days_left, member_windows(member, windows))
            if window is None:
                continue
            key = (member.user_id, deadline.kind.value, deadline.item_id, deadline.file_by, window)
            if key in sent:
                continue
            digest = digests.setdefault(member.user_id, Digest(organization, member.user))
            digest.reminders.append(Reminder(deadline, window))
    return list(digests.values())


def _record_pending(digests: Sequence[Digest]) -> None:
    """Record every reminder as pending before anything is sent (existing rows are kept)."""
    ReminderDelivery.objects.bulk_create(
        [
            ReminderDelivery(
                organization=digest.organization,
                recipient=digest.recipient,
                item_kind=reminder.deadline.kind.value,
                item_id=reminder.deadline.item_id,
                deadline=reminder.deadline.file_by,
                window=reminder.window,
            )
            for digest in digests
            for reminder in digest.reminders
        ],
        ignore_conflicts=True,
    )


def _mark_sent(digest: Digest) -> None:
    rows = reduce(
        operator.or_,
        (
            Q(
                item_kind=reminder.deadline.kind.value,
                item_id=reminder.deadline.item_id,
                deadline=reminder.deadline.file_by,
                window=reminder.window,
            )
            for reminder in digest.reminders
        ),
    )
    # A delivery log, not a tracked model: a plain status update is what it is for.
    ReminderDelivery.objects.filter(rows, recipient=digest.recipient).update(
        status=ReminderDelivery.Status.SENT, sent_at=timezone.now()
    )


def digest_message(digest: Digest, *, base_url: str) -> EmailMultiAlternatives:
    count = len(digest.reminders)
    subject = ngettext(
        "%(organization)s: %(count)d filing deadline to act on",
        "%(organization)s: %(count)d filing deadlines to act on",
        count,
    ) % {"organization": digest.organization.name, "count": count}
    context = {
        "organization": digest.organization,
        "recipient": digest.recipient,
        "reminders": digest.reminders,
        "base_url": base_url.rstrip("/"),
        "subject": subject,
    }
    message = EmailMultiAlternatives(
        subject=subject,
        body=render_to_string("compliance/email/expiry_reminders.txt", context),
        to=[digest.recipient.email],
    )
    message.attach_alternative(
        render_to_string("compliance/email/expiry_reminders.html", context), "text/html"
    )
    return message


def send_reminders(
    organizations: Iterable[Organization],
    *,
    base_url: str,
    dry_run: bool = False,
    today: datetime.date | None = None,
) -> ReminderRun:
    """Plan, record as pending, send one digest per recipient, mark sent. `today` (for tests)
    replaces every organization's own today. A failing digest is reported, stays pending and
    does not stop the others."""
    run = ReminderRun()
    for organization in organizations:
        digests = plan_organization(organization, today=today)
        run.digests.extend(digests)
        if dry_run or not digests:
            continue
        _record_pending(digests)
        for digest in digests:
            try:
                digest_message(digest, base_url=base_url).send()
            except Exception as error:  # any backend failure: left pending, retried next run
                run.failed.append((digest, f"{type(error).__name__}: {error}"))
                continue
            _mark_sent(digest)
            run.sent.append(digest)
    return run


def describe(reminder: Reminder) -> str:
    """One line of the dry-run output and of the plain-text digest."""
    d = reminder.deadline
    where = d.facility_name or _("whole organization")
    return _(
        "%(reference)s (%(where)s): file by %(file_by)s, expires %(expires)s, "
        "%(days)d days left [%(window)d-day reminder]"
    ) % {
        "reference": d.reference,
        "where": where,
        "file_by": d.file_by.isoformat(),
        "expires": d.expires_on.isoformat(),
        "days": d.days_left,
        "window": reminder.window,
    }
