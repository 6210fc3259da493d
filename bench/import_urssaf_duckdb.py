"""DuckDB doing the URSSAF import's join and grouping, as a whole process (launch to exit).

Only DuckDB and the standard library are imported, so its start-up is DuckDB's own. It reads
the national file, joins the région's communes (their ZE2010, ZE2020 and, with --communes,
their commune of the current geography), sums the 17+ years by zone x A5 / A38, by France x
A5 / A38 and, with --communes, by commune x A5 / industrial A38 with the number of withheld
cells (an establishment but no published jobs), computes the file's SHA-256 in a thread, and
writes one JSON of {key: jobs}. Used by bench/import_urssaf.py.

    python bench/import_urssaf_duckdb.py FILE COMMUNES_CSV OUT_JSON SPEC_JSON [--communes]
"""

from __future__ import annotations

import hashlib
import json
import sys
import threading


def _sha256(path: str, out: dict[str, str]) -> None:
    h = hashlib.sha256()
    with open(path, "rb") as fh:
        for block in iter(lambda: fh.read(1 << 22), b""):
            h.update(block)
    out["sha256"] = h.hexdigest()


def main(argv: list[str]) -> int:
    path, communes_csv, out, spec_json = argv[:4]
    with_communes = "--communes" in argv
    spec = json.loads(spec_json)
    digest: dict[str, str] = {}
    hasher = threading.Thread(target=_sha256, args=(path, digest))
    hasher.start()
    import duckdb

    with open(path, encoding="utf-8-sig") as fh:
        header = fh.readline().rstrip("\r\n").split(";")
    years = [h for h in header if h.startswith("Effectifs salariés ")]
    est = {y: f"Nombre d'établissements {y[-4:]}" for y in years}
    con = duckdb.connect()
    con.execute("SET threads TO 2")
    con.execute(f"CREATE TABLE c AS SELECT * FROM read_csv('{communes_csv}', all_varchar=true)")
    counts = set(years) | (set(est.values()) if with_communes else set())
    types = {h: ("DOUBLE" if h in counts else "VARCHAR") for h in header}
    deps = ", ".join(f"'{d}'" for d in spec["deps"])
    a5 = " ".join(f"WHEN '{gs}' THEN '{a}'" for gs, a in spec["a5"].items())
    region = f"(r.dep IN ({deps}) OR left(r.code, 2) IN ({deps}))"
    cols = ", ".join(f'"{y}"' for y in years)
    sums = ", ".join(f'SUM("{y}") AS "{y[-4:]}"' for y in years)
    secret_cols = ""
    secret_sums = ""
    if with_communes:
        secret_cols = ", " + ", ".join(
            f'("{est[y]}" IS NOT NULL AND "{y}" IS NULL)::INT AS "s{y[-4:]}"' for y in years
        )
        secret_sums = ", " + ", ".join(f'SUM("s{y[-4:]}") AS "s{y[-4:]}"' for y in years)
    # one scan: the file's rows by sector (France), the région's rows by commune x sector;
    # the zones and communes are then sums of the second set, joined to the communes in SQL
    query = (
        "WITH r AS (SELECT trim(coalesce(\"Code commune\", '')) AS code,"
        " trim(coalesce(\"Code département\", '')) AS dep,"
        f" CASE split_part(coalesce(\"Grand secteur d'activité\", ''), ' ', 1) {a5} END AS a5,"
        f" split_part(coalesce(\"Secteur NA38\", ''), ' ', 1) AS a38, {cols}{secret_cols}"
        f" FROM read_csv('{path}', delim=';', header=true, types={types!r})),"
        f" g AS MATERIALIZED (SELECT CASE WHEN {region.replace('r.', '')} THEN code END AS rcode, a5, a38,"
        f" GROUPING(rcode) AS gc, {sums}{secret_sums} FROM r GROUP BY GROUPING SETS ((a5, a38), (rcode, a5, a38)))"
        " SELECT g.*, c.ze2010, c.ze2020, c.commune FROM g JOIN c ON g.rcode = c.commune_code"
        " UNION ALL SELECT g.*, NULL, NULL, NULL FROM g WHERE gc = 1"
    )
    rows = con.execute(query).fetchall()
    names = [d[0] for d in con.description]
    totals: dict[str, float] = {}
    for row in rows:
        rec = dict(zip(names, row, strict=True))
        region_row = rec["gc"] == 0
        for level, sector in (("a5", rec["a5"]), ("a38", rec["a38"])):
            targets = [f"ze2010|{rec['ze2010']}", f"ze2020|{rec['ze2020']}"] if region_row else ["ze2010|FR", "ze2020|FR"]
            for y in years:
                v = rec[y[-4:]] or 0
                for t in targets:
                    key = f"{t}|{level}|{sector}|{y[-4:]}"
                    totals[key] = totals.get(key, 0) + v
                if region_row and with_communes and (level == "a5" or sector in spec["industrial_a38"]):
                    key = f"commune|{rec['commune']}|{level}|{sector}|{y[-4:]}"
                    s = rec[f"s{y[-4:]}"] or 0
                    totals[key] = totals.get(key, 0) + v
                    totals[key + "|s"] = totals.get(key + "|s", 0) + s
    result = {k: round(v) for k, v in totals.items() if not k.endswith("|s")}
    if with_communes:  # a commune's cell is kept if it has jobs or withheld cells
        result = {k: v for k, v in result.items()
                  if not k.startswith("commune|") or v or totals.get(k + "|s", 0)}  # fmt: skip
    hasher.join()
    with open(out, "w", encoding="utf-8") as fh:
        json.dump({"sha256": digest["sha256"], "jobs": result}, fh, sort_keys=True)
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
