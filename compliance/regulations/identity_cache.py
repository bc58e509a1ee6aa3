"""A cache keyed by the identity of immutable objects: the evaluation's shared plans."""

from __future__ import annotations

from typing import Generic, TypeVar

V = TypeVar("V")


class IdentityCache(Generic[V]):  # noqa: UP046 - mypy's Django plugin fails on PEP 695 syntax
    """Values computed from immutable objects, keyed by the objects' identity (hashing a tuple
    of frameworks hashes the whole catalog it holds) and kept with them, so that an id is never
    reused while its entry exists. Cleared when full: entries are cheap to compute again."""

    def __init__(self, limit: int) -> None:
        self._limit = limit
        self._entries: dict[tuple[int, ...], tuple[tuple[object, ...], V]] = {}

    def get(self, *objects: object) -> V | None:
        entry = self._entries.get(tuple(map(id, objects)))
        if entry is None or any(a is not b for a, b in zip(entry[0], objects, strict=True)):
            return None
        return entry[1]

    def put(self, objects: tuple[object, ...], value: V) -> V:
        if len(self._entries) >= self._limit:
            self._entries.clear()
        self._entries[tuple(map(id, objects))] = (objects, value)
        return value
