"""Roles: the groups and what they hold, ds_role everywhere, changes that apply at once, and the
permission check that reads no database row per request."""

from __future__ import annotations

import importlib
from types import SimpleNamespace

import pytest
from django.apps import apps
from django.contrib.auth.models import Group, Permission
from django.core.management import call_command
from django.db import connections
from django.test.utils import CaptureQueriesContext
from rest_framework.test import APIClient

from domains.accounts import roles, services
from tests.conftest import bearer_for, with_role

from .conftest import login

FORBIDDEN = {"error": "Você não tem permissão para executar esta ação."}


def client_for(user) -> APIClient:
    client = APIClient()
    client.credentials(HTTP_AUTHORIZATION=bearer_for(user))
    return client


@pytest.fixture
def make_user(django_user_model, password):
    def make(role: str | None, email: str | None = None):
        created = django_user_model.objects.create_user(
            ds_user_email=email or f"{role}@example.com", password=password, ds_user=f"{role}"
        )
        return with_role(created, role) if role else created

    return make


def group_permissions(name: str) -> set[str]:
    group = Group.objects.get(name=name)
    return {
        f"{p.content_type.app_label}.{p.codename}"
        for p in group.permissions.select_related("content_type")
    }


# --- The groups ---------------------------------------------------------------------------------


@pytest.mark.parametrize("role", roles.ROLES)
def test_migrate_creates_each_role_with_its_permissions(role):
    assert group_permissions(role) == set(roles.ROLE_PERMISSIONS[role])


def test_the_admin_role_holds_every_permission_there_is():
    every = {
        f"{p.content_type.app_label}.{p.codename}"
        for p in Permission.objects.select_related("content_type")
    }

    assert group_permissions("admin") == every


def test_the_roles_table_knows_every_model_and_its_custom_permissions():
    # A new model (or custom permission) must be listed in roles.MODELS, and so reach the admin.
    known = {
        (model._meta.app_label, model._meta.model_name): tuple(model._meta.permissions)
        for model in apps.get_models()
    }

    assert {key: custom for key, (_verbose, custom) in roles.MODELS.items()} == known


def test_sales_cannot_hard_delete_reverse_or_see_the_summary_and_viewer_only_reads():
    sales, viewer = group_permissions("sales"), group_permissions("viewer")

    assert (
        not {
            "customers.hard_delete_customer",
            "products.hard_delete_product",
            "products.add_product",
            "products.change_product",
            "interactions.reverse_transaction",
            "interactions.view_ledger_summary",
        }
        & sales
    )
    assert all(permission.split(".")[1].startswith("view_") for permission in viewer)
    assert "interactions.view_ledger_summary" not in viewer


def test_a_missing_role_comes_back_with_migrate_and_an_edited_one_is_left_alone():
    # given: an admin removed a permission from "viewer" and someone deleted "sales"
    Group.objects.get(name="viewer").permissions.remove(
        Permission.objects.get(codename="view_product")
    )
    Group.objects.filter(name="sales").delete()

    call_command("migrate", verbosity=0)

    assert group_permissions("sales") == set(roles.ROLE_PERMISSIONS["sales"])
    assert "products.view_product" not in group_permissions("viewer")


def test_an_admin_group_made_before_the_event_tables_gets_their_permissions():
    """accounts 0005: a database whose admin group was created by 0004_roles before the event
    tables existed (customers/products outbox, interactions inbox) gets their permissions, and
    what the group held stays."""
    migration = importlib.import_module(
        "domains.accounts.migrations.0005_admin_event_tables_permissions"
    )
    admin = Group.objects.get(name="admin")
    event_permissions = [
        permission
        for permission in admin.permissions.select_related("content_type")
        if (permission.content_type.app_label, permission.content_type.model)
        in migration.EVENT_TABLES
    ]
    assert len(event_permissions) == 4 * len(migration.EVENT_TABLES)
    admin.permissions.remove(*event_permissions)  # as a group made before those tables
    admin.permissions.remove(Permission.objects.get(codename="view_product"))  # an admin's edit
    before = group_permissions("admin")

    migration.grant(apps, SimpleNamespace(connection=connections[admin._state.db]))

    gained = group_permissions("admin") - before
    assert gained == {
        f"{label}.{p.codename}" for p in event_permissions for label in [p.content_type.app_label]
    }
    assert "products.view_product" not in group_permissions("admin")
    assert group_permissions("viewer") == set(roles.ROLE_PERMISSIONS["viewer"])  # only admin


# --- ds_role everywhere ------------------------------------------------------------------------


@pytest.mark.parametrize("role", roles.ROLES)
def test_me_and_login_show_the_role(make_user, password, role):
    user = make_user(role)

    me = client_for(user).get("/auth/me")
    logged_in = login(APIClient(), user.ds_user_email, password)

    assert me.json()["user"]["ds_role"] == role
    assert logged_in.json()["user"]["ds_role"] == role


def test_a_user_without_a_role_has_none_and_may_only_ask_who_they_are(make_user):
    user = make_user(None, email="semrole@example.com")
    client = client_for(user)

    assert client.get("/auth/me").json()["user"]["ds_role"] is None
    assert client.get("/api/customers").status_code == 403


def test_createsuperuser_makes_an_admin(django_user_model):
    call_command(
        "createsuperuser",
        interactive=False,
        ds_user_email="root@example.com",
        ds_user="Root",
        verbosity=0,
    )

    root = django_user_model.objects.get(ds_user_email="root@example.com")
    assert root.ds_role == "admin"
    assert root.groups.filter(name="admin").exists()


def test_a_user_in_several_role_groups_shows_the_strongest(make_user):
    user = make_user("viewer")
    user.groups.add(Group.objects.get(name="manager"))

    assert client_for(user).get("/auth/me").json()["user"]["ds_role"] == "manager"


# --- Changes apply at once, and the hot path reads no row ----------------------------------------


def test_a_role_change_applies_to_the_very_next_request(make_user):
    user = make_user("viewer")
    client = client_for(user)
    assert client.post("/api/customers", {"ds_customer_name": "Loja"}, format="json").json() == (
        FORBIDDEN
    )

    with_role(user, "sales")

    # The change revokes the tokens issued under the old role (README "Token revocation")...
    refused = client.post("/api/customers", {"ds_customer_name": "Loja"}, format="json")
    assert refused.status_code == 401
    # ...and a new token carries the new role's rights at once.
    client = client_for(user)
    created = client.post("/api/customers", {"ds_customer_name": "Loja"}, format="json")
    assert created.status_code == 201
    with_role(user, "viewer")
    client = client_for(user)
    assert client.post("/api/customers", {"ds_customer_name": "Loja 2"}, format="json").json() == (
        FORBIDDEN
    )


def test_editing_a_roles_permissions_in_the_admin_applies_at_once(make_user):
    user = make_user("viewer")
    client = client_for(user)
    assert client.get("/api/products").status_code == 200

    Group.objects.get(name="viewer").permissions.remove(
        Permission.objects.get(codename="view_product")
    )

    assert client.get("/api/products").json() == FORBIDDEN
    assert client.get("/api/customers").status_code == 200


def test_a_deactivated_user_is_refused_at_once(make_user):
    user = make_user("manager")
    client = client_for(user)
    assert client.get("/api/customers").status_code == 200

    services.user_set_active(user_ids=[user.pk], is_active=False)

    assert client.get("/api/customers").status_code in {401, 403}
    assert client.post("/api/customers", {"ds_customer_name": "X"}, format="json").status_code in {
        401,
        403,
    }


def test_the_permission_check_reads_no_accounts_row_once_cached(make_user):
    client = client_for(make_user("sales"))
    client.get("/api/customers")  # fills the cache

    with CaptureQueriesContext(connections["default"]) as accounts_queries:
        response = client.get("/api/customers")

    assert response.status_code == 200
    assert accounts_queries.captured_queries == []


def test_a_refusal_speaks_english_when_asked(make_user):
    response = client_for(make_user("viewer")).post(
        "/api/customers", {"ds_customer_name": "X"}, format="json", HTTP_ACCEPT_LANGUAGE="en"
    )

    assert response.status_code == 403
    assert response.json() == {"error": "You do not have permission to perform this action."}


# --- Each role's key refusals and allowances ----------------------------------------------------


@pytest.fixture
def customer_with_entry(make_user):
    """A customer with one ledger entry, recorded by a manager through the API."""
    manager = client_for(make_user("manager", email="gerente@example.com"))
    customer = manager.post("/api/customers", {"ds_customer_name": "Padaria"}, format="json")
    cd_customer = customer.json()["customer"]["cd_customer"]
    entry = manager.post(
        f"/api/customers/{cd_customer}/transactions",
        {"vr_transaction": "10.00", "id_transaction_type": 1},
        format="json",
    )
    return cd_customer, entry.json()["transaction"]["cd_transaction"]


def test_sales_records_entries_but_neither_reverses_nor_hard_deletes(
    make_user, customer_with_entry
):
    cd_customer, cd_transaction = customer_with_entry
    sales = client_for(make_user("sales"))

    posted = sales.post(
        f"/api/customers/{cd_customer}/transactions",
        {"vr_transaction": "5.00", "id_transaction_type": 2},
        format="json",
    )
    reversed_ = sales.post(f"/api/customers/{cd_customer}/transactions/{cd_transaction}/reverse")
    hard = sales.delete(f"/api/customers/{cd_customer}?hard_delete=TRUE")
    summary = sales.get("/api/transactions/summary")
    product = sales.post(
        "/api/products", {"ds_product_name": "Novo", "vr_price": "1.00"}, format="json"
    )
    soft = sales.delete(f"/api/customers/{cd_customer}")

    assert posted.status_code == 201
    assert [r.status_code for r in (reversed_, hard, summary, product)] == [403] * 4
    assert soft.status_code == 200  # deactivating is a change, which sales may do


def test_manager_reverses_and_reads_the_summary(make_user, customer_with_entry):
    cd_customer, cd_transaction = customer_with_entry
    manager = client_for(make_user("manager"))

    reversed_ = manager.post(f"/api/customers/{cd_customer}/transactions/{cd_transaction}/reverse")
    summary = manager.get("/api/transactions/summary")
    users = manager.get("/api/users")

    assert (reversed_.status_code, summary.status_code, users.status_code) == (201, 200, 403)


def test_viewer_reads_everything_a_customer_has_and_writes_nothing(make_user, customer_with_entry):
    cd_customer, _ = customer_with_entry
    viewer = client_for(make_user("viewer"))

    reads = [
        viewer.get(path).status_code
        for path in (
            "/api/customers",
            f"/api/customers/{cd_customer}",
            f"/api/customers/{cd_customer}/interactions",
            f"/api/customers/{cd_customer}/transactions",
            f"/api/customers/{cd_customer}/balance",
            "/api/products",
        )
    ]
    writes = [
        viewer.post(
            f"/api/customers/{cd_customer}/interactions",
            {"ds_notes": "Ligou hoje", "id_interaction_type": "ligacao"},
            format="json",
        ).status_code,
        viewer.patch(f"/api/customers/{cd_customer}/activate").status_code,
        viewer.delete(f"/api/customers/{cd_customer}").status_code,
    ]

    assert reads == [200] * 6
    assert writes == [403] * 3


def test_a_refused_write_changes_nothing(make_user, customer_with_entry):
    cd_customer, _ = customer_with_entry
    customers = apps.get_model("customers", "Customer")

    response = client_for(make_user("sales")).delete(
        f"/api/customers/{cd_customer}?hard_delete=true"
    )

    assert response.status_code == 403
    assert customers.objects.filter(pk=cd_customer, is_customer_active=True).exists()
