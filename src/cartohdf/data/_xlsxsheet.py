"""The first sheet of an XLSX workbook as rows of text, read as a stream within bounds.

A workbook is a zip of XML parts. Only four are read (the package and workbook relations, the
workbook's sheet list, the shared strings, the first worksheet), each fed to expat in small
chunks while the bytes actually unzipped are counted: nothing is built beyond the bounds on
bytes, cells, rows and columns, whatever the zip headers or the sheet's ``<dimension>`` claim.
Styles, themes and drawings are never parsed. A document type declaration (never written by a
spreadsheet, the door to entity tricks) is refused.
"""

from __future__ import annotations

import io
import posixpath
import zipfile
import zlib
from collections.abc import Callable
from typing import Any, NoReturn
from xml.parsers import expat

from cartohdf.core import (
    MAX_UPLOAD_CELLS,
    MAX_UPLOAD_COLUMNS,
    MAX_UPLOAD_ROWS,
    MAX_XLSX_EXPANDED_BYTES,
    InputError,
)

CHUNK = 64 * 1024
_ZIP_ERRORS = (zipfile.BadZipFile, zlib.error, EOFError, OSError, RuntimeError,
               NotImplementedError, ValueError, KeyError)  # fmt: skip
_OFFICE_DOCUMENT = "/officeDocument"


class _Budget:
    """Bytes left to unzip, over every part read (the zip's declared sizes may lie)."""

    def __init__(self, name: str) -> None:
        self.name = name
        self.left = MAX_XLSX_EXPANDED_BYTES

    def take(self, n: int) -> None:
        self.left -= n
        if self.left < 0:
            raise InputError("err.xlsx_too_big", file=self.name, expected="exp.max_expanded",
                             size_mb=f"> {MAX_XLSX_EXPANDED_BYTES // 1_000_000}",
                             max_mb=MAX_XLSX_EXPANDED_BYTES // 1_000_000)  # fmt: skip


def _local(tag: str) -> str:
    """An element or attribute name without its namespace prefix (« x:c » -> « c »)."""
    return tag.rpartition(":")[2]


def _local_attrs(attrs: dict[str, str]) -> dict[str, str]:
    return {_local(k): v for k, v in attrs.items()}


def _no_doctype(*_args: object) -> NoReturn:
    raise expat.ExpatError("document type declaration")


def _parse_part(book: zipfile.ZipFile, part: str, budget: _Budget,
                start: Callable[[str, dict[str, str]], None], end: Callable[[str], None],
                text: Callable[[str], None] | None = None) -> None:  # fmt: skip
    """Stream one part of the workbook through expat with the given handlers (they get the
    names as written: prefixes are the part's own, namespaces are not resolved)."""
    parser = expat.ParserCreate()
    parser.buffer_text = True
    parser.StartDoctypeDeclHandler = _no_doctype
    parser.EntityDeclHandler = _no_doctype
    parser.StartElementHandler = start
    parser.EndElementHandler = end
    if text is not None:
        parser.CharacterDataHandler = text
    try:
        with book.open(part) as fh:
            while chunk := fh.read(CHUNK):
                budget.take(len(chunk))
                parser.Parse(chunk, False)
        parser.Parse(b"", True)
    except expat.ExpatError:
        raise InputError("err.xlsx_malformed", file=budget.name, part=part) from None


def _relations(book: zipfile.ZipFile, part: str, budget: _Budget) -> list[tuple[str, str, str]]:
    """(id, type, target part) of a part's relations file; none when it has no such file."""
    folder, base = posixpath.split(part)
    rels_part = posixpath.join(folder, "_rels", base + ".rels")
    if rels_part not in book.NameToInfo:
        return []
    found: list[tuple[str, str, str]] = []

    def start(tag: str, attrs: dict[str, str]) -> None:
        if _local(tag) == "Relationship" and len(found) < 10_000:
            attrs = _local_attrs(attrs)
            target = attrs.get("Target", "")
            target = target[1:] if target.startswith("/") else posixpath.join(folder, target)
            found.append((attrs.get("Id", ""), attrs.get("Type", ""), posixpath.normpath(target)))

    _parse_part(book, rels_part, budget, start, lambda _tag: None)
    return found


def _first_sheet(book: zipfile.ZipFile, budget: _Budget) -> tuple[str, str | None]:
    """The parts of the first worksheet and of the shared strings (None when there are none)."""
    office = [t for _i, kind, t in _relations(book, "", budget) if kind.endswith(_OFFICE_DOCUMENT)]
    workbook = office[0] if office else "xl/workbook.xml"
    sheet_ids: list[str] = []

    def start(tag: str, attrs: dict[str, str]) -> None:
        if _local(tag) == "sheet" and len(sheet_ids) < 10_000:
            sheet_ids.append(_local_attrs(attrs).get("id", ""))

    _parse_part(book, workbook, budget, start, lambda _tag: None)
    rels = _relations(book, workbook, budget)
    targets = {rel_id: target for rel_id, kind, target in rels if kind.endswith("/worksheet")}
    sheets = [targets[i] for i in sheet_ids if i in targets]
    strings = [t for _i, kind, t in rels if kind.endswith("/sharedStrings")]
    if not sheets:
        raise KeyError("no worksheet")
    return sheets[0], (strings[0] if strings else None)


def _shared_strings(book: zipfile.ZipFile, part: str, budget: _Budget) -> list[str]:
    """The shared strings, at most one per cell the bounds allow."""
    strings: list[str] = []
    state: dict[str, Any] = {"parts": None, "phonetic": 0, "in_t": False}

    def start(tag: str, _attrs: dict[str, str]) -> None:
        tag = _local(tag)
        if tag == "si":
            if len(strings) >= MAX_UPLOAD_CELLS:
                raise InputError("err.too_many_cells", file=budget.name, expected="exp.max_cells",
                                 max=MAX_UPLOAD_CELLS)  # fmt: skip
            state["parts"] = []
        elif tag == "rPh":
            state["phonetic"] += 1  # a reading guide above the text, not the text
        elif tag == "t":
            state["in_t"] = True

    def end(tag: str) -> None:
        tag = _local(tag)
        if tag == "si":
            strings.append("".join(state["parts"] or ()))
            state["parts"] = None
        elif tag == "rPh":
            state["phonetic"] -= 1
        elif tag == "t":
            state["in_t"] = False

    def text(data: str) -> None:
        if state["in_t"] and not state["phonetic"] and state["parts"] is not None:
            state["parts"].append(data)

    _parse_part(book, part, budget, start, end, text)
    return strings


def _column_index(ref: str) -> int:
    """1-based column of a cell reference (« AB12 » -> 28); 0 when it has no letters."""
    index = 0
    for ch in ref:
        if not ("A" <= ch <= "Z"):
            break
        index = index * 26 + ord(ch) - 64
    return index


def column_letter(i: int) -> str:
    """Spreadsheet column name of a 1-based index (1 -> A, 27 -> AA)."""
    out = ""
    while i:
        i, r = divmod(i - 1, 26)
        out = chr(65 + r) + out
    return out


class _SheetReader:
    """expat handlers that keep the non-empty cells of each row, refusing past the bounds
    (the hot path of a large sheet: plain attributes, no object per cell)."""

    def __init__(self, name: str, strings: list[str]) -> None:
        self.name, self.strings = name, strings
        self.rows: list[list[str]] = []
        self.row_number = 0
        self.cells_seen = 0
        self.row: dict[int, str] = {}
        self.column = 0
        self.in_cell = False
        self.kind = "n"
        self.v: list[str] | None = None
        self.f: list[str] | None = None
        self.inline: list[str] | None = None
        self.capture: list[str] | None = None
        self.phonetic = 0

    def start(self, tag: str, attrs: dict[str, str]) -> None:
        tag = tag.rpartition(":")[2]
        if tag == "c":
            self.cells_seen += 1
            if self.cells_seen > MAX_UPLOAD_CELLS:
                raise InputError("err.too_many_cells", file=self.name, expected="exp.max_cells",
                                 max=MAX_UPLOAD_CELLS)  # fmt: skip
            self.column = _column_index(attrs.get("r", "")) or self.column + 1
            self.in_cell, self.kind = True, attrs.get("t", "n")
            self.v = self.f = self.inline = None
        elif tag == "v" and self.in_cell:
            self.capture = self.v = []
        elif tag == "f" and self.in_cell:
            self.capture = self.f = []
        elif tag == "row":
            number = attrs.get("r", "")
            self.row_number = int(number) if number.isdigit() else self.row_number + 1
            self.row, self.column = {}, 0
        elif tag == "is" and self.in_cell:
            self.inline = []
        elif tag == "rPh":
            self.phonetic += 1
        elif tag == "t" and self.inline is not None:
            self.capture = None if self.phonetic else self.inline

    def end(self, tag: str) -> None:
        tag = tag.rpartition(":")[2]
        if tag in ("v", "f", "t"):
            self.capture = None
        elif tag == "c" and self.in_cell:
            self.in_cell = False
            self._keep()
        elif tag == "row":
            self._end_row()
        elif tag == "rPh":
            self.phonetic -= 1

    def text(self, data: str) -> None:
        if self.capture is not None:
            self.capture.append(data)

    def _keep(self) -> None:
        kind = self.kind
        v = None if self.v is None else "".join(self.v)
        if self.f is not None and not v and kind != "inlineStr":
            raise InputError("err.formula_without_value", file=self.name, row=self.row_number,
                             column=column_letter(self.column), value="=" + "".join(self.f),
                             expected="exp.saved_with_values")  # fmt: skip
        if kind == "s":
            if not (v or "").isdigit() or int(v or "") >= len(self.strings):
                raise IndexError(v)  # a string the workbook does not hold: damaged
            value = self.strings[int(v or "")]
        elif kind == "inlineStr":
            value = "".join(self.inline or ())
        elif kind == "b":
            value = "True" if v == "1" else "False"
        else:
            value = v or ""
        if not value:
            return
        if self.column > MAX_UPLOAD_COLUMNS:
            raise InputError("err.too_many_columns", file=self.name, expected="exp.max_columns",
                             max=MAX_UPLOAD_COLUMNS)  # fmt: skip
        self.row[self.column] = value

    def _end_row(self) -> None:
        if not self.row:
            return
        if len(self.rows) > MAX_UPLOAD_ROWS:
            raise InputError(
                "err.too_many_rows", file=self.name, expected="exp.max_rows", max=MAX_UPLOAD_ROWS
            )
        width = max(self.row)
        self.rows.append([self.row.get(c, "") for c in range(1, width + 1)])
        self.row = {}


def sheet_rows(raw: bytes, name: str) -> list[list[str]]:
    """The first worksheet's non-empty rows as text (cells of each row up to its last value).

    Raises
    ------
    InputError
        If the workbook is damaged or any bound (unzipped bytes, cells, rows, columns) is
        passed; a formula without a saved value is named by its cell.
    """
    budget = _Budget(name)
    try:
        with zipfile.ZipFile(io.BytesIO(raw)) as book:
            sheet, strings_part = _first_sheet(book, budget)
            strings = _shared_strings(book, strings_part, budget) if strings_part else []
            reader = _SheetReader(name, strings)
            _parse_part(book, sheet, budget, reader.start, reader.end, reader.text)
    except (IndexError, *_ZIP_ERRORS):
        raise InputError("err.xlsx_unreadable", file=name) from None
    return reader.rows
