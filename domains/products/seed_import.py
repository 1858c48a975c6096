"""Writes of the products domain for ``import_seed``: the seed's catalogue, in batches.

Every row goes through ``validators.product_fields_clean``, the rules of the API and the admin
(name 3..255 characters, price 0..9 999 999 999.99 with at most 2 places, type ``produto`` or
``servico``). The name is unique case-insensitively here while the seed compared it as written:
rows come oldest first, so the first product keeps the name and a later one differing only by
case is refused, as the API would have answered it 409. A product whose ``cd_product`` is
already here is left alone.
"""

from __future__ import annotations

from collections.abc import Iterable
from typing import Any
from uuid import UUID

from django.db import transaction
from django.db.models.functions import Lower

from crm.api.exceptions import InvalidInput
from crm.bulk_import import ImportOutcome, OutcomeCounter, batched, insert_as_given
from crm.db.router import alias_for_app

from .errors import ProductNameTaken
from .models import Product
from .records import SeedProduct
from .validators import product_fields_clean

TABLE = "product"


def _taken_names(alias: str, names: set[str]) -> dict[str, UUID]:
    if not names:
        return {}
    return dict(
        Product.objects.using(alias)
        .annotate(name_lower=Lower("ds_product_name"))
        .filter(name_lower__in=names)
        .values_list("name_lower", "cd_product")
    )


def products_import(*, rows: Iterable[SeedProduct], dry_run: bool = False) -> ImportOutcome:
    """Bring the seed's products over; all or nothing (one transaction on the products alias).
    ``dry_run``: the same work, rolled back at the end."""
    counter = OutcomeCounter(TABLE)
    alias = alias_for_app("products")
    with transaction.atomic(using=alias):
        for batch in batched(rows):
            counter.read += len(batch)
            present = set(
                Product.objects.using(alias)
                .filter(cd_product__in=[row.cd_product for row in batch])
                .values_list("cd_product", flat=True)
            )
            candidates: list[tuple[SeedProduct, dict[str, Any]]] = []
            for row in batch:
                if row.cd_product in present:
                    counter.already_present += 1
                    continue
                raw = {
                    "ds_product_name": row.ds_product_name,
                    "ds_product_description": row.ds_product_description,
                    "vr_price": row.vr_price,
                    # The seed's enum labels are ours (produto|servico); case aside.
                    "id_product_type": (row.id_product_type or "").strip().lower(),
                    "is_active": bool(row.is_active),
                }
                try:
                    fields = product_fields_clean(creating=True, fields=raw)
                except InvalidInput as error:
                    for field, messages in error.message.items():
                        counter.refuse(
                            row.cd_product, messages[0], field=field, value=raw.get(field)
                        )
                    continue
                candidates.append((row, fields))

            names = _taken_names(alias, {f["ds_product_name"].lower() for _r, f in candidates})
            new_products: list[Product] = []
            for row, fields in candidates:
                name_key = fields["ds_product_name"].lower()
                owner = names.get(name_key)
                if owner is not None:
                    counter.refuse(
                        row.cd_product,
                        f"{ProductNameTaken.default_message} ({owner})",
                        field="ds_product_name",
                        value=row.ds_product_name,
                    )
                    continue
                names[name_key] = row.cd_product
                new_products.append(
                    Product(
                        cd_product=row.cd_product,
                        **fields,
                        dt_product_created_at=row.dt_created_at,
                        dt_product_updated_at=row.dt_updated_at or row.dt_created_at,
                    )
                )
            insert_as_given(Product, new_products, using=alias)
            counter.imported += len(new_products)
        if dry_run:
            transaction.set_rollback(True, using=alias)
    return counter.outcome()
