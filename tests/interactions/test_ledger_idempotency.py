"""``Idempotency-Key`` on the ledger's POSTs: one row per key, also under concurrent replays."""

from __future__ import annotations

import contextlib
import datetime as dt
import threading
from io import StringIO

import pytest
from django.core.management import call_command
from django.db import connections
from django.utils import timezone
from rest_framework.test import APIClient

from domains.interactions.models import IdempotencyKey, Transaction
from tests.conftest import bearer_for

from .ledger_helpers import balance_of, entries_url, post_json, record

BODY = {"vr_transaction": "0.10", "id_transaction_type": 1, "ds_transaction": "Sinal"}


def test_a_replay_returns_the_same_answer_and_records_no_second_row(auth_client, customer):
    url = entries_url(customer.cd_customer)

    first = post_json(auth_client, url, BODY, HTTP_IDEMPOTENCY_KEY="pedido-123")
    second = post_json(auth_client, url, BODY, HTTP_IDEMPOTENCY_KEY="pedido-123")
    third = post_json(auth_client, url + "/", BODY, HTTP_IDEMPOTENCY_KEY="pedido-123")

    assert first.status_code == second.status_code == third.status_code == 201
    assert first.json() == second.json() == third.json()
    assert second["Idempotent-Replayed"] == "true"
    assert "Idempotent-Replayed" not in first
    assert Transaction.objects.count() == 1
    assert balance_of(auth_client, customer.cd_customer)["vr_total_entradas"] == "0.10"


def test_the_same_amount_as_number_or_string_is_the_same_request(auth_client, customer):
    url = entries_url(customer.cd_customer)

    first = post_json(
        auth_client,
        url,
        '{"id_transaction_type": 1, "vr_transaction": "0.10", "ds_transaction": "Sinal"}',
        HTTP_IDEMPOTENCY_KEY="k",
    )
    second = post_json(
        auth_client,
        url,
        '{"ds_transaction": "Sinal", "vr_transaction": 0.10, "id_transaction_type": 1}',
        HTTP_IDEMPOTENCY_KEY="k",
    )

    assert second.status_code == 201
    assert second.json() == first.json()
    assert Transaction.objects.count() == 1


def test_the_same_key_with_another_body_is_a_409(auth_client, customer, ledger_rows):
    url = entries_url(customer.cd_customer)
    post_json(auth_client, url, BODY, HTTP_IDEMPOTENCY_KEY="pedido-123")
    before = (ledger_rows(), balance_of(auth_client, customer.cd_customer))

    response = post_json(
        auth_client, url, {**BODY, "vr_transaction": "0.11"}, HTTP_IDEMPOTENCY_KEY="pedido-123"
    )

    assert response.status_code == 409
    assert response.json() == {"error": "Idempotency-Key já usada com outra requisição."}
    assert (ledger_rows(), balance_of(auth_client, customer.cd_customer)) == before


def test_the_same_key_on_another_path_is_a_409(auth_client, customer, make_customer, ledger_rows):
    other = make_customer()
    entry = record(auth_client, customer.cd_customer)
    post_json(auth_client, entries_url(customer.cd_customer), BODY, HTTP_IDEMPOTENCY_KEY="k1")
    before = ledger_rows()

    another_customer = post_json(
        auth_client, entries_url(other.cd_customer), BODY, HTTP_IDEMPOTENCY_KEY="k1"
    )
    reverse = post_json(
        auth_client,
        entries_url(customer.cd_customer, f"/{entry['cd_transaction']}/reverse"),
        BODY,
        HTTP_IDEMPOTENCY_KEY="k1",
    )

    assert another_customer.status_code == reverse.status_code == 409
    assert ledger_rows() == before


def test_without_the_header_each_post_records_a_row(auth_client, customer):
    url = entries_url(customer.cd_customer)

    post_json(auth_client, url, BODY)
    post_json(auth_client, url, BODY)

    assert Transaction.objects.count() == 2


def test_keys_belong_to_one_user(auth_client, customer, make_user):
    other_client = APIClient()
    other_client.credentials(HTTP_AUTHORIZATION=bearer_for(make_user()))
    url = entries_url(customer.cd_customer)

    mine = post_json(auth_client, url, BODY, HTTP_IDEMPOTENCY_KEY="same")
    theirs = post_json(other_client, url, BODY, HTTP_IDEMPOTENCY_KEY="same")

    assert mine.status_code == theirs.status_code == 201
    assert (
        mine.json()["transaction"]["cd_transaction"]
        != theirs.json()["transaction"]["cd_transaction"]
    )
    assert Transaction.objects.count() == 2


def test_a_refused_request_stores_no_key_so_the_client_can_fix_and_retry(auth_client, customer):
    url = entries_url(customer.cd_customer)

    refused = post_json(auth_client, url, {**BODY, "cd_product": "abc"}, HTTP_IDEMPOTENCY_KEY="k")
    fixed = post_json(auth_client, url, BODY, HTTP_IDEMPOTENCY_KEY="k")

    assert refused.status_code == 400
    assert fixed.status_code == 201
    assert Transaction.objects.count() == 1


@pytest.mark.parametrize("key", ["", "   ", "x" * 256, "chave\u00e7", "tab\there"])
def test_an_invalid_key_is_a_400(auth_client, customer, ledger_rows, key):
    response = post_json(
        auth_client, entries_url(customer.cd_customer), BODY, HTTP_IDEMPOTENCY_KEY=key
    )

    assert response.status_code == 400
    assert response.json() == {
        "error": "Cabeçalho Idempotency-Key inválido: use de 1 a 255 caracteres ASCII imprimíveis."
    }
    assert ledger_rows() == (0, 0)


def test_a_key_of_255_printable_characters_is_accepted(auth_client, customer):
    key = "A-z0 9_:~" * 28 + "abc"

    response = post_json(
        auth_client, entries_url(customer.cd_customer), BODY, HTTP_IDEMPOTENCY_KEY=key
    )

    assert response.status_code == 201
    assert IdempotencyKey.objects.get().ds_key == key


def test_reversal_replays_with_the_same_key(auth_client, customer):
    entry = record(auth_client, customer.cd_customer)
    url = entries_url(customer.cd_customer, f"/{entry['cd_transaction']}/reverse")

    first = post_json(auth_client, url, {}, HTTP_IDEMPOTENCY_KEY="estorno-1")
    second = post_json(auth_client, url, {}, HTTP_IDEMPOTENCY_KEY="estorno-1")
    without_key = post_json(auth_client, url, {})

    assert first.status_code == second.status_code == 201
    assert first.json() == second.json()
    assert first.json()["message"] == "Lançamento estornado com sucesso."
    assert without_key.status_code == 409
    assert Transaction.objects.count() == 2


def test_an_expired_key_may_be_reused_and_is_purged(auth_client, customer):
    url = entries_url(customer.cd_customer)
    first = post_json(auth_client, url, BODY, HTTP_IDEMPOTENCY_KEY="k")
    IdempotencyKey.objects.update(dt_created_at=timezone.now() - dt.timedelta(hours=25))

    reused = post_json(
        auth_client, url, {**BODY, "vr_transaction": "5.00"}, HTTP_IDEMPOTENCY_KEY="k"
    )

    assert reused.status_code == 201
    assert (
        reused.json()["transaction"]["cd_transaction"]
        != first.json()["transaction"]["cd_transaction"]
    )
    assert IdempotencyKey.objects.count() == 1

    # and the purge command deletes keys older than 24 hours, keeping live ones
    post_json(auth_client, url, BODY, HTTP_IDEMPOTENCY_KEY="old")
    IdempotencyKey.objects.filter(ds_key="old").update(
        dt_created_at=timezone.now() - dt.timedelta(hours=24, seconds=1)
    )
    output = StringIO()
    call_command("purge_idempotency_keys", stdout=output)
    assert list(IdempotencyKey.objects.values_list("ds_key", flat=True)) == ["k"]
    assert output.getvalue().strip() == "1 chave(s) de idempotência apagada(s)."
    assert Transaction.objects.count() == 3  # entries are never purged


# --- concurrent replays ---------------------------------------------------------------------------


def _concurrently(count: int, send) -> list:
    """Run ``send()`` in ``count`` threads released together; each thread closes its
    connections (Django opens one per thread and alias).

    On PostgreSQL the requests really overlap (the losers block on the unique index). The SQLite
    *test* database is in-memory with a shared cache, where a second writer fails at once with
    "database table is locked" (SQLITE_LOCKED is not retried by the busy timeout, unlike the
    file databases ``make run`` uses, whose ``BEGIN IMMEDIATE`` waits): there the threads take
    turns, and the outcome asserted is the same.
    """
    barrier = threading.Barrier(count)
    results: list = [None] * count
    sqlite = connections["interactions"].vendor == "sqlite"
    turns = threading.Lock() if sqlite else contextlib.nullcontext()

    def worker(index: int) -> None:
        try:
            barrier.wait(timeout=10)
            with turns:
                results[index] = send()
        except Exception as exc:  # reported by the assertion below
            results[index] = exc
        finally:
            connections.close_all()

    threads = [threading.Thread(target=worker, args=(index,)) for index in range(count)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout=60)
    return results


@pytest.mark.django_db(transaction=True, databases="__all__")
def test_eight_concurrent_replays_record_exactly_one_row(user, customer):
    # given: eight clients with the same token, key and body
    token = bearer_for(user)
    url = entries_url(customer.cd_customer)

    def send():
        client = APIClient()
        client.credentials(HTTP_AUTHORIZATION=token)
        response = post_json(client, url, BODY, HTTP_IDEMPOTENCY_KEY="corrida-1")
        return response.status_code, response.json()

    # when
    results = _concurrently(8, send)

    # then
    assert all(not isinstance(result, Exception) for result in results), results
    assert {status for status, _body in results} == {201}, results
    assert len({body["transaction"]["cd_transaction"] for _status, body in results}) == 1
    assert Transaction.objects.count() == 1
    assert IdempotencyKey.objects.count() == 1


@pytest.mark.django_db(transaction=True, databases="__all__")
def test_eight_concurrent_reversals_record_exactly_one(user, customer):
    # given: one entry, reversed by eight clients at once, half with one key, half without
    token = bearer_for(user)
    original = Transaction.objects.create(
        cd_customer=customer.cd_customer,
        cd_user=user.cd_user,
        vr_transaction="10.00",
        id_transaction_type=1,
    )
    url = entries_url(customer.cd_customer, f"/{original.cd_transaction}/reverse")
    counter = iter(range(8))
    lock = threading.Lock()

    def send():
        with lock:
            index = next(counter)
        client = APIClient()
        client.credentials(HTTP_AUTHORIZATION=token)
        headers = {"HTTP_IDEMPOTENCY_KEY": "estorno"} if index % 2 else {}
        response = post_json(client, url, {}, **headers)
        return response.status_code, response.json()

    # when
    results = _concurrently(8, send)

    # then: one reversal; keyed requests replay it or meet the 409, none is a 500
    assert all(not isinstance(result, Exception) for result in results), results
    assert {status for status, _body in results} <= {201, 409}, results
    assert Transaction.objects.filter(reversal_of=original).count() == 1
    assert Transaction.objects.count() == 2
