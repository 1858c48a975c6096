"""Hard delete integrity through crm.hooks (docs/architecture.md §1): customers asks the
platform, never the interactions domain. Here a test guard/subscriber stands in for whoever
registers."""

from __future__ import annotations

import pytest

from crm.hooks import registry
from domains.customers.interface import HARD_DELETE_GUARD, HARD_DELETED_EVENT
from domains.customers.models import Customer

from .conftest import detail_url


@pytest.fixture
def register_guard():
    registered = []

    def register(guard):
        registry.register_guard(HARD_DELETE_GUARD, guard)
        registered.append(guard)

    yield register
    for guard in registered:
        registry.guards[HARD_DELETE_GUARD].remove(guard)


@pytest.fixture
def received_events():
    events = []

    def handler(event):
        events.append(event)

    registry.subscribe(HARD_DELETED_EVENT, handler)
    yield events
    registry.handlers[HARD_DELETED_EVENT].remove(handler)


def test_a_refusing_guard_answers_409_and_leaves_the_customer(
    auth_client, make_customer, register_guard, received_events, django_capture_on_commit_callbacks
):
    # given
    customer = make_customer(ds_customer_name="Ana")
    asked = []

    def refuse(ids):
        asked.append(ids)
        return "Cliente possui lançamentos financeiros e não pode ser removido."

    register_guard(refuse)

    # when
    with django_capture_on_commit_callbacks(execute=True, using="customers") as callbacks:
        response = auth_client.delete(f"{detail_url(customer.pk)}?hard_delete=true")

    # then
    assert response.status_code == 409
    assert response.json() == {
        "error": "Cliente possui lançamentos financeiros e não pode ser removido."
    }
    assert asked == [frozenset({customer.pk})]
    assert Customer.objects.get(pk=customer.pk).is_customer_active is True
    assert callbacks == []
    assert received_events == []


def test_a_refusing_guard_does_not_block_the_soft_delete(
    auth_client, make_customer, register_guard
):
    customer = make_customer(ds_customer_name="Ana")
    register_guard(lambda ids: "Recusado.")

    response = auth_client.delete(detail_url(customer.pk))

    assert response.status_code == 200
    assert Customer.objects.get(pk=customer.pk).is_customer_active is False


def test_an_allowed_hard_delete_publishes_the_event_after_commit(
    auth_client, make_customer, register_guard, received_events, django_capture_on_commit_callbacks
):
    # given
    customer = make_customer(ds_customer_name="Ana")
    other = make_customer(ds_customer_name="Bruno")
    register_guard(lambda ids: None)

    # when
    with django_capture_on_commit_callbacks(execute=True, using="customers") as callbacks:
        response = auth_client.delete(f"{detail_url(customer.pk)}?hard_delete=true")
        assert received_events == []  # nothing is delivered before the commit

    # then
    assert response.status_code == 200
    assert len(callbacks) == 1
    assert [(event.topic, event.ids) for event in received_events] == [
        (HARD_DELETED_EVENT, frozenset({customer.pk}))
    ]
    assert not Customer.objects.filter(pk=customer.pk).exists()
    assert Customer.objects.filter(pk=other.pk).exists()


def test_the_guard_is_not_asked_for_an_unknown_customer(auth_client, register_guard):
    asked = []
    register_guard(lambda ids: asked.append(ids))

    response = auth_client.delete(
        f"{detail_url('8d1f0c7e-4b7a-4a83-9a57-3f1f5f6d0e11')}?hard_delete=true"
    )

    assert response.status_code == 404
    assert asked == []
