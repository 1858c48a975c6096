"""Reads of the products domain."""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable, Iterator, Mapping
from uuid import UUID

from django.db.models import QuerySet, Value
from django.db.models.functions import Lower
from django.db.models.lookups import Exact
from django.utils import timezone

from crm.api.query import filter_queryset
from crm.db.queries import unique_row_by

from . import gateways
from .errors import ProductNotFound
from .filters import ProductFilter
from .models import Product, ProductHistory


def product_get(*, product_id: UUID) -> Product:
    """The product, active or not. Raises ``ProductNotFound``."""
    product = unique_row_by(Product, cd_product=product_id)
    if product is None:
        raise ProductNotFound()
    return product


def product_list(*, filters: Mapping[str, str] | None = None) -> QuerySet[Product]:
    """Products matching the list filters (see ``filters.ProductFilter``), ordered.

    Raises ``InvalidInput`` with ``{parameter: [messages]}`` for a parameter it cannot use.
    """
    return filter_queryset(ProductFilter, data=filters, queryset=Product.objects.all())


def product_name_taken(*, name: str, exclude_product_id: UUID | None = None) -> bool:
    """Whether another product already uses ``name``, compared case-insensitively."""
    # The same comparison as the ``product_name_ci_unique`` constraint: LOWER() in the database.
    queryset = Product.objects.filter(Exact(Lower("ds_product_name"), Lower(Value(name))))
    if exclude_product_id is not None:
        queryset = queryset.exclude(cd_product=exclude_product_id)
    return queryset.exists()


def product_summary_rows(*, product_ids: Iterable[UUID]) -> list[dict]:
    ids = set(product_ids)
    if not ids:
        return []
    return list(
        Product.objects.filter(cd_product__in=ids).values(
            "cd_product", "ds_product_name", "vr_price", "id_product_type", "is_active"
        )
    )


def product_history_list(*, product_id: UUID) -> QuerySet[ProductHistory]:
    """The product's audit trail, newest first.

    A hard-deleted product keeps its history (the last event says who removed it), so this
    raises ``ProductNotFound`` only when the id names neither a product nor any history.
    """
    history = ProductHistory.objects.filter(cd_product=product_id).order_by(
        "-dt_event", "-cd_product_history"
    )
    if not Product.objects.filter(cd_product=product_id).exists() and not history.exists():
        raise ProductNotFound()
    return history


def history_user_names(*, events: Iterable[ProductHistory]) -> dict[UUID, str]:
    """The names of the users who acted in a page of history, in one call to accounts."""
    return gateways.user_names(user_ids={row.cd_user for row in events if row.cd_user})


#: Columns of a product export (API and admin), in order: the API's output fields.
EXPORT_COLUMNS = (
    "cd_product",
    "ds_product_name",
    "ds_product_description",
    "vr_price",
    "id_product_type",
    "is_active",
    "dt_product_created_at",
    "dt_product_updated_at",
)
_LOOKUP_CHUNK = 500


def product_export_rows(*, products: QuerySet[Product]) -> Iterator[tuple]:
    """``EXPORT_COLUMNS`` tuples read in chunks from a database cursor (never all in memory);
    times in the server's time zone, as the API shows them."""
    for row in products.values_list(*EXPORT_COLUMNS).iterator(chunk_size=2000):
        yield tuple(
            timezone.localtime(value) if isinstance(value, dt.datetime) else value for value in row
        )


def products_matching(*, product_ids: Iterable[UUID], names: Iterable[str]) -> dict[UUID, Product]:
    """Every product whose id, or name compared case-insensitively (``LOWER()``, as the unique
    constraint), is given: a few chunked queries for a whole import, not one per row."""
    found: dict[UUID, Product] = {}
    ids = sorted(set(product_ids), key=str)
    lowered = sorted({name.lower() for name in names})
    for start in range(0, len(ids), _LOOKUP_CHUNK):
        for product in Product.objects.filter(cd_product__in=ids[start : start + _LOOKUP_CHUNK]):
            found[product.pk] = product
    for start in range(0, len(lowered), _LOOKUP_CHUNK):
        chunk = lowered[start : start + _LOOKUP_CHUNK]
        for product in Product.objects.annotate(name_lower=Lower("ds_product_name")).filter(
            name_lower__in=chunk
        ):
            found[product.pk] = product
    return found
