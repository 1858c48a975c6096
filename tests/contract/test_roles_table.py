"""Every route x method x role answers as README's "Roles and permissions" table says.

The table is read from README.md itself, and the routes from the URLconf: a route without a row
(a new view nobody gave a rule) fails ``test_the_readme_table_names_every_route``, a row whose
cell lies fails the walk, and a view that declares no rule is refused by the default
permission class (``test_a_view_without_a_rule_is_refused_to_everyone``).
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from pathlib import Path

import pytest
from django.conf import settings
from django.urls import URLPattern, URLResolver, get_resolver
from rest_framework.test import APIClient, APIRequestFactory
from rest_framework.views import APIView

from tests.conftest import bearer_for, with_role

README = Path(settings.BASE_DIR) / "README.md"
ROLES = ("viewer", "sales", "manager", "admin")
FORBIDDEN = "Você não tem permissão para executar esta ação."
CLOSED = "O cadastro de usuários está fechado; peça a um administrador."
PLACEHOLDERS = {
    "<cd_customer>": "customer",
    "<cd_product>": "product",
    "<cd_interaction>": "interaction",
    "<cd_transaction>": "transaction",
    "<cd_user>": "user",
}


@dataclass(frozen=True)
class Row:
    method: str
    path: str  # README's, e.g. /api/customers/<cd_customer>?hard_delete=true
    cells: dict[str, str]  # role -> "✓" | "—" | "open" | "public"

    @property
    def route(self) -> tuple[str, str]:
        """(method, path with "{}" for every id, no query): how the URLconf is compared."""
        return self.method, re.sub(r"<[^>]+>", "{}", self.path.split("?")[0])

    def url(self, ids: dict[str, str]) -> str:
        url = self.path
        for placeholder, name in PLACEHOLDERS.items():
            url = url.replace(placeholder, ids[name])
        return url


def readme_rows() -> list[Row]:
    text = README.read_text(encoding="utf-8")
    section = text.split("### Roles and permissions", 1)[1].split("\n### ", 1)[0]
    rows = []
    for line in section.splitlines():
        found = re.match(r"^\| `(GET|POST|PUT|PATCH|DELETE) (/\S+)` \|(.*)\|\s*$", line)
        if found:
            cells = [cell.strip() for cell in found.group(3).split("|")]
            assert len(cells) == len(ROLES), line
            rows.append(Row(found.group(1), found.group(2), dict(zip(ROLES, cells, strict=True))))
    return rows


ROWS = readme_rows()


def served_routes() -> set[tuple[str, str]]:
    """(method, path) of every DRF view under /api and /auth, from the URLconf."""
    found = set()

    def walk(patterns, prefix: str) -> None:
        for pattern in patterns:
            route = prefix + str(pattern.pattern)
            if isinstance(pattern, URLResolver):
                walk(pattern.url_patterns, route)
            elif isinstance(pattern, URLPattern) and route.startswith(("api/", "auth/")):
                view = getattr(pattern.callback, "cls", None)
                assert view is not None, f"/{route} is not a DRF view: give it a rule"
                path = "/" + re.sub(r"<[^>]+>", "{}", route).rstrip("/")
                for method in view.http_method_names:
                    if method not in {"head", "options"} and hasattr(view, method):
                        found.add((method.upper(), path))

    walk(get_resolver().url_patterns, "")
    return found


def test_the_readme_table_names_every_route():
    assert ROWS, "README lost its roles table"
    assert {row.route for row in ROWS} == served_routes()
    assert len({(row.method, row.path) for row in ROWS}) == len(ROWS), "a row is repeated"


@pytest.fixture
def role_users(django_user_model, password) -> dict:
    return {
        role: with_role(
            django_user_model.objects.create_user(
                ds_user_email=f"{role}@example.com", password=password, ds_user=role.title()
            ),
            role,
        )
        for role in ROLES
    }


@pytest.fixture
def ids(existing_ids, django_user_model, password) -> dict[str, str]:
    """Real rows to aim at, and a user for /api/users/<cd_user> other than the caller."""
    target = django_user_model.objects.create_user(
        ds_user_email="alvo@example.com", password=password, ds_user="Alvo"
    )
    return {**existing_ids, "user": str(target.pk)}


def send(client: APIClient, row: Row, ids: dict[str, str]):
    method = row.method.lower()
    if row.method in {"POST", "PUT", "PATCH"}:
        return getattr(client, method)(row.url(ids), data="{}", content_type="application/json")
    return getattr(client, method)(row.url(ids))


def cases() -> list:
    return [
        pytest.param(row, role, id=f"{role} {row.method} {row.path}")
        for row in ROWS
        for role in ROLES
    ]


@pytest.mark.parametrize(("row", "role"), cases())
def test_every_route_answers_each_role_as_the_readme_table_says(row, role, role_users, ids):
    # given: CRM_REGISTRATION is closed (the default with DEBUG off, as under test)
    assert settings.CRM_REGISTRATION == "closed"
    client = APIClient()
    client.credentials(HTTP_AUTHORIZATION=bearer_for(role_users[role]))

    response = send(client, row, ids)

    cell = row.cells[role]
    if cell in {"✓", "public"}:
        assert response.status_code not in {401, 403}, (response.status_code, response.content)
        assert response.status_code < 500
    elif cell == "—":
        assert response.status_code == 403, response.content
        assert response.json() == {"error": FORBIDDEN}
    elif cell == "open":  # closed registration: refused
        assert response.status_code == 403, response.content
        assert response.json() == {"error": CLOSED}
    else:
        pytest.fail(f"unknown cell {cell!r} in README's table")


@pytest.mark.parametrize("row", [row for row in ROWS if "public" in row.cells.values()])
def test_public_routes_answer_without_a_token(row, ids):
    response = send(APIClient(), row, ids)

    assert response.status_code not in {401, 403}
    assert response.status_code < 500


@pytest.mark.parametrize("row", [row for row in ROWS if "public" not in row.cells.values()])
def test_every_other_route_wants_a_token(row, ids):
    response = send(APIClient(), row, ids)

    assert response.status_code in {401, 403}
    if row.path != "/auth/register":  # public endpoint refusing an anonymous caller: 403
        assert response.status_code == 401


class Undeclared(APIView):
    """A view someone forgot to give a rule."""

    def get(self, request):
        from rest_framework.response import Response

        return Response({"secret": True})


class HalfDeclared(APIView):
    required_permissions = {"GET": []}

    def get(self, request):
        from rest_framework.response import Response

        return Response({"ok": True})

    def post(self, request):
        from rest_framework.response import Response

        return Response({"secret": True})


@pytest.mark.parametrize("role", ROLES)
def test_a_view_without_a_rule_is_refused_to_everyone(role, role_users):
    factory = APIRequestFactory()
    auth = {"HTTP_AUTHORIZATION": bearer_for(role_users[role])}

    undeclared = Undeclared.as_view()(factory.get("/x", **auth))
    half_get = HalfDeclared.as_view()(factory.get("/x", **auth))
    half_post = HalfDeclared.as_view()(factory.post("/x", {}, format="json", **auth))

    assert undeclared.status_code == 403
    assert half_get.status_code == 200
    assert half_post.status_code == 403


def test_a_superuser_is_an_admin_everywhere(staff_user, ids):
    client = APIClient()
    client.credentials(HTTP_AUTHORIZATION=bearer_for(staff_user))

    for row in ROWS:
        if row.cells["admin"] == "✓" and row.method == "GET":
            response = send(client, row, ids)
            assert response.status_code == 200, (row.path, response.content)


# --- /internal/<domain>/...: service-only, explicitly (not in README's table: no user may) ----


def internal_routes() -> list[tuple[str, type]]:
    """(path, view class) of every route under /internal/, from the URLconf."""
    found = []

    def walk(patterns, prefix: str) -> None:
        for pattern in patterns:
            route = prefix + str(pattern.pattern)
            if isinstance(pattern, URLResolver):
                walk(pattern.url_patterns, route)
            elif isinstance(pattern, URLPattern) and route.startswith("internal/"):
                path = "/" + route.replace("<str:topic>", "customer.hard_delete")
                found.append((path, getattr(pattern.callback, "cls", None)))

    walk(get_resolver().url_patterns, "")
    return found


INTERNAL_ROUTES = internal_routes()


def test_every_internal_route_is_service_only():
    from crm.remote import InternalView, ServiceOnly, ServiceTokenAuthentication

    assert len(INTERNAL_ROUTES) >= 4 * 3  # every domain: its functions, guards, panels
    for path, view in INTERNAL_ROUTES:
        assert view is not None and issubclass(view, InternalView), path
        assert view.permission_classes == [ServiceOnly], path
        assert view.authentication_classes == [ServiceTokenAuthentication], path
        assert [m for m in view.http_method_names if hasattr(view, m) and m != "options"] == [
            "post"
        ], path


@pytest.mark.parametrize(("path", "role"), [(p, r) for p, _v in INTERNAL_ROUTES for r in ROLES])
def test_no_role_reaches_an_internal_route_with_its_token(path, role, role_users):
    client = APIClient()
    client.credentials(HTTP_AUTHORIZATION=bearer_for(role_users[role]))

    response = client.post(path, data="{}", content_type="application/json")

    assert response.status_code == 401, response.content
    assert set(response.json()) == {"error"}


@pytest.mark.parametrize("path", [p for p, _v in INTERNAL_ROUTES])
def test_a_service_token_reaches_every_internal_route(path):
    from crm.remote import service_token_issue

    client = APIClient()
    client.credentials(HTTP_AUTHORIZATION=f"Bearer {service_token_issue()}")

    response = client.post(path, data="{}", content_type="application/json")
    anonymous = APIClient().post(path, data="{}", content_type="application/json")

    assert response.status_code not in {401, 403}, response.content
    assert response.status_code < 500
    assert anonymous.status_code in {401, 403}
