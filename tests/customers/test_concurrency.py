"""Concurrent creates of the same CPF: exactly one wins, the others get 409, never a 500."""

from __future__ import annotations

import threading

import pytest
from django.db import connections
from rest_framework.test import APIClient

from domains.customers.models import Customer

from .conftest import CPF_ANA, LIST_URL


@pytest.mark.django_db(transaction=True, databases="__all__")
def test_concurrent_creates_of_one_document_store_one_customer(user):
    if connections["customers"].vendor != "postgresql":
        pytest.skip("needs a server database: SQLite test databases are per-connection memory")
    from tests.conftest import bearer_for

    token = bearer_for(user)
    start = threading.Barrier(8)
    statuses: list[int] = []

    def create(index: int) -> None:
        client = APIClient()
        client.credentials(HTTP_AUTHORIZATION=token)
        start.wait()
        try:
            response = client.post(
                LIST_URL,
                {"ds_customer_name": f"Ana {index}", "ds_customer_cpf_cnpj": CPF_ANA},
                format="json",
            )
            statuses.append(response.status_code)
        finally:
            connections.close_all()

    threads = [threading.Thread(target=create, args=(index,)) for index in range(8)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()

    assert sorted(statuses) == [201] + [409] * 7
    assert Customer.objects.count() == 1
