"""Portuguese by default, English when the client asks for it (Accept-Language).

Our own strings are written in Portuguese; ``locale/en/LC_MESSAGES/django.mo`` (committed, so
nothing needs gettext at run time) translates them. Not browser tests: the test client is enough.
"""

import pytest

from tests.conftest import bearer_for

MISSING_TOKEN = {
    "pt-BR,pt;q=0.9": "Token de acesso ausente. Envie 'Authorization: Bearer <token>'.",
    "en-US,en;q=0.9": "Access token missing. Send 'Authorization: Bearer <token>'.",
    "en": "Access token missing. Send 'Authorization: Bearer <token>'.",
}
NOT_FOUND = {
    "pt-BR,pt;q=0.9": "Recurso não encontrado.",
    "en-US,en;q=0.9": "Resource not found.",
    "en": "Resource not found.",
}
CONTENT_LANGUAGE = {"pt-BR,pt;q=0.9": "pt-br", "en-US,en;q=0.9": "en", "en": "en"}
NOT_A_UUID = {
    "pt-BR,pt;q=0.9": "O identificador 'customer_id' não é um UUID válido.",
    "en-US,en;q=0.9": "The identifier 'customer_id' is not a valid UUID.",
}


def test_api_errors_are_portuguese_when_no_language_is_asked_for(api_client):
    unauthenticated = api_client.get("/api/customers")
    unknown_path = api_client.get("/api/no-such-resource")

    assert unauthenticated.status_code == 401
    assert unauthenticated.json() == {"error": MISSING_TOKEN["pt-BR,pt;q=0.9"]}
    assert unknown_path.status_code == 404
    assert unknown_path.json() == {"error": "Recurso não encontrado."}
    assert unauthenticated["Content-Language"] == "pt-br"


@pytest.mark.parametrize("accept_language", list(MISSING_TOKEN))
def test_a_missing_token_is_explained_in_the_clients_language(api_client, accept_language):
    response = api_client.get("/api/customers", HTTP_ACCEPT_LANGUAGE=accept_language)

    assert response.status_code == 401
    assert response.json() == {"error": MISSING_TOKEN[accept_language]}


@pytest.mark.parametrize("accept_language", list(NOT_FOUND))
def test_an_unknown_api_path_is_a_404_in_the_clients_language(api_client, accept_language):
    response = api_client.get("/api/no-such-resource", HTTP_ACCEPT_LANGUAGE=accept_language)

    assert response.status_code == 404
    assert response.json() == {"error": NOT_FOUND[accept_language]}
    assert response["Content-Language"] == CONTENT_LANGUAGE[accept_language]


@pytest.mark.parametrize("accept_language", list(NOT_A_UUID))
def test_an_id_that_is_not_a_uuid_is_a_400_in_the_clients_language(
    api_client, user, accept_language
):
    response = api_client.get(
        "/api/customers/not-a-uuid",
        HTTP_ACCEPT_LANGUAGE=accept_language,
        HTTP_AUTHORIZATION=bearer_for(user),
    )

    assert response.status_code == 400
    assert response.json() == {"error": NOT_A_UUID[accept_language]}


@pytest.mark.parametrize(
    ("accept_language", "title", "column"),
    [
        ("pt-BR,pt;q=0.9", "Selecione cliente para modificar", "CPF/CNPJ"),
        ("en-US,en;q=0.9", "Select customer to change", "CPF/CNPJ"),
    ],
)
def test_admin_model_names_follow_the_browsers_language(
    client, staff_user, accept_language, title, column
):
    client.force_login(staff_user)

    response = client.get("/admin/customers/customer/", HTTP_ACCEPT_LANGUAGE=accept_language)

    assert response.status_code == 200
    html = response.content.decode()
    assert title in html
    assert column in html
