"""The architecture system checks (``crm/checks.py``, run by ``manage.py check``) bite: each kind
of violation import-linter cannot see, planted in a copy of the source, makes ``check`` exit
non-zero with its error id."""

from __future__ import annotations

import dataclasses
import datetime as dt
import enum
import typing
import uuid
from collections.abc import Iterable, Mapping
from decimal import Decimal

import pytest
from django.apps import apps
from django.db.models import QuerySet

from crm.checks import is_plain
from tests.platform.sandbox import describe, manage, process_env

from .conftest import plant


def check(root):
    """``manage.py check`` in the copy at ``root``: developer settings, embedded databases."""
    return manage("check", root=root, env=process_env(root, root / "var", DEBUG="true"))


def test_the_clean_source_passes_every_check(source_copy):
    result = check(source_copy)

    assert result.returncode == 0, describe(result)
    assert "System check identified no issues" in result.stdout, describe(result)


PLANTED_RELATION_MODELS = """
from django.conf import settings as planted_settings
from django.db import models as planted_models


class PlantedLink(planted_models.Model):
    {field}

    class Meta:
        app_label = "{app}"
"""

RELATIONS = [
    pytest.param(
        "interactions",
        'customer = planted_models.ForeignKey("customers.Customer", '
        "on_delete=planted_models.CASCADE)",
        "interactions.PlantedLink.customer relates to customers",
        id="string-foreign-key-to-another-domain",
    ),
    pytest.param(
        "interactions",
        "owner = planted_models.ForeignKey(planted_settings.AUTH_USER_MODEL, "
        "on_delete=planted_models.CASCADE)",
        "interactions.PlantedLink.owner relates to accounts",
        id="foreign-key-to-auth-user-model",
    ),
    pytest.param(
        "customers",
        'products = planted_models.ManyToManyField("products.Product")',
        "customers.PlantedLink.products relates to products",
        id="many-to-many-to-another-domain",
    ),
    pytest.param(
        "products",
        'group = planted_models.OneToOneField("auth.Group", on_delete=planted_models.PROTECT)',
        "products.PlantedLink.group relates to auth",
        id="one-to-one-to-a-contrib-app-of-another-domain",
    ),
]


@pytest.mark.parametrize(("app", "field", "message"), RELATIONS)
def test_a_relation_field_into_another_domain_is_rejected(source_copy, app, field, message):
    plant(
        source_copy,
        f"domains/{app}/models.py",
        PLANTED_RELATION_MODELS.format(field=field, app=app),
    )

    result = check(source_copy)

    assert result.returncode != 0, describe(result)
    assert "(crm.E001)" in result.stderr, describe(result)
    assert message in result.stderr, describe(result)


def test_a_relation_inside_one_domain_is_allowed(source_copy):
    plant(
        source_copy,
        "domains/interactions/models.py",
        PLANTED_RELATION_MODELS.format(
            app="interactions",
            field='interaction = planted_models.ForeignKey("interactions.Interaction", '
            "on_delete=planted_models.CASCADE)",
        ),
    )

    result = check(source_copy)

    assert result.returncode == 0, describe(result)


def test_an_app_with_models_the_router_does_not_map_is_rejected(source_copy):
    plant(
        source_copy,
        "planted_app/apps.py",
        "from django.apps import AppConfig\n\n\n"
        'class PlantedConfig(AppConfig):\n    name = "planted_app"',
    )
    plant(source_copy, "planted_app/__init__.py", "")
    plant(
        source_copy,
        "planted_app/models.py",
        "from django.db import models\n\n\nclass Loyalty(models.Model):\n"
        "    points = models.IntegerField()",
    )
    plant(source_copy, "config/settings/base.py", 'INSTALLED_APPS += ["planted_app"]')

    result = check(source_copy)

    assert result.returncode != 0, describe(result)
    assert "(crm.E002) App 'planted_app' has models but no domain" in result.stderr, describe(
        result
    )


PLANTED_INTERFACE_IMPORTS = """
import dataclasses as planted_dataclasses
import uuid as planted_uuid

from django.db.models import QuerySet as PlantedQuerySet

from .models import Customer as PlantedCustomer


@planted_dataclasses.dataclass
class PlantedMutable:
    name: str


@planted_dataclasses.dataclass(frozen=True)
class PlantedWrapper:
    customer: PlantedCustomer
"""

INTERFACE_FUNCTIONS = [
    pytest.param(
        "def customer_model(*, customer_id: planted_uuid.UUID) -> PlantedCustomer: ...",
        "customer_model: not plain data: return",
        id="returns-a-model-instance",
    ),
    pytest.param(
        "def customer_rows(*, active: bool) -> PlantedQuerySet[PlantedCustomer]: ...",
        "customer_rows: not plain data: return",
        id="returns-a-queryset",
    ),
    pytest.param(
        "def customer_names_of(*, customers: list[PlantedCustomer]) -> dict[str, str]: ...",
        "customer_names_of: not plain data: customers",
        id="takes-model-instances",
    ),
    pytest.param(
        "def customer_touch(*, customer_id): ...",
        "customer_touch: not annotated: customer_id, return",
        id="not-annotated",
    ),
    pytest.param(
        "def customer_draft(*, name: str) -> PlantedMutable: ...",
        "customer_draft: not plain data: return",
        id="returns-a-mutable-dataclass",
    ),
    pytest.param(
        "def customer_wrapped(*, name: str) -> PlantedWrapper: ...",
        "customer_wrapped: not plain data: return",
        id="returns-a-frozen-dataclass-holding-a-model",
    ),
]


@pytest.mark.parametrize(("function", "message"), INTERFACE_FUNCTIONS)
def test_an_interface_function_exposing_more_than_plain_data_is_rejected(
    source_copy, function, message
):
    # Public but not listed in __all__: still callable from another domain, so still checked.
    plant(source_copy, "domains/customers/interface.py", PLANTED_INTERFACE_IMPORTS + function)

    result = check(source_copy)

    assert result.returncode != 0, describe(result)
    assert f"(crm.E003) domains.customers.interface.{message}." in result.stderr, describe(result)


def test_an_interface_function_of_plain_data_is_allowed(source_copy):
    plant(
        source_copy,
        "domains/customers/interface.py",
        PLANTED_INTERFACE_IMPORTS
        + "def customer_ids_named(*, names: frozenset[str]) -> dict[str, planted_uuid.UUID]: ...",
    )

    result = check(source_copy)

    assert result.returncode == 0, describe(result)


# --- is_plain, the judge of interface signatures ------------------------------------------------


class Colour(enum.Enum):
    RED = "red"


@dataclasses.dataclass(frozen=True)
class Money:
    amount: Decimal
    currency: typing.Literal["BRL"]


@dataclasses.dataclass(frozen=True)
class Node:
    """A recursive DTO (a tree): must not send the check into endless recursion."""

    name: str
    children: tuple[Node, ...]


@dataclasses.dataclass
class MutableMoney:
    amount: Decimal


@dataclasses.dataclass(frozen=True)
class AnythingGoes:
    payload: typing.Any


PLAIN = [
    uuid.UUID,
    Decimal,
    dt.date,
    dt.datetime,
    str,
    bool,
    type(None),
    Colour,
    Money,
    Node,
    str | None,
    typing.Optional[Decimal],  # noqa: UP045 (the old spelling must work too)
    dict[uuid.UUID, Money],
    Iterable[uuid.UUID],
    Mapping[str, list[Decimal]],
    tuple[int, ...],
    frozenset[uuid.UUID],
    typing.Literal["produto", "servico"],
]
NOT_PLAIN = [
    typing.Any,
    object,
    MutableMoney,
    AnythingGoes,
    QuerySet,
    list[typing.Any],
    dict[str, object],
    uuid.UUID | typing.Any,
    typing.Callable[[int], int],
]


@pytest.mark.parametrize("annotation", PLAIN, ids=repr)
def test_is_plain_accepts_plain_data(annotation):
    assert is_plain(annotation) is True


@pytest.mark.parametrize("annotation", NOT_PLAIN, ids=repr)
def test_is_plain_rejects_anything_else(annotation):
    assert is_plain(annotation) is False


def test_is_plain_rejects_models_and_containers_of_models():
    customer = apps.get_model("customers", "Customer")

    assert is_plain(customer) is False
    assert is_plain(list[customer]) is False
    assert is_plain(dict[uuid.UUID, customer]) is False
    assert is_plain(customer | None) is False
