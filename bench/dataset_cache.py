"""The dataset cache's warm load against reading and validating the sources, and against the
pickle it replaced (measured the way it was read: the key's digest, then the file), in one run.
Medians of --repeat runs, in one process; ratios to reading and validating without cache.

    python bench/dataset_cache.py [--repeat 9]
"""

from __future__ import annotations

import argparse
import pickle
import statistics
import tempfile
import time
from collections.abc import Callable
from pathlib import Path

from cartohdf.core import paths
from cartohdf.data._dataset import _digest, load_dataset_cached, load_dataset_from


def median_s(run: Callable[[], object], repeat: int) -> float:
    times = []
    for _ in range(repeat):
        start = time.perf_counter()
        run()
        times.append(time.perf_counter() - start)
    return statistics.median(times)


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--repeat", type=int, default=9)
    repeat = parser.parse_args().repeat
    with tempfile.TemporaryDirectory() as tmp:
        folder = Path(tmp) / "dataset"
        cold = median_s(lambda: load_dataset_cached(paths.ROOT, Path(tempfile.mkdtemp(dir=tmp))), 3)
        data = load_dataset_cached(paths.ROOT, folder)
        (cache_file,) = folder.iterdir()
        old = Path(tmp) / "old.pickle"
        old.write_bytes(pickle.dumps(data, protocol=pickle.HIGHEST_PROTOCOL))

        def pickle_load() -> object:
            _digest(paths.ROOT)
            with old.open("rb") as fh:
                return pickle.load(fh)  # the replaced cache, read as it was (bench only)

        cases = {
            "no_cache_read_validate": lambda: load_dataset_from(paths.ROOT),
            "data_cache_warm": lambda: load_dataset_cached(paths.ROOT, folder),
            "pickle_cache_warm_before": pickle_load,
        }
        results = {name: median_s(run, repeat) for name, run in cases.items()}
        print(f"cache_file_bytes {cache_file.stat().st_size}")
        print(f"pickle_file_bytes {old.stat().st_size}")
    print(f"first_load_writing_the_cache_s {cold:.3f}")
    for name, seconds in results.items():
        print(f"{name}_s {seconds:.3f}")
    base = results["no_cache_read_validate"]
    for name in ("data_cache_warm", "pickle_cache_warm_before"):
        print(f"{name}_ratio_to_no_cache {results[name] / base:.2f}")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
