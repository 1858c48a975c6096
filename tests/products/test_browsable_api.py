"""The DRF browsable API renders every products endpoint for staff logged in by session."""

from __future__ import annotations

import pytest

HTML = "text/html"


@pytest.fixture
def staff_browser(client, staff_user):
    client.force_login(staff_user)
    return client


def test_the_list_renders_as_html(staff_browser, make_product):
    make_product(name="Caneta Azul")

    response = staff_browser.get("/api/products/", HTTP_ACCEPT=HTML)

    assert response.status_code == 200
    assert response["Content-Type"].startswith(HTML)
    content = response.content.decode()
    assert "Caneta Azul" in content
    assert "ds_product_name" in content


def test_the_detail_renders_as_html(staff_browser, make_product):
    product = make_product(name="Caneta Azul")

    response = staff_browser.get(f"/api/products/{product.cd_product}", HTTP_ACCEPT=HTML)

    assert response.status_code == 200
    assert "Caneta Azul" in response.content.decode()


def test_errors_render_as_html_too(staff_browser):
    response = staff_browser.get("/api/products/nao-e-uuid", HTTP_ACCEPT=HTML)

    assert response.status_code == 400
    assert "não é um UUID válido" in response.content.decode()


def test_staff_creates_a_product_through_the_browsable_api_form(staff_browser):
    response = staff_browser.post(
        "/api/products/",
        {"ds_product_name": "Caneta Azul", "vr_price": "3.10", "id_product_type": "produto"},
        HTTP_ACCEPT=HTML,
    )

    assert response.status_code == 201
    assert "Produto criado com sucesso." in response.content.decode()
