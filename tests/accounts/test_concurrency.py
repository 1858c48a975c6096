"""Races the database must settle: the same e-mail registered twice at once, the same refresh
token presented twice at once. PostgreSQL only: SQLite's in-memory test database refuses
concurrent writers outright instead of queueing them."""

from __future__ import annotations

import threading
from collections import Counter

import pytest
from django.contrib.auth import get_user_model
from django.db import connection, connections
from rest_framework.test import APIClient

from .conftest import STRONG_PASSWORD

User = get_user_model()
THREADS = 6

pytestmark = [
    pytest.mark.django_db(transaction=True, databases="__all__"),
    pytest.mark.skipif(
        connection.vendor != "postgresql", reason="needs a database with concurrent writers"
    ),
]


def _race(request_once) -> Counter:
    barrier = threading.Barrier(THREADS)
    statuses: list[int] = []

    def run(index: int) -> None:
        try:
            barrier.wait()
            statuses.append(request_once(index))
        finally:
            connections.close_all()

    threads = [threading.Thread(target=run, args=(i,)) for i in range(THREADS)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    return Counter(statuses)


@pytest.mark.usefixtures("open_registration")
def test_concurrent_registrations_of_one_email_create_exactly_one_user(settings):
    # The race is the subject here, not the per-e-mail registration limit (5/h by default).
    settings.CRM_THROTTLE_RATES = {**settings.CRM_THROTTLE_RATES, "register_account": "off"}

    def register(index: int) -> int:
        email = "corrida@example.com" if index % 2 else "CORRIDA@Example.com"
        body = {"ds_user": f"Corrida {index}", "ds_user_email": email, "password": STRONG_PASSWORD}
        return APIClient().post("/auth/register", body, format="json").status_code

    statuses = _race(register)

    assert statuses == Counter({201: 1, 409: THREADS - 1})
    assert User.objects.filter(ds_user_email__iexact="corrida@example.com").count() == 1


def test_concurrent_refreshes_of_one_token_rotate_exactly_once():
    User.objects.create_user(
        ds_user_email="ana@example.com", password=STRONG_PASSWORD, ds_user="Ana Souza"
    )
    login = APIClient().post(
        "/auth/login",
        {"ds_user_email": "ana@example.com", "password": STRONG_PASSWORD},
        format="json",
    )
    refresh_token = login.json()["refresh_token"]

    def refresh(index: int) -> int:
        body = {"refresh_token": refresh_token}
        return APIClient().post("/auth/refresh", body, format="json").status_code

    statuses = _race(refresh)

    assert statuses == Counter({200: 1, 401: THREADS - 1})
