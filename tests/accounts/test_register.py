"""POST /auth/register."""

from __future__ import annotations

import pytest
from django.contrib.auth import get_user_model

from .conftest import drf_message

User = get_user_model()

# Registration open as in the seed (its closed default and the roles: test_registration_setting).
pytestmark = pytest.mark.usefixtures("open_registration")

USER_KEYS = {"cd_user", "ds_user", "ds_user_email", "dt_created_at", "is_active", "ds_role"}


def _keys_anywhere(value) -> set[str]:
    if isinstance(value, dict):
        return set(value) | {k for v in value.values() for k in _keys_anywhere(v)}
    if isinstance(value, list):
        return {k for item in value for k in _keys_anywhere(item)}
    return set()


@pytest.mark.parametrize("path", ["/auth/register", "/auth/register/"])
def test_register_creates_an_active_user_and_never_returns_the_password(
    api_client, registration, path
):
    # when
    response = api_client.post(path, registration, format="json")

    # then
    assert response.status_code == 201
    body = response.json()
    assert set(body) == {"message", "user"}
    assert body["message"] == "Usuário registrado com sucesso."
    assert set(body["user"]) == USER_KEYS
    assert body["user"]["ds_user"] == "Bruno Lima"
    assert body["user"]["ds_user_email"] == "bruno@example.com"
    assert body["user"]["is_active"] is True
    assert not {"password", "password_hash", "ds_password"} & _keys_anywhere(body)
    assert registration["password"] not in response.content.decode()
    user = User.objects.get()
    assert str(user.cd_user) == body["user"]["cd_user"]
    assert user.check_password(registration["password"])
    assert user.password not in response.content.decode()
    assert user.is_staff is False
    assert user.is_superuser is False


def test_register_stores_email_lower_cased_and_name_trimmed(api_client, registration):
    registration |= {"ds_user_email": "  Bruno.Lima@EXAMPLE.com ", "ds_user": "  Bruno Lima  "}

    response = api_client.post("/auth/register", registration, format="json")

    assert response.status_code == 201
    assert response.json()["user"]["ds_user_email"] == "bruno.lima@example.com"
    assert response.json()["user"]["ds_user"] == "Bruno Lima"
    user = User.objects.get()
    assert (user.ds_user_email, user.ds_user) == ("bruno.lima@example.com", "Bruno Lima")


def test_register_ignores_unknown_fields_and_cannot_grant_staff(api_client, registration):
    registration |= {"is_staff": True, "is_superuser": True, "cd_user": "x", "extra": 1}

    response = api_client.post("/auth/register", registration, format="json")

    assert response.status_code == 201
    user = User.objects.get()
    assert (user.is_staff, user.is_superuser) == (False, False)


def test_register_duplicate_email_with_different_case_is_409(api_client, registration, user):
    # given: "ana@example.com" exists
    registration["ds_user_email"] = "ANA@Example.COM"

    # when
    response = api_client.post("/auth/register", registration, format="json")

    # then
    assert response.status_code == 409
    assert response.json() == {"error": "E-mail já cadastrado."}
    assert User.objects.filter(ds_user_email__iexact="ana@example.com").count() == 1
    assert User.objects.count() == 1


@pytest.mark.parametrize(
    ("password", "expected"),
    [
        (
            "123",
            [
                "Esta senha é muito curta. Ela precisa conter pelo menos 8 caracteres.",
                "Esta senha é muito comum.",
                "Esta senha é inteiramente numérica.",
            ],
        ),
        ("password", ["Esta senha é muito comum."]),
        ("84736251903", ["Esta senha é inteiramente numérica."]),
        ("bruno@example.com", ["A senha é muito parecida com e-mail"]),
    ],
)
def test_register_weak_password_is_400_and_creates_nothing(
    api_client, registration, password, expected
):
    registration["password"] = password

    response = api_client.post("/auth/register", registration, format="json")

    assert response.status_code == 400
    assert response.json() == {"error": {"password": expected}}
    assert User.objects.count() == 0


def test_register_malformed_json_is_400(api_client):
    response = api_client.post(
        "/auth/register", '{"ds_user": "x",', content_type="application/json"
    )

    assert response.status_code == 400
    assert response.json() == {"error": "JSON malformado no corpo da requisição."}
    assert User.objects.count() == 0


@pytest.mark.parametrize("body", ["", "{}"])
def test_register_empty_body_lists_every_required_field(api_client, body):
    response = api_client.post("/auth/register", body, content_type="application/json")

    assert response.status_code == 400
    assert response.json() == {
        "error": {
            "ds_user": ["Este campo é obrigatório."],
            "ds_user_email": ["Este campo é obrigatório."],
            "password": ["Este campo é obrigatório."],
        }
    }
    assert User.objects.count() == 0


@pytest.mark.parametrize("body", ["[]", '"texto"', "42", "null"])
def test_register_body_that_is_not_an_object_is_400(api_client, body):
    response = api_client.post("/auth/register", body, content_type="application/json")

    assert response.status_code == 400
    assert response.json() == {
        "error": {"non_field_errors": ["O corpo da requisição deve ser um objeto JSON."]}
    }
    assert User.objects.count() == 0


@pytest.mark.parametrize(
    ("field", "value", "message"),
    [
        ("ds_user_email", 123, "Insira um endereço de email válido."),
        ("ds_user_email", ["a@b.com"], "Insira um endereço de email válido."),
        ("ds_user_email", "nao-e-email", "Insira um endereço de email válido."),
        ("ds_user_email", None, drf_message("null")),
        ("ds_user", 123, "Informe um texto."),
        ("ds_user", True, "Informe um texto."),
        ("ds_user", {"a": 1}, "Informe um texto."),
        ("ds_user", "   ", drf_message("blank")),
        ("ds_user", "x" * 151, "Certifique-se de que este campo não tenha mais de 150 caracteres."),
        (
            "ds_user",
            "x" * 10_000,
            "Certifique-se de que este campo não tenha mais de 150 caracteres.",
        ),
        ("ds_user", "Ana\x00Souza", "Caracteres nulos não são permitidos."),
        ("password", ["x"], "Informe um texto."),
        ("password", 12345678, "Informe um texto."),
        ("password", "", drf_message("blank")),
    ],
)
def test_register_invalid_field_is_400_with_field_error(
    api_client, registration, field, value, message
):
    registration[field] = value

    response = api_client.post("/auth/register", registration, format="json")

    assert response.status_code == 400
    assert response.json() == {"error": {field: [message]}}
    assert User.objects.count() == 0


def test_register_too_long_email_is_400(api_client, registration):
    registration["ds_user_email"] = "a" * 250 + "@example.com"

    response = api_client.post("/auth/register", registration, format="json")

    assert response.status_code == 400
    assert list(response.json()["error"]) == ["ds_user_email"]
    assert User.objects.count() == 0


def test_register_keeps_spaces_inside_the_password(api_client, registration):
    registration["password"] = "  frase secreta longa  "

    response = api_client.post("/auth/register", registration, format="json")

    assert response.status_code == 201
    assert User.objects.get().check_password("  frase secreta longa  ")


def test_register_ignores_a_stale_authorization_header(api_client, registration):
    api_client.credentials(HTTP_AUTHORIZATION="Bearer expired.or.garbage")

    response = api_client.post("/auth/register", registration, format="json")

    assert response.status_code == 201


def test_register_get_is_405(api_client):
    response = api_client.get("/auth/register")

    assert response.status_code == 405
    assert response.json() == {"error": "Método GET não permitido neste recurso."}
