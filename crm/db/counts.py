"""Exact row counts of big tables at the cost of reading one tiny table (PostgreSQL).

A list envelope carries the exact ``total``. ``COUNT(*)`` over a million rows costs hundreds of
milliseconds on every page; the count of a whole table (and of its rows with one boolean flag
set, e.g. the active customers) is instead kept **by the database**:

* ``<table>_row_count`` (in the table's schema) holds *delta rows* ``(qt_rows, qt_flagged)``;
  the count is their sum.
* Statement-level ``AFTER INSERT/UPDATE/DELETE`` triggers with transition tables add one delta
  per statement, so ``COPY``, ``INSERT ... SELECT`` from a DBA's session and our ORM writes are
  all counted, a million-row load costing one trigger call. ``TRUNCATE`` empties the counter.
* No hot row, no lock wait: each trigger call folds every committed delta it can lock without
  waiting (``FOR UPDATE SKIP LOCKED``) into its own new row, so the table stays a handful of
  rows and concurrent writers never block each other on it (nor deadlock through it).
* The migration creates the counter, its triggers and the initial count (under a lock that holds
  writers off until it commits), so a table with data gets an exact count from the start.
* The trigger function pins its ``search_path`` to the schema it was created in, so a session
  with any other path (a DBA in ``psql``) still finds the counter.

``RowCountQuerySet.count()`` answers from the counter only when the query is *exactly* the whole
table, or the whole table filtered on the flag being true or false; anything else (a search, a
second filter, ``distinct``, a slice) is an ordinary ``COUNT(*)``. On SQLite every count is an
ordinary ``COUNT(*)``, with the same results.
"""

from __future__ import annotations

from django.db import connections, models, router
from django.db.migrations.operations.base import Operation


def counter_table(table: str) -> str:
    return f"{table}_row_count"


def _create_sql(qn, table: str, flag: str | None) -> list[str]:
    counter = qn(counter_table(table))
    function = qn(f"{table}_row_count_apply")
    reset = qn(f"{table}_row_count_reset")
    flagged = f"count(*) FILTER (WHERE {qn(flag)})" if flag else "0"
    body = f"""
DECLARE
    delta_rows bigint := 0;
    delta_flagged bigint := 0;
    added_rows bigint;
    added_flagged bigint;
BEGIN
    IF TG_OP IN ('INSERT', 'UPDATE') THEN
        SELECT count(*), {flagged} INTO added_rows, added_flagged FROM new_rows;
        delta_rows := delta_rows + added_rows;
        delta_flagged := delta_flagged + added_flagged;
    END IF;
    IF TG_OP IN ('DELETE', 'UPDATE') THEN
        SELECT count(*), {flagged} INTO added_rows, added_flagged FROM old_rows;
        delta_rows := delta_rows - added_rows;
        delta_flagged := delta_flagged - added_flagged;
    END IF;
    IF delta_rows = 0 AND delta_flagged = 0 THEN
        RETURN NULL;
    END IF;
    WITH folded AS (
        DELETE FROM {counter}
        WHERE ctid = ANY (ARRAY(SELECT ctid FROM {counter} FOR UPDATE SKIP LOCKED))
        RETURNING qt_rows, qt_flagged
    )
    INSERT INTO {counter} (qt_rows, qt_flagged)
    SELECT delta_rows + COALESCE(sum(qt_rows), 0), delta_flagged + COALESCE(sum(qt_flagged), 0)
    FROM folded;
    RETURN NULL;
END
"""
    quoted_table = qn(table)
    return [
        f"CREATE TABLE IF NOT EXISTS {counter} "
        "(qt_rows bigint NOT NULL, qt_flagged bigint NOT NULL)",
        f"CREATE OR REPLACE FUNCTION {function}() RETURNS trigger LANGUAGE plpgsql "
        f"SET search_path FROM CURRENT AS $fn${body}$fn$",
        f"CREATE OR REPLACE FUNCTION {reset}() RETURNS trigger LANGUAGE plpgsql "
        f"SET search_path FROM CURRENT AS $fn$ BEGIN DELETE FROM {counter}; RETURN NULL; END $fn$",
        f"CREATE TRIGGER {qn(f'{table}_row_count_insert')} AFTER INSERT ON {quoted_table} "
        f"REFERENCING NEW TABLE AS new_rows FOR EACH STATEMENT EXECUTE FUNCTION {function}()",
        f"CREATE TRIGGER {qn(f'{table}_row_count_update')} AFTER UPDATE ON {quoted_table} "
        "REFERENCING OLD TABLE AS old_rows NEW TABLE AS new_rows "
        f"FOR EACH STATEMENT EXECUTE FUNCTION {function}()",
        f"CREATE TRIGGER {qn(f'{table}_row_count_delete')} AFTER DELETE ON {quoted_table} "
        f"REFERENCING OLD TABLE AS old_rows FOR EACH STATEMENT EXECUTE FUNCTION {function}()",
        f"CREATE TRIGGER {qn(f'{table}_row_count_truncate')} AFTER TRUNCATE ON {quoted_table} "
        f"FOR EACH STATEMENT EXECUTE FUNCTION {reset}()",
        # The triggers exist from here on, and this lock keeps writers out until the migration
        # commits: every row is counted exactly once, by the snapshot below or by a trigger.
        f"LOCK TABLE {quoted_table} IN SHARE ROW EXCLUSIVE MODE",
        f"DELETE FROM {counter}",
        f"INSERT INTO {counter} (qt_rows, qt_flagged) "
        f"SELECT count(*), {flagged} FROM {quoted_table}",
    ]


def _drop_sql(qn, table: str) -> list[str]:
    quoted_table = qn(table)
    return [
        *(
            f"DROP TRIGGER IF EXISTS {qn(f'{table}_row_count_{event}')} ON {quoted_table}"
            for event in ("insert", "update", "delete", "truncate")
        ),
        f"DROP FUNCTION IF EXISTS {qn(f'{table}_row_count_apply')}()",
        f"DROP FUNCTION IF EXISTS {qn(f'{table}_row_count_reset')}()",
        f"DROP TABLE IF EXISTS {qn(counter_table(table))}",
    ]


class CountRows(Operation):
    """Migration operation: keep ``table``'s row count (and the count of rows whose boolean
    column ``flag`` is true) in ``<table>_row_count``, maintained by triggers. PostgreSQL only;
    nothing on other databases."""

    reversible = True

    def __init__(self, *, table: str, flag: str | None = None) -> None:
        self.table = table
        self.flag = flag

    def deconstruct(self):
        return (self.__class__.__qualname__, [], {"table": self.table, "flag": self.flag})

    def state_forwards(self, app_label, state):
        pass

    def _applies(self, app_label, schema_editor) -> bool:
        connection = schema_editor.connection
        return connection.vendor == "postgresql" and router.allow_migrate(
            connection.alias, app_label
        )

    def database_forwards(self, app_label, schema_editor, from_state, to_state):
        if self._applies(app_label, schema_editor):
            for statement in _create_sql(schema_editor.quote_name, self.table, self.flag):
                schema_editor.execute(statement)

    def database_backwards(self, app_label, schema_editor, from_state, to_state):
        if self._applies(app_label, schema_editor):
            for statement in _drop_sql(schema_editor.quote_name, self.table):
                schema_editor.execute(statement)

    def describe(self):
        return f"Row count of {self.table} kept by triggers (PostgreSQL)"

    @property
    def migration_name_fragment(self):
        return f"{self.table}_row_count"


def row_count(*, using: str, table: str) -> tuple[int, int]:
    """``(rows, rows with the flag set)`` of ``table`` from its counter (PostgreSQL only)."""
    connection = connections[using]
    counter = connection.ops.quote_name(counter_table(table))
    with connection.cursor() as cursor:
        cursor.execute(
            f"SELECT COALESCE(sum(qt_rows), 0), COALESCE(sum(qt_flagged), 0) FROM {counter}"
        )
        rows, flagged = cursor.fetchone()
    return int(rows), int(flagged)


_FLAG_WHERES: dict[tuple, object] = {}


class RowCountQuerySet(models.QuerySet):
    """A queryset whose ``count()`` reads the trigger-kept counter when it can (see the module
    docstring). Subclass it and set ``row_count_flag`` to the boolean column the counter
    splits on (or leave it ``None``); the migration must apply ``CountRows`` with the same
    table and flag."""

    row_count_flag: str | None = None

    def _counter_answer(self) -> str | None:
        """Which counter figure equals this query's ``COUNT(*)``: ``"rows"``, ``"flagged"``,
        ``"unflagged"``, or ``None`` when only a real count can tell."""
        query = self.query
        if (
            query.is_sliced
            or query.distinct
            or query.combinator
            or query.extra
            or query.extra_tables
            or query.is_empty()
        ):
            return None
        if not query.where:
            return "rows"
        if self.row_count_flag:
            for value, answer in ((True, "flagged"), (False, "unflagged")):
                if query.where == self._flag_where(value):
                    return answer
        return None

    def _flag_where(self, value: bool):
        """The ``WHERE`` of ``filter(<flag>=value)``, built once per model and value (it was
        built twice on every list request)."""
        key = (self.model, self.row_count_flag, value)
        where = _FLAG_WHERES.get(key)
        if where is None:
            manager = self.model._base_manager
            where = _FLAG_WHERES[key] = manager.filter(**{self.row_count_flag: value}).query.where
        return where

    def count(self) -> int:
        if self._result_cache is None:
            alias = self.db
            if connections[alias].vendor == "postgresql":
                answer = self._counter_answer()
                if answer is not None:
                    rows, flagged = row_count(using=alias, table=self.model._meta.db_table)
                    return {"rows": rows, "flagged": flagged, "unflagged": rows - flagged}[answer]
        return super().count()


def counted_models() -> list[type[models.Model]]:
    """Every model whose default manager counts through ``RowCountQuerySet``."""
    from django.apps import apps

    return [
        model
        for model in apps.get_models()
        if isinstance(model._default_manager.all(), RowCountQuerySet)
    ]


def row_count_check(model: type[models.Model]) -> tuple[tuple[int, int], tuple[int, int]]:
    """``(kept, real)``: the counter's ``(rows, flagged)`` and a real ``COUNT(*)`` of both."""
    alias = router.db_for_read(model)
    flag = model._default_manager.all().row_count_flag
    kept = row_count(using=alias, table=model._meta.db_table)
    queryset = models.QuerySet(model=model, using=alias)
    real = (queryset.count(), queryset.filter(**{flag: True}).count() if flag else 0)
    return kept, real


def row_count_rebuild(model: type[models.Model]) -> tuple[int, int]:
    """Recount ``model``'s table into its counter (writers wait meanwhile), e.g. after a load
    that ran with triggers disabled. Returns the new ``(rows, flagged)``."""
    from django.db import transaction

    alias = router.db_for_write(model)
    connection = connections[alias]
    qn = connection.ops.quote_name
    table = model._meta.db_table
    flag = model._default_manager.all().row_count_flag
    flagged = f"count(*) FILTER (WHERE {qn(flag)})" if flag else "0"
    with transaction.atomic(using=alias), connection.cursor() as cursor:
        cursor.execute(f"LOCK TABLE {qn(table)} IN SHARE ROW EXCLUSIVE MODE")
        cursor.execute(f"DELETE FROM {qn(counter_table(table))}")
        cursor.execute(
            f"INSERT INTO {qn(counter_table(table))} (qt_rows, qt_flagged) "
            f"SELECT count(*), {flagged} FROM {qn(table)}"
        )
    return row_count(using=alias, table=table)
