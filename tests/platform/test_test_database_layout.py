"""The suite itself runs on the production layout (issue #2): on PostgreSQL the four aliases are
four schemas of ONE test database, each migrated with its own history and nothing in public; on
SQLite four separate databases."""

from __future__ import annotations

from django.conf import settings
from django.db import connections

SCHEMAS = {
    "default": "accounts",
    "customers": "customers",
    "products": "products",
    "interactions": "interactions",
}


def vendor() -> str:
    return connections["default"].vendor


def test_every_alias_is_its_own_schema_or_database():
    names = {alias: connections[alias].settings_dict["NAME"] for alias in settings.DATABASES}

    if vendor() == "postgresql":
        assert len(set(names.values())) == 1, names  # one database...
        for alias, schema in SCHEMAS.items():  # ...confined per alias to its own schema
            with connections[alias].cursor() as cursor:
                cursor.execute("select current_schemas(false)")
                assert cursor.fetchone()[0] == [schema]
    else:
        assert len(set(names.values())) == len(names), names


def test_each_schema_has_its_own_migration_history_and_public_is_empty():
    if vendor() != "postgresql":
        for alias in settings.DATABASES:
            tables = connections[alias].introspection.table_names()
            assert "django_migrations" in tables, alias
        return
    with connections["default"].cursor() as cursor:
        cursor.execute(
            "select n.nspname, count(*) from pg_class c "
            "join pg_namespace n on n.oid = c.relnamespace "
            "where c.relname = 'django_migrations' group by n.nspname"
        )
        histories = dict(cursor.fetchall())
        cursor.execute(
            "select count(*) from pg_class c join pg_namespace n on n.oid = c.relnamespace "
            "where n.nspname = 'public'"
        )
        in_public = cursor.fetchone()[0]

    assert histories == dict.fromkeys(SCHEMAS.values(), 1)
    assert in_public == 0
