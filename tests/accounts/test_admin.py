"""Django admin for the custom user model (staff screens, through the test client)."""

from __future__ import annotations

import pytest
from django.contrib.auth import get_user_model
from django.test import Client

from .conftest import STRONG_PASSWORD, login

User = get_user_model()
CHANGELIST = "/admin/accounts/user/"


@pytest.fixture
def staff_client(staff_user) -> Client:
    client = Client()
    client.force_login(staff_user)
    return client


def test_changelist_shows_the_columns_in_portuguese(staff_client, user):
    response = staff_client.get(CHANGELIST)

    assert response.status_code == 200
    page = response.content.decode()
    for heading in ("Nome", "E-mail", "Ativo", "Equipe", "Criado em", "Último login"):
        assert heading in page
    assert "ana@example.com" in page
    assert "Desativar usuários selecionados" in page
    assert "Ativar usuários selecionados" in page


@pytest.mark.parametrize("term", ["Souza", "ana@exa", "ANA@EXAMPLE"])
def test_changelist_searches_name_and_email(staff_client, user, term):
    response = staff_client.get(CHANGELIST, {"q": term})

    assert response.status_code == 200
    assert list(response.context["cl"].result_list) == [user]


@pytest.mark.parametrize(
    ("query", "expected_emails"),
    [
        ({"is_staff__exact": "1"}, ["staff@example.com"]),
        ({"is_staff__exact": "0"}, ["ana@example.com"]),
        ({"is_superuser__exact": "1"}, ["staff@example.com"]),
        ({"is_active__exact": "1"}, ["ana@example.com", "staff@example.com"]),
    ],
)
def test_changelist_filters(staff_client, user, query, expected_emails):
    response = staff_client.get(CHANGELIST, query)

    assert response.status_code == 200
    emails = sorted(u.ds_user_email for u in response.context["cl"].result_list)
    assert emails == expected_emails


def test_add_page_asks_for_email_name_and_password_twice(staff_client):
    response = staff_client.get(f"{CHANGELIST}add/")

    assert response.status_code == 200
    form = response.context["adminform"].form
    assert list(form.fields) == ["ds_user_email", "ds_user", "password1", "password2"]


def test_add_creates_a_user_with_lower_cased_email_and_hashed_password(staff_client, api_client):
    # when
    response = staff_client.post(
        f"{CHANGELIST}add/",
        {
            "ds_user_email": " Carla@Example.COM ",
            "ds_user": "Carla Dias",
            "password1": STRONG_PASSWORD,
            "password2": STRONG_PASSWORD,
            "_save": "Salvar",
        },
    )

    # then
    assert response.status_code == 302
    created = User.objects.get(ds_user_email="carla@example.com")
    assert created.ds_user == "Carla Dias"
    assert created.password != STRONG_PASSWORD
    assert created.check_password(STRONG_PASSWORD)
    assert (created.is_active, created.is_staff) == (True, False)
    assert login(api_client, "carla@example.com", STRONG_PASSWORD).status_code == 200


def test_add_refuses_an_email_that_differs_only_in_case(staff_client, user):
    response = staff_client.post(
        f"{CHANGELIST}add/",
        {
            "ds_user_email": "ANA@example.com",
            "ds_user": "Outra Ana",
            "password1": STRONG_PASSWORD,
            "password2": STRONG_PASSWORD,
        },
    )

    assert response.status_code == 200
    assert response.context["adminform"].form.errors == {"ds_user_email": ["E-mail já cadastrado."]}
    assert User.objects.filter(ds_user_email__iexact="ana@example.com").count() == 1


def test_add_applies_the_password_validators(staff_client):
    response = staff_client.post(
        f"{CHANGELIST}add/",
        {
            "ds_user_email": "fraca@example.com",
            "ds_user": "Senha Fraca",
            "password1": "12345678",
            "password2": "12345678",
        },
    )

    assert response.status_code == 200
    assert "password2" in response.context["adminform"].form.errors
    assert not User.objects.filter(ds_user_email="fraca@example.com").exists()


def test_change_page_links_to_the_password_form_and_shows_audit_fields_read_only(
    staff_client, user
):
    response = staff_client.get(f"{CHANGELIST}{user.pk}/change/")

    assert response.status_code == 200
    page = response.content.decode()
    assert "../password/" in page
    assert "Alterar senha" in page or "Redefinir senha" in page
    form = response.context["adminform"].form
    assert "dt_created_at" not in form.fields
    assert "last_login" not in form.fields
    assert "Criado em" in page
    assert "Último login" in page


def test_change_edits_name_and_makes_a_user_staff(staff_client, user):
    response = staff_client.post(
        f"{CHANGELIST}{user.pk}/change/",
        {
            "ds_user_email": "ana@example.com",
            "ds_user": "Ana S. Souza",
            "is_active": "on",
            "is_staff": "on",
            "_save": "Salvar",
        },
    )

    assert response.status_code == 302
    user.refresh_from_db()
    assert (user.ds_user, user.is_staff, user.is_superuser) == ("Ana S. Souza", True, False)


def test_password_form_resets_the_password(staff_client, api_client, user, password):
    new_password = "outra-Senha-Forte-99"

    response = staff_client.post(
        f"{CHANGELIST}{user.pk}/password/",
        {"password1": new_password, "password2": new_password, "usable_password": "true"},
    )

    assert response.status_code == 302
    assert login(api_client, "ana@example.com", password).status_code == 401
    assert login(api_client, "ana@example.com", new_password).status_code == 200


def test_deactivate_action_blocks_login_and_refresh(staff_client, api_client, user, password):
    # given: a session obtained before the deactivation
    refresh_token = login(api_client, "ana@example.com", password).json()["refresh_token"]

    # when
    response = staff_client.post(
        CHANGELIST, {"action": "deactivate_users", "_selected_action": [str(user.pk)]}
    )

    # then
    assert response.status_code == 302
    user.refresh_from_db()
    assert user.is_active is False
    assert login(api_client, "ana@example.com", password).status_code == 401
    refreshed = api_client.post("/auth/refresh", {"refresh_token": refresh_token}, format="json")
    assert refreshed.status_code == 401


def test_deactivate_action_never_deactivates_the_acting_staff_member(
    staff_client, staff_user, user
):
    response = staff_client.post(
        CHANGELIST,
        {"action": "deactivate_users", "_selected_action": [str(staff_user.pk), str(user.pk)]},
        follow=True,
    )

    staff_user.refresh_from_db()
    user.refresh_from_db()
    assert staff_user.is_active is True
    assert user.is_active is False
    messages = [str(m) for m in response.context["messages"]]
    assert messages == ["Você não pode desativar a si mesmo.", "1 usuário desativado."]


def test_activate_action(staff_client, api_client, user, password):
    user.is_active = False
    user.save()

    staff_client.post(CHANGELIST, {"action": "activate_users", "_selected_action": [str(user.pk)]})

    user.refresh_from_db()
    assert user.is_active is True
    assert login(api_client, "ana@example.com", password).status_code == 200


def test_non_staff_cannot_open_the_user_admin(user):
    client = Client()
    client.force_login(user)

    response = client.get(CHANGELIST)

    assert response.status_code == 302
    assert response["Location"].startswith("/admin/login/")


@pytest.mark.parametrize(
    "path",
    ["/admin/token_blacklist/outstandingtoken/", "/admin/token_blacklist/blacklistedtoken/"],
)
def test_token_admins_search_by_user_email(staff_client, api_client, user, password, path):
    tokens = login(api_client, "ana@example.com", password).json()
    api_client.post("/auth/logout", {"refresh_token": tokens["refresh_token"]}, format="json")

    response = staff_client.get(path, {"q": "ana@example"})

    assert response.status_code == 200
    assert len(response.context["cl"].result_list) == 1
