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
    types = {h: ("DOUBLE" if h in years else "VARCHAR") for h in header}
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
    sets = "(ze2010, a5), (ze2010, a38), (ze2020, a5), (ze2020, a38), (a5), (a38)"
    if with_communes:
        sets += ", (commune, a5), (commune, a38)"
    query = (
        "WITH r AS (SELECT trim(coalesce(\"Code commune\", '')) AS code,"
        " trim(coalesce(\"Code département\", '')) AS dep,"
        f" CASE split_part(coalesce(\"Grand secteur d'activité\", ''), ' ', 1) {a5} END AS a5,"
        f" split_part(coalesce(\"Secteur NA38\", ''), ' ', 1) AS a38, {cols}{secret_cols}"
        f" FROM read_csv('{path}', delim=';', header=true, types={types!r})),"
        f" z AS (SELECT r.*, CASE WHEN {region} THEN c.ze2010 END AS ze2010,"
        f" CASE WHEN {region} THEN c.ze2020 END AS ze2020,"
        f" CASE WHEN {region} THEN c.commune END AS commune"
        " FROM r LEFT JOIN c ON r.code = c.commune_code)"
        f" SELECT ze2010, ze2020, {'commune' if with_communes else 'NULL AS commune'}, a5, a38,"
        f" GROUPING(ze2010) AS g10, GROUPING(ze2020) AS g20,"
        f" {'GROUPING(commune)' if with_communes else '1'} AS gc, GROUPING(a5) AS ga5, {sums}{secret_sums}"
        f" FROM z GROUP BY GROUPING SETS ({sets})"
    )
    rows = con.execute(query).fetchall()
    names = [d[0] for d in con.description]
    result: dict[str, int] = {}
    for row in rows:
        rec = dict(zip(names, row, strict=True))
        level, sector = ("a5", rec["a5"]) if rec["ga5"] == 0 else ("a38", rec["a38"])
        if rec["gc"] == 0:
            if rec["commune"] is None or (level == "a38" and sector not in spec["industrial_a38"]):
                continue
            for y in years:
                v, s = rec[y[-4:]], rec[f"s{y[-4:]}"]
                if v or s:
                    result[f"commune|{rec['commune']}|{level}|{sector}|{y[-4:]}"] = round(v or 0)
            continue
        if rec["g10"] == 0 and rec["g20"] == 1:
            targets, zone = ["ze2010"], rec["ze2010"]
        elif rec["g20"] == 0 and rec["g10"] == 1:
            targets, zone = ["ze2020"], rec["ze2020"]
        else:
            targets, zone = ["ze2010", "ze2020"], "FR"
        if zone is None:
            continue  # rows outside the région
        for t in targets:
            for y in years:
                v = rec[y[-4:]]
                result[f"{t}|{zone}|{level}|{sector}|{y[-4:]}"] = round(v) if v is not None else 0
    hasher.join()
    with open(out, "w", encoding="utf-8") as fh:
        json.dump({"sha256": digest["sha256"], "jobs": result}, fh, sort_keys=True)
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
