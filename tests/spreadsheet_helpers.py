"""Test data for spreadsheet import/export: valid CPFs in bulk, files built in memory."""

from __future__ import annotations

import csv
import io

from openpyxl import Workbook, load_workbook


def cpf(number: int) -> str:
    """A valid CPF (check digits computed) for ``number`` (0..999_999_998): distinct inputs give
    distinct CPFs, so a test can make 10,000 customers that all pass the validators."""
    base = [int(digit) for digit in f"{number + 100_000_001:09d}"]
    for length in (9, 10):
        total = sum(n * w for n, w in zip(base, range(length + 1, 1, -1), strict=True))
        base.append(total * 10 % 11 % 10)
    return "".join(map(str, base))


def csv_bytes(header, rows, *, delimiter: str = ",", encoding: str = "utf-8-sig") -> bytes:
    buffer = io.StringIO()
    writer = csv.writer(buffer, delimiter=delimiter, lineterminator="\n")
    writer.writerow(header)
    writer.writerows(rows)
    return buffer.getvalue().encode(encoding)


def xlsx_bytes(header, rows) -> bytes:
    workbook = Workbook()
    sheet = workbook.active
    sheet.append(list(header))
    for row in rows:
        sheet.append(list(row))
    buffer = io.BytesIO()
    workbook.save(buffer)
    return buffer.getvalue()


def read_xlsx(data: bytes) -> list[tuple]:
    workbook = load_workbook(io.BytesIO(data), read_only=True)
    return [tuple(row) for row in workbook.worksheets[0].iter_rows(values_only=True)]


def read_csv(data: bytes) -> list[list[str]]:
    return list(csv.reader(io.StringIO(data.decode("utf-8-sig"))))
