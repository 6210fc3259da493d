"""Peak memory and time of the worst uploads, in the CLI and in the app's upload worker.

Each case runs in a process of its own; its peak resident memory is the kernel's ru_maxrss
of that process (``os.wait4``). Prints one figure per line:

- ``cli <case> <MB> <cpu s> <outcome>``: ``cartohdf export --indicator-file`` (HTML to a temporary
  folder), the whole command;
- ``worker <case> <MB> <cpu s> <outcome>``: the worker child of ``parse_upload_isolated``;
- ``concurrent4 <MB> <outcomes>``: four worst uploads sent at once through
  ``parse_upload_isolated`` in one process (as four sessions of one app): the largest sum of
  the resident memory of its children, sampled every 20 ms.

    PYTHONPATH=src python bench/upload_memory.py [--src src] [--cases a,b]
"""

from __future__ import annotations

import argparse
import io
import os
import re
import subprocess
import sys
import tempfile
import zipfile
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
HDF_ZE2010 = ("0055", "0056", "2201", "2202", "2203")


def _xlsx(sheet_xml: bytes, styles_xml: bytes | None = None) -> bytes:
    """A minimal workbook around one sheet's XML (what Excel needs, nothing more)."""
    ns = 'xmlns="http://schemas.openxmlformats.org/spreadsheetml/2006/main"'
    rel = "http://schemas.openxmlformats.org/officeDocument/2006/relationships"
    pkg = "http://schemas.openxmlformats.org/package/2006/relationships"
    ct = "http://schemas.openxmlformats.org/package/2006/content-types"
    sheet_ct = "application/vnd.openxmlformats-officedocument.spreadsheetml.worksheet+xml"
    book_ct = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet.main+xml"
    parts = {
        "[Content_Types].xml": f'<Types xmlns="{ct}"><Default Extension="rels" '
        'ContentType="application/vnd.openxmlformats-package.relationships+xml"/>'
        '<Default Extension="xml" ContentType="application/xml"/>'
        f'<Override PartName="/xl/workbook.xml" ContentType="{book_ct}"/>'
        f'<Override PartName="/xl/worksheets/sheet1.xml" ContentType="{sheet_ct}"/></Types>',
        "_rels/.rels": f'<Relationships xmlns="{pkg}"><Relationship Id="rId1" '
        f'Type="{rel}/officeDocument" Target="xl/workbook.xml"/></Relationships>',
        "xl/workbook.xml": f'<workbook {ns} xmlns:r="{rel}"><sheets><sheet name="S" sheetId="1" '
        'r:id="rId1"/></sheets></workbook>',
        "xl/_rels/workbook.xml.rels": f'<Relationships xmlns="{pkg}"><Relationship Id="rId1" '
        f'Type="{rel}/worksheet" Target="worksheets/sheet1.xml"/></Relationships>',
    }
    buf = io.BytesIO()
    with zipfile.ZipFile(buf, "w", zipfile.ZIP_DEFLATED) as z:
        for name, text in parts.items():
            z.writestr(name, text)
        z.writestr("xl/worksheets/sheet1.xml", sheet_xml)
        if styles_xml is not None:
            z.writestr("xl/styles.xml", styles_xml)
    return buf.getvalue()


def _sheet(rows: list[str]) -> bytes:
    ns = 'xmlns="http://schemas.openxmlformats.org/spreadsheetml/2006/main"'
    return f"<worksheet {ns}><sheetData>{''.join(rows)}</sheetData></worksheet>".encode()


def wide_row_xlsx(cells: int = 1_500_000) -> bytes:
    """One row of 1.5 M numeric cells (~33 MB unzipped, ~80 KB zipped): refused."""
    return _sheet(["<row>" + "<c><v>12</v></c>" * cells + "</row>"])


def big_styles_xlsx(xfs: int = 500_000) -> bytes:
    """A workbook saved by openpyxl (five zones), its styles.xml grown to 500 k cell formats
    (~30 MB unzipped, ~90 KB zipped): nothing in it is needed to read the values."""
    from openpyxl import Workbook

    book = Workbook()
    book.active.append(["code", "v"])
    for i, code in enumerate(HDF_ZE2010, start=1):
        book.active.append([code, i])
    buf = io.BytesIO()
    book.save(buf)
    xf = b'<xf numFmtId="0" fontId="0" fillId="0" borderId="0" xfId="0"/>'
    out = io.BytesIO()
    with zipfile.ZipFile(buf) as src, zipfile.ZipFile(out, "w", zipfile.ZIP_DEFLATED) as dst:
        for info in src.infolist():
            body = src.read(info)
            if info.filename == "xl/styles.xml":
                body = re.sub(
                    rb'<cellXfs count="\d+">', b'<cellXfs count="%d">' % (xfs + 1) + xf * xfs, body
                )
            dst.writestr(info.filename, body)
    return out.getvalue()


def numeric_xlsx() -> bytes:
    """bench/upload_isolation.py's file: every cell numeric, read whole then refused (codes)."""
    sys.path.insert(0, str(Path(__file__).resolve().parent))
    from upload_isolation import worst_xlsx

    return worst_xlsx()


def accepted_xlsx(columns: int = 200, cell_chars: int = 40_000) -> bytes:
    """The largest accepted workbook: the zones' rows, 200 columns of long text, one value."""
    text = "x" * cell_chars
    header = "".join(f'<c t="inlineStr"><is><t>h{j}</t></is></c>' for j in range(columns - 2))
    rows = ['<row><c t="inlineStr"><is><t>code</t></is></c><c t="inlineStr"><is><t>valeur</t>'
            f"</is></c>{header}</row>"]  # fmt: skip
    other = f'<c t="inlineStr"><is><t>{text}</t></is></c>' * (columns - 2)
    rows += [
        f"<row><c><v>{c}</v></c><c><v>{i}</v></c>{other}</row>" for i, c in enumerate(HDF_ZE2010)
    ]
    return _xlsx(_sheet(rows))


def accepted_csv(target: int = 4_900_000) -> bytes:
    """The largest accepted CSV: the zones' rows, 200 columns, long text cells, under 5 MB."""
    columns = 200
    cell = "x" * (target // (len(HDF_ZE2010) * columns))
    lines = ["code;valeur;" + ";".join(f"h{j}" for j in range(columns - 2))]
    lines += [f"{c};{i};" + ";".join([cell] * (columns - 2)) for i, c in enumerate(HDF_ZE2010)]
    return ("\n".join(lines) + "\n").encode()


def cr_only_csv(rows: int = 600_000) -> bytes:
    """CR-only line ends, 600 k rows: over the row bound."""
    return ("code;v\r" + "0055;1\r" * rows).encode()


def wide_row_sheet() -> bytes:
    return _xlsx(wide_row_xlsx())


CASES = {
    "accepted_csv": (accepted_csv, "accepted.csv", "valeur"),
    "accepted_xlsx": (accepted_xlsx, "accepted.xlsx", "valeur"),
    "wide_row_xlsx": (wide_row_sheet, "wide.xlsx", None),
    "big_styles_xlsx": (big_styles_xlsx, "styles.xlsx", None),
    "numeric_xlsx": (numeric_xlsx, "numeric.xlsx", None),
    "cr_only_csv": (cr_only_csv, "cr.csv", None),
}


def _run(cmd: list[str], env: dict[str, str]) -> tuple[float, float, str]:
    """Run `cmd`; return its peak resident memory (MB), its CPU time (s, user + system: less
    sensitive than wall time to a shared machine) and its last line."""
    proc = subprocess.Popen(cmd, env=env, stdout=subprocess.PIPE, stderr=subprocess.STDOUT)
    assert proc.stdout is not None
    out = proc.stdout.read()
    _pid, _status, usage = os.wait4(proc.pid, 0)
    proc.returncode = 0
    lines = out.decode("utf-8", "replace").strip().splitlines() or [""]
    return usage.ru_maxrss / 1024, usage.ru_utime + usage.ru_stime, lines[-1][:400]


WORKER = """
import resource, sys
from pathlib import Path
from cartohdf.core import CartohdfError
from cartohdf.data import load_dataset
from cartohdf.front.app import parse_upload_isolated
path, column = Path(sys.argv[1]), sys.argv[2] or None
zones = load_dataset().zone_codes()
try:
    r = parse_upload_isolated(path.read_bytes(), path.name, zones, column, timeout_s=120)
    outcome = f"accepted {len(r.values)} zones"
except CartohdfError as exc:
    outcome = "refused: " + exc.message("en")
child = resource.getrusage(resource.RUSAGE_CHILDREN)
print(f"{child.ru_maxrss / 1024:.0f} {child.ru_utime + child.ru_stime:.1f} {outcome}")
"""

CONCURRENT = """
import os, sys, threading, time
from pathlib import Path
from cartohdf.core import CartohdfError
from cartohdf.data import load_dataset
from cartohdf.front.app import parse_upload_isolated
path = Path(sys.argv[1])
raw, zones = path.read_bytes(), load_dataset().zone_codes()
outcomes, done = [], threading.Event()
def one():
    try:
        parse_upload_isolated(raw, path.name, zones, None, timeout_s=120)
        outcomes.append("accepted")
    except CartohdfError as exc:
        outcomes.append(exc.message("en")[:40])
def children_rss():
    total = 0
    for pid in os.listdir("/proc"):
        if not pid.isdigit():
            continue
        try:
            stat = open(f"/proc/{pid}/stat").read().rsplit(")", 1)[1].split()
            if int(stat[1]) == os.getpid():
                total += int(stat[21]) * os.sysconf("SC_PAGE_SIZE")
        except (OSError, IndexError, ValueError):
            pass
    return total
threads = [threading.Thread(target=one) for _ in range(4)]
for th in threads:
    th.start()
peak = 0
while any(th.is_alive() for th in threads):
    peak = max(peak, children_rss())
    time.sleep(0.02)
print(f"{peak / 2**20:.0f} {sorted(outcomes)}")
"""


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--src", default=str(ROOT / "src"), help="the cartohdf sources to measure")
    parser.add_argument("--cases", default=",".join(CASES))
    parser.add_argument("--skip-cli", action="store_true")
    parser.add_argument("--concurrent", default="wide_row_xlsx,numeric_xlsx",
                        help="cases sent four at once")  # fmt: skip
    args = parser.parse_args()
    env = {**os.environ, "PYTHONPATH": args.src}
    with tempfile.TemporaryDirectory() as tmp:
        env["XDG_CACHE_HOME"] = tmp  # the upload cache of this run only
        warm = [
            sys.executable,
            "-m",
            "cartohdf.front.cli",
            "export",
            "--out",
            str(Path(tmp) / "m.html"),
        ]
        subprocess.run(warm, env=env, capture_output=True, check=False)  # the dataset cache, once
        for case in args.cases.split(","):
            make, name, column = CASES[case]
            path = Path(tmp) / name
            path.write_bytes(make())
            print(f"size {case} {path.stat().st_size / 1e3:.0f}KB", flush=True)
            if not args.skip_cli:
                cli = [sys.executable, "-m", "cartohdf.front.cli", "export", "--out",
                       str(Path(tmp) / "map.html"), "--indicator-file", str(path)]  # fmt: skip
                cli += ["--indicator-column", column] if column else []
                mb, s, last = _run(cli, env)
                print(f"cli {case} {mb:.0f}MB {s:.1f}s {last!r}", flush=True)
            _mb, _s, last = _run([sys.executable, "-c", WORKER, str(path), column or ""], env)
            peak, cpu, outcome = [*last.split(" ", 2), "", ""][:3]
            print(f"worker {case} {peak}MB {cpu}s {outcome!r}", flush=True)
        for case in args.concurrent.split(","):
            make, name, _column = CASES[case]
            path = Path(tmp) / name
            path.write_bytes(make())
            _mb, _s, last = _run([sys.executable, "-c", CONCURRENT, str(path)], env)
            peak, _, outcomes = last.partition(" ")
            print(f"concurrent4 {case} {peak}MB {outcomes}", flush=True)
    return 0


if __name__ == "__main__":
    sys.exit(main())
