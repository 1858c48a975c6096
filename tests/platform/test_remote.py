"""``crm.remote`` in the monolith: the gateways are the interfaces themselves (no HTTP), the JSON
of the interfaces' plain data goes and comes back unchanged, service tokens stay on their side,
and a cut without the addresses it needs refuses to start. Across processes:
``test_split_processes.py``."""

from __future__ import annotations

import datetime as dt
import typing
import uuid
from decimal import Decimal

import pytest
from django.core.exceptions import ImproperlyConfigured
from rest_framework.test import APIClient

from crm import hooks, remote
from crm.api.authentication import TokenState
from domains.accounts import interface as accounts
from domains.customers import interface as customers
from domains.interactions import gateways as interactions_gateways
from domains.interactions import interface as interactions
from domains.products import interface as products

from .sandbox import describe, manage, process_env


def test_in_the_monolith_the_gateways_are_the_interface_functions_themselves():
    assert interactions_gateways.customer_get_summary is customers.customer_get_summary
    assert interactions_gateways.product_get_summary is products.product_get_summary
    assert interactions_gateways.user_names is accounts.user_names
    assert remote.gateway("customers", customers) is customers


@pytest.mark.parametrize(
    ("value", "hint"),
    [
        (
            {
                uuid.uuid4(): customers.CustomerSummary(
                    cd_customer=uuid.uuid4(), ds_customer_name="Ana", is_customer_active=False
                )
            },
            dict[uuid.UUID, customers.CustomerSummary],
        ),
        (
            interactions.CustomerActivity(
                cd_customer=uuid.uuid4(),
                interactions=(
                    interactions.InteractionEntry(
                        cd_interaction=uuid.uuid4(),
                        cd_user=uuid.uuid4(),
                        ds_user=None,
                        ds_notes="Ligação",
                        id_interaction_type="ligacao",
                        dt_interaction=dt.datetime(2026, 11, 2, 10, 30, tzinfo=dt.UTC),
                    ),
                ),
                balance=interactions.CustomerBalance(
                    vr_total_entradas=Decimal("10.10"),
                    vr_total_saidas=Decimal("0.00"),
                    vr_saldo=Decimal("10.10"),
                    qt_transactions=1,
                ),
            ),
            interactions.CustomerActivity,
        ),
        (
            TokenState(is_active=True, token_version=3, revoked=frozenset({"a", "b"})),
            TokenState | None,
        ),
        (None, TokenState | None),
        (frozenset({"customers.view_customer"}), frozenset[str]),
    ],
)
def test_plain_data_survives_the_trip_through_json(value, hint):
    import json

    assert remote.load(json.loads(json.dumps(remote.dump(value))), hint) == value


def test_money_travels_as_a_string_never_a_float():
    assert remote.dump(Decimal("0.10")) == "0.10"
    assert remote.load("0.10", Decimal) == Decimal("0.10")


def test_every_function_of_an_internal_api_is_typed_plain_data():
    for module in (accounts, customers, products, interactions):
        for name in module.INTERNAL_API:
            hints = typing.get_type_hints(getattr(module, name))
            assert "return" in hints, (module.__name__, name)


def test_a_remote_interface_refuses_a_function_it_does_not_export():
    stand_in = remote.RemoteInterface("customers", customers)

    assert stand_in.CustomerNotFound is customers.CustomerNotFound
    assert stand_in.HARD_DELETE_GUARD == customers.HARD_DELETE_GUARD
    with pytest.raises(ImproperlyConfigured, match="INTERNAL_API"):
        _ = stand_in.customers_import


def test_the_declared_hook_providers_are_what_the_domains_register(settings):
    registered = {
        kind: {
            topic: tuple(sorted({hooks.provider_domain(p) for p in providers}))
            for topic, providers in table.items()
            if providers
        }
        for kind, table in (("guards", hooks.registry.guards), ("panels", hooks.registry.panels))
    }

    declared = {
        kind: {topic: tuple(sorted(owners)) for topic, owners in table.items()}
        for kind, table in settings.CRM_HOOK_PROVIDERS.items()
    }
    assert registered == declared
    assert hooks.remote_providers("guards", "customer.hard_delete") == []  # monolith: none


def test_a_service_token_is_refused_on_the_public_api():
    client = APIClient()
    client.credentials(HTTP_AUTHORIZATION=f"Bearer {remote.service_token_issue()}")

    response = client.get("/api/customers")

    assert response.status_code == 401
    assert set(response.json()) == {"error"}


def test_an_expired_service_token_is_refused_on_the_internal_api(settings):
    from rest_framework_simplejwt.backends import TokenBackend

    backend = TokenBackend("HS256", signing_key=settings.CRM_SERVICE_KEY, audience="crm-internal")
    expired = backend.encode(
        {"aud": "crm-internal", "exp": 1_000_000, "iat": 999_000, "token_type": "service"}
    )
    client = APIClient()
    client.credentials(HTTP_AUTHORIZATION=f"Bearer {expired}")

    response = client.post(
        "/internal/customers/customer_summaries", {"customer_ids": []}, format="json"
    )

    assert response.status_code == 401
    assert set(response.json()) == {"error"}


def test_a_cut_without_the_address_of_a_domain_it_does_not_serve_refuses_to_start(
    app_copy, tmp_path
):
    env = process_env(
        app_copy,
        tmp_path / "var",
        DEBUG="true",
        CRM_DOMAINS="interactions",
        CRM_REMOTE_ACCOUNTS_URL="http://127.0.0.1:8151",
    )

    result = manage("check", root=app_copy, env=env)

    assert result.returncode != 0, describe(result)
    assert "CRM_REMOTE_CUSTOMERS_URL" in result.stderr
    assert "CRM_REMOTE_PRODUCTS_URL" in result.stderr


def test_an_unknown_domain_is_refused(app_copy, tmp_path):
    env = process_env(app_copy, tmp_path / "var", DEBUG="true", CRM_DOMAINS="customers,billing")

    result = manage("check", root=app_copy, env=env)

    assert result.returncode != 0
    assert "unknown: billing" in result.stderr


def test_a_process_that_does_not_answer_is_a_503_and_an_admin_lookup_shows_nothing(settings):
    from crm.admin import unless_unavailable
    from crm.api.exceptions import ServiceUnavailable

    settings.CRM_REMOTE_RETRIES = 1
    nobody = remote.RemoteClient("customers", "http://127.0.0.1:8159")  # nothing listens

    with pytest.raises(ServiceUnavailable) as refused:
        nobody.post("customer_summaries", {"customer_ids": []})

    assert refused.value.status_code == 503
    assert "indisponível" in str(refused.value.message)
    assert unless_unavailable(lambda: nobody.post("customer_summaries", {})) == {}


def test_the_internal_api_is_not_in_the_public_schema_and_answers_json_404s():
    client = APIClient()

    schema = client.get("/api/schema", HTTP_ACCEPT="application/json")
    unknown = client.post("/internal/customers/no_such_function", {}, format="json")

    assert schema.status_code == 200
    assert not [path for path in schema.json()["paths"] if path.startswith("/internal")]
    assert "/api/customers/" in schema.json()["paths"]
    assert unknown.status_code == 404
    assert set(unknown.json()) == {"error"}


def test_a_split_process_without_a_service_key_refuses_to_start(app_copy, tmp_path):
    env = process_env(
        app_copy,
        tmp_path / "var",
        DEBUG="false",
        SECRET_KEY="remote-test-secret-0123456789abcdef0123456789",
        JWT_SECRET_KEY="remote-test-jwt-key-0123456789abcdef0123456789",
        CRM_DOMAINS="accounts,customers,products",
        CRM_REMOTE_INTERACTIONS_URL="http://127.0.0.1:8154",
    )

    result = manage("check", root=app_copy, env=env)

    assert result.returncode != 0, describe(result)
    assert "CRM_SERVICE_KEY is missing" in result.stderr
