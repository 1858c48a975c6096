"""An unhandled exception is a JSON 500 under /api and /auth (``handler500``), never Django's
HTML page or a stack trace; elsewhere (admin, pages) it stays an HTML 500."""

from __future__ import annotations

import pytest
from django.test import Client

pytestmark = pytest.mark.urls("tests.contract.crash_urls")


@pytest.fixture
def crash_client() -> Client:
    # A real server answers a crash with handler500; the test client would re-raise it.
    return Client(raise_request_exception=False)


@pytest.mark.parametrize(
    "path",
    ["/api/__crash__/django", "/api/__crash__/drf", "/api/__crash__/drf/", "/auth/__crash__"],
)
def test_a_crash_under_the_api_is_a_json_500(crash_client, path):
    response = crash_client.get(path)

    assert response.status_code == 500
    assert response["Content-Type"].startswith("application/json")
    assert response.json() == {"error": "Erro interno do servidor."}
    assert b"boom" not in response.content
    assert b"Traceback" not in response.content


def test_a_crash_outside_the_api_is_an_html_500(crash_client):
    response = crash_client.get("/__crash__")

    assert response.status_code == 500
    assert response["Content-Type"].startswith("text/html")
    assert b"boom" not in response.content


def test_the_crash_urlconf_keeps_the_real_routes(crash_client):
    # The planted URLconf is the real one plus the crashing views: the API still answers.
    response = crash_client.get("/api/customers")

    assert response.status_code == 401
