"""Every file cartohdf writes is whole or absent: under a file-size limit (as on a full disk)
each export, table, portrait and build output leaves the previous file intact and no temporary
behind, and the CLI says so in one line naming the path (exit code 2)."""

from __future__ import annotations

import json
import subprocess
import sys

import pandas as pd
import pytest

from cartohdf.core import TMP_SUFFIX, WriteError
from cartohdf.data import write_geojson

# One process for every case: import and load once, then each command under the size limit.
RUN_LIMITED = """
import json, resource, sys
from click.testing import CliRunner
from cartohdf.front.cli import main
resource.setrlimit(resource.RLIMIT_FSIZE, (int(sys.argv[1]), resource.RLIM_INFINITY))
runner = CliRunner()
answers = []
for args in json.loads(sys.argv[2]):
    done = runner.invoke(main, args, env={"CARTOHDF_LANG": "en"})
    answers.append({"code": done.exit_code, "stderr": done.stderr,
                    "exception": repr(done.exception) if done.exit_code not in (0, 2) else ""})
print(json.dumps(answers))
"""
CASES = {
    "map.html": ["export", "--out"],
    "map.svg": ["export", "--out"],
    "map.png": ["export", "--out"],
    "map.pdf": ["export", "--out"],
    "zones.csv": ["export-data", "--format", "csv", "--out"],
    "zones-fr.csv": ["export-data", "--format", "csv-fr", "--out"],
    "zones.xlsx": ["export-data", "--format", "xlsx", "--out"],
    "zones.geojson": ["export-data", "--format", "geojson", "--out"],
    "portrait.pdf": ["atlas", "--zone", "2203", "--out"],
}
GOOD = b"a good file from before\n"


def run_limited(limit: int, commands: list[list[str]]) -> list[dict[str, str | int]]:
    done = subprocess.run([sys.executable, "-c", RUN_LIMITED, str(limit), json.dumps(commands)],
                          capture_output=True, text=True, check=True, timeout=300)  # fmt: skip
    return json.loads(done.stdout)


def test_every_export_over_the_size_limit_keeps_the_old_file_and_names_it(tmp_path):
    targets = {name: tmp_path / name for name in CASES}
    for target in targets.values():
        target.write_bytes(GOOD)
    answers = run_limited(1000, [[*CASES[n], str(p)] for n, p in targets.items()])
    for (name, target), answer in zip(targets.items(), answers, strict=True):
        assert answer["code"] == 2, (name, answer)
        lines = str(answer["stderr"]).strip().splitlines()
        assert len(lines) == 1 and str(target) in lines[0], (name, lines)
        assert "nothing was changed" in lines[0], (name, lines)
        assert target.read_bytes() == GOOD, name
    assert sorted(p.name for p in tmp_path.iterdir()) == sorted(CASES)


def test_a_new_export_over_the_limit_leaves_no_file_at_all(tmp_path):
    answers = run_limited(1000, [["export", "--out", str(tmp_path / "map.svg")],
                                 ["export-data", "--format", "xlsx", "--out", str(tmp_path / "z.xlsx")]])  # fmt: skip
    assert [a["code"] for a in answers] == [2, 2]
    assert list(tmp_path.iterdir()) == []


def test_a_build_output_that_cannot_be_written_whole_keeps_the_previous_one(tmp_path, monkeypatch):
    target = tmp_path / "zones.geojson"
    target.write_bytes(GOOD)
    monkeypatch.setattr("os.fsync", _full_disk)
    with pytest.raises(WriteError, match=r"zones\.geojson"):
        write_geojson(target, {"features": []})
    from cartohdf.build.raw import write_csv

    with pytest.raises(WriteError):
        write_csv(pd.DataFrame({"a": [1]}), tmp_path / "communes.csv")
    assert target.read_bytes() == GOOD
    assert not list(tmp_path.glob(f"*{TMP_SUFFIX}")) and not (tmp_path / "communes.csv").exists()


def _full_disk(fd: int) -> None:
    raise OSError(28, "No space left on device")


def test_a_library_error_while_exporting_is_one_plain_line(tmp_path, monkeypatch):
    from click.testing import CliRunner

    from cartohdf.front.cli import main

    def broken(*args, **kwargs):
        raise KeyError("an openpyxl internal")

    monkeypatch.setattr("cartohdf.export._tables.zone_table_xlsx", broken)
    done = CliRunner().invoke(main, ["export-data", "--format", "xlsx", "--out", str(tmp_path / "z.xlsx")],
                              env={"CARTOHDF_LANG": "fr"})  # fmt: skip
    assert done.exit_code == 2
    assert done.stderr.count("\n") == 1 and "Traceback" not in done.stderr
    assert "échec inattendu (KeyError" in done.stderr
    assert list(tmp_path.iterdir()) == []
