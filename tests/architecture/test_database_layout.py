"""The production layout holds in the test database too: every domain in its own schema."""

import pytest
from django.apps import apps
from django.conf import settings
from django.db import connections, router

DOMAIN_MODELS = {
    "accounts": "accounts.User",
    "customers": "customers.Customer",
    "products": "products.Product",
    "interactions": "interactions.Interaction",
}


@pytest.mark.parametrize(("domain", "model_label"), DOMAIN_MODELS.items())
def test_each_domain_model_is_routed_to_its_own_alias(domain, model_label):
    model = apps.get_model(model_label)
    alias = settings.CRM_DOMAIN_ALIASES[domain]

    assert router.db_for_read(model) == alias
    assert router.db_for_write(model) == alias
    assert router.allow_migrate_model(alias, model)
    other_aliases = set(settings.DATABASES) - {alias}
    assert not any(router.allow_migrate_model(other, model) for other in other_aliases)


@pytest.mark.parametrize(("domain", "model_label"), DOMAIN_MODELS.items())
def test_each_domain_table_exists_in_its_own_database(domain, model_label):
    model = apps.get_model(model_label)
    connection = connections[settings.CRM_DOMAIN_ALIASES[domain]]
    with connection.cursor() as cursor:
        tables = connection.introspection.table_names(cursor)
    assert model._meta.db_table in tables
    if connection.vendor == "postgresql":
        with connection.cursor() as cursor:
            cursor.execute(
                "select table_schema from information_schema.tables where table_name = %s",
                [model._meta.db_table],
            )
            assert [row[0] for row in cursor.fetchall()] == [domain]


def test_relations_across_domains_are_refused_by_the_router():
    user_model = apps.get_model("accounts.User")
    customer_model = apps.get_model("customers.Customer")

    assert router.allow_relation(user_model(), customer_model()) is False
    assert router.allow_relation(customer_model(), customer_model()) is True
