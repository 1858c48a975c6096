"""``createsuperuser --noinput`` from environment variables (docker compose's first staff user)."""

from __future__ import annotations

from io import StringIO

import pytest
from django.contrib.auth import get_user_model
from django.core.management import CommandError, call_command

from .conftest import login

User = get_user_model()


@pytest.fixture
def superuser_env(monkeypatch):
    monkeypatch.setenv("DJANGO_SUPERUSER_DS_USER_EMAIL", "Admin@Example.com")
    monkeypatch.setenv("DJANGO_SUPERUSER_DS_USER", "Administrador")
    monkeypatch.setenv("DJANGO_SUPERUSER_PASSWORD", "admin-Senha-Forte-1")


def test_createsuperuser_noinput_from_environment(superuser_env, api_client):
    # when
    out = StringIO()
    call_command("createsuperuser", interactive=False, stdout=out)

    # then
    assert out.getvalue() == "Superusuário criado com sucesso.\n"  # in our language (issue #11)
    admin = User.objects.get()
    assert admin.ds_user_email == "admin@example.com"
    assert admin.ds_user == "Administrador"
    assert (admin.is_staff, admin.is_superuser, admin.is_active) == (True, True, True)
    response = login(api_client, "admin@example.com", "admin-Senha-Forte-1")
    assert response.status_code == 200
    assert response.json()["user"]["cd_user"] == str(admin.cd_user)


def test_createsuperuser_admin_can_log_in_to_the_admin_site(superuser_env, client):
    call_command("createsuperuser", interactive=False, stdout=StringIO())

    response = client.post(
        "/admin/login/",
        {"username": "admin@example.com", "password": "admin-Senha-Forte-1", "next": "/admin/"},
    )

    assert response.status_code == 302
    assert response["Location"] == "/admin/"
    assert client.get("/admin/accounts/user/").status_code == 200


def test_createsuperuser_refuses_an_existing_email(superuser_env, user, monkeypatch):
    monkeypatch.setenv("DJANGO_SUPERUSER_DS_USER_EMAIL", "ANA@example.com")

    with pytest.raises(CommandError):
        call_command("createsuperuser", interactive=False, stdout=StringIO(), stderr=StringIO())

    assert User.objects.count() == 1


def test_createsuperuser_requires_the_name(superuser_env, monkeypatch):
    monkeypatch.delenv("DJANGO_SUPERUSER_DS_USER")

    with pytest.raises(CommandError):
        call_command("createsuperuser", interactive=False, stdout=StringIO(), stderr=StringIO())

    assert User.objects.count() == 0
