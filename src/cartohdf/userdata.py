"""User indicator files: one value per employment zone, as French users actually write them.

Accepted: CSV with ``;``, ``,`` or tab separators, decimal commas, UTF-8 (with or without BOM)
or Windows-1252, spaces as thousands separators, a trailing « % », codes that lost their leading
zero (``55`` for ``0055``), a French header row; or the first sheet of an XLSX workbook.
Anything else is a :class:`~cartohdf.errors.InputError` naming what to fix; parsing never
changes anything already loaded (it only returns a new object).
"""

from __future__ import annotations

import csv
import io
import re
import unicodedata
import zipfile
from collections.abc import Mapping, Sequence
from dataclasses import dataclass

import pandas as pd

from cartohdf.errors import InputError

MAX_BYTES = 5 * 1024 * 1024  # an indicator by zone is a few kB; 5 MB leaves room for XLSX files
CODE_HEADERS = ("code", "code ze", "code zone", "code zone d'emploi", "code_ze", "codgeo", "ze", "zone",
                "zone d'emploi", "ze2010", "ze2020", "code_zone")  # fmt: skip
USER_ID = "user"


@dataclass(frozen=True)
class UserIndicator:
    """A parsed indicator file: values by zone code of one zoning."""

    zoning: str
    label: str
    unit: str
    values: pd.Series  # index zone code (4 characters), float
    file_name: str


def _norm(text: str) -> str:
    """Header comparison key: lower case, no accents, single spaces, no quotes/underscores."""
    text = unicodedata.normalize("NFKD", text).encode("ascii", "ignore").decode()
    return re.sub(r"[\s_]+", " ", text.replace("’", "'").strip().lower())


def _decode(raw: bytes, name: str) -> str:
    if b"\x00" in raw[:4096]:
        raise InputError(
            "fichier binaire, pas un CSV", file=name, expected="un CSV (texte) ou un classeur XLSX"
        )
    for encoding in ("utf-8-sig", "cp1252"):
        try:
            return raw.decode(encoding)
        except UnicodeDecodeError:
            continue
    raise InputError("encodage non reconnu", file=name, expected="UTF-8 ou Windows-1252")


def _rows_from_csv(text: str, name: str) -> list[list[str]]:
    lines = [line for line in text.splitlines() if line.strip()]
    if not lines:
        raise InputError(
            "fichier vide", file=name, expected="une ligne d'en-tête puis une ligne par zone"
        )
    header = lines[0]
    sep = max((";", "\t", ","), key=header.count)
    if header.count(sep) == 0:
        raise InputError(
            "une seule colonne trouvée", file=name, row=1, value=header[:60],
            expected="deux colonnes au moins (code de zone et valeur) séparées par « ; » ou « , »",
        )  # fmt: skip
    try:
        rows = list(csv.reader(io.StringIO("\n".join(lines)), delimiter=sep))
    except csv.Error as exc:
        raise InputError(f"CSV illisible : {exc}", file=name) from None
    width = len(rows[0])
    for i, row in enumerate(rows[1:], start=2):
        if len(row) != width:
            raise InputError(
                f"{len(row)} colonnes au lieu de {width} (fichier tronqué ou séparateur dans une valeur ?)",
                file=name, row=i, value=sep.join(row)[:60],
            )  # fmt: skip
    return rows


def _rows_from_xlsx(raw: bytes, name: str) -> list[list[str]]:
    from openpyxl import load_workbook

    try:
        book = load_workbook(io.BytesIO(raw), read_only=True, data_only=True)
        sheet = book.worksheets[0]
        rows = [
            ["" if v is None else str(v) for v in row] for row in sheet.iter_rows(values_only=True)
        ]
    except (zipfile.BadZipFile, KeyError, OSError, ValueError, IndexError, TypeError) as exc:
        raise InputError(
            f"classeur XLSX illisible (tronqué ?) : {type(exc).__name__}", file=name
        ) from None
    rows = [r for r in rows if any(c.strip() for c in r)]
    if not rows:
        raise InputError(
            "classeur vide", file=name, expected="une ligne d'en-tête puis une ligne par zone"
        )
    width = max(len(r) for r in rows)
    return [r + [""] * (width - len(r)) for r in rows]


_NUMBER = re.compile(r"^[+\-−]?\d+(?:[.,]\d+)?(?:[eE][+\-]?\d+)?$")


def parse_number(text: str) -> float | None:
    """French or English number text to float; '' -> None; anything else raises ValueError."""
    t = text.strip().replace("\u00a0", "").replace("\u202f", "").replace(" ", "").removesuffix("%")
    if t in ("", "-", "—", "nd", "n.d.", "NA", "s"):
        return None
    if re.fullmatch(r"[+\-−]?\d{1,3}(,\d{3})+(\.\d+)?", t):  # 1,234.5
        t = t.replace(",", "")
    elif re.fullmatch(r"[+\-−]?\d{1,3}(\.\d{3})+(,\d+)?", t):  # 1.234,5
        t = t.replace(".", "")
    if not _NUMBER.fullmatch(t):
        raise ValueError(text)
    return float(t.replace(",", ".").replace("−", "-"))


def _find_code_column(header: list[str], name: str) -> int:
    keys = [_norm(h) for h in header]
    for candidate in CODE_HEADERS:
        if candidate in keys:
            return keys.index(candidate)
    for i, k in enumerate(keys):
        if "code" in k:
            return i
    raise InputError(
        "colonne des codes de zone introuvable", file=name, row=1, value=header,
        expected="une colonne nommée « code », « code_ze », « zone d'emploi »…",
    )  # fmt: skip


def _label_and_unit(header: str) -> tuple[str, str]:
    m = re.match(r"^(.*?)\s*\(([^)]{1,20})\)\s*$", header)
    return (m.group(1).strip(), m.group(2).strip()) if m else (header.strip(), "")


def parse_indicator(
    raw: bytes,
    name: str,
    zones: Mapping[str, Sequence[str]],
    column: str | None = None,
    zoning: str | None = None,
    label: str | None = None,
    unit: str | None = None,
) -> UserIndicator:
    """Parse an indicator file's bytes. `zones` maps each zoning to its zone codes."""
    if len(raw) > MAX_BYTES:
        raise InputError(f"fichier trop gros ({len(raw) / 1e6:.1f} Mo)", file=name,
                         expected=f"{MAX_BYTES // (1024 * 1024)} Mo au plus")  # fmt: skip
    if not raw.strip():
        raise InputError(
            "fichier vide", file=name, expected="une ligne d'en-tête puis une ligne par zone"
        )
    rows = (
        _rows_from_xlsx(raw, name)
        if raw[:4] == b"PK\x03\x04"
        else _rows_from_csv(_decode(raw, name), name)
    )
    header, body = [h.strip() for h in rows[0]], rows[1:]
    if not body:
        raise InputError(
            "aucune ligne de données", file=name, expected="une ligne par zone sous l'en-tête"
        )
    code_col = _find_code_column(header, name)
    value_col = _find_value_column(header, body, code_col, column, name)
    codes, values = [], []
    for i, row in enumerate(body, start=2):
        code = (
            row[code_col].strip().split(" ")[0].split(".")[0]
        )  # "55", "0055", "2203 La Thiérache", "55.0"
        if code.isdigit() and len(code) < 4:
            code = code.zfill(4)
        try:
            values.append(parse_number(row[value_col]))
        except ValueError:
            raise InputError("valeur non numérique", file=name, row=i, column=header[value_col],
                             value=row[value_col], expected="un nombre (ex. 12,5)") from None  # fmt: skip
        codes.append((i, code))
    chosen = _check_codes(codes, zones, zoning, name, header[code_col])
    auto_label, auto_unit = _label_and_unit(header[value_col])
    series = pd.Series(
        [v if v is not None else float("nan") for v in values],
        index=[c for _, c in codes],
        dtype=float,
    )
    if series.isna().all():
        raise InputError(
            "aucune valeur renseignée", file=name, column=header[value_col], expected="des nombres"
        )
    return UserIndicator(
        zoning=chosen,
        label=(label or auto_label or "Indicateur importé")[:120],
        unit=(unit if unit is not None else auto_unit)[:20],
        values=series.sort_index(),
        file_name=name,
    )


def _find_value_column(
    header: list[str], body: list[list[str]], code_col: int, column: str | None, name: str
) -> int:
    if column is not None:
        keys = [_norm(h) for h in header]
        if _norm(column) not in keys:
            raise InputError("colonne demandée absente", file=name, column=column,
                             expected=f"une des colonnes {header}")  # fmt: skip
        return keys.index(_norm(column))

    def numeric(i: int) -> bool:
        cells = [r[i] for r in body if r[i].strip()]
        try:
            return bool(cells) and all(parse_number(c) is not None for c in cells)
        except ValueError:
            return False

    candidates = [i for i in range(len(header)) if i != code_col and numeric(i)]
    if len(candidates) == 1:
        return candidates[0]
    others = [h for i, h in enumerate(header) if i != code_col]
    if not candidates and len(others) == 1:
        return header.index(others[0])  # one value column with a bad cell: report that cell
    raise InputError(
        "plusieurs colonnes de valeurs possibles" if candidates else "aucune colonne numérique",
        file=name, value=[header[i] for i in candidates] or others,
        expected="préciser la colonne (option --indicator-column ou choix dans l'application)",
    )  # fmt: skip


def _check_codes(
    codes: list[tuple[int, str]],
    zones: Mapping[str, Sequence[str]],
    zoning: str | None,
    name: str,
    column: str,
) -> str:
    seen: dict[str, int] = {}
    dups = []
    for row, code in codes:
        if code in seen:
            dups.append(f"{code} (lignes {seen[code]} et {row})")
        seen[code] = row
    if dups:
        raise InputError("codes de zone en double", file=name, column=column, value=dups[:10],
                         expected="une seule ligne par zone")  # fmt: skip
    present = {code for _, code in codes}
    matching = {z: present <= set(c) for z, c in zones.items()}
    if zoning is not None:
        if zoning not in zones:
            raise InputError("zonage inconnu", value=zoning, expected=" ou ".join(zones))
        if not matching[zoning]:
            others = [z for z, ok in matching.items() if ok and z != zoning]
            if others:
                raise InputError(f"ces codes sont ceux du zonage {others[0]}, pas {zoning}", file=name,
                                 column=column, expected=f"choisir le zonage {others[0]}")  # fmt: skip
            bad = [f"{c} (ligne {r})" for r, c in codes if c not in set(zones[zoning])]
            raise InputError("codes de zone inconnus", file=name, column=column, value=bad[:10],
                             expected=f"codes {zoning} de la région")  # fmt: skip
        return zoning
    fits = [z for z, ok in matching.items() if ok]
    if fits:
        return fits[0]
    best = max(zones, key=lambda z: len(present & set(zones[z])))
    bad = [f"{c} (ligne {r})" for r, c in codes if c not in set(zones[best])]
    raise InputError("codes de zone inconnus", file=name, column=column, value=bad[:10],
                     expected="les codes à 4 chiffres des zones d'emploi de la région (ZE2010 ou ZE2020)")  # fmt: skip
