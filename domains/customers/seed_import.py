"""Writes of the customers domain for ``import_seed``: the seed's customers, in batches.

Every row goes through ``validators.customer_clean``, the very rules of the API and the
admin: CPF/CNPJ to digits with check digits verified, e-mail lower-cased, UF upper-cased and one
of the 27, CEP as ``00000-000``, country ``Brasil`` when empty. A row breaking one of them is
refused with the validator's message (one report line per invalid field). E-mail and CPF/CNPJ
are unique (e-mail case-insensitively): rows come oldest first, so the first one keeps the
value and a later one is refused, as the API would have answered it 409. A customer whose
``cd_customer`` is already here is left alone.
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

from .errors import CPF_CNPJ_TAKEN, EMAIL_TAKEN
from .models import Customer
from .records import SeedCustomer
from .validators import customer_clean

TABLE = "customer"


def _taken_emails(alias: str, emails: set[str]) -> dict[str, UUID]:
    if not emails:
        return {}
    return dict(
        Customer.objects.using(alias)
        .annotate(email_lower=Lower("ds_customer_email"))
        .filter(email_lower__in=emails)
        .values_list("email_lower", "cd_customer")
    )


def _taken_documents(alias: str, documents: set[str]) -> dict[str, UUID]:
    if not documents:
        return {}
    return dict(
        Customer.objects.using(alias)
        .filter(ds_customer_cpf_cnpj__in=documents)
        .values_list("ds_customer_cpf_cnpj", "cd_customer")
    )


def _raw_fields(row: SeedCustomer) -> dict[str, Any]:
    return {
        "ds_customer_name": row.ds_customer_name,
        "ds_customer_email": row.ds_customer_email,
        "ds_customer_phone": row.ds_customer_phone,
        "ds_customer_cpf_cnpj": row.ds_customer_cpf_cnpj,
        "ds_customer_address": row.ds_customer_address,
        "ds_customer_city": row.ds_customer_city,
        "ds_customer_state": row.ds_customer_state,
        "ds_customer_zip_code": row.ds_customer_zip_code,
        "ds_customer_country": row.ds_customer_country,
    }


def customers_import(*, rows: Iterable[SeedCustomer], dry_run: bool = False) -> ImportOutcome:
    """Bring the seed's customers over; all or nothing (one transaction on the customers
    alias). ``dry_run``: the same work, rolled back at the end."""
    counter = OutcomeCounter(TABLE)
    alias = alias_for_app("customers")
    with transaction.atomic(using=alias):
        for batch in batched(rows):
            counter.read += len(batch)
            present = set(
                Customer.objects.using(alias)
                .filter(cd_customer__in=[row.cd_customer for row in batch])
                .values_list("cd_customer", flat=True)
            )
            candidates: list[tuple[SeedCustomer, dict[str, Any]]] = []
            for row in batch:
                if row.cd_customer in present:
                    counter.already_present += 1
                    continue
                raw = _raw_fields(row)
                try:
                    fields = customer_clean(data=raw, creating=True)
                except InvalidInput as error:
                    # One line per invalid field: the operator fixes them all in one go.
                    for field, messages in error.message.items():
                        counter.refuse(
                            row.cd_customer, messages[0], field=field, value=raw.get(field)
                        )
                    continue
                candidates.append((row, fields))

            emails = _taken_emails(
                alias, {f["ds_customer_email"] for _r, f in candidates if f["ds_customer_email"]}
            )
            documents = _taken_documents(
                alias,
                {f["ds_customer_cpf_cnpj"] for _r, f in candidates if f["ds_customer_cpf_cnpj"]},
            )
            new_customers: list[Customer] = []
            for row, fields in candidates:
                email, document = fields["ds_customer_email"], fields["ds_customer_cpf_cnpj"]
                conflicts = []
                if email and email in emails:
                    conflicts.append(("ds_customer_email", EMAIL_TAKEN, emails[email]))
                if document and document in documents:
                    conflicts.append(("ds_customer_cpf_cnpj", CPF_CNPJ_TAKEN, documents[document]))
                if conflicts:
                    raw = _raw_fields(row)
                    for field, message, owner in conflicts:
                        counter.refuse(
                            row.cd_customer, f"{message} ({owner})", field=field, value=raw[field]
                        )
                    continue
                if email:
                    emails[email] = row.cd_customer
                if document:
                    documents[document] = row.cd_customer
                new_customers.append(
                    Customer(
                        cd_customer=row.cd_customer,
                        **fields,
                        dt_customer_created_at=row.dt_customer_created_at,
                        # Ours is never empty (it answers "last changed"): creation until then.
                        dt_customer_updated_at=row.dt_customer_updated_at
                        or row.dt_customer_created_at,
                        is_customer_active=bool(row.is_customer_active),
                    )
                )
            insert_as_given(Customer, new_customers, using=alias)
            counter.imported += len(new_customers)
        if dry_run:
            transaction.set_rollback(True, using=alias)
    return counter.outcome()
