"""Seed-shaped PostgreSQL databases, written from ``../shared/seed/schema.md``.

The DDL reproduces what the seed's migrations leave on disk: the tables and column types, the
enum types with the labels actually stored (``producttype``, ``interactiontype`` upper-case,
``transactiontype``), naive UTC timestamps, CPF/CNPJ as the client sent it, case-sensitive
unique e-mails and product names. Password hashes are made by werkzeug itself.
"""

from __future__ import annotations

import datetime as dt
import uuid
from dataclasses import dataclass
from decimal import Decimal

import psycopg
from werkzeug.security import generate_password_hash

USER_DDL = """
CREATE TABLE "user" (
    cd_user uuid PRIMARY KEY,
    ds_user varchar(255) NOT NULL,
    ds_user_email varchar(255) NOT NULL,
    password_hash varchar(255) NOT NULL,
    {created} timestamp without time zone NOT NULL
    {extra}
);
CREATE UNIQUE INDEX ix_user_ds_user_email ON "user" (ds_user_email);
"""

CUSTOMER_DDL = """
CREATE TABLE customer (
    cd_customer uuid PRIMARY KEY,
    ds_customer_name varchar(255) NOT NULL,
    ds_customer_email varchar(255) NOT NULL UNIQUE,
    ds_customer_phone varchar(20),
    ds_customer_cpf_cnpj varchar(18) UNIQUE,
    ds_customer_address varchar(500),
    ds_customer_city varchar(100),
    ds_customer_state varchar(2),
    ds_customer_zip_code varchar(10),
    ds_customer_country varchar(100) DEFAULT 'Brasil',
    dt_customer_created_at timestamp without time zone NOT NULL,
    dt_customer_updated_at timestamp without time zone,
    is_customer_active boolean NOT NULL
);
"""

PRODUCT_DDL = """
CREATE TYPE producttype AS ENUM ('produto', 'servico');
CREATE TABLE product (
    cd_product uuid PRIMARY KEY,
    ds_product_name varchar(255) NOT NULL,
    ds_product_description text,
    vr_price numeric(10, 2) NOT NULL,
    id_product_type producttype NOT NULL,
    dt_created_at timestamp without time zone NOT NULL,
    dt_updated_at timestamp without time zone,
    is_active boolean NOT NULL
);
CREATE UNIQUE INDEX ix_product_ds_product_name ON product (ds_product_name);
"""

# The interaction service's own model: integer ids, English types, no link to the UUIDs.
INTERACTION_SERVICE_DDL = """
CREATE TABLE interactions (
    id serial PRIMARY KEY,
    customer_id integer NOT NULL,
    type varchar(20) NOT NULL,
    notes text
);
INSERT INTO interactions (customer_id, type, notes) VALUES (1, 'call', 'x'), (2, 'email', 'y');
"""

MONOLITH_HISTORY_DDL = """
CREATE TYPE interactiontype AS ENUM ('VENDA', 'LIGACAO', 'EMAIL', 'REUNIAO', 'CONTATO');
CREATE TYPE transactiontype AS ENUM ('ENTRADA', 'SAIDA');
CREATE TABLE interaction (
    cd_interaction uuid PRIMARY KEY,
    cd_customer uuid NOT NULL REFERENCES customer (cd_customer),
    cd_user uuid NOT NULL REFERENCES "user" (cd_user),
    ds_notes text NOT NULL,
    id_interaction_type interactiontype NOT NULL,
    dt_interaction timestamp without time zone NOT NULL,
    dt_created_at timestamp without time zone NOT NULL,
    dt_updated_at timestamp without time zone
);
CREATE TABLE "transaction" (
    cd_transaction uuid PRIMARY KEY,
    vr_transaction numeric(10, 2) NOT NULL,
    id_transaction_type transactiontype NOT NULL,
    dt_transaction date NOT NULL,
    dt_transaction_created timestamp without time zone NOT NULL,
    cd_user uuid NOT NULL REFERENCES "user" (cd_user),
    cd_customer uuid NOT NULL REFERENCES customer (cd_customer)
);
"""


def at(day: int, hour: int = 12) -> dt.datetime:
    """A naive UTC timestamp, as the seed stores them."""
    return dt.datetime(2024, 1, 1, hour) + dt.timedelta(days=day)


def ids(*names: str) -> dict[str, uuid.UUID]:
    return {name: uuid.uuid4() for name in names}


@dataclass
class SeedData:
    """The rows (and their UUIDs) written into the seed databases, good and bad."""

    users: dict[str, uuid.UUID]
    customers: dict[str, uuid.UUID]
    products: dict[str, uuid.UUID]
    interactions: dict[str, uuid.UUID]
    transactions: dict[str, uuid.UUID]
    passwords: dict[str, str]


PASSWORDS = {
    "ana": "senha-da-Ana-2019",  # scrypt (werkzeug >= 2.3's default)
    "bruno": "senha-do-Bruno-2018",  # pbkdf2:sha256 (older werkzeug's default)
    "ana_clone": "outra-senha-2020",
    "broken": "nao-importa-2020",
}


def make_data() -> SeedData:
    return SeedData(
        users=ids("ana", "bruno", "ana_clone", "broken"),
        customers=ids("one", "two", "bad_cpf", "bad_uf", "email_clash", "six"),
        products=ids("consulting", "notebook", "consulting_clash", "short"),
        interactions=ids("call", "sale", "of_bad_customer", "by_refused_user", "short_notes"),
        transactions=ids(
            "entrada",
            "negative_saida",
            "positive_saida",
            "of_bad_customer",
            "negative_entrada",
            "zero",
        ),
        passwords=dict(PASSWORDS),
    )


def fill_users(connection: psycopg.Connection, data: SeedData, *, monolith: bool) -> None:
    created = "dt_user_createdat" if monolith else "dt_created_at"
    extra = ", dt_user_last_login timestamp without time zone" if monolith else ""
    connection.execute(USER_DDL.format(created=created, extra=extra))
    hashes = {
        "ana": generate_password_hash(PASSWORDS["ana"], method="scrypt"),
        "bruno": generate_password_hash(PASSWORDS["bruno"], method="pbkdf2:sha256:260000"),
        "ana_clone": generate_password_hash(PASSWORDS["ana_clone"], method="scrypt"),
        "broken": "sha1$not-a-werkzeug-hash",
    }
    rows = [
        ("ana", "Ana Souza", "Ana@Example.com", at(0)),
        ("bruno", "  Bruno Lima ", "bruno@example.com", at(1)),
        # Same address as Ana's once lower-cased; the seed's index compared case-sensitively.
        ("ana_clone", "Ana Clone", "ana@example.com", at(2)),
        ("broken", "Hash Quebrado", "broken@example.com", at(3)),
    ]
    for key, name, email, created_at in rows:
        columns = ["cd_user", "ds_user", "ds_user_email", "password_hash", created]
        values = [data.users[key], name, email, hashes[key], created_at]
        if monolith:
            columns.append("dt_user_last_login")
            values.append(at(30) if key == "ana" else None)
        connection.execute(
            f'INSERT INTO "user" ({", ".join(columns)}) VALUES ({", ".join(["%s"] * len(values))})',
            values,
        )


def fill_customers(connection: psycopg.Connection, data: SeedData) -> None:
    connection.execute(CUSTOMER_DDL)
    c = data.customers
    rows = [
        # id, name, email, phone, cpf/cnpj, state, zip, country, created, updated, active
        (c["one"], "Cliente Um", "Cliente1@Example.COM", "11 99999-0000", "529.982.247-25", "sp",
         "01001000", None, at(10), None, True),
        (c["two"], "Cliente Dois", "c2@example.com", None, "11222333000181", "RJ",
         "20040-020", "Brasil", at(11), at(40), False),
        (c["bad_cpf"], "CPF Ruim", "c3@example.com", None, "529.982.247-24", "SP",
         None, "Brasil", at(12), None, True),
        # Two invalid fields: two report lines, one refused row.
        (c["bad_uf"], "UF Ruim", "c4@example.com", None, None, "XX",
         "123", "Brasil", at(13), None, True),
        (c["email_clash"], "Mesmo E-mail", "CLIENTE1@example.com", None, None, "MG",
         None, "Brasil", at(14), None, True),
        (c["six"], "Cliente Seis", "seis@example.com", None, "123.456.789-09", "Ba",
         "40000-000", "Brasil", at(15), None, True),
    ]  # fmt: skip
    for row in rows:
        connection.execute(
            "INSERT INTO customer (cd_customer, ds_customer_name, ds_customer_email, "
            "ds_customer_phone, ds_customer_cpf_cnpj, ds_customer_state, ds_customer_zip_code, "
            "ds_customer_country, dt_customer_created_at, dt_customer_updated_at, "
            "is_customer_active) VALUES (%s, %s, %s, %s, %s, %s, %s, %s, %s, %s, %s)",
            row,
        )


def fill_products(connection: psycopg.Connection, data: SeedData) -> None:
    connection.execute(PRODUCT_DDL)
    p = data.products
    rows = [
        (p["consulting"], "Consultoria", "Por hora", Decimal("1500.00"), "servico", at(5), None,
         True),
        (p["notebook"], "Notebook", None, Decimal("3500.50"), "produto", at(6), at(20), False),
        (p["consulting_clash"], "consultoria", None, Decimal("10.00"), "servico", at(7), None,
         True),
        (p["short"], "X", None, Decimal("1.00"), "produto", at(8), None, True),
    ]  # fmt: skip
    for row in rows:
        connection.execute(
            "INSERT INTO product (cd_product, ds_product_name, ds_product_description, vr_price, "
            "id_product_type, dt_created_at, dt_updated_at, is_active) "
            "VALUES (%s, %s, %s, %s, %s, %s, %s, %s)",
            row,
        )


def fill_history(connection: psycopg.Connection, data: SeedData) -> None:
    connection.execute(MONOLITH_HISTORY_DDL)
    c, u, i, t = data.customers, data.users, data.interactions, data.transactions
    interactions = [
        (i["call"], c["one"], u["ana"], "Ligação de apresentação", "LIGACAO", at(50, 9), at(50)),
        (i["sale"], c["one"], u["bruno"], "Venda do plano anual", "VENDA", at(51, 15), at(51)),
        (i["of_bad_customer"], c["bad_cpf"], u["ana"], "Cliente com CPF ruim", "EMAIL",
         at(52), at(52)),
        # The author's account is refused (e-mail clash): the interaction keeps the reference.
        (i["by_refused_user"], c["two"], u["ana_clone"], "Reunião de acompanhamento", "REUNIAO",
         at(53), at(53)),
        (i["short_notes"], c["one"], u["ana"], "ok", "CONTATO", at(54), at(54)),
    ]  # fmt: skip
    for row in interactions:
        connection.execute(
            "INSERT INTO interaction (cd_interaction, cd_customer, cd_user, ds_notes, "
            "id_interaction_type, dt_interaction, dt_created_at) "
            "VALUES (%s, %s, %s, %s, %s, %s, %s)",
            row,
        )
    day = dt.date(2024, 3, 1)
    transactions = [
        (t["entrada"], Decimal("1500.00"), "ENTRADA", day, at(60), u["ana"], c["one"]),
        (t["negative_saida"], Decimal("-200.00"), "SAIDA", day, at(61), u["ana"], c["one"]),
        (t["positive_saida"], Decimal("50.00"), "SAIDA", day, at(62), u["bruno"], c["one"]),
        (t["of_bad_customer"], Decimal("10.00"), "ENTRADA", day, at(63), u["ana"], c["bad_cpf"]),
        (t["negative_entrada"], Decimal("-5.00"), "ENTRADA", day, at(64), u["ana"], c["one"]),
        (t["zero"], Decimal("0.00"), "ENTRADA", day, at(65), u["ana"], c["two"]),
    ]
    for row in transactions:
        connection.execute(
            'INSERT INTO "transaction" (cd_transaction, vr_transaction, id_transaction_type, '
            "dt_transaction, dt_transaction_created, cd_user, cd_customer) "
            "VALUES (%s, %s, %s, %s, %s, %s, %s)",
            row,
        )


def fill_clean_catalogue(connection: psycopg.Connection) -> uuid.UUID:
    """A product database with one valid product only (for --strict's happy path)."""
    connection.execute(PRODUCT_DDL)
    product_id = uuid.uuid4()
    connection.execute(
        "INSERT INTO product VALUES (%s, 'Treinamento', NULL, 99.90, 'servico', %s, NULL, true)",
        (product_id, at(1)),
    )
    return product_id
