"""The one memo layer (`cartohdf.core.memo`): computed once under concurrent asks, other keys
not held up, values derived from a dataset gone with it, bounded tables, `clear()`; and an ast
check that no module keeps a cache of its own (module-level dict, functools.cache...)."""

from __future__ import annotations

import ast
import dataclasses
import gc
import subprocess
import sys
import threading
import weakref

import pytest

from cartohdf.core import memo, paths

SRC = paths.ROOT / "src" / "cartohdf"
SAFETY_S = 60  # a bound on every wait, so that a broken layer fails instead of hanging


class Counter:
    """Calls of a computation, counted across threads."""

    def __init__(self) -> None:
        self.calls = 0
        self._lock = threading.Lock()

    def __call__(self) -> int:
        with self._lock:
            self.calls += 1
            return self.calls


class Asked:
    """A key that records which threads looked it up: a table hashes the key it is asked for,
    so the computation can wait until every thread has asked (no sleep, no timing)."""

    def __init__(self, threads: int) -> None:
        self.threads: set[int] = set()
        self.expected = threads
        self.everyone = threading.Event()
        self._lock = threading.Lock()

    def __hash__(self) -> int:
        with self._lock:
            self.threads.add(threading.get_ident())
            if len(self.threads) >= self.expected:
                self.everyone.set()
        return 1

    def __eq__(self, other: object) -> bool:
        return other is self


def run_threads(n: int, target) -> list[object]:
    results: list[object] = [None] * n
    errors: list[BaseException] = []

    def one(i: int) -> None:
        try:
            results[i] = target()
        except BaseException as exc:  # handed to the test thread
            errors.append(exc)

    threads = [threading.Thread(target=one, args=(i,)) for i in range(n)]
    for th in threads:
        th.start()
    for th in threads:
        th.join(SAFETY_S)
    assert not any(th.is_alive() for th in threads), "a thread never returned"
    if errors:
        raise errors[0]
    return results


def test_threads_asking_the_same_key_at_once_compute_it_once():
    n = 8
    table, key, count = memo.Table(), Asked(8), Counter()

    def compute() -> object:
        count()
        # every thread has asked by now: with a check-then-store memo each would compute too
        assert key.everyone.wait(SAFETY_S)
        return object()

    results = run_threads(n, lambda: table.get(key, compute))
    assert count.calls == 1
    assert all(r is results[0] for r in results)
    assert len(key.threads) == n


def test_different_keys_are_computed_at_the_same_time():
    table = memo.Table()
    both = threading.Barrier(2, timeout=SAFETY_S)  # passed only if both computations run at once

    def compute(k: str) -> str:
        both.wait()
        return k

    keys = iter(["a", "b"])
    lock = threading.Lock()

    def ask() -> object:
        with lock:
            k = next(keys)
        return table.get(k, lambda: compute(k))

    assert sorted(run_threads(2, ask)) == ["a", "b"]  # type: ignore[type-var]


def test_a_failed_computation_is_not_kept_and_the_waiters_compute_it_themselves():
    table, key, count = memo.Table(), Asked(4), Counter()

    def compute() -> str:
        if count() == 1:
            assert key.everyone.wait(SAFETY_S)
            raise ValueError("first try fails")
        return "value"

    outcomes = run_threads(4, lambda: _outcome(lambda: table.get(key, compute)))
    assert sorted(map(str, outcomes)) == ["ValueError", "value", "value", "value"]
    assert count.calls == 2  # the failure, then one computation for the three that waited
    assert table.get(key, compute) == "value" and count.calls == 2


def _outcome(call) -> object:
    try:
        return call()
    except ValueError:
        return "ValueError"


def test_a_key_asked_for_inside_its_own_computation_is_an_error_not_a_deadlock():
    table = memo.Table()
    with pytest.raises(RuntimeError, match="being computed"):
        table.get("k", lambda: table.get("k", lambda: 1))
    assert table.get("k", lambda: 2) == 2  # nothing kept from the failed try


def test_a_bounded_table_drops_the_least_recently_used():
    table, count = memo.Table(size=3), Counter()
    for k in "abc":
        table.get(k, count)
    table.get("a", count)  # a is now the most recent: b is the oldest
    table.get("d", count)
    assert len(table) == 3 and count.calls == 4
    table.get("a", count)  # still there
    assert count.calls == 4
    table.get("b", count)  # dropped, computed again
    assert count.calls == 5


def test_the_topology_table_keeps_its_bound():
    from shapely.geometry import box

    from cartohdf.render import _topo
    from cartohdf.render._topo import build_topology

    assert _topo._TOPOLOGIES.size == 64
    first = build_topology([box(0, 0, 1, 1)])
    for i in range(64):
        build_topology([box(0, 0, 2 + i, 1)])
    assert len(_topo._TOPOLOGIES) == 64
    assert build_topology([box(0, 0, 1, 1)]) is not first  # dropped, encoded again
    assert build_topology([box(0, 0, 1, 1)]) == first


def test_memoized_keys_on_arguments_and_derived_on_the_owner_and_the_arguments():
    count = Counter()

    @memo.memoized(size=8)
    def double(x: int) -> tuple[int, int]:
        return x * 2, count()

    assert double(2) == double(2) == (4, 1)
    assert double(3) == (6, 2)

    class Owner:
        pass

    @memo.derived
    def tagged(owner: Owner, tag: str) -> tuple[str, int]:
        return tag, count()

    one, two = Owner(), Owner()
    assert tagged(one, "x") is tagged(one, "x")
    assert tagged(two, "x") is not tagged(one, "x")
    assert tagged(one, "y")[0] == "y"


class Owned:
    """An owner of derived values (as a dataset is)."""


def test_a_copied_or_pickled_owner_starts_with_no_values():
    import copy
    import pickle

    owner = Owned()
    memo.remember(owner, "k", object)
    for other in (copy.deepcopy(owner), pickle.loads(pickle.dumps(owner))):
        assert len(memo.owner_table(other)) == 0


def test_a_derived_function_needs_its_owner_first():
    @memo.derived
    def f(owner: object) -> int:
        return 1

    with pytest.raises(TypeError, match="owner"):
        f(owner=Owned())


def test_what_is_derived_from_a_dataset_dies_with_it(data):
    from cartohdf.render import domains

    copy = dataclasses.replace(data)  # a dataset of its own (as an import or an upload makes)
    names, s3 = copy.zone_names("ze2010"), domains(copy)
    assert copy.zone_names("ze2010") is names and domains(copy) is s3
    assert data.zone_names("ze2010") is not names  # another dataset: its own values
    gone = [weakref.ref(copy), weakref.ref(s3[0][2])]  # a frame inside the derived value
    del copy, names, s3
    gc.collect()
    assert [r() for r in gone] == [None, None]


def test_an_indicator_set_keeps_its_values_and_a_copy_starts_empty(data):
    from cartohdf.indicators import indicator_set

    iset = indicator_set(data, "ze2010")
    assert indicator_set(data, "ze2010") is iset
    year = iset.years[-1]
    values = iset.values("industrial_share", year)
    assert iset.values("industrial_share", year) is values
    copy = dataclasses.replace(iset)
    assert copy.values("industrial_share", year) is not values


def test_clear_forgets_every_table_and_every_owner_s_values():
    # in a process of its own: clearing here would drop the session's dataset too
    script = """
from cartohdf.core import memo
calls = []
@memo.memoized()
def once():
    calls.append(1)
    return object()
class Owner: pass
owner = Owner()
a, b = once(), memo.remember(owner, "k", object)
assert once() is a and memo.remember(owner, "k", object) is b
memo.clear()
assert once() is not a and memo.remember(owner, "k", object) is not b and len(calls) == 2
"""
    run = subprocess.run([sys.executable, "-c", script], capture_output=True, text=True,
                         env={"PYTHONPATH": str(SRC.parent)}, timeout=SAFETY_S)  # fmt: skip
    assert run.returncode == 0, run.stderr


# -- no cache outside the layer (ast) --------------------------------------------------------

CACHE_DECORATORS = {"cache", "lru_cache", "cached_property"}
CONTAINERS = {"dict", "list", "set", "OrderedDict", "defaultdict", "deque"}
ALWAYS_CACHES = {"WeakKeyDictionary", "WeakValueDictionary", "WeakSet", "OrderedDict"}
MUTATORS = {"setdefault", "update", "pop", "popitem", "clear", "move_to_end", "append", "add",
            "extend", "insert", "remove", "discard", "appendleft"}  # fmt: skip
ALLOWED = {
    "core/_memo.py": "the memo layer itself: its registry of tables, to clear them all",
}


def _callee(node: ast.expr) -> str:
    func = node.func if isinstance(node, ast.Call) else node
    if isinstance(func, ast.Attribute):
        return func.attr
    return func.id if isinstance(func, ast.Name) else ""


def _is_container(value: ast.expr | None) -> bool:
    if isinstance(value, ast.Dict | ast.List | ast.Set | ast.DictComp | ast.ListComp | ast.SetComp):
        return True
    return isinstance(value, ast.Call) and _callee(value) in CONTAINERS | ALWAYS_CACHES


def _mutated(tree: ast.Module) -> set[str]:
    """Names whose item is set or deleted, or on which a mutating method is called."""
    out = set()
    for node in ast.walk(tree):
        targets: list[ast.expr] = []
        if isinstance(node, ast.Assign | ast.Delete):
            targets = list(node.targets)
        elif isinstance(node, ast.AugAssign | ast.AnnAssign):
            targets = [node.target]
        for t in targets:
            if isinstance(t, ast.Subscript) and isinstance(t.value, ast.Name):
                out.add(t.value.id)
        if isinstance(node, ast.AugAssign) and isinstance(node.target, ast.Name):
            out.add(node.target.id)
        if (isinstance(node, ast.Call) and isinstance(node.func, ast.Attribute)
                and node.func.attr in MUTATORS and isinstance(node.func.value, ast.Name)):  # fmt: skip
            out.add(node.func.value.id)
    return out


def cache_findings(source: str) -> list[str]:
    """Every private cache of a module: functools caches, module-level containers that the
    module fills, weak dictionaries, class attributes named as memos."""
    tree = ast.parse(source)
    found = []
    for node in ast.walk(tree):
        if isinstance(node, ast.ImportFrom) and node.module == "functools":
            found += [f"{node.lineno}: from functools import {a.name}"
                      for a in node.names if a.name in CACHE_DECORATORS]  # fmt: skip
        elif (isinstance(node, ast.Attribute) and node.attr in CACHE_DECORATORS
              and isinstance(node.value, ast.Name) and node.value.id == "functools"):  # fmt: skip
            found.append(f"{node.lineno}: functools.{node.attr}")
        elif isinstance(node, ast.ClassDef):
            for item in node.body:
                target = item.target if isinstance(item, ast.AnnAssign) else None
                if isinstance(target, ast.Name) and any(w in target.id.lower()
                                                         for w in ("memo", "cache")):  # fmt: skip
                    found.append(f"{item.lineno}: {node.name}.{target.id}")
    mutated = _mutated(tree)
    for node in tree.body:
        if isinstance(node, ast.Assign):
            names, value = [t.id for t in node.targets if isinstance(t, ast.Name)], node.value
        elif isinstance(node, ast.AnnAssign) and isinstance(node.target, ast.Name):
            names, value = [node.target.id], node.value
        else:
            continue
        always = isinstance(value, ast.Call) and _callee(value) in ALWAYS_CACHES
        for name in names:
            if _is_container(value) and (always or name in mutated):
                found.append(f"{node.lineno}: module-level {name}")
    return found


def test_no_module_keeps_a_cache_of_its_own():
    """Every memo goes through `cartohdf.core.memo` (thread-safe, bounded where it must be,
    cleared as one); constant tables (never filled after import) stay."""
    findings = []
    for path in sorted(SRC.rglob("*.py")):
        rel = path.relative_to(SRC).as_posix()
        if rel not in ALLOWED:
            findings += [f"{rel}:{f}" for f in cache_findings(path.read_text(encoding="utf-8"))]
    assert findings == []


@pytest.mark.parametrize(
    "source",
    [
        "from functools import cache\n@cache\ndef f(): pass",
        "import functools\n@functools.lru_cache(8)\ndef f(): pass",
        "import weakref\n_SETS = weakref.WeakKeyDictionary()",
        "from collections import OrderedDict\n_CACHE: OrderedDict = OrderedDict()",
        "_D: dict[str, int] = {}\ndef f(k):\n    _D[k] = 1",
        "_D = {}\ndef f(k):\n    return _D.setdefault(k, [])",
        "from dataclasses import dataclass, field\n@dataclass\nclass S:\n"
        "    _memo: dict = field(default_factory=dict)",
    ],
)
def test_the_cache_check_finds_each_kind_of_private_cache(source):
    assert cache_findings(source)


def test_the_cache_check_leaves_constant_tables_alone():
    source = "TEXTS: dict[str, str] = {'a': 'b'}\nNAMES = {k: k for k in 'ab'}\n" \
             "def f(k):\n    local = {}\n    local[k] = TEXTS[k]\n    return local"  # fmt: skip
    assert cache_findings(source) == []


def test_the_allow_list_names_files_that_exist():
    assert all((SRC / rel).is_file() for rel in ALLOWED)
