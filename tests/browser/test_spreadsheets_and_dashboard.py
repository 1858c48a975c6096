"""Back office acceptance path in a real browser, in Portuguese and in English.

Staff import a 10,000-row customer spreadsheet with a few bad rows, see the preview with each
bad row's reason (nothing written: the import is all or nothing), send the corrected file and
apply it, export the list again from the changelist, and open the dashboard (the admin index)
whose numbers are the ones ``/api/transactions/summary`` answers, fetched by the same browser.
"""

from __future__ import annotations

import csv
import datetime as dt
import io
import re
from decimal import Decimal

import pytest
from django.apps import apps
from django.utils import timezone

from tests.spreadsheet_helpers import cpf, csv_bytes

pytestmark = [
    pytest.mark.browser,
    pytest.mark.needs("chromium"),
    pytest.mark.django_db(transaction=True, databases="__all__"),
]

STAFF_EMAIL = "equipe@example.com"
STAFF_PASSWORD = "s3nha-Forte-2026"
ROWS = 10_000
HEADER = (
    "ds_customer_name",
    "ds_customer_email",
    "ds_customer_phone",
    "ds_customer_cpf_cnpj",
    "ds_customer_city",
    "ds_customer_state",
    "ds_customer_zip_code",
)
#: Spreadsheet line (header = 1) -> the cells that break it and the reason staff must read.
BAD_LINES = {
    101: (
        {"ds_customer_cpf_cnpj": "529.982.247-26"},
        "CPF inválido: dígitos verificadores não conferem.",
    ),
    2_502: ({"ds_customer_state": "XX"}, "UF inválida"),
    5_003: ({"ds_customer_zip_code": "123"}, "CEP inválido. Use o formato 00000-000."),
    7_504: (
        {"ds_customer_email": "cliente00003@example.com"},
        "E-mail repetido na planilha (linha 5).",
    ),
    # The CPF names an existing customer (so the row would update it), whose new e-mail
    # belongs to yet another customer.
    9_999: (
        {"ds_customer_cpf_cnpj": cpf(50_000), "ds_customer_email": "dona@example.com"},
        "E-mail já cadastrado para outro cliente.",
    ),
}
TEXTS = {
    "pt-BR": {
        "import_title": "Importar clientes",
        "success": "Importação concluída: 10000 novo(s)",
        "cash_flow": "Fluxo de caixa: últimos 12 meses",
        "money": "R$ 1.250,90",
    },
    "en-US": {
        "import_title": "Import customers",
        "success": "Import finished: 10000 new",
        "cash_flow": "Cash flow: last 12 months",
        "money": "R$ 1,250.90",
    },
}


def _spreadsheet(*, with_errors: bool) -> bytes:
    rows = []
    for index in range(ROWS):
        line = index + 2
        row = {
            "ds_customer_name": f"Cliente {index:05d}",
            "ds_customer_email": f"cliente{index:05d}@example.com",
            "ds_customer_phone": "(11) 3333-4444",
            "ds_customer_cpf_cnpj": cpf(index),
            "ds_customer_city": "São Paulo",
            "ds_customer_state": "sp",
            "ds_customer_zip_code": "01310100",
        }
        if with_errors and line in BAD_LINES:
            row.update(BAD_LINES[line][0])
        rows.append([row[column] for column in HEADER])
    return csv_bytes(HEADER, rows, delimiter=";")  # as Excel saves it in Brazil


@pytest.fixture
def back_office(django_user_model):
    django_user_model.objects.create_superuser(
        ds_user_email=STAFF_EMAIL, ds_user="Equipe CRM", password=STAFF_PASSWORD
    )
    customers = apps.get_model("customers", "Customer").objects
    customer = customers.create(
        ds_customer_name="Dona do E-mail", ds_customer_email="dona@example.com"
    )
    customers.create(ds_customer_name="Dono do CPF", ds_customer_cpf_cnpj=cpf(50_000))
    staff = django_user_model.objects.get(ds_user_email=STAFF_EMAIL)
    today = timezone.localdate()
    two_months_ago = (today.replace(day=1) - dt.timedelta(days=40)).replace(day=5)
    transactions = apps.get_model("interactions", "Transaction").objects
    for amount, kind, day in [
        ("1250.90", 1, today),
        ("300.10", 2, today),
        ("80.00", 1, two_months_ago),
    ]:
        transactions.create(
            cd_customer=customer.pk,
            cd_user=staff.pk,
            vr_transaction=Decimal(amount),
            id_transaction_type=kind,
            dt_transaction=day,
        )
    apps.get_model("interactions", "Interaction").objects.create(
        cd_customer=customer.pk, cd_user=staff.pk, ds_notes="Reunião", id_interaction_type="reuniao"
    )
    return customer


def _upload(page, live_server, path) -> None:
    page.set_input_files("#id_file", str(path))
    page.click(".crm-import-form input[type=submit]")
    page.wait_for_url(re.compile(r".*/admin/customers/customer/import/[^/]+/$"), timeout=120_000)


@pytest.mark.parametrize("browser_locale", ["pt-BR", "en-US"])
def test_staff_imports_10000_customers_exports_them_and_reads_the_dashboard(
    page,
    live_server,
    admin_login,
    screenshot,
    back_office,
    browser_locale,
    external_requests,
    tmp_path,
):
    texts = TEXTS[browser_locale]
    bad_file = tmp_path / "clientes-com-erros.csv"
    bad_file.write_bytes(_spreadsheet(with_errors=True))
    good_file = tmp_path / "clientes.csv"
    good_file.write_bytes(_spreadsheet(with_errors=False))
    customers = apps.get_model("customers", "Customer").objects
    admin_login(page, email=STAFF_EMAIL, password=STAFF_PASSWORD)

    # when: staff open the customer list and import the spreadsheet with five bad rows
    page.goto(f"{live_server.url}/admin/customers/customer/")
    page.click(".crm-import-link")
    assert texts["import_title"] in page.locator("#content h1").inner_text()
    _upload(page, live_server, bad_file)
    screenshot(page, "preview-with-errors")

    # then: the preview gives every row its fate, and each bad row its reason; nothing written
    assert page.locator(".crm-count-new").inner_text() == str(ROWS - len(BAD_LINES))
    assert page.locator(".crm-count-error").inner_text() == str(len(BAD_LINES))
    error_rows = page.locator(".crm-import-errors tbody tr")
    assert error_rows.count() == len(BAD_LINES)
    shown = {
        int(error_rows.nth(i).locator("td").nth(0).inner_text()): error_rows.nth(i)
        .locator("td")
        .nth(2)
        .inner_text()
        for i in range(error_rows.count())
    }
    assert set(shown) == set(BAD_LINES)
    for line, (_, reason) in BAD_LINES.items():
        if browser_locale == "pt-BR":
            assert reason in shown[line], (line, shown[line])
        else:
            assert shown[line].strip(), line
    assert page.locator(".crm-apply-button").count() == 0
    assert customers.count() == 2

    # when: they send the corrected file and confirm
    page.click(".cancel-link")
    _upload(page, live_server, good_file)
    assert page.locator(".crm-count-new").inner_text() == str(ROWS)
    assert page.locator(".crm-count-error").inner_text() == "0"
    screenshot(page, "preview-clean")
    # Writing 10,000 rows takes seconds (more on a busy CI machine): wait for the redirect
    # itself, not for the click's default navigation timeout.
    with page.expect_navigation(
        url=f"{live_server.url}/admin/customers/customer/", timeout=120_000
    ):
        page.click(".crm-apply-button", no_wait_after=True)

    # then: every row is saved, with the API's normalisation
    assert texts["success"] in page.locator(".messagelist .success").inner_text()
    assert customers.count() == ROWS + 2
    sample = customers.get(ds_customer_email="cliente00100@example.com")
    assert (sample.ds_customer_state, sample.ds_customer_zip_code) == ("SP", "01310-100")
    screenshot(page, "changelist-after-import")

    # when: they export the list again, as CSV, from the changelist
    with page.expect_download(timeout=120_000) as download:
        page.click(".crm-export-csv")
    exported = download.value.path().read_bytes().decode("utf-8-sig")

    # then: the file holds every customer with the API's columns
    rows = list(csv.DictReader(io.StringIO(exported)))
    assert len(rows) == ROWS + 2
    assert {row["ds_customer_cpf_cnpj"] for row in rows} >= {cpf(0), cpf(9_999)}

    # when: they open the dashboard (the admin index)
    page.goto(f"{live_server.url}/admin/", timeout=60_000)
    screenshot(page, "dashboard")
    assert texts["cash_flow"] in page.locator(".crm-dashboard").inner_text()
    assert texts["money"] in page.locator(".crm-cash-flow-table").inner_text()
    assert page.locator(".crm-dashboard svg.crm-chart").count() == 3

    # then: its numbers are the summary API's for the same period (same browser session)
    api_url = page.locator(".crm-summary-api-link").get_attribute("href")
    answer = page.request.get(f"{live_server.url}{api_url}", headers={"Accept": "application/json"})
    assert answer.status == 200
    summary = answer.json()
    shown_months = page.eval_on_selector_all(
        ".crm-cash-flow-month",
        "rows => rows.map(r => [r.dataset.month, r.dataset.entradas, r.dataset.saidas,"
        " r.dataset.saldo])",
    )
    with_entries = [row for row in shown_months if row[1] != "0.00" or row[2] != "0.00"]
    assert with_entries == [
        [m["month"], m["vr_total_entradas"], m["vr_total_saidas"], m["vr_saldo"]]
        for m in summary["summary"]
    ]
    assert summary["totals"]["vr_saldo"] == "1030.80"

    # and: nothing was fetched from outside (charts are server-side SVG)
    assert external_requests == []
