"""The DRF browsable API works on every endpoint for staff logged in with Django's session
(alongside JWT for API clients): every readable route renders as an HTML page."""

from __future__ import annotations

import re

import pytest
from django.test import Client

from .conftest import ROUTES, route_cases


@pytest.fixture
def staff_browser(staff_user) -> Client:
    browser = Client()
    browser.force_login(staff_user)
    return browser


@pytest.mark.parametrize(
    ("route", "method"), route_cases(protected_only=True, methods={"GET"}, pages_only=True)
)
def test_every_readable_route_renders_in_the_browser_for_a_logged_in_user(
    staff_browser, existing_ids, route, method
):
    response = staff_browser.get(route.path(existing_ids), HTTP_ACCEPT="text/html")

    assert response.status_code == 200
    assert response["Content-Type"].startswith("text/html")
    html = response.content.decode()
    assert 'class="response-info"' in html  # DRF's browsable page, not an error page
    assert "/static/rest_framework/" in html


@pytest.mark.parametrize(
    "route", [route for route in ROUTES if route.download], ids=lambda route: route.template
)
def test_every_download_route_answers_a_file_to_a_logged_in_user(
    staff_browser, existing_ids, route
):
    response = staff_browser.get(route.path(existing_ids), HTTP_ACCEPT="text/html")

    assert response.status_code == 200
    assert response["Content-Type"].startswith("text/csv")
    assert response["Content-Disposition"].startswith("attachment;")


def test_a_browser_without_a_session_gets_the_401_page_not_a_crash(existing_ids):
    response = Client().get("/api/customers/", HTTP_ACCEPT="text/html")

    assert response.status_code == 401
    assert "Token de acesso ausente" in response.content.decode()


@pytest.fixture
def csrf_browser(staff_user) -> Client:
    browser = Client(enforce_csrf_checks=True)
    browser.force_login(staff_user)
    return browser


def test_a_session_write_without_the_csrf_token_is_a_403_in_portuguese(csrf_browser):
    response = csrf_browser.post(
        "/api/customers/", {"ds_customer_name": "Sem Token"}, content_type="application/json"
    )

    assert response.status_code == 403
    assert response.json() == {
        "error": "Falha na verificação CSRF. Recarregue a página e tente de novo, "
        "ou envie 'Authorization: Bearer <token>'."
    }


def test_the_browsable_form_posts_with_its_csrf_token(csrf_browser):
    page = csrf_browser.get("/api/customers/", HTTP_ACCEPT="text/html").content.decode()
    token = re.search(r'name="csrfmiddlewaretoken" value="([^"]+)"', page).group(1)

    response = csrf_browser.post(
        "/api/customers/",
        {"ds_customer_name": "Cliente Formulário", "csrfmiddlewaretoken": token},
        HTTP_ACCEPT="text/html",
    )

    assert response.status_code == 201
    assert "Cliente Formulário" in response.content.decode()
