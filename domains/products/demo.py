"""Demo catalogue for ``manage.py seed_demo`` (through ``interface.product_demo_load``).

Names are unique case-insensitively (each ends with the row's own model/package number), 3 to
255 characters; prices are non-negative with two decimals; about two thirds are goods
(``produto``), one third services (``servico``); 5% are inactive.
"""

from __future__ import annotations

import datetime as dt
import math
from collections.abc import Iterator
from decimal import Decimal

from crm import demo
from crm.db.bulk import bulk_insert, bulk_loading, table_truncate

from .models import Product, ProductType
from .records import ProductDemoRows

FIELDS = (
    "cd_product",
    "ds_product_name",
    "ds_product_description",
    "vr_price",
    "id_product_type",
    "is_active",
    "dt_product_created_at",
    "dt_product_updated_at",
)
SERVICE_SHARE = 0.35
INACTIVE_SHARE = 0.05

#: (name, lowest price, highest price) in reais.
GOODS = (
    ("Notebook", 2200, 9000), ("Monitor LED 24 polegadas", 700, 1800),
    ("Impressora multifuncional", 600, 3500), ("Cadeira de escritório ergonômica", 450, 2500),
    ("Mesa de reunião", 900, 4000), ("Teclado sem fio", 80, 450), ("Mouse óptico", 30, 250),
    ("Roteador Wi-Fi", 150, 900), ("Nobreak 1500VA", 700, 2200), ("HD externo 2TB", 350, 800),
    ("Papel A4 (caixa com 10 resmas)", 220, 320), ("Cartucho de toner", 90, 600),
    ("Smartphone corporativo", 1200, 6000), ("Headset com microfone", 120, 700),
    ("Licença de antivírus anual", 90, 400), ("Armário de aço", 800, 2600),
    ("Ar-condicionado split 12000 BTUs", 1800, 4200), ("Cafeteira industrial", 900, 3800),
    ("Kit de ferramentas", 150, 1200), ("Leitor de código de barras", 200, 900),
    ("Balança eletrônica", 300, 1500), ("Máquina de cartão", 100, 600),
    ("Etiquetas adesivas (milheiro)", 40, 120), ("Uniforme personalizado", 60, 180),
)  # fmt: skip
SERVICES = (
    ("Consultoria fiscal", 150, 400), ("Consultoria tributária", 200, 600),
    ("Auditoria contábil", 3000, 20000), ("Implantação de ERP", 5000, 60000),
    ("Suporte técnico mensal", 300, 3000), ("Manutenção preventiva", 200, 1500),
    ("Treinamento de equipe", 800, 6000), ("Desenvolvimento de site", 2500, 25000),
    ("Gestão de redes sociais", 900, 5000), ("Hospedagem de sistemas (mensal)", 80, 900),
    ("Assessoria jurídica", 500, 5000), ("Folha de pagamento (mensal)", 300, 4000),
    ("Instalação elétrica", 400, 8000), ("Limpeza comercial (mensal)", 900, 6000),
    ("Frete dedicado", 150, 3000), ("Recrutamento e seleção", 1200, 8000),
)  # fmt: skip
QUALIFIERS = ("Básico", "Padrão", "Plus", "Premium", "Pro", "Essencial", "Empresarial", "Max")


def _price(rng, low: int, high: int) -> Decimal:
    # Log-uniform between low and high, in whole cents; prices end in .90 or .00 half the time.
    value = math.exp(rng.uniform(math.log(low), math.log(high)))
    cents = int(value * 100)
    if rng.random() < 0.5:
        cents = cents // 100 * 100 + rng.choice((0, 90))
    return Decimal(max(cents, 1)).scaleb(-2)


def product_rows(*, seed: int, first: int, count: int, end_date: dt.date):
    """Yield the rows ``first .. first + count - 1`` (tuples in ``FIELDS`` order)."""
    rng = demo.demo_random(seed, "products", first)
    start, end = demo.history_start(end_date), demo.history_end(end_date)
    for index in range(first, first + count):
        if rng.random() < SERVICE_SHARE:
            kind, (base, low, high) = ProductType.SERVICO, rng.choice(SERVICES)
            name = f"{base} {rng.choice(QUALIFIERS)} - pacote {index + 1:04d}"
            description = f"{base}: serviço prestado por profissionais certificados."
        else:
            kind, (base, low, high) = ProductType.PRODUTO, rng.choice(GOODS)
            name = f"{base} {rng.choice(QUALIFIERS)} - modelo {index + 1:04d}"
            description = f"{base}, garantia de {rng.choice((3, 6, 12, 24))} meses."
        created = demo.moment_between(rng, start, end)
        updated = created if rng.random() < 0.6 else demo.moment_between(rng, created, end)
        yield (
            demo.demo_uuid(rng),
            name,
            description if rng.random() < 0.9 else None,
            _price(rng, low, high),
            kind.value,
            rng.random() >= INACTIVE_SHARE,
            created,
            updated,
        )


def product_demo_load(*, seed: int, count: int, end_date: dt.date) -> Iterator[ProductDemoRows]:
    with bulk_loading(models=[Product]):
        for first in range(0, count, demo.CHUNK):
            size = min(demo.CHUNK, count - first)
            rows = list(product_rows(seed=seed, first=first, count=size, end_date=end_date))
            bulk_insert(model=Product, fields=FIELDS, rows=rows)
            yield ProductDemoRows(
                cd_products=tuple(row[0] for row in rows),
                vr_prices=tuple(row[3] for row in rows),
                is_active=tuple(row[5] for row in rows),
            )


def product_demo_counts() -> dict[str, int]:
    return {"product": Product.objects.count()}


def product_demo_clear() -> None:
    table_truncate(models=[Product])
