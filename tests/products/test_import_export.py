"""Products in and out as spreadsheets: streamed API export with the list's filters, admin
import through the products services (the API's rules and messages)."""

from __future__ import annotations

from decimal import Decimal

import pytest

from crm.spreadsheets import ERROR, NEW, UNCHANGED, UPDATED, ImportRefused, read_table
from domains.products import services
from domains.products.models import Product
from domains.products.selectors import EXPORT_COLUMNS
from tests.spreadsheet_helpers import csv_bytes, read_csv, read_xlsx, xlsx_bytes

EXPORT_URL = "/api/products/export"
HEADER = ("ds_product_name", "vr_price", "id_product_type", "is_active")


@pytest.fixture
def catalogue():
    consultoria = services.product_create(
        ds_product_name="Consultoria", vr_price=Decimal("1250.90"), id_product_type="servico"
    )
    caneta = services.product_create(ds_product_name="Caneta", vr_price=Decimal("2.50"))
    antigo = services.product_create(ds_product_name="Antigo", vr_price=Decimal("1.00"))
    services.product_deactivate(product_id=antigo.pk)
    return consultoria, caneta, antigo


def _download(response) -> bytes:
    assert response.status_code == 200, response.content
    return b"".join(response.streaming_content)


def _table(data: bytes, name: str = "produtos.csv"):
    return read_table(data=data, filename=name, max_rows=1_000)


def test_csv_export_honours_the_list_filters(auth_client, catalogue):
    everything = read_csv(_download(auth_client.get(EXPORT_URL)))
    services_only = read_csv(_download(auth_client.get(EXPORT_URL, {"id_product_type": "servico"})))

    assert tuple(everything[0]) == EXPORT_COLUMNS
    assert [row[1] for row in everything[1:]] == ["Caneta", "Consultoria"]
    assert [(row[1], row[3]) for row in services_only[1:]] == [("Consultoria", "1250.90")]


def test_xlsx_export_has_numeric_prices(auth_client, catalogue):
    rows = read_xlsx(_download(auth_client.get(EXPORT_URL, {"format": "xlsx", "search": "cons"})))

    record = dict(zip(rows[0], rows[1], strict=True))
    assert record["vr_price"] == pytest.approx(1250.90)
    assert record["id_product_type"] == "servico"


def test_bad_format_and_bad_filter_are_400s(auth_client):
    assert auth_client.get(EXPORT_URL, {"format": "ods"}).json() == {
        "error": "Formato inválido: use csv ou xlsx."
    }
    assert auth_client.get(EXPORT_URL, {"min_price": "abc"}).status_code == 400


def test_preview_fates_and_reasons(catalogue):
    data = csv_bytes(
        HEADER,
        [
            ("Notebook", "3500,00", "produto", ""),
            ("Consultoria", "1250.90", "servico", "true"),  # same values: unchanged
            ("Caneta", "3.00", "", ""),
            ("Preço Ruim", "-1", "", ""),
            ("Tipo Ruim", "10", "coisa", ""),
            ("X", "10", "", ""),
            ("Sem Preço", "", "", ""),
            ("Ativo Ruim", "1", "", "talvez"),
            ("notebook", "1", "", ""),
        ],
    )

    report = services.product_import_preview(table=_table(data))

    assert [row.fate for row in report.rows] == [
        NEW,
        UNCHANGED,
        UPDATED,
        ERROR,
        ERROR,
        ERROR,
        ERROR,
        ERROR,
        ERROR,
    ]
    reasons = [" ".join(row.errors) for row in report.rows]
    assert "O preço não pode ser negativo." in reasons[3]
    assert "Tipo inválido. Use 'produto' ou 'servico'." in reasons[4]
    assert "O nome deve ter pelo menos 3 caracteres." in reasons[5]
    assert "Este campo é obrigatório." in reasons[6]
    assert "Use true ou false." in reasons[7]
    assert "Nome repetido na planilha (linha 2)." in reasons[8]


def test_apply_is_all_or_nothing_then_writes_everything(catalogue):
    _, caneta, _ = catalogue
    bad = csv_bytes(HEADER, [("Notebook", "3500.00", "", ""), ("Caneta", "abc", "", "")])
    with pytest.raises(ImportRefused):
        services.product_import_apply(table=_table(bad))
    assert not Product.objects.filter(ds_product_name="Notebook").exists()

    good = xlsx_bytes(HEADER, [("Notebook", 3500, None, None), ("Caneta", 3.1, None, "false")])
    report = services.product_import_apply(table=_table(good, "produtos.xlsx"))

    assert report.counts == {NEW: 1, UPDATED: 1, UNCHANGED: 0, ERROR: 0}
    notebook = Product.objects.get(ds_product_name="Notebook")
    assert (notebook.vr_price, notebook.id_product_type, notebook.is_active) == (
        Decimal("3500.00"),
        "produto",
        True,
    )
    caneta.refresh_from_db()
    assert (caneta.vr_price, caneta.is_active) == (Decimal("3.10"), False)


def test_an_export_reimports_as_unchanged(auth_client, catalogue):
    exported = _download(auth_client.get(EXPORT_URL, {"active_only": "false"}))

    report = services.product_import_preview(table=_table(exported))

    assert [row.fate for row in report.rows] == [UNCHANGED] * 3


def test_admin_import_and_export(client, staff_user, catalogue):
    from django.core.files.uploadedfile import SimpleUploadedFile

    client.force_login(staff_user)
    upload = SimpleUploadedFile(
        "produtos.csv", csv_bytes(HEADER, [("Notebook", "3500,00", "produto", "sim")])
    )
    preview_url = client.post("/admin/products/product/import/", {"file": upload})["Location"]
    assert "crm-apply-button" in client.get(preview_url).content.decode()
    client.post(preview_url)
    exported = read_csv(_download(client.get("/admin/products/product/export/?format=csv&q=note")))

    assert [(row[1], row[3]) for row in exported[1:]] == [("Notebook", "3500.00")]
