"""The browser tests on a loaded machine: the whole browser suite --runs times in a row while
--burners processes keep every core busy. Prints one line per run (passed, failed, seconds) and
the total; a suite that waits on conditions, not on sleeps, passes every time.

    python bench/browser_under_load.py [--runs 3] [--burners 2]
"""

from __future__ import annotations

import argparse
import re
import subprocess
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
BURN = "import itertools\nfor _ in itertools.count(): pass"


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--runs", type=int, default=3)
    parser.add_argument("--burners", type=int, default=2)
    args = parser.parse_args()
    burners = [subprocess.Popen([sys.executable, "-c", BURN]) for _ in range(args.burners)]
    failed_runs = 0
    try:
        for run in range(1, args.runs + 1):
            start = time.perf_counter()
            done = subprocess.run([sys.executable, "-m", "pytest", "-q", "-rf", "-m", "browser", "-p", "no:cacheprovider"],
                                  cwd=ROOT, capture_output=True, text=True, check=False)  # fmt: skip
            summary = (
                done.stdout.strip().splitlines()[-1] if done.stdout.strip() else done.stderr[-300:]
            )
            passed = int(m.group(1)) if (m := re.search(r"(\d+) passed", summary)) else 0
            failed = int(m.group(1)) if (m := re.search(r"(\d+) (?:failed|error)", summary)) else 0
            failed_runs += done.returncode != 0
            print(f"run{run}_passed {passed}")
            print(f"run{run}_failed {failed}")
            print(f"run{run}_seconds {time.perf_counter() - start:.0f}")
            for line in done.stdout.splitlines():
                if line.startswith(("FAILED", "ERROR", "E   ")):
                    print(f"# {line[:300]}")
    finally:
        for b in burners:
            b.kill()
    print(f"runs_with_a_failure {failed_runs}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
