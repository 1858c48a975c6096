"""Small query helpers every domain shares."""

from __future__ import annotations

from collections.abc import Iterable
from typing import Any

from django.db import connections, router
from django.db.models import (
    DateField,
    DateTimeField,
    DecimalField,
    F,
    FloatField,
    Func,
    IntegerField,
    Model,
    OrderBy,
    QuerySet,
)
from django.db.models.query import ModelIterable


def unique_row(queryset: QuerySet) -> Any | None:
    """The one row a unique filter names (a primary key, a unique key), or ``None``.

    ``first()`` would add an ``ORDER BY`` (compiling the model's ordering for one row: about a
    tenth of a by-id read's Python calls) and ``get()`` would read up to 21 rows to complain
    about duplicates a unique filter cannot have. ``LIMIT 1``, nothing else.
    """
    rows = list(queryset.order_by()[:1])
    return rows[0] if rows else None


class NotFromIndex(Func):
    """The same value, in an expression PostgreSQL cannot read from a B-tree index:
    ``name || ''``, ``number + 0``, ``moment + interval '0'`` (a DBA's classic). Sorting by it
    sorts exactly as by the column (same type, same collation); elsewhere it is the column."""

    arity = 1

    def as_sql(self, compiler, connection, **extra_context):
        return compiler.compile(self.source_expressions[0])

    def as_postgresql(self, compiler, connection, **extra_context):
        sql, params = compiler.compile(self.source_expressions[0])
        field = self.output_field
        if isinstance(field, DateTimeField):
            return f"({sql} + interval '0')", params
        if isinstance(field, DateField | IntegerField | DecimalField | FloatField):
            return f"({sql} + 0)", params
        if field.get_internal_type() in {"CharField", "TextField", "EmailField", "SlugField"}:
            return f"({sql} || '')", params
        return sql, params


def sorted_after_matching(queryset: QuerySet) -> QuerySet:
    """``queryset`` in the same order, sorted *after* its rows are found.

    For a search (``LIKE '%fragment%'`` served by a trigram index) PostgreSQL's estimate of how
    many rows match is a guess from a 100-value sample; when it guesses thousands it walks the
    list's ordering index from the start, filtering each row, expecting to meet a page of
    matches early. With 76 real matches among 900,000 rows that walk read the whole table (3.2 s
    instead of 7 ms), and a first page's ``COUNT(*) OVER ()`` made it worse (the planner prices
    a ``LIMIT`` over a window as if it stopped early). Leading the ``ORDER BY`` with the same
    value in a form no index provides leaves one plan: gather the matches through the trigram
    index, then sort them (top-N). A search reads every match anyway, for its exact ``total``.
    Same rows, same order, same keyset positions; on SQLite nothing changes.
    """
    query = queryset.query
    meta = queryset.model._meta
    ordering = list(query.order_by) or (list(meta.ordering) if query.default_ordering else [])
    if not ordering:
        return queryset
    first = ordering[0]
    if isinstance(first, str):
        descending = first.startswith("-")
        name = first.lstrip("-")
        if name == "?":
            return queryset
        name = meta.pk.name if name == "pk" else name
        first = OrderBy(NotFromIndex(F(name)), descending=descending)
    elif isinstance(first, OrderBy):
        first = first.copy()
        first.expression = NotFromIndex(first.expression)
    else:
        first = OrderBy(NotFromIndex(first))
    return queryset.order_by(first, *ordering[1:])


def unique_row_by(
    model: type[Model], *, values: tuple[str, ...] | None = None, **exact: Any
) -> Any | None:
    """``unique_row(model._default_manager.filter(**exact))`` (with ``values``: of
    ``.values_list(*values)``, a tuple), with the SQL compiled once per connection, not once
    per call.

    Django builds and compiles the same ``SELECT ... WHERE pk = %s LIMIT 1`` on every read by
    key: about a sixth of a by-id request's Python calls. Here the ORM compiles it the first
    time (per model, lookups and values, on each connection object: so per database alias,
    thread and backend); each later call routes the read as the ORM does
    (``router.db_for_read``), prepares each value as the ``exact`` lookup does (the field's
    ``get_prep_value`` then ``get_db_prep_value``: a malformed key raises the same
    ``ValidationError``), runs the kept SQL on that alias's cursor (query logging, execute
    wrappers and ``assertNumQueries`` see it) and builds the row with the compiler's
    converters and ``Model.from_db``, as the ORM's own iteration does.

    Only plain reads are kept: exact lookups on the model's own concrete fields, through a
    default manager whose query adds nothing (no filter, annotation, ``select_related``,
    deferred field, custom iteration). Anything else, and any call whose parameters the ORM
    would prepare differently, is the ORM's ``unique_row``.
    """
    alias = router.db_for_read(model)
    connection = connections[alias]
    plans = connection.__dict__.setdefault("_crm_unique_row_plans", {})
    key = (model, tuple(exact), values)
    plan = plans.get(key)
    if plan is None:
        plan = plans[key] = _Plan.compile(model, alias, exact, values)
    if not plan:
        queryset = model._default_manager.filter(**exact)
        if values is not None:
            queryset = queryset.values_list(*values)
        return unique_row(queryset)
    return plan.read(connection, alias, exact)


class _Plan:
    __slots__ = ("attnames", "converters", "fields", "model", "sql")

    @classmethod
    def compile(cls, model, alias, exact, values):
        """The plan, or ``False``: this read keeps the ORM's path."""
        queryset = _plain_queryset(model)
        if queryset is None:
            return False
        fields = []
        for name in exact:
            field = model._meta.pk if name == "pk" else model._meta.get_field(name)
            if not field.concrete or field.model is not model._meta.concrete_model:
                return False
            fields.append(field)
        queryset = queryset.filter(**exact).order_by()[:1]
        if values is not None:
            queryset = queryset.values_list(*values)
        compiler = queryset.query.get_compiler(alias)
        sql, params = compiler.as_sql()
        plan = cls()
        plan.model = model
        plan.sql = sql
        plan.fields = tuple(fields)
        if list(params) != plan.params(compiler.connection, exact):
            return False  # the ORM prepares these values otherwise
        select = compiler.select
        plan.converters = compiler.get_converters([column for column, _sql, _alias in select])
        plan.attnames = (
            None if values is not None else [column.target.attname for column, *_ in select]
        )
        return plan

    def params(self, connection, exact) -> list:
        return [
            field.get_db_prep_value(field.get_prep_value(value), connection, prepared=True)
            for field, value in zip(self.fields, exact.values(), strict=True)
        ]

    def read(self, connection, alias, exact):
        with connection.cursor() as cursor:
            cursor.execute(self.sql, self.params(connection, exact))
            row = cursor.fetchone()
        if row is None:
            return None
        row = _converted(row, self.converters, connection)
        if self.attnames is None:
            return tuple(row)
        return self.model.from_db(alias, self.attnames, row)


def rows_by_keys(
    model: type[Model], field_name: str, keys: Iterable[Any], *, values: tuple[str, ...]
) -> list[tuple]:
    """``list(model._default_manager.filter(<field_name>__in=keys).order_by()
    .values_list(*values))``, the SQL compiled once per number of keys (up to
    ``MAX_PLANNED_KEYS``) on each connection, as ``unique_row_by`` does for one key: a page's
    authors, a page's customers. Rows in no particular order (callers key them)."""
    keys = list(keys)
    field = model._meta.pk if field_name == "pk" else model._meta.get_field(field_name)
    prepared = list(dict.fromkeys(field.get_prep_value(key) for key in keys))
    if None in prepared:  # the ORM's IN leaves None out: keep its path
        prepared = None
    if not prepared or len(prepared) > MAX_PLANNED_KEYS:
        if prepared == []:
            return []
        return list(
            model._default_manager.filter(**{f"{field_name}__in": keys})
            .order_by()
            .values_list(*values)
        )
    alias = router.db_for_read(model)
    connection = connections[alias]
    plans = connection.__dict__.setdefault("_crm_unique_row_plans", {})
    plan_key = (model, (f"{field_name}__in", len(prepared)), values)
    plan = plans.get(plan_key)
    if plan is None:
        plan = plans[plan_key] = _compile_in(model, alias, field, field_name, prepared, values)
    params = [field.get_db_prep_value(value, connection, prepared=True) for value in prepared]
    if not plan:
        return list(
            model._default_manager.filter(**{f"{field_name}__in": prepared})
            .order_by()
            .values_list(*values)
        )
    sql, converters = plan
    with connection.cursor() as cursor:
        cursor.execute(sql, params)
        rows = cursor.fetchall()
    if converters:
        return [tuple(_converted(row, converters, connection)) for row in rows]
    return [tuple(row) for row in rows]


#: Above this many keys a batch read is compiled by the ORM each time (one plan per count).
MAX_PLANNED_KEYS = 100


def _compile_in(model, alias, field, field_name, prepared, values):
    """``(sql, converters)``, or ``False``: this read keeps the ORM's path."""
    queryset = _plain_queryset(model)
    if queryset is None or not field.concrete or field.model is not model._meta.concrete_model:
        return False
    queryset = queryset.filter(**{f"{field_name}__in": prepared}).order_by()
    compiler = queryset.values_list(*values).query.get_compiler(alias)
    sql, params = compiler.as_sql()
    connection = compiler.connection
    expected = [field.get_db_prep_value(value, connection, prepared=True) for value in prepared]
    if list(params) != expected:
        return False  # the ORM prepares these values otherwise
    select = compiler.select
    return sql, compiler.get_converters([column for column, _sql, _alias in select])


def _plain_queryset(model) -> QuerySet | None:
    """The default manager's queryset when it adds nothing to the model's rows, else ``None``
    (no filter, annotation, ``select_related``, deferred field, custom iteration)."""
    queryset = model._default_manager.get_queryset()
    query = queryset.query
    if (
        queryset._iterable_class is not ModelIterable
        or type(queryset).__iter__ is not QuerySet.__iter__
        or type(queryset)._fetch_all is not QuerySet._fetch_all
        or query.where
        or query.annotations
        or query.extra
        or query.select_related
        or query.deferred_loading != (frozenset(), True)
        or query.distinct
        or query.is_sliced
    ):
        return None
    return queryset


def _converted(row, converters, connection):
    """``row`` through the compiler's converters (``SQLCompiler.apply_converters``)."""
    if not converters:
        return row
    row = list(row)
    for position, (functions, expression) in converters.items():
        value = row[position]
        for converter in functions:
            value = converter(value, expression, connection)
        row[position] = value
    return row


# --- Lists keyed by one value (a customer's timeline, a customer's ledger) ---------------------

#: The attribute ``keyed_list`` leaves on the queryset it builds: the exact lookups it holds.
#: Django's ``_clone`` does not copy it, so any later ``filter()``/``order_by()``/``all()``
#: yields a queryset without it (and the ORM's own path).
KEYED_LIST_MARK = "_crm_keyed_list"


def keyed_list(model: type[Model], *, ordering: tuple[str, ...], **exact: Any) -> QuerySet:
    """``model._default_manager.filter(**exact).order_by(*ordering)``, marked so that
    ``planned_rows`` may run a page of it through SQL compiled once (per shape and connection)
    instead of once per request.

    What is marked is exactly that queryset: a filter added later (a ``FilterSet``'s) makes a
    clone, which carries no mark and takes the ORM's path.
    """
    queryset = model._default_manager.filter(**exact).order_by(*ordering)
    setattr(queryset, KEYED_LIST_MARK, exact)
    return queryset


def planned_rows(queryset: QuerySet, *, shape: tuple, build) -> list:
    """``list(build(queryset))``, with ``build``'s SQL compiled once when ``queryset`` comes
    straight from ``keyed_list``.

    ``build`` derives the query to run from the list (an ordering, annotations, a slice) and
    must do the same for every list of that ``shape`` (the caller's key: what ``build`` reads
    besides the queryset, such as the page size). The first call on a connection compiles
    ``build(queryset)`` with the ORM and keeps the SQL when its only parameters are the key
    values, prepared as the ORM prepares them (``unique_row_by``'s check); later calls run the
    kept SQL with this list's key values (query logging, execute wrappers and
    ``assertNumQueries`` see it) and build each row as the ORM's ``ModelIterable`` does: the
    compiler's converters, ``Model.from_db``, the annotations set as attributes.

    Anything else (an unmarked queryset, a manager that filters, ``select_related``, deferred
    fields, parameters other than the keys) is ``list(build(queryset))``.
    """
    exact = getattr(queryset, KEYED_LIST_MARK, None)
    if exact is None:
        return list(build(queryset))
    model = queryset.model
    alias = queryset.db
    connection = connections[alias]
    plans = connection.__dict__.setdefault("_crm_unique_row_plans", {})
    key = ("keyed_list", model, tuple(exact), shape)
    plan = plans.get(key)
    if plan is None:
        plan = plans[key] = _ListPlan.compile(build(queryset), alias, exact)
    if not plan:
        return list(build(queryset))
    return plan.read(connection, alias, exact)


class _ListPlan:
    __slots__ = ("annotations", "converters", "fields", "init_list", "model", "span", "sql")

    @classmethod
    def compile(cls, queryset: QuerySet, alias: str, exact: dict):
        """The plan, or ``False``: this list keeps the ORM's path."""
        model = queryset.model
        if _plain_queryset(model) is None or queryset._iterable_class is not ModelIterable:
            return False
        query = queryset.query
        if query.select_related or query.deferred_loading != (frozenset(), True):
            return False
        fields = []
        for name in exact:
            field = model._meta.pk if name == "pk" else model._meta.get_field(name)
            if not field.concrete or field.model is not model._meta.concrete_model:
                return False
            fields.append(field)
        compiler = query.get_compiler(alias)
        sql, params = compiler.as_sql()
        plan = cls()
        plan.model = model
        plan.fields = tuple(fields)
        if list(params) != plan.params(compiler.connection, exact):
            return False  # other parameters, or values the ORM prepares otherwise
        select, klass_info = compiler.select, compiler.klass_info
        if klass_info is None or klass_info.get("related_klass_infos"):
            return False
        positions = klass_info["select_fields"]
        plan.span = (positions[0], positions[-1] + 1)
        plan.init_list = [column.target.attname for column, *_ in select[slice(*plan.span)]]
        plan.annotations = tuple(compiler.annotation_col_map.items())
        plan.converters = compiler.get_converters([column for column, _sql, _alias in select])
        plan.sql = sql
        return plan

    def params(self, connection, exact) -> list:
        return [
            field.get_db_prep_value(field.get_prep_value(value), connection, prepared=True)
            for field, value in zip(self.fields, exact.values(), strict=True)
        ]

    def read(self, connection, alias, exact) -> list:
        with connection.cursor() as cursor:
            cursor.execute(self.sql, self.params(connection, exact))
            rows = cursor.fetchall()
        start, end = self.span
        objects = []
        for row in rows:
            row = _converted(row, self.converters, connection)
            instance = self.model.from_db(alias, self.init_list, row[start:end])
            for name, position in self.annotations:
                setattr(instance, name, row[position])
            objects.append(instance)
        return objects
