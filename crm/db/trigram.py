"""Trigram (``pg_trgm``) GIN indexes for "a fragment anywhere in the text" searches.

Where the extension lives
-------------------------
Each alias's ``search_path`` is *only* its own schema (``crm.db``), and a domain may sit in a
database of its own. An extension is installed once per database, into one schema, so neither
"the domain's schema" (the other domains sharing the database would not see it, and the first
domain to migrate would own it) nor ``public`` (on nobody's path) is right. The extension goes
into a dedicated schema, ``extensions``, created on demand by the first migration that needs it,
in whichever database that migration runs: with one shared database the second domain finds it
already there; a domain moved to its own database installs it there.

Nothing needs the extension on the ``search_path``: the searches are plain ``LIKE`` on
``UPPER(column)`` (what Django's ``icontains`` emits; ``LIKE`` is a ``pg_catalog`` operator), and
only the index definition names the operator class, schema-qualified. A database where a DBA
already installed ``pg_trgm`` elsewhere (e.g. ``public``) is used as it is: the operator class is
looked up where the extension actually is.

``pg_trgm`` is a *trusted* extension (PostgreSQL 13+): a role with ``CREATE`` on the database can
install it; no superuser is needed.

On SQLite the operations do nothing: searches there are plain ``LIKE`` scans, same results.
"""

from __future__ import annotations

from django.db import router
from django.db.migrations.operations.base import Operation
from django.db.models.lookups import IContains

EXTENSIONS_SCHEMA = "extensions"


def trigram_schema(schema_editor) -> str:
    """The schema that holds ``pg_trgm`` in this database, installing it first if needed."""
    with schema_editor.connection.cursor() as cursor:
        cursor.execute(
            "SELECT n.nspname FROM pg_extension e JOIN pg_namespace n ON n.oid = e.extnamespace "
            "WHERE e.extname = 'pg_trgm'"
        )
        row = cursor.fetchone()
        if row:
            return row[0]
        quoted = schema_editor.quote_name(EXTENSIONS_SCHEMA)
        cursor.execute(f"CREATE SCHEMA IF NOT EXISTS {quoted}")
        cursor.execute(f"CREATE EXTENSION IF NOT EXISTS pg_trgm WITH SCHEMA {quoted}")
        return EXTENSIONS_SCHEMA


class AddTrigramIndex(Operation):
    """``CREATE INDEX <name> ON <table> USING gin ((<expression>) <schema>.gin_trgm_ops)``.

    ``expression`` is SQL over the table's columns, written to match what the query emits
    (``UPPER("col"::text)`` for Django's ``icontains`` on PostgreSQL, the bare column for
    ``contains``), because PostgreSQL only uses an expression index for that same expression.
    The index is not part of the model state (Django's ``GinIndex`` would name the operator
    class unqualified, which the domain's ``search_path`` cannot resolve).
    """

    reversible = True

    def __init__(self, *, table: str, name: str, expression: str) -> None:
        self.table = table
        self.name = name
        self.expression = expression

    def deconstruct(self):
        return (
            self.__class__.__qualname__,
            [],
            {"table": self.table, "name": self.name, "expression": self.expression},
        )

    def state_forwards(self, app_label, state):
        pass

    def _applies(self, app_label, schema_editor) -> bool:
        connection = schema_editor.connection
        return connection.vendor == "postgresql" and router.allow_migrate(
            connection.alias, app_label
        )

    def database_forwards(self, app_label, schema_editor, from_state, to_state):
        if not self._applies(app_label, schema_editor):
            return
        schema = schema_editor.quote_name(trigram_schema(schema_editor))
        schema_editor.execute(
            f"CREATE INDEX IF NOT EXISTS {schema_editor.quote_name(self.name)} "
            f"ON {schema_editor.quote_name(self.table)} "
            f"USING gin (({self.expression}) {schema}.gin_trgm_ops)"
        )

    def database_backwards(self, app_label, schema_editor, from_state, to_state):
        if self._applies(app_label, schema_editor):
            schema_editor.execute(f"DROP INDEX IF EXISTS {schema_editor.quote_name(self.name)}")

    def describe(self):
        return f"Trigram index {self.name} on {self.table} (PostgreSQL)"

    @property
    def migration_name_fragment(self):
        return self.name.lower()


class RemoveTrigramIndex(AddTrigramIndex):
    """The reverse of ``AddTrigramIndex`` (same arguments, so it can be recreated)."""

    def database_forwards(self, app_label, schema_editor, from_state, to_state):
        super().database_backwards(app_label, schema_editor, from_state, to_state)

    def database_backwards(self, app_label, schema_editor, from_state, to_state):
        super().database_forwards(app_label, schema_editor, from_state, to_state)

    def describe(self):
        return f"Remove trigram index {self.name} from {self.table} (PostgreSQL)"

    @property
    def migration_name_fragment(self):
        return f"remove_{self.name.lower()}"


class PhraseIContains(IContains):
    """``icontains`` whose trigram index also knows which words stand side by side.

    ``pg_trgm`` splits text into words at every blank: for "Marcos Mar" the plain index hands
    over each name holding a word ending in "marcos" and, anywhere, a word starting "mar"
    (Marcos Vinícius Martins...): 8,971 candidates for 200 matches at a million customers, each
    one read from the table to be refused. Indexed with its blanks turned into ``0`` (a
    character ``pg_trgm`` keeps inside a word), the whole name is one word and the index holds
    the trigrams across each blank ("S0M", "0MA"): 886 candidates, a tenth of the reads. The
    exact ``UPPER(col) LIKE UPPER('%…%')`` is kept beside it, so the matches are exactly
    ``icontains``'s (a name with a real ``0`` is at most one more candidate, refused). Needs
    the column indexed by ``translate(UPPER("<column>"::text), ' ', '0')`` (``AddTrigramIndex``);
    on other databases it is ``icontains``. Register it on the field
    (``field.register_lookup(PhraseIContains)``) to write ``<column>__phrase_icontains``.
    """

    lookup_name = "phrase_icontains"
    #: The word separators the index joins words across (each becomes ``0``; no quote, no ``%``).
    joined = " "

    def as_sql(self, compiler, connection):
        return compiler.compile(IContains(self.lhs, self.rhs))

    def as_postgresql(self, compiler, connection):
        sql, params = compiler.compile(IContains(self.lhs, self.rhs))
        column, like, pattern = sql.partition(" LIKE ")
        if not like:  # not the UPPER(col) LIKE UPPER(%s) this was written for: plain icontains
            return sql, params
        joined, zeros = self.joined, "0" * len(self.joined)
        return (
            f"(translate({column}, '{joined}', '{zeros}') "
            f"LIKE translate({pattern}, '{joined}', '{zeros}') AND {sql})",
            (*params, *params),
        )


class AddressIContains(PhraseIContains):
    """``PhraseIContains`` for e-mail addresses: ``pg_trgm`` splits "carolina.andrade5898@..." at
    the dot, the at sign, ``_``, ``-`` and ``+`` too, and the trigrams of "carolina" alone are in
    a tenth of the register; read as one word, the address's trigrams across its parts narrow
    the candidates (150 sampled fragments at a million customers: 12% less database time,
    p50 6.0-6.4 -> 4.9-5.7 ms). Indexed by ``translate(UPPER("<column>"::text), ' .@_-+',
    '000000')``; ``<column>__address_icontains`` once registered on the field."""

    lookup_name = "address_icontains"
    joined = " .@_-+"
