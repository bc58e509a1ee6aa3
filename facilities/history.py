"""The audit trail's guard-rail for tracked models.

Every write to an operational model leaves a django-simple-history row with an actor and a
reason. Services do it one row at a time through `save_tracked`; bulk paths go through
`bulk_create_tracked` / `bulk_update_tracked`, which wrap simple-history's bulk helpers. The
tracked QuerySet refuses `update()`, `bulk_create()`, `bulk_update()` and `delete()` outside
those wrappers, so no shortcut can silently skip history (`delete()` is refused everywhere:
nothing operational is deleted).
"""

from __future__ import annotations

import contextvars
from collections.abc import Iterable, Iterator, Sequence
from contextlib import contextmanager
from typing import Any, TypeVar

from django.db import models
from simple_history.utils import bulk_create_with_history, bulk_update_with_history

M = TypeVar("M", bound=models.Model)

BULK_BATCH_SIZE = 1000

_bulk_writes_allowed: contextvars.ContextVar[bool] = contextvars.ContextVar(
    "bulk_writes_allowed", default=False
)


class UntrackedWriteError(RuntimeError):
    """A write that would bypass the audit trail."""


def history_reason(via: str, action: str, note: str = "") -> str:
    """The history reason: a path label ("web: licence renew") and the user's note, if any."""
    label = f"{via}: {action}"
    note = " ".join(note.split())
    return f"{label} — {note}" if note else label


@contextmanager
def _allow_bulk_writes() -> Iterator[None]:
    token = _bulk_writes_allowed.set(True)
    try:
        yield
    finally:
        _bulk_writes_allowed.reset(token)


def _refuse(method: str) -> None:
    if not _bulk_writes_allowed.get():
        raise UntrackedWriteError(
            f"QuerySet.{method}() on a tracked model skips the audit trail: use a service, "
            "or bulk_create_tracked / bulk_update_tracked from facilities.history."
        )


class TrackedQuerySet(models.QuerySet[M]):
    def update(self, **kwargs: Any) -> int:
        _refuse("update")
        return super().update(**kwargs)

    def bulk_create(self, objs: Iterable[M], *args: Any, **kwargs: Any) -> list[M]:
        _refuse("bulk_create")
        return super().bulk_create(objs, *args, **kwargs)

    def bulk_update(self, objs: Iterable[M], *args: Any, **kwargs: Any) -> int:
        _refuse("bulk_update")
        return super().bulk_update(objs, *args, **kwargs)

    def delete(self) -> tuple[int, dict[str, int]]:
        raise UntrackedWriteError("Operational records are never deleted: close or deactivate.")

    delete.alters_data = True  # type: ignore[attr-defined]
    delete.queryset_only = True  # type: ignore[attr-defined]


class TrackedModel(models.Model):
    """Base for operational models: a tracked manager, and no deletion."""

    objects = TrackedQuerySet.as_manager()

    class Meta:
        abstract = True

    def delete(self, *args: Any, **kwargs: Any) -> tuple[int, dict[str, int]]:
        raise UntrackedWriteError("Operational records are never deleted: close or deactivate.")


def save_tracked[M: models.Model](
    instance: M, *, actor: models.Model, reason: str, clean: bool = True
) -> M:
    """Validate and save one tracked row, recording `actor` and `reason` on its history row."""
    if clean:
        instance.full_clean()
    instance._history_user = actor  # type: ignore[attr-defined]
    instance._change_reason = reason  # type: ignore[attr-defined]
    instance.save()
    return instance


def bulk_create_tracked[M: models.Model](
    objs: Sequence[M], *, actor: models.Model, reason: str, batch_size: int = BULK_BATCH_SIZE
) -> list[M]:
    """Create rows in batches with one history row each, all with `actor` and `reason`."""
    if not objs:
        return []
    with _allow_bulk_writes():
        created: list[M] = bulk_create_with_history(
            objs,
            type(objs[0]),
            batch_size=batch_size,
            default_user=actor,
            default_change_reason=reason,
        )
    return created


def bulk_update_tracked[M: models.Model](
    objs: Sequence[M],
    fields: Sequence[str],
    *,
    actor: models.Model,
    reason: str,
    batch_size: int = BULK_BATCH_SIZE,
) -> int:
    """Update `fields` of rows in batches with one history row each, with `actor` and `reason`."""
    if not objs:
        return 0
    with _allow_bulk_writes():
        updated: int = bulk_update_with_history(
            objs,
            type(objs[0]),
            list(fields),
            batch_size=batch_size,
            default_user=actor,
            default_change_reason=reason,
        )
    return updated
