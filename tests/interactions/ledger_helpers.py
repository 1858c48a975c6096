"""Small HTTP helpers shared by the ledger tests (plain functions, no state)."""

from __future__ import annotations

import json


def entries_url(customer_id, suffix: str = "") -> str:
    return f"/api/customers/{customer_id}/transactions{suffix}"


def balance_url(customer_id) -> str:
    return f"/api/customers/{customer_id}/balance"


def post_json(client, url: str, body, **headers):
    """POST a body as raw JSON text (a dict is dumped; a str is sent exactly as written)."""
    raw = body if isinstance(body, str) else json.dumps(body)
    return client.post(url, data=raw, content_type="application/json", **headers)


def record(client, customer_id, amount="10.00", kind=1, **fields):
    body = {"vr_transaction": amount, "id_transaction_type": kind, **fields}
    response = post_json(client, entries_url(customer_id), body)
    assert response.status_code == 201, response.json()
    return response.json()["transaction"]


def balance_of(client, customer_id) -> dict:
    response = client.get(balance_url(customer_id))
    assert response.status_code == 200, response.json()
    return response.json()["balance"]
