"""Customers in and out as spreadsheets: the API's streamed export (same filters as the list)
and the admin's import (preview with each row's fate, all-or-nothing apply, the API's rules)."""

from __future__ import annotations

import pytest
from django.urls import reverse

from crm.spreadsheets import ERROR, NEW, UNCHANGED, UPDATED, ImportRefused, read_table
from domains.customers import services
from domains.customers.models import Customer
from domains.customers.selectors import EXPORT_COLUMNS
from tests.spreadsheet_helpers import cpf, csv_bytes, read_csv, read_xlsx, xlsx_bytes

from .conftest import CNPJ_ACME_DIGITS, CPF_ANA_DIGITS, CPF_BRUNO_DIGITS

EXPORT_URL = "/api/customers/export"
IMPORT_URL = "/admin/customers/customer/import/"
HEADER = (
    "ds_customer_name",
    "ds_customer_email",
    "ds_customer_cpf_cnpj",
    "ds_customer_state",
    "ds_customer_zip_code",
)


@pytest.fixture
def three_customers(make_customer):
    ana = make_customer(
        ds_customer_name="Ana Souza",
        ds_customer_email="ana@example.com",
        ds_customer_cpf_cnpj=CPF_ANA_DIGITS,
        ds_customer_state="SP",
    )
    bruno = make_customer(
        ds_customer_name="Bruno Lima", ds_customer_state="RJ", ds_customer_cpf_cnpj=CPF_BRUNO_DIGITS
    )
    inactive = make_customer(ds_customer_name="Carla Inativa", ds_customer_state="SP")
    services.customer_deactivate(customer_id=inactive.pk)
    return ana, bruno, inactive


def _download(response) -> bytes:
    assert response.status_code == 200, response.content
    assert response.streaming
    return b"".join(response.streaming_content)


def _table(data: bytes, name: str = "clientes.csv"):
    return read_table(data=data, filename=name, max_rows=100_000)


# --- API export ----------------------------------------------------------------------------


def test_csv_export_has_the_api_fields_and_honours_the_list_defaults(auth_client, three_customers):
    rows = read_csv(_download(auth_client.get(EXPORT_URL, {"format": "csv"})))

    assert tuple(rows[0]) == EXPORT_COLUMNS
    assert [row[1] for row in rows[1:]] == ["Ana Souza", "Bruno Lima"]  # active only, by name
    ana = dict(zip(rows[0], rows[1], strict=True))
    assert ana["ds_customer_cpf_cnpj"] == CPF_ANA_DIGITS
    assert ana["is_customer_active"] == "true"


def test_export_applies_search_filters_and_ordering_like_the_list(auth_client, three_customers):
    by_search = read_csv(_download(auth_client.get(EXPORT_URL, {"search": "529.982"})))
    by_state = read_csv(
        _download(auth_client.get(EXPORT_URL, {"state": "sp", "active_only": "false"}))
    )
    reversed_names = read_csv(
        _download(auth_client.get(EXPORT_URL, {"ordering": "-ds_customer_name"}))
    )

    assert [row[1] for row in by_search[1:]] == ["Ana Souza"]
    assert [row[1] for row in by_state[1:]] == ["Ana Souza", "Carla Inativa"]
    assert [row[1] for row in reversed_names[1:]] == ["Bruno Lima", "Ana Souza"]


def test_xlsx_export_is_a_workbook_with_text_documents(auth_client, three_customers):
    response = auth_client.get(EXPORT_URL, {"format": "xlsx", "state": "RJ"})
    rows = read_xlsx(_download(response))

    assert response["Content-Type"].startswith("application/vnd.openxmlformats")
    assert 'filename="clientes-' in response["Content-Disposition"]
    assert rows[0] == EXPORT_COLUMNS
    assert len(rows) == 2
    record = dict(zip(rows[0], rows[1], strict=True))
    assert record["ds_customer_name"] == "Bruno Lima"
    assert record["ds_customer_cpf_cnpj"] == CPF_BRUNO_DIGITS  # text: no leading zero lost
    assert record["is_customer_active"] is True


def test_export_is_streamed_in_chunks(auth_client):
    Customer.objects.bulk_create(
        Customer(ds_customer_name=f"Cliente {index:05d}") for index in range(1_200)
    )

    response = auth_client.get(EXPORT_URL)
    chunks = list(response.streaming_content)

    assert len(chunks) >= 3  # produced while reading the cursor, not built in one piece
    assert sum(chunk.count(b"\n") for chunk in chunks) == 1_201


@pytest.mark.parametrize("bad", ["pdf", "json", "XLS"])
def test_unknown_format_is_a_400_in_portuguese(auth_client, bad):
    response = auth_client.get(EXPORT_URL, {"format": bad})

    assert response.status_code == 400
    assert response.json() == {"error": "Formato inválido: use csv ou xlsx."}


def test_invalid_filter_is_a_400_not_a_file(auth_client):
    response = auth_client.get(EXPORT_URL, {"state": "XX"})

    assert response.status_code == 400
    assert "ds_customer_state" in response.json()["error"] or "state" in response.json()["error"]


def test_export_needs_a_token(api_client):
    assert api_client.get(EXPORT_URL).status_code == 401


def test_export_route_is_not_taken_for_a_customer_id(auth_client):
    # "export" must not reach the detail route (which would answer 400 "not a UUID").
    assert auth_client.get(EXPORT_URL + "/").status_code == 200


# --- Import: preview ---------------------------------------------------------------------------


def test_preview_gives_each_row_its_fate_with_the_api_reasons(make_customer):
    existing = make_customer(
        ds_customer_name="Ana Souza", ds_customer_email="ana@example.com", ds_customer_state="SP"
    )
    make_customer(ds_customer_name="Dono do E-mail", ds_customer_email="dono@example.com")
    bia = make_customer(ds_customer_name="Bia")
    data = csv_bytes(
        ("cd_customer", *HEADER),
        [
            ("", "Novo Cliente", "novo@example.com", cpf(1), "sp", "01310100"),
            (str(existing.pk), "Ana Souza", "ana@example.com", "", "SP", ""),  # unchanged
            (str(existing.pk), "Ana Souza", "ana@example.com", "", "RJ", ""),  # repeated id
            ("", "CPF Ruim", "", "123.456.789-00", "", ""),
            ("", "UF Ruim", "", "", "XX", ""),
            ("", "CEP Ruim", "", "", "", "123"),
            (str(bia.pk), "Bia", "DONO@example.com", "", "", ""),
            ("", "Repetido", "novo@example.com", "", "", ""),
            ("", "", "sem-nome@example.com", "", "", ""),
        ],
    )

    report = services.customer_import_preview(table=_table(data))

    fates = [(row.line, row.fate) for row in report.rows]
    assert fates == [
        (2, NEW),
        (3, UNCHANGED),
        (4, ERROR),
        (5, ERROR),
        (6, ERROR),
        (7, ERROR),
        (8, ERROR),
        (9, ERROR),
        (10, ERROR),
    ]
    reasons = {row.line: " ".join(row.errors) for row in report.rows}
    assert "repetido na planilha (linha 3)" in reasons[4]
    assert "CPF inválido: dígitos verificadores não conferem." in reasons[5]
    assert "UF inválida" in reasons[6]
    assert "CEP inválido. Use o formato 00000-000." in reasons[7]
    assert reasons[8] == "E-mail já cadastrado para outro cliente."
    assert "E-mail repetido na planilha (linha 2)." in reasons[9]
    assert "O nome do cliente é obrigatório." in reasons[10]
    assert Customer.objects.count() == 3  # a preview writes nothing


def test_a_row_without_id_updates_the_customer_with_its_cpf(make_customer):
    existing = make_customer(ds_customer_name="Ana", ds_customer_cpf_cnpj=CPF_ANA_DIGITS)
    data = csv_bytes(HEADER, [("Ana Souza", "", "529.982.247-25", "", "")], delimiter=";")

    report = services.customer_import_preview(table=_table(data))
    services.customer_import_apply(table=_table(data))

    assert report.rows[0].fate == UPDATED
    existing.refresh_from_db()
    assert existing.ds_customer_name == "Ana Souza"
    assert Customer.objects.count() == 1


def test_an_export_reimports_as_unchanged(auth_client, three_customers):
    exported = _download(auth_client.get(EXPORT_URL, {"format": "xlsx"}))

    report = services.customer_import_preview(table=_table(exported, "clientes.xlsx"))

    assert [row.fate for row in report.rows] == [UNCHANGED, UNCHANGED]


def test_a_file_without_the_name_column_is_refused_as_a_whole():
    from crm.api.exceptions import InvalidInput

    with pytest.raises(InvalidInput, match="ds_customer_name"):
        services.customer_import_preview(table=_table(csv_bytes(("e-mail",), [("a@b.com",)])))


def test_portuguese_column_titles_are_understood():
    data = xlsx_bytes(
        ("Nome", "E-mail", "CPF/CNPJ", "UF"),
        [("Loja Um", "loja@example.com", CNPJ_ACME_DIGITS, "mg")],
    )

    report = services.customer_import_preview(table=_table(data, "clientes.xlsx"))
    services.customer_import_apply(table=_table(data, "clientes.xlsx"))

    assert report.rows[0].fate == NEW
    customer = Customer.objects.get()
    assert (customer.ds_customer_state, customer.ds_customer_cpf_cnpj) == ("MG", CNPJ_ACME_DIGITS)
    assert customer.ds_customer_country == "Brasil"


def test_preview_of_many_rows_batches_its_queries(django_assert_max_num_queries, make_customer):
    make_customer(ds_customer_name="Existente", ds_customer_cpf_cnpj=cpf(5))
    rows = [(f"Cliente {i}", f"c{i}@example.com", cpf(i), "SP", "01310-100") for i in range(3_000)]
    table = _table(csv_bytes(HEADER, rows))

    with django_assert_max_num_queries(30):  # 3,000 rows: a few chunked look-ups, not 6,000
        report = services.customer_import_preview(table=table)

    assert report.counts == {NEW: 2_999, UPDATED: 1, UNCHANGED: 0, ERROR: 0}


# --- Import: apply, all or nothing ---------------------------------------------------------------


def test_apply_with_one_bad_row_writes_nothing(make_customer):
    existing = make_customer(ds_customer_name="Ana", ds_customer_cpf_cnpj=CPF_ANA_DIGITS)
    data = csv_bytes(
        HEADER,
        [
            ("Ana Renomeada", "", CPF_ANA_DIGITS, "", ""),
            ("Novo", "", "", "", ""),
            ("Ruim", "", "", "ZZ", ""),
        ],
    )

    with pytest.raises(ImportRefused) as refusal:
        services.customer_import_apply(table=_table(data))

    assert refusal.value.report.count(ERROR) == 1
    assert Customer.objects.count() == 1
    existing.refresh_from_db()
    assert existing.ds_customer_name == "Ana"


def test_apply_rechecks_against_data_changed_since_the_preview(make_customer):
    data = csv_bytes(HEADER, [("Novo", "novo@example.com", cpf(3), "", "")])
    assert services.customer_import_preview(table=_table(data)).counts[NEW] == 1
    make_customer(ds_customer_name="Dono do CPF", ds_customer_cpf_cnpj=cpf(3))
    make_customer(ds_customer_name="Dono do E-mail", ds_customer_email="novo@example.com")

    with pytest.raises(ImportRefused):
        services.customer_import_apply(table=_table(data))

    assert Customer.objects.filter(ds_customer_name="Novo").count() == 0


# --- Admin ------------------------------------------------------------------------------------


@pytest.fixture
def staff_client(client, staff_user):
    client.force_login(staff_user)
    return client


def test_admin_import_preview_then_apply(staff_client):
    from django.core.files.uploadedfile import SimpleUploadedFile

    data = csv_bytes(
        HEADER, [("Loja Boa", "boa@example.com", cpf(7), "SP", ""), ("Loja Ruim", "", "", "", "1")]
    )
    upload = SimpleUploadedFile("clientes.csv", data, content_type="text/csv")
    response = staff_client.post(IMPORT_URL, {"file": upload})
    assert response.status_code == 302
    preview_url = response["Location"]

    preview = staff_client.get(preview_url)
    html = preview.content.decode()
    assert "CEP inválido. Use o formato 00000-000." in html
    assert "crm-apply-button" not in html  # no confirm button while a row is in error
    refused = staff_client.post(preview_url)
    assert Customer.objects.count() == 0
    assert refused.status_code == 200

    good = SimpleUploadedFile(
        "clientes.csv", data.replace(b",1\n", b",\n"), content_type="text/csv"
    )
    preview_url = staff_client.post(IMPORT_URL, {"file": good})["Location"]
    assert "crm-apply-button" in staff_client.get(preview_url).content.decode()
    applied = staff_client.post(preview_url, follow=True)

    assert sorted(Customer.objects.values_list("ds_customer_name", flat=True)) == [
        "Loja Boa",
        "Loja Ruim",
    ]
    assert "Importação concluída: 2 novo(s)" in applied.content.decode()
    assert staff_client.post(preview_url).status_code == 302  # a preview applies once


def test_admin_import_refuses_an_unknown_file_type(staff_client):
    from django.core.files.uploadedfile import SimpleUploadedFile

    response = staff_client.post(
        IMPORT_URL, {"file": SimpleUploadedFile("clientes.pdf", b"%PDF-1.4")}
    )

    assert response.status_code == 400
    assert "envie um arquivo .csv ou .xlsx" in response.content.decode()


def test_admin_import_xhr_answers_json(staff_client):
    from django.core.files.uploadedfile import SimpleUploadedFile

    upload = SimpleUploadedFile("c.csv", csv_bytes(HEADER, [("Loja", "", "", "", "")]))
    response = staff_client.post(
        IMPORT_URL, {"file": upload}, HTTP_X_REQUESTED_WITH="XMLHttpRequest"
    )

    assert response.status_code == 200
    assert response.json()["redirect"].startswith(IMPORT_URL)


def test_another_staff_member_cannot_open_my_preview(staff_client, client, django_user_model):
    from django.core.files.uploadedfile import SimpleUploadedFile

    upload = SimpleUploadedFile("c.csv", csv_bytes(HEADER, [("Loja", "", "", "", "")]))
    preview_url = staff_client.post(IMPORT_URL, {"file": upload})["Location"]
    other = django_user_model.objects.create_superuser(
        ds_user_email="outra@example.com", password="s3nha-Forte-2026", ds_user="Outra"
    )
    client.force_login(other)

    assert client.post(preview_url).status_code == 302
    assert Customer.objects.count() == 0


def test_admin_export_keeps_the_changelist_search(staff_client, three_customers):
    changelist = staff_client.get("/admin/customers/customer/", {"q": "Bruno"})
    export_url = reverse("admin:customers_customer_export") + "?format=csv&q=Bruno"
    assert "format=csv" in changelist.content.decode()

    rows = read_csv(_download(staff_client.get(export_url)))

    assert [row[1] for row in rows[1:]] == ["Bruno Lima"]
