"""``manage.py import_seed`` against real seed-shaped databases (see ``seed_databases``)."""

from __future__ import annotations

import csv
import datetime as dt
import io
from decimal import Decimal
from pathlib import Path

import pytest
from django.contrib.auth import get_user_model
from django.contrib.auth.models import Group
from django.core.management import call_command
from django.core.management.base import CommandError

from domains.customers.models import Customer
from domains.interactions.models import Interaction, Transaction
from domains.products.models import Product

from . import seed_databases

User = get_user_model()
UTC = dt.UTC


def run_import(*args: str, report: Path, verbosity: int = 0) -> dict[str, tuple[int, ...]]:
    """Run the command; the summary as {table: (read, imported, already present, refused)}."""
    out = io.StringIO()
    call_command("import_seed", *args, "--report", str(report), verbosity=verbosity, stdout=out)
    return parse_summary(out.getvalue())


def parse_summary(text: str) -> dict[str, tuple[int, ...]]:
    summary = {}
    for line in text.splitlines():
        parts = line.split()
        if len(parts) == 5 and all(part.isdigit() for part in parts[1:]):
            summary[parts[0]] = tuple(int(part) for part in parts[1:])
    return summary


def read_report(path: Path) -> list[dict[str, str]]:
    with path.open(encoding="utf-8") as handle:
        return list(csv.DictReader(handle))


def refusals(report: list[dict[str, str]]) -> set[tuple[str, str, str]]:
    return {(row["table"], row["id"], row["field"]) for row in report}


def snapshot() -> dict[str, list]:
    """Everything the import may touch, to show that a run changed nothing."""
    return {
        "users": list(User.objects.order_by("cd_user").values()),
        "customers": list(Customer.objects.order_by("cd_customer").values()),
        "products": list(Product.objects.order_by("cd_product").values()),
        "interactions": list(Interaction.objects.order_by("cd_interaction").values()),
        "transactions": list(Transaction.objects.order_by("cd_transaction").values()),
        "memberships": list(User.groups.through.objects.order_by("id").values()),
    }


# --- microservices ----------------------------------------------------------------------------


def test_microservices_import_keeps_uuids_normalises_and_reports(microservices, tmp_path):
    data = microservices.data
    out = io.StringIO()
    report = tmp_path / "report.csv"
    call_command(
        "import_seed", *microservices.args(), "--report", str(report), stdout=out, verbosity=1
    )
    summary = parse_summary(out.getvalue())

    assert summary == {
        "user": (4, 2, 0, 2),
        "customer": (6, 3, 0, 3),
        "product": (4, 2, 0, 2),
    }
    # Users: UUIDs kept, e-mail lower-cased, name trimmed, creation time kept (aware UTC).
    ana = User.objects.get(cd_user=data.users["ana"])
    assert ana.ds_user_email == "ana@example.com"
    assert ana.dt_created_at == seed_databases.at(0).replace(tzinfo=UTC)
    assert ana.password.startswith("werkzeug$scrypt:32768:8:1$")
    assert ana.is_active and not ana.is_staff and not ana.is_superuser
    bruno = User.objects.get(cd_user=data.users["bruno"])
    assert bruno.ds_user == "Bruno Lima"
    assert bruno.password.startswith("werkzeug$pbkdf2:sha256:260000$")
    assert set(User.objects.values_list("cd_user", flat=True)) == {
        data.users["ana"],
        data.users["bruno"],
    }
    # Customers: CPF/CNPJ digits, e-mail lower, UF upper, CEP formatted, country defaulted.
    one = Customer.objects.get(cd_customer=data.customers["one"])
    assert one.ds_customer_cpf_cnpj == "52998224725"
    assert one.ds_customer_email == "cliente1@example.com"
    assert one.ds_customer_state == "SP"
    assert one.ds_customer_zip_code == "01001-000"
    assert one.ds_customer_country == "Brasil"
    assert one.dt_customer_created_at == seed_databases.at(10).replace(tzinfo=UTC)
    assert one.dt_customer_updated_at == one.dt_customer_created_at
    two = Customer.objects.get(cd_customer=data.customers["two"])
    assert two.ds_customer_cpf_cnpj == "11222333000181"
    assert two.is_customer_active is False
    assert two.dt_customer_updated_at == seed_databases.at(40).replace(tzinfo=UTC)
    six = Customer.objects.get(cd_customer=data.customers["six"])
    assert (six.ds_customer_cpf_cnpj, six.ds_customer_state) == ("12345678909", "BA")
    # Products: enum label, price and timestamps kept.
    consulting = Product.objects.get(cd_product=data.products["consulting"])
    assert (consulting.id_product_type, consulting.vr_price) == ("servico", Decimal("1500.00"))
    assert consulting.dt_product_created_at == seed_databases.at(5).replace(tzinfo=UTC)
    notebook = Product.objects.get(cd_product=data.products["notebook"])
    assert notebook.is_active is False

    rows = read_report(report)
    assert refusals(rows) == {
        ("user", str(data.users["ana_clone"]), "ds_user_email"),
        ("user", str(data.users["broken"]), "password_hash"),
        ("customer", str(data.customers["bad_cpf"]), "ds_customer_cpf_cnpj"),
        ("customer", str(data.customers["bad_uf"]), "ds_customer_state"),
        ("customer", str(data.customers["bad_uf"]), "ds_customer_zip_code"),
        ("customer", str(data.customers["email_clash"]), "ds_customer_email"),
        ("product", str(data.products["consulting_clash"]), "ds_product_name"),
        ("product", str(data.products["short"]), "ds_product_name"),
    }
    reasons = {row["id"]: row for row in rows if row["field"] != "ds_customer_zip_code"}
    assert "dígitos verificadores" in reasons[str(data.customers["bad_cpf"])]["reason"]
    assert reasons[str(data.customers["bad_cpf"])]["value"] == "529.982.247-24"
    assert "UF inválida" in reasons[str(data.customers["bad_uf"])]["reason"]
    clash = reasons[str(data.users["ana_clone"])]
    assert str(data.users["ana"]) in clash["reason"] and clash["value"] == "ana@example.com"
    assert str(data.customers["one"]) in reasons[str(data.customers["email_clash"])]["reason"]
    assert "Já existe um produto" in reasons[str(data.products["consulting_clash"])]["reason"]

    text = out.getvalue()
    # The interaction service's database is looked at, reported, and nothing comes from it.
    assert "interaction-service: interactions (2 linha(s))" in text
    assert "Nada importado" in text
    assert not Interaction.objects.exists()
    # The roles exist (accounts 0004_roles): imported users join "manager", the default.
    assert 'com o papel "manager"' in text


def test_a_second_run_imports_nothing_and_changes_nothing(microservices, tmp_path):
    first = run_import(*microservices.args(), report=tmp_path / "first.csv")
    before = snapshot()

    second = run_import(*microservices.args(), report=tmp_path / "second.csv")

    assert second == {
        "user": (4, 0, 2, 2),
        "customer": (6, 0, 3, 3),
        "product": (4, 0, 2, 2),
    }
    assert [row[1] for row in first.values()] == [2, 3, 2]
    assert snapshot() == before
    # The same rows are refused, for the same reasons.
    assert refusals(read_report(tmp_path / "second.csv")) == refusals(
        read_report(tmp_path / "first.csv")
    )


def test_dry_run_reports_the_same_and_writes_nothing(microservices, tmp_path):
    before = snapshot()

    dry = run_import(*microservices.args(), "--dry-run", report=tmp_path / "dry.csv")

    assert snapshot() == before
    real = run_import(*microservices.args(), report=tmp_path / "real.csv")
    assert dry == real
    assert read_report(tmp_path / "dry.csv") == read_report(tmp_path / "real.csv")


def test_strict_refuses_to_write_anything_when_a_row_would_be_refused(microservices, tmp_path):
    before = snapshot()

    with pytest.raises(CommandError, match="--strict: 7 linha"):
        run_import(*microservices.args(), "--strict", report=tmp_path / "strict.csv")

    assert snapshot() == before
    # 7 rows refused; the customer with a bad UF and a bad CEP has two lines.
    assert len(read_report(tmp_path / "strict.csv")) == 8


def test_dry_run_with_strict_is_a_check_that_fails_on_refusals(microservices, tmp_path):
    before = snapshot()
    out = io.StringIO()

    with pytest.raises(CommandError, match="--strict: 7 linha"):
        call_command(
            "import_seed", *microservices.args(), "--dry-run", "--strict",
            "--report", str(tmp_path / "r.csv"), verbosity=0, stdout=out,
        )  # fmt: skip

    assert snapshot() == before
    assert "SIMULAÇÃO" in out.getvalue()
    assert parse_summary(out.getvalue())["customer"] == (6, 3, 0, 3)


def test_strict_imports_a_clean_seed(postgres_server, tmp_path):
    from tests.platform.sandbox import ScratchDatabase

    with ScratchDatabase("seed_product") as product:
        with product.connect() as connection:
            product_id = seed_databases.fill_clean_catalogue(connection)

        summary = run_import("--product-db", product.url, "--strict", report=tmp_path / "r.csv")

    assert summary == {"product": (1, 1, 0, 0)}
    assert Product.objects.get(cd_product=product_id).ds_product_name == "Treinamento"


def test_imported_users_get_the_role_when_its_group_exists(microservices, tmp_path):
    sales = Group.objects.get(name="sales")  # created by accounts 0004_roles
    out = io.StringIO()

    call_command(
        "import_seed", *microservices.args(), "--role", "sales",
        "--report", str(tmp_path / "r.csv"), verbosity=0, stdout=out,
    )  # fmt: skip

    members = set(sales.user_set.values_list("cd_user", flat=True))
    assert members == {microservices.data.users["ana"], microservices.data.users["bruno"]}
    assert '2 usuário(s) com o papel "sales"' in out.getvalue()


def test_the_default_role_is_manager(microservices, tmp_path):
    manager = Group.objects.get(name="manager")  # created by accounts 0004_roles

    run_import(*microservices.args(), report=tmp_path / "r.csv")

    assert manager.user_set.count() == 2


# --- monolith ---------------------------------------------------------------------------------


def test_monolith_import_brings_the_timeline_and_the_ledger(monolith, tmp_path):
    data = monolith.data
    report = tmp_path / "monolith.csv"

    summary = run_import(*monolith.args(), report=report)

    assert summary == {
        "user": (4, 2, 0, 2),
        "customer": (6, 3, 0, 3),
        "product": (4, 2, 0, 2),
        "interaction": (5, 3, 0, 2),
        "transaction": (6, 3, 0, 3),
    }
    ana = User.objects.get(cd_user=data.users["ana"])
    assert ana.last_login == seed_databases.at(30).replace(tzinfo=UTC)

    call = Interaction.objects.get(cd_interaction=data.interactions["call"])
    assert call.id_interaction_type == "ligacao"
    assert call.cd_customer == data.customers["one"]
    assert call.dt_interaction == seed_databases.at(50, 9).replace(tzinfo=UTC)
    assert Interaction.objects.get(
        cd_interaction=data.interactions["sale"]
    ).id_interaction_type == ("venda")
    # The author was refused (e-mail clash) but the interaction keeps its reference.
    kept = Interaction.objects.get(cd_interaction=data.interactions["by_refused_user"])
    assert kept.cd_user == data.users["ana_clone"]

    entries = {
        row.cd_transaction: row
        for row in Transaction.objects.filter(cd_customer=data.customers["one"])
    }
    entrada = entries[data.transactions["entrada"]]
    assert (entrada.vr_transaction, entrada.id_transaction_type) == (Decimal("1500.00"), 1)
    negative = entries[data.transactions["negative_saida"]]
    assert (negative.vr_transaction, negative.id_transaction_type) == (Decimal("200.00"), 2)
    positive = entries[data.transactions["positive_saida"]]
    assert (positive.vr_transaction, positive.id_transaction_type) == (Decimal("50.00"), 2)
    assert entrada.dt_transaction == dt.date(2024, 3, 1)
    assert entrada.dt_created_at == seed_databases.at(60).replace(tzinfo=UTC)

    rows = {(row["table"], row["id"]): row for row in read_report(report)}
    missing = rows[("interaction", str(data.interactions["of_bad_customer"]))]
    assert missing["field"] == "cd_customer" and "Cliente não encontrado" in missing["reason"]
    assert rows[("interaction", str(data.interactions["short_notes"]))]["field"] == "ds_notes"
    assert ("transaction", str(data.transactions["of_bad_customer"])) in rows
    assert (
        "Entrada com valor negativo"
        in (rows[("transaction", str(data.transactions["negative_entrada"]))]["reason"])
    )
    assert "maior que zero" in rows[("transaction", str(data.transactions["zero"]))]["reason"]


def test_monolith_dry_run_counts_customers_the_run_brings(monolith, tmp_path):
    """Nothing is written in a dry run, yet interactions of customers the same run would
    import are not refused as "customer missing": the summary is the real run's."""
    before = snapshot()

    dry = run_import(*monolith.args(), "--dry-run", report=tmp_path / "dry.csv")

    assert snapshot() == before
    assert dry["interaction"] == (5, 3, 0, 2)
    assert dry["transaction"] == (6, 3, 0, 3)
    real = run_import(*monolith.args(), report=tmp_path / "real.csv")
    assert dry == real
    again = run_import(*monolith.args(), report=tmp_path / "again.csv")
    assert again["interaction"] == (5, 0, 3, 2)
    assert again["transaction"] == (6, 0, 3, 3)


# --- logging in with the seed's password ------------------------------------------------------


@pytest.mark.parametrize(("user", "method"), [("ana", "scrypt:"), ("bruno", "pbkdf2:sha256:")])
def test_an_imported_user_logs_in_with_the_old_password_and_the_hash_is_upgraded(
    monolith, tmp_path, api_client, user, method
):
    run_import(*monolith.args(), report=tmp_path / "r.csv")
    imported = User.objects.get(cd_user=monolith.data.users[user])
    assert imported.password.startswith(f"werkzeug${method}")
    email, password = imported.ds_user_email, monolith.data.passwords[user]

    wrong = api_client.post(
        "/auth/login", {"ds_user_email": email, "password": "errada-123"}, format="json"
    )
    assert wrong.status_code == 401
    imported.refresh_from_db()
    assert imported.password.startswith("werkzeug$")  # a failed login upgrades nothing

    response = api_client.post(
        "/auth/login", {"ds_user_email": email, "password": password}, format="json"
    )

    assert response.status_code == 200, response.content
    body = response.json()
    assert body["user"]["cd_user"] == str(monolith.data.users[user])
    assert body["access_token"] and body["refresh_token"]
    imported.refresh_from_db()
    assert not imported.password.startswith("werkzeug$")  # re-hashed by the preferred hasher
    assert imported.check_password(password)
    again = api_client.post(
        "/auth/login", {"ds_user_email": email, "password": password}, format="json"
    )
    assert again.status_code == 200


# --- wrong invocations ------------------------------------------------------------------------


def test_both_modes_at_once_are_refused(microservices, monolith, tmp_path):
    with pytest.raises(CommandError, match="não os dois"):
        run_import(*monolith.args(), *microservices.args(), report=tmp_path / "r.csv")


def test_no_database_given_is_refused(tmp_path):
    with pytest.raises(CommandError, match="Informe os bancos do seed"):
        run_import(report=tmp_path / "r.csv")


def test_an_unreachable_seed_is_a_clear_error(postgres_server, tmp_path):
    from tests import services

    url = services.postgres_url("seed_that_does_not_exist_0")
    with pytest.raises(CommandError, match="não foi possível conectar"):
        run_import("--auth-db", url, report=tmp_path / "r.csv")
    assert not User.objects.exists()


def test_a_domain_failing_midway_writes_nothing_of_that_domain(microservices, tmp_path):
    """2 001 customers, the last one with no creation time (a damaged seed): the first batch
    of 2 000 is inserted, the second fails, and the whole customers domain rolls back; the
    users, imported before, stay."""
    from tests.platform.sandbox import ScratchDatabase

    with ScratchDatabase("seed_customer") as customer:
        with customer.connect() as connection:
            connection.execute(seed_databases.CUSTOMER_DDL)
            connection.execute(
                "ALTER TABLE customer ALTER COLUMN dt_customer_created_at DROP NOT NULL"
            )
            connection.execute(
                "INSERT INTO customer (cd_customer, ds_customer_name, ds_customer_email, "
                "dt_customer_created_at, is_customer_active) "
                "SELECT gen_random_uuid(), 'Cliente ' || i, 'c' || i || '@example.com', "
                "CASE WHEN i < 2001 THEN now() - i * interval '1 minute' END, true "
                "FROM generate_series(1, 2001) AS i"
            )

        with pytest.raises(CommandError, match="parou em customer") as failure:
            run_import(
                "--auth-db", microservices.auth.url, "--customer-db", customer.url,
                report=tmp_path / "r.csv",
            )  # fmt: skip

    assert "tabelas já concluídas: user" in str(failure.value)
    assert not Customer.objects.exists()
    assert User.objects.count() == 2


def test_an_early_monolith_with_numeric_types_and_float_amounts(postgres_server, tmp_path):
    """Early seed revisions stored the ledger type as 1/2 and the amount as a float: read as
    the same entries (the float's shortest text is the amount the client sent)."""
    from tests.platform.sandbox import ScratchDatabase

    data = seed_databases.make_data()
    with ScratchDatabase("seed_monolith") as database:
        with database.connect() as connection:
            seed_databases.fill_users(connection, data, monolith=True)
            seed_databases.fill_customers(connection, data)
            seed_databases.fill_products(connection, data)
            seed_databases.fill_history(connection, data)
            connection.execute(
                'ALTER TABLE "transaction" ALTER COLUMN vr_transaction TYPE double precision, '
                "ALTER COLUMN id_transaction_type TYPE integer USING "
                "(CASE id_transaction_type WHEN 'ENTRADA' THEN 1 ELSE 2 END)"
            )

        summary = run_import("--monolith-db", database.url, report=tmp_path / "r.csv")

    assert summary["transaction"] == (6, 3, 0, 3)
    negative = Transaction.objects.get(cd_transaction=data.transactions["negative_saida"])
    assert (negative.vr_transaction, negative.id_transaction_type) == (Decimal("200.00"), 2)
