"""Reading the seed's PostgreSQL databases (foreign databases, not ours): psycopg, read-only,
server-side cursors, rows turned into the domains' plain import rows.

Facts about those databases: ``../shared/seed/schema.md``, summarised in the README section
"Moving from the seed". Both versions are read by the same queries: the monolith's ``user``
table names its creation column ``dt_user_createdat`` and has ``dt_user_last_login``; the
microservices' ``dt_created_at`` and no last login. Enum columns are read as their labels
(``::text``); ``timestamp without time zone`` values are UTC by the seed's convention and are
made aware here.
"""

from __future__ import annotations

import datetime as dt
import uuid
from collections.abc import Callable, Iterator
from dataclasses import dataclass
from decimal import Decimal

import psycopg
from psycopg import sql

from domains.accounts.interface import SeedUser
from domains.customers.interface import SeedCustomer
from domains.interactions.interface import SeedInteraction, SeedTransaction
from domains.products.interface import SeedProduct

FETCH_SIZE = 2000


class SeedUnavailable(Exception):
    """A seed database cannot be reached or lacks a table the import needs."""


def aware(value: dt.datetime | None) -> dt.datetime | None:
    """The seed wrote naive UTC; a ``timestamptz`` column (aware already) is converted."""
    if value is None:
        return None
    if value.tzinfo is None:
        return value.replace(tzinfo=dt.UTC)
    return value.astimezone(dt.UTC)


def money(value: object) -> Decimal | None:
    """``numeric`` arrives as ``Decimal``; an early seed revision used ``double precision``:
    its shortest text form is the amount the client sent (``10.5``), never the binary
    float's expansion."""
    if value is None or isinstance(value, Decimal):
        return value
    return Decimal(repr(value))


def connect(url: str, *, label: str) -> psycopg.Connection:
    try:
        connection = psycopg.connect(url, connect_timeout=10)
    except psycopg.Error as error:
        raise SeedUnavailable(f"{label}: não foi possível conectar ({error}).".strip()) from None
    # Only reads, in one snapshot: counts and rows agree even if the seed is still running.
    connection.read_only = True
    connection.isolation_level = psycopg.IsolationLevel.REPEATABLE_READ
    return connection


def _columns(connection: psycopg.Connection, table: str) -> set[str]:
    rows = connection.execute(
        "SELECT column_name FROM information_schema.columns "
        "WHERE table_name = %s AND table_schema = ANY(current_schemas(false))",
        (table,),
    ).fetchall()
    return {name for (name,) in rows}


@dataclass(frozen=True)
class SeedTable:
    """One table of one seed database, and how its rows become a domain's import rows."""

    label: str  # the database, for messages ("auth", "monolith"...)
    connection: psycopg.Connection
    table: str
    query: sql.Composable
    to_row: Callable[[tuple], object]

    def count(self) -> int:
        statement = sql.SQL("SELECT count(*) FROM {}").format(sql.Identifier(self.table))
        return self.connection.execute(statement).fetchone()[0]

    def rows(self) -> Iterator[object]:
        """Every row, oldest first (the first of two colliding rows is the one kept), streamed
        through a server-side cursor: memory stays flat whatever the table's size."""
        name = f"seed_{self.table}_{uuid.uuid4().hex[:8]}"
        with self.connection.cursor(name=name) as cursor:
            cursor.itersize = FETCH_SIZE
            cursor.execute(self.query)
            for record in cursor:
                yield self.to_row(record)


def _require(connection: psycopg.Connection, table: str, label: str) -> set[str]:
    columns = _columns(connection, table)
    if not columns:
        raise SeedUnavailable(f'{label}: tabela "{table}" não encontrada.')
    return columns


def users_table(connection: psycopg.Connection, *, label: str) -> SeedTable:
    columns = _require(connection, "user", label)
    created = "dt_user_createdat" if "dt_user_createdat" in columns else "dt_created_at"
    last_login = (
        sql.Identifier("dt_user_last_login")
        if "dt_user_last_login" in columns
        else sql.SQL("NULL::timestamp")
    )
    query = sql.SQL(
        'SELECT cd_user, ds_user, ds_user_email, password_hash, {created}, {last_login} FROM "user"'
        " ORDER BY {created}, cd_user"
    ).format(created=sql.Identifier(created), last_login=last_login)

    def to_row(record: tuple) -> SeedUser:
        cd_user, name, email, password_hash, created_at, last_login_at = record
        return SeedUser(
            cd_user=cd_user,
            ds_user=name,
            ds_user_email=email,
            password_hash=password_hash,
            dt_created_at=aware(created_at),
            last_login=aware(last_login_at),
        )

    return SeedTable(label, connection, "user", query, to_row)


CUSTOMER_TEXT_COLUMNS = (
    "cd_customer",
    "ds_customer_name",
    "ds_customer_email",
    "ds_customer_phone",
    "ds_customer_cpf_cnpj",
    "ds_customer_address",
    "ds_customer_city",
    "ds_customer_state",
    "ds_customer_zip_code",
    "ds_customer_country",
)


def customers_table(connection: psycopg.Connection, *, label: str) -> SeedTable:
    _require(connection, "customer", label)
    query = sql.SQL(
        "SELECT {columns}, dt_customer_created_at, dt_customer_updated_at, is_customer_active "
        "FROM customer ORDER BY dt_customer_created_at, cd_customer"
    ).format(columns=sql.SQL(", ").join(map(sql.Identifier, CUSTOMER_TEXT_COLUMNS)))

    def to_row(record: tuple) -> SeedCustomer:
        *fields, created_at, updated_at, active = record
        return SeedCustomer(
            **dict(zip(CUSTOMER_TEXT_COLUMNS, fields, strict=True)),
            dt_customer_created_at=aware(created_at),
            dt_customer_updated_at=aware(updated_at),
            is_customer_active=bool(active),
        )

    return SeedTable(label, connection, "customer", query, to_row)


def products_table(connection: psycopg.Connection, *, label: str) -> SeedTable:
    _require(connection, "product", label)
    query = sql.SQL(
        "SELECT cd_product, ds_product_name, ds_product_description, vr_price, "
        "id_product_type::text, is_active, dt_created_at, dt_updated_at FROM product "
        "ORDER BY dt_created_at, cd_product"
    )

    def to_row(record: tuple) -> SeedProduct:
        cd, name, description, price, kind, active, created_at, updated_at = record
        return SeedProduct(
            cd_product=cd,
            ds_product_name=name,
            ds_product_description=description,
            vr_price=money(price),
            id_product_type=kind,
            is_active=bool(active),
            dt_created_at=aware(created_at),
            dt_updated_at=aware(updated_at),
        )

    return SeedTable(label, connection, "product", query, to_row)


def interactions_table(connection: psycopg.Connection, *, label: str) -> SeedTable:
    _require(connection, "interaction", label)
    query = sql.SQL(
        "SELECT cd_interaction, cd_customer, cd_user, ds_notes, id_interaction_type::text, "
        "dt_interaction, dt_created_at FROM interaction ORDER BY dt_created_at, cd_interaction"
    )

    def to_row(record: tuple) -> SeedInteraction:
        cd, customer, user, notes, kind, when, created_at = record
        return SeedInteraction(
            cd_interaction=cd,
            cd_customer=customer,
            cd_user=user,
            ds_notes=notes,
            id_interaction_type=kind,
            dt_interaction=aware(when),
            dt_created_at=aware(created_at),
        )

    return SeedTable(label, connection, "interaction", query, to_row)


def transactions_table(connection: psycopg.Connection, *, label: str) -> SeedTable:
    _require(connection, "transaction", label)
    query = sql.SQL(
        "SELECT cd_transaction, cd_customer, cd_user, vr_transaction, id_transaction_type::text, "
        'dt_transaction, dt_transaction_created FROM "transaction" '
        "ORDER BY dt_transaction_created, cd_transaction"
    )

    def to_row(record: tuple) -> SeedTransaction:
        cd, customer, user, amount, kind, day, created_at = record
        return SeedTransaction(
            cd_transaction=cd,
            cd_customer=customer,
            cd_user=user,
            vr_transaction=money(amount),
            id_transaction_type=kind,
            dt_transaction=day,
            dt_created_at=aware(created_at),
        )

    return SeedTable(label, connection, "transaction", query, to_row)


def describe_tables(connection: psycopg.Connection) -> list[tuple[str, int]]:
    """Every base table of the connection's schemas and its row count (the interaction
    service's database: reported, never imported)."""
    tables = [
        name
        for (name,) in connection.execute(
            "SELECT table_name FROM information_schema.tables WHERE table_type = 'BASE TABLE' "
            "AND table_schema = ANY(current_schemas(false)) ORDER BY table_name"
        ).fetchall()
    ]
    counts = []
    for table in tables:
        statement = sql.SQL("SELECT count(*) FROM {}").format(sql.Identifier(table))
        counts.append((table, connection.execute(statement).fetchone()[0]))
    return counts
