"""The DRF browsable API renders the customers endpoints for a staff session."""

from __future__ import annotations


def test_browsable_list_and_detail_render_for_a_logged_in_staff_member(
    client, staff_user, make_customer
):
    customer = make_customer(ds_customer_name="Ana Souza")
    client.force_login(staff_user)

    listing = client.get("/api/customers/", HTTP_ACCEPT="text/html")
    detail = client.get(f"/api/customers/{customer.pk}", HTTP_ACCEPT="text/html")

    assert listing.status_code == 200
    assert listing["Content-Type"].startswith("text/html")
    assert "Ana Souza" in listing.content.decode()
    assert detail.status_code == 200
    assert "Ana Souza" in detail.content.decode()
