"""Fixtures for the accounts (auth) tests."""

from __future__ import annotations

import pytest
from rest_framework.test import APIClient

STRONG_PASSWORD = "s3nha-Forte-2026"


@pytest.fixture
def registration() -> dict:
    return {
        "ds_user": "Bruno Lima",
        "ds_user_email": "bruno@example.com",
        "password": STRONG_PASSWORD,
    }


def login(client: APIClient, email: str, password: str, path: str = "/auth/login"):
    return client.post(path, {"ds_user_email": email, "password": password}, format="json")


@pytest.fixture
def tokens(api_client, user, password) -> dict:
    """``{"access_token", "refresh_token"}`` of ``user``, obtained through /auth/login."""
    response = login(api_client, user.ds_user_email, password)
    assert response.status_code == 200
    body = response.json()
    return {"access_token": body["access_token"], "refresh_token": body["refresh_token"]}


def drf_message(key: str, field_class=None) -> str:
    """DRF's own message for ``key`` in Portuguese, as the API answers by default (its pt_BR
    wording is DRF's, or a project override in ``locale/``)."""
    from django.utils import translation
    from rest_framework import serializers

    with translation.override("pt-br"):
        return str((field_class or serializers.CharField)().error_messages[key])
