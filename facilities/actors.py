"""Who acts when no person clicks: operators running commands, and scheduled work.

Every history row names a user. A command run with `--actor` acts as that user; without it, it
acts as the `system` user (created by a data migration, with no usable password) and names the
operating-system account in the reason, so the trail still says who ran it.
"""

from __future__ import annotations

import getpass

from django.core.management.base import CommandError
from django.db.models import Q

from facilities.models import User

SYSTEM_USERNAME = "system"


def system_user() -> User:
    return User.objects.get(username=SYSTEM_USERNAME)


def os_user() -> str:
    try:
        return getpass.getuser()
    except (KeyError, OSError):  # no passwd entry, e.g. in some containers
        return "unknown"


def command_actor(identifier: str | None) -> tuple[User, str]:
    """The user a command acts as, and a note for the history reason.

    `identifier` is the `--actor` option: an existing active user's username or e-mail.
    """
    if identifier:
        user = User.objects.filter(
            Q(username__iexact=identifier) | Q(email__iexact=identifier), is_active=True
        ).first()
        if user is None:
            raise CommandError(
                f"--actor {identifier!r}: no active user has this username or e-mail."
            )
        return user, ""
    return system_user(), f"run by OS user {os_user()}"
