"""The one memo layer of cartohdf: values computed once, shared by every thread.

Streamlit serves its sessions from threads, so a memo must be safe there: a table is guarded
by a lock, and a value being computed for a key is computed once however many threads ask for
it at the same time (they wait for that key alone; other keys proceed, since no lock is held
while computing). A computation that raises leaves nothing behind: the next caller tries again.

Three ways in, one table type behind them:

- :func:`memoized` — a function of hashable values (or of a ``key`` function of its arguments)
  with one process-wide table; ``size`` bounds it (least recently used dropped first).
- :func:`derived` — a function whose first argument owns the value (a ``Dataset``, an
  ``IndicatorSet``: large, compared by identity). The value is stored on that object itself,
  keyed by the function and the other arguments, so it dies with it: a dataset dropped by the
  app takes everything derived from it along, and no table keeps a dataset alive.
- :func:`remember` — the same for a computation that is not a function of its own.

:func:`clear` empties every table (the process-wide ones and those of every live owner): for
tests, and for the app when the data under its views is replaced.
"""

from __future__ import annotations

import functools
import threading
import weakref
from collections import OrderedDict
from collections.abc import Callable, Hashable
from typing import Any, ParamSpec, TypeVar

P = ParamSpec("P")
R = TypeVar("R")

OWNER_ATTRIBUTE = "_cartohdf_memo"  # where an owner keeps its table (outside its dataclass fields)


class _Slot:
    """A table entry: its value once computed; ``done`` is set when it is (or has failed)."""

    __slots__ = ("done", "failed", "thread", "value")

    def __init__(self) -> None:
        self.done = threading.Event()
        self.failed = False
        self.thread = threading.get_ident()
        self.value: Any = None


class Table:
    """Key -> value, computed once per key, thread-safe; bounded (LRU) when `size` is given."""

    def __init__(self, size: int | None = None) -> None:
        if size is not None and size < 1:
            raise ValueError("a memo table holds at least one entry")
        self.size = size
        self._lock = threading.Lock()
        self._slots: OrderedDict[Hashable, _Slot] = OrderedDict()

    def __len__(self) -> int:
        return len(self._slots)

    def __reduce__(self) -> tuple[type[Table], tuple[int | None]]:
        # a copied or pickled owner starts with an empty table (locks cannot be copied)
        return (Table, (self.size,))

    def get(self, key: Hashable, compute: Callable[[], R]) -> R:
        """The value of `key`, computed by `compute` the first time it is asked for."""
        if self.size is None:  # nothing to reorder: a value already there is read without the lock
            found = self._slots.get(key)  # one C call, atomic under the GIL
            if found is not None and found.done.is_set() and not found.failed:
                return found.value
        while True:
            with self._lock:
                slot = self._slots.get(key)
                mine = slot is None
                if slot is None:
                    slot = self._slots[key] = _Slot()
                    if self.size is not None and len(self._slots) > self.size:
                        self._slots.popitem(last=False)
                elif self.size is not None:
                    self._slots.move_to_end(key)
            if mine:
                return self._compute(key, slot, compute)
            if not slot.done.is_set() and slot.thread == threading.get_ident():
                raise RuntimeError(f"memo: {key!r} asked for while being computed")
            slot.done.wait()
            if not slot.failed:
                return slot.value
            # the thread computing it failed (and said so): compute it ourselves

    def _compute(self, key: Hashable, slot: _Slot, compute: Callable[[], R]) -> R:
        try:
            slot.value = compute()
        except BaseException:
            with self._lock:
                if self._slots.get(key) is slot:
                    del self._slots[key]
            slot.failed = True
            raise
        finally:
            slot.done.set()
        return slot.value

    def clear(self) -> None:
        """Forget every value (computations in progress finish for their callers only)."""
        with self._lock:
            self._slots.clear()


# Every table, to clear them all: process-wide ones by reference, owners' ones weakly (an
# owner's table lives and dies with its owner).
_REGISTRY_LOCK = threading.Lock()
_GLOBAL_TABLES: list[Table] = []
_OWNER_TABLES: weakref.WeakSet[Table] = weakref.WeakSet()


def table(size: int | None = None) -> Table:
    """A new process-wide table, emptied by :func:`clear` (for a key computed by the caller)."""
    new = Table(size)
    with _REGISTRY_LOCK:
        _GLOBAL_TABLES.append(new)
    return new


def owner_table(owner: object) -> Table:
    """The table stored on `owner` (created on first use), which dies with it."""
    found = vars(owner).get(OWNER_ATTRIBUTE)
    if isinstance(found, Table):
        return found
    with _REGISTRY_LOCK:
        found = vars(owner).get(OWNER_ATTRIBUTE)
        if not isinstance(found, Table):
            found = Table()
            vars(owner)[OWNER_ATTRIBUTE] = found  # also on frozen dataclasses, never a field
            _OWNER_TABLES.add(found)
        return found


def remember(owner: object, key: Hashable, compute: Callable[[], R]) -> R:
    """The value of `key` derived from `owner`, computed once and kept on `owner`."""
    return owner_table(owner).get(key, compute)


def _call_key(args: tuple[object, ...], kwargs: dict[str, object]) -> Hashable:
    # like functools.cache: f(1) and f(x=1) are two keys (both right, computed once each)
    return (args, tuple(sorted(kwargs.items()))) if kwargs else args


def memoized(
    *, size: int | None = None, key: Callable[..., Hashable] | None = None
) -> Callable[[Callable[P, R]], Callable[P, R]]:
    """A function computed once per arguments for the process, in a table of its own.

    Parameters
    ----------
    size
        At most this many values are kept (the least recently used dropped first); ``None``
        for a function of a few possible arguments only.
    key
        The key of a call, from its arguments, when they are not hashable themselves
        (default: the arguments).
    """

    def decorate(function: Callable[P, R]) -> Callable[P, R]:
        values = table(size)

        @functools.wraps(function)
        def wrapper(*args: P.args, **kwargs: P.kwargs) -> R:
            k = key(*args, **kwargs) if key is not None else _call_key(args, kwargs)
            return values.get(k, lambda: function(*args, **kwargs))

        return wrapper

    return decorate


def derived(function: Callable[P, R]) -> Callable[P, R]:
    """A function of an owner (first argument: a dataset…) and hashable values, computed
    once per owner and values, kept on the owner (see :func:`remember`)."""

    @functools.wraps(function)
    def wrapper(*args: P.args, **kwargs: P.kwargs) -> R:
        if not args:
            raise TypeError(f"{function.__qualname__}: pass its owner as first argument")
        owner, rest = args[0], args[1:]
        return remember(owner, (function, _call_key(rest, kwargs)),
                        lambda: function(*args, **kwargs))  # fmt: skip

    return wrapper


def clear() -> None:
    """Forget every memoised value: every process-wide table and every live owner's."""
    with _REGISTRY_LOCK:
        tables = [*_GLOBAL_TABLES, *_OWNER_TABLES]
    for t in tables:
        t.clear()
