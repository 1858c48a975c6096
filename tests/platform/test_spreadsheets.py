"""The platform's spreadsheet reader/writers and SVG charts (no domain involved)."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal

import pytest
from django.utils import translation

from crm.api.exceptions import InvalidInput
from crm.charts import Series, bar_chart, column_chart, format_money
from crm.spreadsheets import read_table, stream_csv, stream_xlsx
from tests.spreadsheet_helpers import read_xlsx, xlsx_bytes

pytestmark = pytest.mark.django_db(databases=[])


def _read(data: bytes, name: str = "f.csv", max_rows: int = 100):
    return read_table(data=data, filename=name, max_rows=max_rows)


def test_csv_from_excel_in_brazil_windows_1252_and_semicolons():
    data = "Nome;Cidade\r\nJoão;São Paulo\r\n;\r\nAçaí Ltda;Belém\r\n".encode("cp1252")

    table = _read(data)

    assert table.header == ("Nome", "Cidade")
    assert [(row.line, row.cells) for row in table.rows] == [
        (2, ("João", "São Paulo")),
        (4, ("Açaí Ltda", "Belém")),  # the blank line is skipped, numbering kept
    ]


def test_csv_round_trip_keeps_text_that_looks_like_a_formula():
    header = ("nome", "valor", "ativo", "vazio")
    rows = [('=HYPERLINK("x")', Decimal("10.50"), True, None), ("@SUM(A1)", -3, False, "")]

    data = b"".join(stream_csv(header=header, rows=rows))

    assert data.startswith(b"\xef\xbb\xbf")  # BOM: Excel shows accents
    assert b"'=HYPERLINK" in data  # never run as a formula by a spreadsheet program
    table = _read(data)
    assert [row.cells for row in table.rows] == [
        ('=HYPERLINK("x")', "10.50", "true", None),
        ("@SUM(A1)", "-3", "false", None),
    ]


def test_xlsx_stream_is_a_valid_workbook_with_typed_cells():
    rows = [
        ('Ação <&> "aspas"', Decimal("1250.90"), True, dt.date(2026, 11, 5), None, "a\x01b"),
    ] * 1_200

    chunks = list(stream_xlsx(header=("t", "v", "b", "d", "n", "c"), rows=iter(rows)))
    workbook_rows = read_xlsx(b"".join(chunks))

    assert len(chunks) > 2  # handed over while the rows are read
    assert workbook_rows[0] == ("t", "v", "b", "d", "n", "c")
    assert workbook_rows[1] == ('Ação <&> "aspas"', 1250.9, True, "2026-11-05", None, "ab")
    assert len(workbook_rows) == 1_201


def test_xlsx_upload_numbers_become_text_without_a_spurious_decimal():
    data = xlsx_bytes(("cpf", "preço", "data"), [(52998224725, 10.5, dt.datetime(2026, 1, 2))])

    table = _read(data, "f.xlsx")

    assert table.rows[0].cells == ("52998224725", "10.5", "2026-01-02T00:00:00")


@pytest.mark.parametrize(
    ("data", "name", "message"),
    [
        (b"a,b\n1,2\n", "f.ods", "Formato de arquivo não suportado"),
        (b"", "f.csv", "A planilha está vazia"),
        (b"not a zip", "f.xlsx", "Arquivo XLSX inválido ou corrompido."),
        (b"a\n1\n2\n3\n", "f.csv", "A planilha tem mais de 2 linhas"),
    ],
)
def test_unreadable_files_are_refused_with_a_reason(data, name, message):
    with pytest.raises(InvalidInput, match=message):
        _read(data, name, max_rows=2)


def test_charts_escape_labels_and_draw_negative_values():
    svg = column_chart(
        categories=["<jan>", "fev"],
        series=[
            Series("Entradas & mais", [Decimal("10.00"), Decimal("0")], "#080"),
            Series("Saldo", [Decimal("-5.00"), Decimal("3.00")], "#00f", kind="line"),
        ],
        label='Fluxo "teste"',
    )
    bars = bar_chart(labels=["<script>"], values=[Decimal("1")], color="#080", label="x")

    assert "<jan>" not in svg and "&lt;jan&gt;" in svg
    assert "Entradas &amp; mais" in svg
    assert "<polyline" in svg and svg.count("<circle") == 2
    assert "-R$ 5,00" in svg
    assert "<script>" not in bars


def test_money_follows_the_language():
    with translation.override("pt-br"):
        assert format_money(Decimal("1250.9")) == "R$ 1.250,90"
    with translation.override("en"):
        assert format_money(Decimal("-1250.9")) == "-R$ 1,250.90"
