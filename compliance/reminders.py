"""Expiry reminders: which filing deadline is owed to whom, recorded before it is sent.

The rules (README "Expiry reminders"):
- A reminder is about an item's must-file-by date (compliance.deadlines). The windows are days
  before that date (settings.EXPIRY_REMINDER_WINDOWS, default 90, 60, 30, 7, 0). A window is owed
  once days left <= window; each run sends, per (recipient, item, deadline), only the most urgent
  owed window, unless it (or a more urgent one) was already sent: a skipped day, or a week
  between weekly digests, still sends the most urgent one and never a stale backlog.
- Items with a renewal filed (awaiting the authority) get no filing reminders. Lapsed items
  (past their expiry date) get no new ones either: the 0-day window, owed from the
  must-file-by date through the expiry date, is the last call; after expiry the expiries page
  and the check results show the item as lapsed. A reminder recorded before the item lapsed
  and still pending is sent all the same (see crash safety).
- Recipients: the item's responsible member, and the organization's officers and admins; only
  active members (and active users) with reminders enabled, and only the windows they chose
  (empty: all of the organization's). Members with a weekly digest receive theirs on Mondays in
  the organization's today. Members of other organizations never see another's items.
- One digest per recipient per run (plain text and HTML).
- Crash safety: every (recipient, item, deadline, window) is recorded as a pending
  ReminderDelivery before any e-mail goes out and marked sent after its digest is accepted by
  the mail backend. A rerun sends what is still pending or newly owed; at most the one digest
  in flight at a crash is sent twice. A digest that fails stays pending and the next run
  retries it, even if the item has lapsed since, so no reminder is silently lost. A pending
  reminder that is no longer owed is marked cancelled instead: its item was renewed or
  superseded or had a renewal filed, its deadline moved, its recipient no longer receives it,
  or a more urgent reminder of the same deadline was sent.
- One organization's failure (bad data, say) is reported and does not stop the others.
"""

from __future__ import annotations

import datetime
import logging
import operator
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field
from functools import reduce

from django.conf import settings
from django.core.mail import EmailMultiAlternatives
from django.db import transaction
from django.db.models import Q
from django.template.loader import render_to_string
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import ngettext

from compliance.deadlines import Bucket, Deadline, organization_deadlines
from compliance.models import ReminderDelivery
from facilities.models import Membership, Organization, User

logger = logging.getLogger(__name__)

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
    """What a run sent (or, dry, would send), what failed, how many pending reminders it
    cancelled as no longer owed, and the organizations it could not handle, for the command's
    output."""

    digests: list[Digest] = field(default_factory=list)
    sent: list[Digest] = field(default_factory=list)
    failed: list[tuple[Digest, str]] = field(default_factory=list)
    cancelled: int = 0
    errors: list[tuple[Organization, str]] = field(default_factory=list)


@dataclass(slots=True)
class Plan:
    """One organization's run: the digests owed today, the pending deliveries no longer owed
    (to cancel) and the cancelled ones owed again (to record as pending anew)."""

    digests: list[Digest] = field(default_factory=list)
    cancel: list[int] = field(default_factory=list)
    revive: list[int] = field(default_factory=list)


# One reminder series: (recipient user id, item kind, item id, must-file-by date).
type _Series = tuple[int, str, int, datetime.date]


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


def _is_recipient(deadline: Deadline, member: Membership) -> bool:
    return member.pk == deadline.responsible_id or member.role in (
        Membership.Role.OFFICER,
        Membership.Role.ADMIN,
    )


def _recipients_for(deadline: Deadline, members: Sequence[Membership]) -> list[Membership]:
    return [m for m in members if _is_recipient(deadline, m)]


def plan_organization(
    organization: Organization, *, today: datetime.date | None = None
) -> list[Digest]:
    """The digests owed today for one organization (nothing is written)."""
    return _plan(organization, today=today).digests


def _plan(organization: Organization, *, today: datetime.date | None = None) -> Plan:
    """What one organization is owed today (nothing is written).

    Two sources, merged into one digest per recipient:
    - its pending deliveries, retried while still owed: the reminder was owed when it was
      recorded, so it goes out even if the item has lapsed since. A pending delivery is no
      longer owed (cancelled) when its item was renewed or superseded (no longer current), had
      a renewal filed, or has another must-file-by date now; when its recipient no longer
      receives reminders of the item or that window; or when a more urgent reminder of the
      same deadline is sent (now, or already). A weekly recipient's waits for Monday.
    - the most urgent window newly owed for each current item in a filing bucket.
    Per (recipient, item, deadline), only the most urgent of these goes out, and never one
    less urgent than a reminder already sent.

    A fixed number of queries: the deadlines (4), the pending deliveries, the members, the
    deliveries already sent or cancelled.
    """
    today = organization.today() if today is None else today
    deadlines = organization_deadlines(organization, today=today)
    windows = organization_windows()
    pending = list(
        ReminderDelivery.objects.filter(
            organization=organization, status=ReminderDelivery.Status.PENDING
        ).values_list("pk", "recipient_id", "item_kind", "item_id", "deadline", "window")
    )
    reminded = [d for d in deadlines if d.bucket in _REMINDED_BUCKETS] if windows else []
    if not pending and not reminded:
        return Plan()
    members = {
        m.user_id: m
        for m in Membership.objects.filter(
            organization=organization,
            is_active=True,
            user__is_active=True,
            reminders_enabled=True,
        )
        .exclude(user__email="")
        .select_related("user")
        .order_by("user__username", "pk")
    }
    due = [
        m
        for m in members.values()
        if m.reminder_frequency != Membership.ReminderFrequency.WEEKLY or today.weekday() == 0
    ]
    due_ids = {m.user_id for m in due}
    plan = Plan()

    # Candidate windows per series: pending deliveries still owed, then newly owed windows.
    candidates: dict[_Series, dict[int, int | None]] = {}  # window -> pending row pk, if any
    current = {(d.kind.value, d.item_id): d for d in deadlines}
    for pk, recipient_id, kind, item_id, file_by, window in pending:
        deadline = current.get((kind, item_id))
        member = members.get(recipient_id)
        if (
            deadline is None
            or deadline.file_by != file_by
            or deadline.bucket is Bucket.AWAITING
            or member is None
            or not _is_recipient(deadline, member)
            or window not in member_windows(member, windows)
        ):
            plan.cancel.append(pk)
        elif recipient_id in due_ids:
            candidates.setdefault((recipient_id, kind, item_id, file_by), {})[window] = pk
    for deadline in reminded:
        for member in _recipients_for(deadline, due):
            urgent = most_urgent_window(deadline.days_left, member_windows(member, windows))
            if urgent is not None:
                series = (member.user_id, deadline.kind.value, deadline.item_id, deadline.file_by)
                candidates.setdefault(series, {}).setdefault(urgent, None)
    if not candidates:
        return plan

    # Deliveries already settled for those deadlines: sent (never send a less urgent one after
    # them) or cancelled (owed again: recorded as pending anew, the row being unique).
    sent: dict[_Series, int] = {}
    cancelled: dict[tuple[_Series, int], int] = {}
    settled = ReminderDelivery.objects.filter(
        organization=organization,
        status__in=[ReminderDelivery.Status.SENT, ReminderDelivery.Status.CANCELLED],
        deadline__gte=min(series[3] for series in candidates),
    ).values_list("pk", "recipient_id", "item_kind", "item_id", "deadline", "window", "status")
    for pk, recipient_id, kind, item_id, file_by, window, status in settled:
        series = (recipient_id, kind, item_id, file_by)
        if status == ReminderDelivery.Status.SENT:
            sent[series] = min(window, sent.get(series, window))
        else:
            cancelled[(series, window)] = pk

    owed: dict[tuple[str, int], dict[int, int]] = {}  # (kind, item) -> {recipient: window}
    for series, rows in candidates.items():
        chosen: int | None = min(rows)
        if series in sent and sent[series] <= min(rows):
            chosen = None  # a reminder at least as urgent already went out: none is owed
        else:
            owed.setdefault((series[1], series[2]), {})[series[0]] = min(rows)
            if (series, min(rows)) in cancelled:
                plan.revive.append(cancelled[(series, min(rows))])
        plan.cancel.extend(row for w, row in rows.items() if row is not None and w != chosen)

    digests: dict[int, Digest] = {}
    for deadline in deadlines:
        recipients = owed.get((deadline.kind.value, deadline.item_id))
        if not recipients:
            continue
        for member in due:
            if (owed_window := recipients.get(member.user_id)) is not None:
                digest = digests.setdefault(member.user_id, Digest(organization, member.user))
                digest.reminders.append(Reminder(deadline, owed_window))
    plan.digests = list(digests.values())
    return plan


def _settle(plan: Plan) -> None:
    """Cancel the pending deliveries no longer owed; make the cancelled ones owed again
    pending (before anything is sent, like new ones)."""
    # A delivery log, not a tracked model: a plain status update is what it is for.
    if plan.cancel:
        ReminderDelivery.objects.filter(
            pk__in=plan.cancel, status=ReminderDelivery.Status.PENDING
        ).update(status=ReminderDelivery.Status.CANCELLED)
    if plan.revive:
        ReminderDelivery.objects.filter(
            pk__in=plan.revive, status=ReminderDelivery.Status.CANCELLED
        ).update(status=ReminderDelivery.Status.PENDING)


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
    does not stop the others; nor does an organization whose planning fails (its data, say):
    it is reported in `errors` and the next organization goes on."""
    run = ReminderRun()
    for organization in organizations:
        try:
            _send_organization(organization, run, base_url=base_url, dry_run=dry_run, today=today)
        except Exception as error:  # one organization's failure must not stop the others
            logger.exception("Expiry reminders failed for organization %s", organization.slug)
            run.errors.append((organization, f"{type(error).__name__}: {error}"))
    return run


def _send_organization(
    organization: Organization,
    run: ReminderRun,
    *,
    base_url: str,
    dry_run: bool,
    today: datetime.date | None,
) -> None:
    # A savepoint: a database error while planning leaves the connection usable for the next
    # organization, and what is recorded as pending is committed before anything is sent.
    with transaction.atomic():
        plan = _plan(organization, today=today)
        if not dry_run:
            _settle(plan)
            _record_pending(plan.digests)
    run.digests.extend(plan.digests)
    run.cancelled += len(plan.cancel)
    if dry_run:
        return
    for digest in plan.digests:
        try:
            digest_message(digest, base_url=base_url).send()
        except Exception as error:  # any backend failure: left pending, retried next run
            run.failed.append((digest, f"{type(error).__name__}: {error}"))
            continue
        _mark_sent(digest)
        run.sent.append(digest)


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
