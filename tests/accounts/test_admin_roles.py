"""The admin site by role: each staff user sees and does what their role's permissions allow
(Django's own permission checks, custom actions and the hard delete included)."""

from __future__ import annotations

from decimal import Decimal

import pytest
from django.apps import apps
from django.test import Client

from tests.conftest import with_role

ROLES = ("viewer", "sales", "manager", "admin")


@pytest.fixture
def staff(django_user_model, password) -> dict[str, Client]:
    clients = {}
    for role in ROLES:
        user = django_user_model.objects.create_user(
            ds_user_email=f"{role}@example.com", password=password, ds_user=role, is_staff=True
        )
        with_role(user, role)
        client = Client()
        client.force_login(user)
        clients[role] = client
    return clients


@pytest.fixture
def rows(staff) -> dict[str, str]:
    customer = apps.get_model("customers", "Customer").objects.create(ds_customer_name="Loja")
    product = apps.get_model("products", "Product").objects.create(
        ds_product_name="Item", vr_price=Decimal("1.00")
    )
    return {"customer": str(customer.pk), "product": str(product.pk)}


PAGES = [
    # (url, roles allowed)
    ("/admin/", set(ROLES)),
    ("/admin/customers/customer/", set(ROLES)),
    ("/admin/customers/customer/add/", {"sales", "manager", "admin"}),
    ("/admin/customers/customer/{customer}/change/", set(ROLES)),
    ("/admin/customers/customer/{customer}/delete/", {"manager", "admin"}),
    ("/admin/products/product/", set(ROLES)),
    ("/admin/products/product/add/", {"manager", "admin"}),
    ("/admin/products/product/{product}/delete/", {"manager", "admin"}),
    ("/admin/interactions/interaction/", set(ROLES)),
    ("/admin/interactions/transaction/", set(ROLES)),
    ("/admin/accounts/user/", {"admin"}),
    ("/admin/accounts/user/add/", {"admin"}),
    ("/admin/auth/group/", {"admin"}),
]


@pytest.mark.parametrize("role", ROLES)
@pytest.mark.parametrize(("url", "allowed"), PAGES, ids=[page for page, _ in PAGES])
def test_each_admin_page_opens_only_for_the_roles_that_may(staff, rows, role, url, allowed):
    response = staff[role].get(url.format(**rows))

    assert response.status_code == (200 if role in allowed else 403), response.status_code


def actions_offered(client: Client, url: str) -> set[str]:
    response = client.get(url)
    if response.status_code != 200 or response.context.get("action_form") is None:
        return set()
    return {name for name, _label in response.context["action_form"].fields["action"].choices}


@pytest.mark.parametrize(
    ("role", "expected"),
    [
        ("viewer", set()),
        ("sales", {"activate_customers", "deactivate_customers"}),
        ("manager", {"activate_customers", "deactivate_customers"}),
    ],
)
def test_customer_actions_follow_the_change_permission(staff, rows, role, expected):
    offered = actions_offered(staff[role], "/admin/customers/customer/") - {""}

    assert offered == expected


@pytest.mark.parametrize(
    ("role", "may_reverse"),
    [("viewer", False), ("sales", False), ("manager", True), ("admin", True)],
)
def test_only_managers_and_admins_are_offered_the_reversal(staff, rows, role, may_reverse):
    apps.get_model("interactions", "Transaction").objects.create(
        cd_customer=rows["customer"],
        cd_user=rows["customer"],
        vr_transaction=Decimal("5.00"),
        id_transaction_type=1,
    )

    offered = actions_offered(staff[role], "/admin/interactions/transaction/")

    assert ("reverse_selected" in offered) is may_reverse


def test_a_viewer_posting_a_customer_action_changes_nothing(staff, rows):
    response = staff["viewer"].post(
        "/admin/customers/customer/",
        {"action": "deactivate_customers", "_selected_action": [rows["customer"]]},
    )

    assert response.status_code in {200, 302, 403}
    customer = apps.get_model("customers", "Customer").objects.get(pk=rows["customer"])
    assert customer.is_customer_active is True


def test_sales_cannot_hard_delete_from_the_admin(staff, rows):
    response = staff["sales"].post(
        f"/admin/customers/customer/{rows['customer']}/delete/", {"post": "yes"}
    )

    assert response.status_code == 403
    assert apps.get_model("customers", "Customer").objects.filter(pk=rows["customer"]).exists()
