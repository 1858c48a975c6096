"""Spreadsheets in and out (CSV and XLSX): the platform part of every domain's import/export.

Knows no domain: a domain says which columns it reads and writes and what a row means
(``domains/<x>/services.py``); this module only turns bytes into rows of text and rows of
values into a stream of bytes.

* ``read_table(data=..., filename=...)`` -> ``Table``: the header and the rows as text (``None``
  for an empty cell), each with its line number as the spreadsheet shows it (header = 1).
  CSV: UTF-8 (with or without BOM) or Windows-1252 (what Excel saves in Brazil), ``,`` ``;`` or
  tab as separator. XLSX: the first sheet, read in openpyxl's read-only (streaming) mode.
* ``stream_csv`` / ``stream_xlsx`` -> an iterator of byte chunks produced as the rows are
  consumed, so an export of a million rows is never held in memory (the caller feeds them
  from ``QuerySet.iterator()`` into a ``StreamingHttpResponse``). The XLSX writer writes the
  zip itself (``zipfile`` on an unseekable sink): openpyxl's write-only mode keeps memory
  constant too, but writes the whole file to disk before the first byte could be sent.

Formula injection: a CSV cell whose text starts with ``= + - @`` would be run as a formula by a
spreadsheet program; ``stream_csv`` prefixes such text with ``'`` and ``read_table`` removes
that prefix again, so an export re-imports unchanged. XLSX cells are written as inline
strings, which are never formulas.
"""

from __future__ import annotations

import csv
import datetime as dt
import io
import re
import zipfile
from collections.abc import Iterable, Iterator, Sequence
from dataclasses import dataclass
from decimal import Decimal
from typing import Any
from uuid import UUID
from xml.sax.saxutils import escape

from django.utils.translation import gettext as _

from .api.exceptions import InvalidInput

CSV = "csv"
XLSX = "xlsx"
FORMATS = (CSV, XLSX)
CONTENT_TYPES = {
    CSV: "text/csv; charset=utf-8",
    XLSX: "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
}
#: The XLSX media type, as OpenAPI documents the exports.
XLSX_MEDIA_TYPE = CONTENT_TYPES[XLSX]

_FORMULA_START = ("=", "+", "-", "@")
_XML_ILLEGAL = re.compile("[\x00-\x08\x0b\x0c\x0e-\x1f\ufffe\uffff]")
#: Rows buffered before a chunk is handed to the response.
CHUNK_ROWS = 500


@dataclass(frozen=True)
class Row:
    line: int  # as the spreadsheet program shows it: the header is line 1
    cells: tuple[str | None, ...]


@dataclass(frozen=True)
class Table:
    header: tuple[str, ...]
    rows: tuple[Row, ...]


def format_of(filename: str) -> str | None:
    """``csv`` or ``xlsx`` from a file name's extension, else ``None``."""
    extension = filename.rsplit(".", 1)[-1].lower() if "." in filename else ""
    return extension if extension in FORMATS else None


def read_table(*, data: bytes, filename: str, max_rows: int) -> Table:
    """The file's header and non-blank rows. Raises ``InvalidInput`` with a Portuguese reason
    for a file that cannot be read (unknown type, corrupt, empty, more than ``max_rows``)."""
    kind = format_of(filename)
    if kind is None:
        raise InvalidInput(_("Formato de arquivo não suportado: envie um arquivo .csv ou .xlsx."))
    lines = _xlsx_lines(data) if kind == XLSX else _csv_lines(data)
    header: tuple[str, ...] | None = None
    rows: list[Row] = []
    for number, cells in lines:
        texts = tuple(_text(cell) for cell in cells)
        if not any(texts):
            continue  # blank lines (and Excel's formatted-but-empty rows) are not data
        if header is None:
            header = tuple((text or "").strip() for text in texts)
            continue
        if len(rows) >= max_rows:
            raise InvalidInput(
                _("A planilha tem mais de %(max)d linhas; divida-a em arquivos menores.")
                % {"max": max_rows}
            )
        rows.append(Row(line=number, cells=texts))
    if header is None:
        raise InvalidInput(_("A planilha está vazia: a primeira linha deve ter os cabeçalhos."))
    return Table(header=header, rows=tuple(rows))


def _csv_lines(data: bytes) -> Iterator[tuple[int, Sequence[Any]]]:
    try:
        text = data.decode("utf-8-sig")
    except UnicodeDecodeError:
        text = data.decode("cp1252", errors="replace")
    first_line = text.split("\n", 1)[0]
    delimiter = max((";", ",", "\t"), key=first_line.count) if first_line else ","
    reader = csv.reader(io.StringIO(text, newline=""), delimiter=delimiter)
    try:
        for cells in reader:
            # reader.line_num counts physical lines (a quoted cell may span several).
            yield reader.line_num, [_unescape_formula(cell) for cell in cells]
    except csv.Error:
        raise InvalidInput(_("Arquivo CSV inválido.")) from None


def _xlsx_lines(data: bytes) -> Iterator[tuple[int, Sequence[Any]]]:
    from openpyxl import load_workbook

    try:
        workbook = load_workbook(io.BytesIO(data), read_only=True, data_only=True)
    except Exception:  # openpyxl raises many types (zip, XML, key errors) for a bad file
        raise InvalidInput(_("Arquivo XLSX inválido ou corrompido.")) from None
    try:
        sheet = workbook.worksheets[0]
        yield from enumerate(sheet.iter_rows(values_only=True), start=1)
    finally:
        workbook.close()


def _text(value: Any) -> str | None:
    """A cell as text: numbers without a spurious ``.0``, dates as ISO, blanks as ``None``."""
    if value is None:
        return None
    if isinstance(value, bool):
        return "true" if value else "false"
    if isinstance(value, float):
        return str(int(value)) if value.is_integer() else str(Decimal(repr(value)))
    if isinstance(value, dt.datetime | dt.date | dt.time):
        return value.isoformat()
    text = str(value)
    return text if text.strip() else None


def _unescape_formula(cell: str) -> str:
    if len(cell) > 1 and cell[0] == "'" and cell[1] in _FORMULA_START:
        return cell[1:]
    return cell


def _escape_formula(text: str) -> str:
    return "'" + text if text.startswith(_FORMULA_START) else text


def _plain(value: Any) -> Any:
    """What a cell holds: text, number or boolean (UUIDs and dates as text)."""
    if value is None or isinstance(value, bool | int | Decimal):
        return value
    if isinstance(value, dt.datetime | dt.date):
        return value.isoformat()
    if isinstance(value, UUID):
        return str(value)
    return str(value)


class _Sink:
    """A write-only file object that hands over what was written since the last drain."""

    def __init__(self) -> None:
        self._chunks: list[bytes] = []

    def write(self, data: bytes) -> int:
        self._chunks.append(bytes(data))
        return len(data)

    def flush(self) -> None:
        pass

    def drain(self) -> bytes:
        data = b"".join(self._chunks)
        self._chunks.clear()
        return data


def _csv_cell(value: Any) -> Any:
    if value is None:
        return ""
    if isinstance(value, bool):
        return "true" if value else "false"
    return value


def stream_csv(*, header: Sequence[str], rows: Iterable[Sequence[Any]]) -> Iterator[bytes]:
    """UTF-8 CSV with a BOM (so Excel shows accents), ``,``-separated, chunk by chunk."""
    buffer = io.StringIO()
    writer = csv.writer(buffer, lineterminator="\r\n")
    writer.writerow(header)
    yield ("\ufeff" + buffer.getvalue()).encode()
    buffer.seek(0)
    buffer.truncate()
    pending = 0
    for row in rows:
        writer.writerow(
            [
                _escape_formula(cell) if isinstance(cell, str) else _csv_cell(cell)
                for cell in map(_plain, row)
            ]
        )
        pending += 1
        if pending >= CHUNK_ROWS:
            yield buffer.getvalue().encode()
            buffer.seek(0)
            buffer.truncate()
            pending = 0
    if pending:
        yield buffer.getvalue().encode()


_XLSX_STATIC = {
    "[Content_Types].xml": (
        '<?xml version="1.0" encoding="UTF-8" standalone="yes"?>\n'
        '<Types xmlns="http://schemas.openxmlformats.org/package/2006/content-types">'
        '<Default Extension="rels" '
        'ContentType="application/vnd.openxmlformats-package.relationships+xml"/>'
        '<Default Extension="xml" ContentType="application/xml"/>'
        '<Override PartName="/xl/workbook.xml" ContentType="application/'
        'vnd.openxmlformats-officedocument.spreadsheetml.sheet.main+xml"/>'
        '<Override PartName="/xl/worksheets/sheet1.xml" ContentType="application/'
        'vnd.openxmlformats-officedocument.spreadsheetml.worksheet+xml"/>'
        "</Types>"
    ),
    "_rels/.rels": (
        '<?xml version="1.0" encoding="UTF-8" standalone="yes"?>\n'
        '<Relationships xmlns="http://schemas.openxmlformats.org/package/2006/relationships">'
        '<Relationship Id="rId1" Type="http://schemas.openxmlformats.org/officeDocument/2006/'
        'relationships/officeDocument" Target="xl/workbook.xml"/>'
        "</Relationships>"
    ),
    "xl/_rels/workbook.xml.rels": (
        '<?xml version="1.0" encoding="UTF-8" standalone="yes"?>\n'
        '<Relationships xmlns="http://schemas.openxmlformats.org/package/2006/relationships">'
        '<Relationship Id="rId1" Type="http://schemas.openxmlformats.org/officeDocument/2006/'
        'relationships/worksheet" Target="worksheets/sheet1.xml"/>'
        "</Relationships>"
    ),
}


def _column_letter(index: int) -> str:
    letters = ""
    index += 1
    while index:
        index, remainder = divmod(index - 1, 26)
        letters = chr(65 + remainder) + letters
    return letters


def _xlsx_row(number: int, values: Sequence[Any], columns: Sequence[str]) -> str:
    cells = []
    for column, value in zip(columns, map(_plain, values), strict=False):
        reference = f"{column}{number}"
        if value is None:
            continue
        if isinstance(value, bool):
            cells.append(f'<c r="{reference}" t="b"><v>{int(value)}</v></c>')
        elif isinstance(value, int | Decimal):
            cells.append(f'<c r="{reference}"><v>{value}</v></c>')
        else:
            text = escape(_XML_ILLEGAL.sub("", value))
            cells.append(
                f'<c r="{reference}" t="inlineStr"><is><t xml:space="preserve">{text}</t></is></c>'
            )
    return f'<row r="{number}">{"".join(cells)}</row>'


def stream_xlsx(
    *, header: Sequence[str], rows: Iterable[Sequence[Any]], sheet_name: str = "Planilha1"
) -> Iterator[bytes]:
    """A one-sheet XLSX workbook, chunk by chunk. Text cells are inline strings (never
    formulas), numbers and Decimals numeric cells, booleans boolean cells."""
    sink = _Sink()
    columns = [_column_letter(index) for index in range(len(header))]
    with zipfile.ZipFile(sink, "w", compression=zipfile.ZIP_DEFLATED) as archive:
        for name, content in _XLSX_STATIC.items():
            archive.writestr(name, content)
        archive.writestr(
            "xl/workbook.xml",
            '<?xml version="1.0" encoding="UTF-8" standalone="yes"?>\n'
            '<workbook xmlns="http://schemas.openxmlformats.org/spreadsheetml/2006/main" '
            'xmlns:r="http://schemas.openxmlformats.org/officeDocument/2006/relationships">'
            f'<sheets><sheet name="{escape(sheet_name[:31])}" sheetId="1" r:id="rId1"/></sheets>'
            "</workbook>",
        )
        yield sink.drain()
        with archive.open("xl/worksheets/sheet1.xml", "w", force_zip64=True) as sheet:
            sheet.write(
                b'<?xml version="1.0" encoding="UTF-8" standalone="yes"?>\n'
                b'<worksheet xmlns="http://schemas.openxmlformats.org/spreadsheetml/2006/main">'
                b"<sheetData>"
            )
            sheet.write(_xlsx_row(1, header, columns).encode())
            pending = []
            for number, row in enumerate(rows, start=2):
                pending.append(_xlsx_row(number, row, columns))
                if len(pending) >= CHUNK_ROWS:
                    sheet.write("".join(pending).encode())
                    pending.clear()
                    yield sink.drain()
            sheet.write("".join(pending).encode())
            sheet.write(b"</sheetData></worksheet>")
    yield sink.drain()


# --- Import reports: what the preview shows and the apply step enforces ----------------------

NEW = "new"
UPDATED = "updated"
UNCHANGED = "unchanged"
ERROR = "error"
FATES = (NEW, UPDATED, UNCHANGED, ERROR)


@dataclass(frozen=True)
class RowOutcome:
    """One data row's fate. ``label`` names the row for staff (e.g. the customer's name)."""

    line: int
    fate: str  # one of FATES
    label: str
    errors: tuple[str, ...] = ()


@dataclass(frozen=True)
class ImportReport:
    rows: tuple[RowOutcome, ...]

    def count(self, fate: str) -> int:
        return sum(1 for row in self.rows if row.fate == fate)

    @property
    def counts(self) -> dict[str, int]:
        return {fate: self.count(fate) for fate in FATES}

    @property
    def has_errors(self) -> bool:
        return any(row.fate == ERROR for row in self.rows)


class ImportRefused(InvalidInput):
    """The apply step found rows in error: nothing was written. ``report`` says which."""

    def __init__(self, report: ImportReport) -> None:
        self.report = report
        super().__init__(
            _("A importação tem %(count)d linha(s) com erro; nada foi gravado.")
            % {"count": report.count(ERROR)}
        )


def header_index(
    *, header: Sequence[str], aliases: dict[str, str]
) -> tuple[dict[str, int], list[str]]:
    """Map each known column (by field name or a label in ``aliases``, any case) to its
    position. Returns ``(positions, problems)``; unknown columns are ignored (an export's
    read-only columns re-import silently), a column given twice is a problem."""
    positions: dict[str, int] = {}
    problems: list[str] = []
    for index, title in enumerate(header):
        field = aliases.get(title.strip().lower())
        if field is None:
            continue
        if field in positions:
            problems.append(_("Coluna repetida na planilha: %(column)s.") % {"column": title})
            continue
        positions[field] = index
    return positions, problems


def cell(row: Row, positions: dict[str, int], field: str) -> str | None:
    index = positions[field]
    return row.cells[index] if index < len(row.cells) else None
