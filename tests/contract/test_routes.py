"""Table-driven contract over every API route x method (README, "API"): with and without a
trailing slash and never a redirect; 401 without a token; JSON 404 for unknown URLs; 400 (never
a 500) for malformed JSON, bodies of the wrong JSON type, ids that are not UUIDs and bad pages."""

from __future__ import annotations

import re

import pytest
from django.urls import URLPattern, URLResolver, get_resolver

from .conftest import ROUTES, WRITE_METHODS, Route, both_slashes, route_cases

MISSING_TOKEN = "Token de acesso ausente. Envie 'Authorization: Bearer <token>'."
BAD_TOKEN = "Token inválido ou expirado."
NOT_FOUND = "Recurso não encontrado."
MALFORMED_JSON = "JSON malformado no corpo da requisição."
REDIRECTS = {301, 302, 303, 307, 308}
#: Words of English error messages (DRF's defaults) that never occur in Portuguese ones.
ENGLISH_WORDS = {
    "the", "this", "field", "provided", "expected", "required", "must", "invalid", "valid",
    "not", "is", "an", "and", "may", "only", "ensure", "please", "found", "method", "allowed",
}  # fmt: skip


def messages_of(error) -> list[str]:
    if isinstance(error, dict):
        return [m for value in error.values() for m in messages_of(value)]
    if isinstance(error, list):
        return [m for item in error for m in messages_of(item)]
    return [error]


def assert_portuguese(error) -> None:
    for message in messages_of(error):
        assert isinstance(message, str)
        words = set(re.findall(r"[a-z]+", message.lower()))
        assert not words & ENGLISH_WORDS, f"not Portuguese: {message!r}"


def send(client, method: str, path: str, body: str | None = None):
    if body is None and method in WRITE_METHODS:
        body = "{}"
    kwargs = {"data": body, "content_type": "application/json"} if body is not None else {}
    return getattr(client, method.lower())(path, **kwargs)


def assert_json_error(response, status: int, message: str | None = None) -> object:
    assert response.status_code == status, (response.status_code, response.content[:500])
    assert response["Content-Type"].startswith("application/json")
    body = response.json()
    assert set(body) == {"error"}
    assert_portuguese(body["error"])
    if message is not None:
        assert body["error"] == message
    return body["error"]


# --- The table is complete -----------------------------------------------------------------


def api_urls() -> dict[str, set[str]]:
    """Every URL pattern under /api and /auth (docs aside) -> the HTTP methods its view serves."""
    found: dict[str, set[str]] = {}

    def walk(patterns, prefix: str) -> None:
        for pattern in patterns:
            route = prefix + str(pattern.pattern)
            if isinstance(pattern, URLResolver):
                walk(pattern.url_patterns, route)
            elif isinstance(pattern, URLPattern) and route.startswith(("api/", "auth/")):
                view = getattr(pattern.callback, "cls", None)
                if view is None or route in {"api/schema", "api/docs"}:
                    continue
                methods = {
                    m.upper() for m in view.http_method_names if m not in {"head", "options"}
                }
                found["/" + re.sub(r"<[^>]+>", "{}", route).rstrip("/")] = {
                    m for m in methods if hasattr(view, m.lower())
                }

    walk(get_resolver().url_patterns, "")
    return found


def test_the_route_table_covers_every_api_url():
    table = {re.sub(r"\{\w+\}", "{}", r.template): set(r.methods) for r in ROUTES}

    assert api_urls() == table


# --- Authentication ------------------------------------------------------------------------


@pytest.mark.parametrize(("route", "method"), route_cases(protected_only=True))
def test_without_a_token_every_protected_route_answers_401(api_client, unknown_ids, route, method):
    for path in both_slashes(route.path(unknown_ids)):
        response = send(api_client, method, path)

        assert_json_error(response, 401, MISSING_TOKEN)
        assert response["WWW-Authenticate"].startswith("Bearer")


@pytest.mark.parametrize(("route", "method"), route_cases(protected_only=True))
def test_with_a_forged_token_every_protected_route_answers_401(
    api_client, unknown_ids, route, method
):
    api_client.credentials(HTTP_AUTHORIZATION="Bearer eyJhbGciOiJIUzI1NiJ9.e30.forged")

    for path in both_slashes(route.path(unknown_ids)):
        assert_json_error(send(api_client, method, path), 401, BAD_TOKEN)


# --- Trailing slash, no redirect -----------------------------------------------------------


@pytest.mark.parametrize("slash", ["", "/"], ids=["no-slash", "slash"])
@pytest.mark.parametrize(("route", "method"), route_cases())
def test_every_route_answers_with_and_without_slash_never_redirecting(
    auth_client, existing_ids, route, method, slash
):
    path = route.path(existing_ids) + slash

    response = send(auth_client, method, path)

    assert response.status_code not in REDIRECTS
    assert response.status_code < 500, response.content[:500]
    assert response.status_code != 404 or route.template.startswith("/auth"), (
        f"{method} {path} was not routed"
    )
    expected = "text/csv" if route.download and response.status_code == 200 else "application/json"
    assert response["Content-Type"].startswith(expected)


def _body(response):
    if response.streaming:  # a download: its bytes
        return b"".join(response.streaming_content)
    return response.json()


@pytest.mark.parametrize(("route", "method"), route_cases(methods={"GET"}))
def test_a_read_answers_the_same_with_and_without_slash(auth_client, existing_ids, route, method):
    without, with_slash = (
        send(auth_client, method, path) for path in both_slashes(route.path(existing_ids))
    )

    assert without.status_code == with_slash.status_code == 200
    assert _body(without) == _body(with_slash)


@pytest.mark.parametrize("path", ["/api/customers", "/api/customers/"])
def test_a_create_keeps_its_body_with_and_without_slash(auth_client, path):
    response = auth_client.post(path, {"ds_customer_name": "Cliente Barra"}, format="json")

    assert response.status_code == 201, response.content
    assert response.json()["customer"]["ds_customer_name"] == "Cliente Barra"


# --- Unknown URLs and methods ----------------------------------------------------------------


@pytest.mark.parametrize(
    "path",
    ["/api", "/api/", "/api/nope", "/api/nope/", "/api/customers/{customer}/nope", "/auth/nope"],
)
@pytest.mark.parametrize("method", ["GET", "POST", "DELETE"])
@pytest.mark.parametrize("authenticated", [False, True], ids=["anonymous", "authenticated"])
def test_an_unknown_api_url_is_a_json_404(
    api_client, auth_client, existing_ids, path, method, authenticated
):
    client = auth_client if authenticated else api_client

    response = send(client, method, path.format(**existing_ids))

    assert_json_error(response, 404, NOT_FOUND)


def test_an_unknown_url_outside_the_api_is_an_html_404(client):
    response = client.get("/no-such-page")

    assert response.status_code == 404
    assert response["Content-Type"].startswith("text/html")


def unserved_cases() -> list:
    return [
        pytest.param(route, method, id=f"{method} {route.template}")
        for route in ROUTES
        for method in ("GET", "POST", "PUT", "PATCH", "DELETE")
        if method not in route.methods
    ]


@pytest.mark.parametrize(("route", "method"), unserved_cases())
def test_a_method_a_route_does_not_serve_is_a_json_405(auth_client, existing_ids, route, method):
    for path in both_slashes(route.path(existing_ids)):
        message = assert_json_error(send(auth_client, method, path), 405)
        assert message == f"Método {method} não permitido neste recurso."


# --- Bad input is a 400, never a 500 ---------------------------------------------------------


def body_routes() -> list:
    """Routes that read a JSON body (the activate/reverse actions take none)."""
    return [
        case
        for case in route_cases(methods=WRITE_METHODS)
        if not case.values[0].template.endswith(("/activate", "/reverse"))
    ]


@pytest.mark.parametrize(("route", "method"), body_routes())
def test_malformed_json_is_a_400(auth_client, existing_ids, route, method):
    for path in both_slashes(route.path(existing_ids)):
        response = send(auth_client, method, path, body='{"ds_notes": "sem fim",')

        assert_json_error(response, 400, MALFORMED_JSON)


@pytest.mark.parametrize("body", ["[]", '"texto"', "42", "null", "true"])
@pytest.mark.parametrize(("route", "method"), body_routes())
def test_a_json_body_that_is_not_an_object_is_a_400(auth_client, existing_ids, route, method, body):
    response = send(auth_client, method, route.path(existing_ids), body=body)

    assert_json_error(response, 400)


def id_cases() -> list:
    """Every route x method with an id in its path, once per id made malformed."""
    cases = []
    for route in ROUTES:
        for name in re.findall(r"\{(\w+)\}", route.template):
            for method in route.methods:
                cases.append(
                    pytest.param(route, method, name, id=f"{method} {route.template} bad {name}")
                )
    return cases


@pytest.mark.parametrize("bad_id", ["abc", "123", "00000000-0000-0000-0000-00000000000Z"])
@pytest.mark.parametrize(("route", "method", "name"), id_cases())
def test_an_id_that_is_not_a_uuid_is_a_400(
    auth_client, existing_ids, route: Route, method, name, bad_id
):
    path = route.path({**existing_ids, name: bad_id})

    message = assert_json_error(send(auth_client, method, path), 400)

    assert isinstance(message, str)
    assert "UUID" in message


LIST_ROUTES = [
    ("/api/customers", "customers"),
    ("/api/products", "products"),
    ("/api/customers/{customer}/interactions", "interactions"),
    ("/api/customers/{customer}/transactions", "transactions"),
    ("/api/users", "users"),
]


@pytest.mark.parametrize(("template", "key"), LIST_ROUTES)
@pytest.mark.parametrize(
    "query", [{"page": "abc"}, {"page": "0"}, {"per_page": "-1"}, {"per_page": "x"}]
)
def test_a_bad_page_or_page_size_is_a_400(auth_client, existing_ids, template, key, query):
    response = auth_client.get(template.format(**existing_ids), query)

    error = assert_json_error(response, 400)
    assert set(error) == set(query)


@pytest.mark.parametrize(("template", "key"), LIST_ROUTES)
def test_a_page_past_the_end_is_an_empty_list(auth_client, existing_ids, template, key):
    response = auth_client.get(template.format(**existing_ids), {"page": "999", "per_page": "100"})

    assert response.status_code == 200
    body = response.json()
    assert body[key] == []
    assert (body["total"], body["pages"], body["current_page"]) == (1, 1, 999)
