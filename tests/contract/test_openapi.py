"""The OpenAPI document: valid OpenAPI 3, every seed path, the Bearer JWT scheme, and docs that
work with no internet (Swagger UI assets served by us, never a CDN)."""

from __future__ import annotations

import re

import pytest
from django.core.management import call_command
from openapi_spec_validator import validate

from .conftest import ROUTES, SEED_PATHS


@pytest.fixture
def schema(api_client) -> dict:
    response = api_client.get("/api/schema", HTTP_ACCEPT="application/vnd.oai.openapi+json")
    assert response.status_code == 200
    return response.json()


def normalised(path: str) -> str:
    """``/api/customers/{customer_id}/`` -> ``/api/customers/{}`` (trailing slash optional)."""
    return re.sub(r"\{[^}]+\}", "{}", path).rstrip("/") or "/"


def test_the_schema_is_public_and_valid_openapi_3(schema):
    validate(schema)

    assert schema["openapi"].startswith("3.")
    assert schema["info"]["title"] == "CRM Finance API"


def test_the_schema_is_served_even_with_a_stale_token(api_client):
    api_client.credentials(HTTP_AUTHORIZATION="Bearer not-a-valid-token")

    response = api_client.get("/api/schema/", {"format": "json"})

    assert response.status_code == 200
    assert "paths" in response.json()


def test_the_schema_lists_every_seed_path(schema):
    documented = {normalised(path) for path in schema["paths"]}

    assert documented >= SEED_PATHS


def test_the_schema_lists_every_route_with_its_methods(schema):
    documented = {
        normalised(path): {method.upper() for method in operations if method != "parameters"}
        for path, operations in schema["paths"].items()
    }
    expected = {normalised(route.template): set(route.methods) for route in ROUTES}

    assert documented == expected


def test_the_schema_declares_the_bearer_jwt_scheme_on_protected_operations(schema):
    schemes = schema["components"]["securitySchemes"]
    bearer = [name for name, scheme in schemes.items() if scheme.get("scheme") == "bearer"]

    assert bearer == ["jwtAuth"]
    assert schemes["jwtAuth"]["type"] == "http"
    assert schemes["jwtAuth"]["bearerFormat"] == "JWT"
    for route in ROUTES:
        path = next(p for p in schema["paths"] if normalised(p) == normalised(route.template))
        for method in route.methods:
            security = schema["paths"][path][method.lower()].get("security", [])
            if route.public:
                assert {"jwtAuth": []} not in security, f"{method} {path}"
            else:
                assert {"jwtAuth": []} in security, f"{method} {path}"


def test_the_docs_page_loads_every_asset_from_this_server(api_client):
    response = api_client.get("/api/docs")

    assert response.status_code == 200
    assert response["Content-Type"].startswith("text/html")
    html = response.content.decode()
    assets = re.findall(r"""<(?:script|link)\b[^>]*\b(?:src|href)=["']([^"']+)["']""", html)
    assert any(a.endswith("swagger-ui-bundle.js") for a in assets)
    assert any(a.endswith("swagger-ui.css") for a in assets)
    # The page's own init script is served by the docs view itself (split, for the
    # Content-Security-Policy: no inline script); everything else is the bundled Swagger UI.
    assert "/api/docs?script=" in assets
    for asset in assets:
        assert (
            asset.startswith("/static/drf_spectacular_sidecar/") or asset == "/api/docs?script="
        ), asset
    script = api_client.get("/api/docs?script=")
    assert script.status_code == 200
    assert script["Content-Type"].startswith("application/javascript")
    assert "SwaggerUIBundle" in script.content.decode()
    assert not re.search(r"https?://(?!127\.0\.0\.1|localhost)", html.split("<body>")[0])
    assert "cdn." not in html


@pytest.mark.parametrize(
    "asset",
    [
        "swagger-ui-dist/swagger-ui-bundle.js",
        "swagger-ui-dist/swagger-ui-standalone-preset.js",
        "swagger-ui-dist/swagger-ui.css",
    ],
)
def test_the_docs_assets_are_served(client, asset):
    response = client.get(f"/static/drf_spectacular_sidecar/{asset}")

    assert response.status_code == 200
    assert b"".join(response.streaming_content) if response.streaming else response.content


def test_the_schema_generates_without_a_single_warning(tmp_path):
    # Warnings are how drf-spectacular says "I guessed" (an unknown authenticator, an
    # unresolvable serializer...): the document must not rest on guesses.
    call_command(
        "spectacular", validate=True, fail_on_warn=True, file=str(tmp_path / "schema.yaml")
    )

    assert (tmp_path / "schema.yaml").read_text().startswith("openapi: 3")


@pytest.mark.parametrize(
    "template",
    [
        "/api/customers",
        "/api/products",
        "/api/customers/{}/interactions",
        "/api/customers/{}/transactions",
        "/api/customers/{}/history",
        "/api/products/{}/history",
    ],
)
def test_every_list_documents_its_pagination(schema, template):
    path = next(p for p in schema["paths"] if normalised(p) == template)
    parameters = {p["name"]: p for p in schema["paths"][path]["get"]["parameters"]}

    assert parameters["page"]["in"] == parameters["per_page"]["in"] == "query"
    assert parameters["page"]["schema"]["type"] == parameters["per_page"]["schema"]["type"]
    assert parameters["page"]["schema"]["type"] == "integer"
    assert parameters["cursor"]["in"] == "query"
    assert parameters["cursor"]["schema"]["type"] == "string"


@pytest.mark.parametrize(
    "template",
    [
        "/api/customers",
        "/api/products",
        "/api/customers/{}/interactions",
        "/api/customers/{}/transactions",
    ],
)
def test_every_list_envelope_documents_next_cursor(schema, template):
    path = next(p for p in schema["paths"] if normalised(p) == template)
    content = schema["paths"][path]["get"]["responses"]["200"]["content"]
    reference = content["application/json"]["schema"]["$ref"].rsplit("/", 1)[-1]
    envelope = schema["components"]["schemas"][reference]

    assert envelope["properties"]["next_cursor"]["type"] == "string"
    assert envelope["properties"]["next_cursor"]["nullable"] is True
    assert "next_cursor" in envelope["required"]
    # Cursor answers leave the (uncounted) total and pages out.
    assert {"total", "pages"}.isdisjoint(envelope["required"])


def test_every_error_response_uses_the_one_error_schema(schema):
    error_schemas = {
        name
        for name, component in schema["components"]["schemas"].items()
        if set(component.get("properties", {})) == {"error"}
    }
    references = {
        content["schema"].get("$ref")
        for operations in schema["paths"].values()
        for method, operation in operations.items()
        if method != "parameters"
        for status, response in operation["responses"].items()
        if status.startswith(("4", "5"))
        for content in response.get("content", {}).values()
    }

    assert error_schemas == {"Erro"}
    assert references == {"#/components/schemas/Erro"}


def test_every_operation_is_tagged_in_portuguese(schema):
    tags = {
        tag
        for operations in schema["paths"].values()
        for method, operation in operations.items()
        if method != "parameters" and "/api/schema" not in str(operation.get("operationId"))
        for tag in operation.get("tags", [])
    }

    assert {"Clientes", "Produtos", "Interações", "Lançamentos", "Autenticação"} <= tags
    assert "ledger" not in tags
