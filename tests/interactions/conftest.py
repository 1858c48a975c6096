"""Fixtures of the interactions area (timeline and ledger). Additive: each helper appends.

Other domains' rows (customers, users) are created through their models here, in the tests,
never from domain code: the domains themselves only meet through their interfaces.
"""

from __future__ import annotations

import datetime as dt
import itertools
from decimal import Decimal

import pytest
from django.apps import apps
from django.utils import timezone

# --- timeline --------------------------------------------------------------------------------

_sequence = itertools.count(1)


@pytest.fixture
def make_customer():
    def make(**fields):
        number = next(_sequence)
        values = {"ds_customer_name": f"Cliente {number:03d}"}
        values.update(fields)
        return apps.get_model("customers", "Customer").objects.create(**values)

    return make


@pytest.fixture
def customer(make_customer):
    return make_customer(ds_customer_name="Maria Oliveira")


@pytest.fixture
def make_user(django_user_model, password):
    def make(**fields):
        number = next(_sequence)
        values = {"ds_user_email": f"autor{number}@example.com", "ds_user": f"Autor {number:03d}"}
        values.update(fields)
        from tests.conftest import with_role

        # Managers, like the seed's users: refusals by role are tested in tests/accounts/.
        return with_role(
            django_user_model.objects.create_user(password=password, **values), "manager"
        )

    return make


@pytest.fixture
def make_interaction():
    """An interaction row written straight to the table (setup only; the API path is tested)."""

    def make(*, customer, user, **fields):
        values = {
            "cd_customer": customer.cd_customer,
            "cd_user": user.cd_user,
            "ds_notes": "Ligação de acompanhamento",
            "id_interaction_type": "ligacao",
            "dt_interaction": timezone.now(),
        }
        values.update(fields)
        return apps.get_model("interactions", "Interaction").objects.create(**values)

    return make


@pytest.fixture
def make_transaction():
    """A ledger row via the ORM (until a test goes through the ledger API)."""

    def make(*, customer, user, vr_transaction="10.00", id_transaction_type=1, **fields):
        return apps.get_model("interactions", "Transaction").objects.create(
            cd_customer=customer.cd_customer,
            cd_user=user.cd_user,
            vr_transaction=Decimal(vr_transaction),
            id_transaction_type=id_transaction_type,
            dt_transaction=fields.pop("dt_transaction", dt.date(2026, 1, 15)),
            **fields,
        )

    return make


# --- ledger ----------------------------------------------------------------------------------


@pytest.fixture
def make_product():
    def make(**fields):
        number = next(_sequence)
        values = {"ds_product_name": f"Produto {number:03d}", "vr_price": Decimal("99.90")}
        values.update(fields)
        return apps.get_model("products", "Product").objects.create(**values)

    return make


@pytest.fixture
def ledger_rows():
    """How many ledger rows exist (entries, idempotency keys): failure paths assert it."""

    def count() -> tuple[int, int]:
        return (
            apps.get_model("interactions", "Transaction").objects.count(),
            apps.get_model("interactions", "IdempotencyKey").objects.count(),
        )

    return count
