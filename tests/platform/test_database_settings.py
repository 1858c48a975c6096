"""``crm.db.build_databases``: environment variables -> DATABASES (docs/architecture.md §2)."""

from __future__ import annotations

from pathlib import Path

import pytest

from crm.db import POSTGRES_BACKEND, build_databases

DOMAIN_ALIASES = {
    "accounts": "default",
    "customers": "customers",
    "products": "products",
    "interactions": "interactions",
}


def build(env: dict[str, str], base_dir: Path) -> dict[str, dict]:
    return build_databases(env, base_dir=base_dir, domain_aliases=DOMAIN_ALIASES)


def test_without_a_url_each_domain_gets_its_own_sqlite_file_under_the_data_dir(tmp_path):
    data_dir = tmp_path / "data"

    databases = build({"CRM_DATA_DIR": str(data_dir)}, tmp_path)

    assert {alias: db["ENGINE"] for alias, db in databases.items()} == dict.fromkeys(
        DOMAIN_ALIASES.values(), "django.db.backends.sqlite3"
    )
    assert {alias: db["NAME"] for alias, db in databases.items()} == {
        "default": str(data_dir / "accounts.sqlite3"),
        "customers": str(data_dir / "customers.sqlite3"),
        "products": str(data_dir / "products.sqlite3"),
        "interactions": str(data_dir / "interactions.sqlite3"),
    }
    assert data_dir.is_dir()


def test_a_relative_data_dir_is_relative_to_the_project_and_defaults_to_var(tmp_path):
    relative = build({"CRM_DATA_DIR": "state"}, tmp_path)
    default = build({}, tmp_path)

    assert relative["customers"]["NAME"] == str(tmp_path / "state" / "customers.sqlite3")
    assert default["customers"]["NAME"] == str(tmp_path / "var" / "customers.sqlite3")


def test_database_url_puts_every_domain_in_its_own_schema_of_one_database(tmp_path):
    env = {"DATABASE_URL": "postgres://crm:secret@db.internal:5433/crm", "CONN_MAX_AGE": "30"}

    databases = build(env, tmp_path)

    assert set(databases) == set(DOMAIN_ALIASES.values())
    for domain, alias in DOMAIN_ALIASES.items():
        database = databases[alias]
        assert database["ENGINE"] == POSTGRES_BACKEND
        assert (database["NAME"], database["HOST"], database["PORT"]) == (
            "crm",
            "db.internal",
            5433,
        )
        assert (database["USER"], database["PASSWORD"]) == ("crm", "secret")
        assert database["SCHEMA"] == domain
        # Only the domain's own schema: with public behind it, a missing schema would silently
        # send the tables to public.
        assert database["OPTIONS"]["options"] == f"-c search_path={domain}"
        assert database["CONN_MAX_AGE"] == 30
    assert not (tmp_path / "var").exists(), "no SQLite folder when PostgreSQL is configured"


def test_a_domain_url_moves_only_that_domain_to_another_database(tmp_path):
    env = {
        "DATABASE_URL": "postgres://postgres@127.0.0.1:5432/crm",
        "CUSTOMERS_DATABASE_URL": "postgres://customers@customers-db:5432/customers_db",
    }

    databases = build(env, tmp_path)

    assert {alias: (db["HOST"], db["NAME"]) for alias, db in databases.items()} == {
        "default": ("127.0.0.1", "crm"),
        "customers": ("customers-db", "customers_db"),
        "products": ("127.0.0.1", "crm"),
        "interactions": ("127.0.0.1", "crm"),
    }
    # The moved domain keeps its own schema: moving it is a dump/restore of that schema.
    assert databases["customers"]["SCHEMA"] == "customers"
    assert databases["customers"]["OPTIONS"]["options"] == "-c search_path=customers"


def test_a_domain_url_alone_leaves_the_other_domains_on_sqlite(tmp_path):
    env = {"PRODUCTS_DATABASE_URL": "postgres://postgres@127.0.0.1:5432/products_db"}

    databases = build(env, tmp_path)

    assert {alias: db["ENGINE"] for alias, db in databases.items()} == {
        "default": "django.db.backends.sqlite3",
        "customers": "django.db.backends.sqlite3",
        "products": POSTGRES_BACKEND,
        "interactions": "django.db.backends.sqlite3",
    }


@pytest.mark.parametrize(
    ("variable", "url", "scheme"),
    [
        ("DATABASE_URL", "mysql://root@127.0.0.1:3306/crm", "mysql"),
        ("DATABASE_URL", "sqlite:////tmp/crm.sqlite3", "sqlite"),
        ("INTERACTIONS_DATABASE_URL", "mysql://root@127.0.0.1/ledger", "mysql"),
    ],
)
def test_a_url_that_is_not_postgres_is_refused_clearly(tmp_path, variable, url, scheme):
    with pytest.raises(ValueError, match=f"only PostgreSQL URLs are supported here, got {scheme}"):
        build({variable: url}, tmp_path)


def test_blank_urls_count_as_unset(tmp_path):
    databases = build({"DATABASE_URL": "  ", "CUSTOMERS_DATABASE_URL": ""}, tmp_path)

    assert {db["ENGINE"] for db in databases.values()} == {"django.db.backends.sqlite3"}
