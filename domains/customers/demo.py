"""Demo customers for ``manage.py seed_demo`` (through ``interface.customer_demo_load``).

Row ``i`` of a load is valid under every rule of ``validators`` (as stored: CPF/CNPJ digits only
with correct check digits, lower-case e-mail, upper-case UF, CEP ``00000-000``) and unique where
the table says so, without looking anything up:

* CPF/CNPJ: the first 9 CPF digits (8 CNPJ root digits) are a bijection of ``i``
  (``crm.demo.permuted``), so two rows never share a document; 85% are people with a CPF,
  15% companies with a CNPJ (``<root>0001<check digits>``).
* e-mail: the local part ends with a bijection of ``i``, zero-padded, so addresses never clash.
* Every tenth row (``i % 10 == 9``) is inactive: exactly 10% of the table, like the benchmark's
  data set; ids and names are random, so nothing else sets those rows apart.

Timestamps fall within the two years before ``end_date``; ``updated_at >= created_at``.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterator
from uuid import UUID

from django.db import connections, router

from crm import demo
from crm.db.bulk import bulk_copy, bulk_insert, bulk_loading, copy_text, table_truncate

from .models import Customer
from .records import CustomerDemoRows
from .validators import DEFAULT_COUNTRY, cnpj_check_digits, cpf_check_digits

FIELDS = (
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
    "dt_customer_created_at",
    "dt_customer_updated_at",
    "is_customer_active",
)
COMPANY_SHARE = 0.15
# Multipliers coprime with 10 (powers of 3 and 7): bijections of 0..10**k - 1.
_CPF_SPACE, _CPF_MULTIPLIER, _CPF_OFFSET = 10**9, 3**18, 271_828_182
_CNPJ_SPACE, _CNPJ_MULTIPLIER, _CNPJ_OFFSET = 10**8, 7**9, 31_415_926
_EMAIL_MULTIPLIER, _EMAIL_OFFSET = 3**13, 2_718_281


def cpf_for(index: int) -> str:
    base = demo.permuted(index, modulus=_CPF_SPACE, multiplier=_CPF_MULTIPLIER, offset=_CPF_OFFSET)
    first_nine = f"{base:09d}"
    if len(set(first_nine)) == 1:
        # 111111111-11 and the like pass the arithmetic but are invalid documents; take the
        # mirror index instead (unused: loads are far smaller than the CPF space).
        return cpf_for(_CPF_SPACE - 1 - index)
    return first_nine + cpf_check_digits(first_nine)


def cnpj_for(index: int) -> str:
    root = demo.permuted(
        index, modulus=_CNPJ_SPACE, multiplier=_CNPJ_MULTIPLIER, offset=_CNPJ_OFFSET
    )
    first_twelve = f"{root:08d}0001"
    return first_twelve + cnpj_check_digits(first_twelve)


def _email_number(index: int, width: int) -> str:
    number = demo.permuted(
        index, modulus=10**width, multiplier=_EMAIL_MULTIPLIER, offset=_EMAIL_OFFSET
    )
    return f"{number:0{width}d}"


def customer_rows(*, seed: int, first: int, count: int, end_date: dt.date, total: int):
    """Yield the rows ``first .. first + count - 1`` (tuples in ``FIELDS`` order)."""
    rng = demo.demo_random(seed, "customers", first)
    start, end = demo.history_start(end_date), demo.history_end(end_date)
    # Wide enough for every row of the whole load to get its own number.
    width = max(6, len(str(max(total, first + count) - 1)))
    for index in range(first, first + count):
        city, state, first_cep, last_cep, ddd, _weight = demo.CITY_CHOICE(rng)
        number = _email_number(index, width)
        if rng.random() < COMPANY_SHARE:
            name = demo.company_name(rng)
            document = cnpj_for(index)
            slug = demo.ascii_slug(name.rsplit(" ", 1)[0], "")[:20]
            email = f"contato{number}@{slug}.com.br"
        else:
            name, first_name, last_name = demo.person_name(rng)
            document = cpf_for(index)
            local = demo.ascii_slug(f"{first_name} {last_name}")
            email = f"{local}{number}@{demo.EMAIL_PROVIDERS(rng)}"
        created = demo.moment_between(rng, start, end)
        updated = created if rng.random() < 0.7 else demo.moment_between(rng, created, end)
        yield (
            demo.demo_uuid(rng),
            name,
            email if rng.random() < 0.97 else None,
            demo.phone(rng, ddd) if rng.random() < 0.95 else None,
            document,
            demo.street_address(rng),
            city,
            state,
            demo.zip_code(demo.below(rng, last_cep + 1, first_cep)),
            DEFAULT_COUNTRY,
            created,
            updated,
            index % 10 != 9,
        )


def encoded_chunk(
    seed: int, first: int, count: int, end_date: dt.date, total: int
) -> tuple[bytes, bytes, list[int]]:
    """One chunk, made in a worker process: the rows as ``COPY`` text, the ids as 16 bytes
    each, the creation moments as Unix seconds (compact to send back to the main process)."""
    rows = list(customer_rows(seed=seed, first=first, count=count, end_date=end_date, total=total))
    return (
        copy_text(rows),
        b"".join(row[0].bytes for row in rows),
        [int(row[10].timestamp()) for row in rows],
    )


def customer_demo_load(*, seed: int, count: int, end_date: dt.date) -> Iterator[CustomerDemoRows]:
    chunks = [
        (seed, first, min(demo.CHUNK, count - first), end_date, count)
        for first in range(0, count, demo.CHUNK)
    ]
    with bulk_loading(models=[Customer]):
        if connections[router.db_for_write(Customer)].vendor == "postgresql":
            # CPU-bound generation runs in worker processes; this one only streams to COPY.
            for data, ids, created in demo.in_workers(encoded_chunk, chunks):
                bulk_copy(model=Customer, fields=FIELDS, data=data)
                yield CustomerDemoRows(
                    cd_customers=tuple(
                        UUID(bytes=ids[offset : offset + 16]) for offset in range(0, len(ids), 16)
                    ),
                    created_at=tuple(
                        dt.datetime.fromtimestamp(moment, dt.UTC) for moment in created
                    ),
                )
            return
        for seed_, first, size, end, total in chunks:
            rows = list(
                customer_rows(seed=seed_, first=first, count=size, end_date=end, total=total)
            )
            bulk_insert(model=Customer, fields=FIELDS, rows=rows)
            yield CustomerDemoRows(
                cd_customers=tuple(row[0] for row in rows),
                created_at=tuple(row[10] for row in rows),
            )


def customer_demo_counts() -> dict[str, int]:
    return {"customer": Customer.objects.count()}


def customer_demo_clear() -> None:
    table_truncate(models=[Customer])
