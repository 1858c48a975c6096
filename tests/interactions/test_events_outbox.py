"""Events that are never lost, monolith mode (crm.events; docs/architecture.md §1).

The customers domain's ``customer.hard_deleted`` goes through its outbox (``customer_outbox`` in
its schema, written in the transaction of the delete); interactions processes it once through
its inbox (``interactions_event_inbox``). No broker: delivered in-process after the commit, and
``outbox_relay`` retries whatever a crash or a failing handler left pending.
"""

from __future__ import annotations

import datetime as dt
import uuid
from io import StringIO

import pytest
from django.core.management import call_command
from django.db import connections, transaction
from django.utils import timezone

from crm import events, hooks
from crm.checks import event_subscription_violations
from crm.events import EventStatus
from domains.customers import services as customer_services
from domains.customers.interface import HARD_DELETED_EVENT
from domains.customers.models import Customer, CustomerOutbox
from domains.interactions.models import EventInbox, Interaction
from domains.products import services as product_services
from domains.products.models import ProductOutbox


@pytest.fixture
def subscribe():
    """Subscribe a test handler as the interactions domain would (its inbox); undone after."""
    added = []

    def add(handler, topic=HARD_DELETED_EVENT):
        hooks.registry.subscribe(topic, handler, domain="interactions")
        added.append((topic, handler))
        return handler

    yield add
    for topic, handler in added:
        hooks.registry.handlers[topic].remove(handler)
        hooks.registry.handler_domains.pop(handler, None)


@pytest.fixture
def relay_now(settings):
    """Retries are due at once (the relay would otherwise wait CRM_OUTBOX_RETRY_SECONDS)."""
    settings.CRM_OUTBOX_RETRY_SECONDS = 0


def outbox_rows():
    return list(CustomerOutbox.objects.using("customers").order_by("dt_created_at"))


def relay_once() -> str:
    out = StringIO()
    call_command("outbox_relay", "--once", stdout=out)
    return out.getvalue()


def test_the_event_row_is_written_in_the_transaction_of_the_change(
    customer, user, make_interaction
):
    # given a hard delete whose transaction rolls back after the event was published
    make_interaction(customer=customer, user=user)

    class Abort(Exception):
        pass

    # when
    with pytest.raises(Abort), transaction.atomic(using="customers"):
        Customer.objects.filter(pk=customer.pk).delete()
        hooks.publish(HARD_DELETED_EVENT, ids=[customer.pk], using="customers")
        assert len(outbox_rows()) == 1  # inside: written with the change
        raise Abort

    # then: neither the change nor its event exists
    assert outbox_rows() == []
    assert Customer.objects.filter(pk=customer.pk).exists()
    assert Interaction.objects.filter(cd_customer=customer.pk).count() == 1


def test_a_hard_delete_is_delivered_after_commit_and_recorded_once(
    customer, user, make_interaction, django_capture_on_commit_callbacks
):
    make_interaction(customer=customer, user=user)

    with django_capture_on_commit_callbacks(execute=True, using="customers"):
        customer_services.customer_hard_delete(customer_id=customer.pk)

    [row] = outbox_rows()
    assert (row.ds_topic, row.ds_ids, row.ds_status) == (
        HARD_DELETED_EVENT,
        [str(customer.pk)],
        EventStatus.SENT,
    )
    assert row.dt_sent_at is not None
    assert not Interaction.objects.filter(cd_customer=customer.pk).exists()
    inbox = list(EventInbox.objects.values_list("cd_event", "ds_topic", "ds_handler"))
    assert inbox == [
        (
            row.cd_event,
            HARD_DELETED_EVENT,
            "domains.interactions.timeline.services.remove_interactions_of_hard_deleted_customers",
        )
    ]


def test_a_crash_before_delivery_leaves_the_event_pending_and_the_relay_delivers_it_once(
    customer, user, make_interaction, relay_now, django_capture_on_commit_callbacks
):
    # given the process died right after the commit: the delivery callback never ran
    make_interaction(customer=customer, user=user)
    with django_capture_on_commit_callbacks(execute=False, using="customers") as callbacks:
        customer_services.customer_hard_delete(customer_id=customer.pk)
    assert len(callbacks) == 1
    [row] = outbox_rows()
    assert row.ds_status == EventStatus.PENDING
    assert Interaction.objects.filter(cd_customer=customer.pk).count() == 1

    # when
    output = relay_once()

    # then
    assert "1 entregue(s)" in output
    assert not Interaction.objects.filter(cd_customer=customer.pk).exists()
    [row] = outbox_rows()
    assert row.ds_status == EventStatus.SENT
    assert EventInbox.objects.filter(cd_event=row.cd_event).count() == 1
    assert "0 entregue(s)" in relay_once()  # nothing left


def test_a_failing_handler_is_retried_and_the_others_run_once(
    customer, subscribe, relay_now, django_capture_on_commit_callbacks
):
    # given one handler that fails the first time, one that always works
    calls = {"flaky": 0, "steady": 0}

    def flaky(event):
        calls["flaky"] += 1
        if calls["flaky"] == 1:
            raise RuntimeError("serviço indisponível")

    def steady(event):
        calls["steady"] += 1

    subscribe(flaky)
    subscribe(steady)

    # when the delete commits: the request is not affected, the event stays pending
    with django_capture_on_commit_callbacks(execute=True, using="customers"):
        customer_services.customer_hard_delete(customer_id=customer.pk)
    [row] = outbox_rows()
    assert (row.ds_status, row.nr_attempts) == (EventStatus.PENDING, 1)
    assert "RuntimeError: serviço indisponível" in row.ds_last_error
    assert calls == {"flaky": 1, "steady": 1}

    # and the relay retries
    relay_once()

    # then the failed handler ran again, the one that had succeeded did not
    assert calls == {"flaky": 2, "steady": 1}
    [row] = outbox_rows()
    assert (row.ds_status, row.ds_last_error) == (EventStatus.SENT, None)


def test_a_duplicate_delivery_has_its_effect_once(
    customer, subscribe, relay_now, django_capture_on_commit_callbacks
):
    received = []
    subscribe(lambda event: received.append(event.ids))
    with django_capture_on_commit_callbacks(execute=True, using="customers"):
        customer_services.customer_hard_delete(customer_id=customer.pk)

    # when the same event is delivered again (a relay that died before marking it sent)
    CustomerOutbox.objects.using("customers").update(ds_status=EventStatus.PENDING)
    output = relay_once()

    # then it is acknowledged, but processed once
    assert "1 entregue(s)" in output
    assert received == [frozenset({customer.pk})]
    assert EventInbox.objects.count() == 2  # the timeline's handler and this one, once each


def test_a_handler_that_keeps_failing_ends_failed_and_outbox_status_says_so(
    settings, customer, subscribe, relay_now, django_capture_on_commit_callbacks
):
    settings.CRM_OUTBOX_MAX_ATTEMPTS = 3
    attempts = []
    fixed = []

    def broken(event):
        attempts.append(event)
        if not fixed:
            raise ValueError("dados inválidos")

    subscribe(broken)
    with django_capture_on_commit_callbacks(execute=True, using="customers"):
        customer_services.customer_hard_delete(customer_id=customer.pk)

    relay_once()
    assert outbox_rows()[0].ds_status == EventStatus.PENDING
    relay_once()

    [row] = outbox_rows()
    assert (row.ds_status, row.nr_attempts, len(attempts)) == (EventStatus.FAILED, 3, 3)
    assert "ValueError: dados inválidos" in row.ds_last_error
    assert "0 entregue(s)" in relay_once()  # a failed event is not retried by itself

    out, err = StringIO(), StringIO()
    with pytest.raises(SystemExit) as exit_status:
        call_command("outbox_status", stdout=out, stderr=err)
    assert exit_status.value.code == 1
    [line] = [line for line in out.getvalue().splitlines() if HARD_DELETED_EVENT in line]
    assert line.split()[:5] == ["customers", HARD_DELETED_EVENT, "0", "1", "0"]
    assert "1 evento(s) com falha" in err.getvalue()

    # once the cause is fixed, the operator puts it back
    fixed.append(True)
    out = StringIO()
    call_command("outbox_relay", "--once", "--retry-failed", stdout=out)
    assert "1 evento(s) recolocado(s)" in out.getvalue()
    assert outbox_rows()[0].ds_status == EventStatus.SENT
    assert len(attempts) == 4


def test_outbox_status_counts_per_topic_with_the_oldest_pending_age(
    make_customer, relay_now, django_capture_on_commit_callbacks
):
    delivered, stuck = make_customer(), make_customer()
    with django_capture_on_commit_callbacks(execute=True, using="customers"):
        customer_services.customer_hard_delete(customer_id=delivered.pk)
    with django_capture_on_commit_callbacks(execute=False, using="customers"):
        customer_services.customer_hard_delete(customer_id=stuck.pk)

    out = StringIO()
    call_command("outbox_status", stdout=out)  # no failure: exit status 0

    [line] = [line for line in out.getvalue().splitlines() if HARD_DELETED_EVENT in line]
    assert line.split()[:5] == ["customers", HARD_DELETED_EVENT, "1", "0", "1"]
    assert line.split()[-1] == "s"  # "<age> s"


def test_an_event_inserted_with_plain_sql_is_delivered(customer, user, make_interaction):
    # given a pending event written by hand (every other column has a database default)
    make_interaction(customer=customer, user=user)
    Customer.objects.filter(pk=customer.pk).delete()
    with connections["customers"].cursor() as cursor:
        cursor.execute(
            "INSERT INTO customer_outbox (ds_topic, ds_ids) VALUES (%s, %s)",
            [HARD_DELETED_EVENT, f'["{customer.pk}"]'],
        )

    relay_once()

    [row] = outbox_rows()
    assert row.ds_status == EventStatus.SENT
    assert isinstance(row.cd_event, uuid.UUID)
    assert not Interaction.objects.filter(cd_customer=customer.pk).exists()


def test_a_product_hard_delete_writes_the_products_outbox(
    make_product, django_capture_on_commit_callbacks
):
    product = make_product()
    with django_capture_on_commit_callbacks(execute=True, using="products"):
        product_services.product_hard_delete(product_id=product.pk)

    [row] = ProductOutbox.objects.using("products").all()
    assert (row.ds_topic, row.ds_ids, row.ds_status) == (
        "product.hard_deleted",
        [str(product.pk)],
        EventStatus.SENT,
    )


def test_the_system_check_refuses_an_undeclared_consumer_or_one_without_an_inbox():
    assert event_subscription_violations() == []

    def products_handler(event):
        pass

    hooks.registry.subscribe("customer.hard_deleted", products_handler, domain="products")
    try:
        found = [(error.id, error.msg) for error in event_subscription_violations()]
    finally:
        hooks.registry.handlers["customer.hard_deleted"].remove(products_handler)
        hooks.registry.handler_domains.pop(products_handler)

    assert [error_id for error_id, _ in found] == ["crm.E010", "crm.E011"]
    assert all("'products'" in message for _, message in found)


def test_old_delivered_events_are_pruned_and_pending_ones_kept(
    make_customer, relay_now, django_capture_on_commit_callbacks
):

    delivered, stuck = make_customer(), make_customer()
    with django_capture_on_commit_callbacks(execute=True, using="customers"):
        customer_services.customer_hard_delete(customer_id=delivered.pk)
    with django_capture_on_commit_callbacks(execute=False, using="customers"):
        customer_services.customer_hard_delete(customer_id=stuck.pk)
    long_ago = timezone.now() - dt.timedelta(days=30)
    CustomerOutbox.objects.update(dt_created_at=long_ago)
    CustomerOutbox.objects.filter(ds_status=EventStatus.SENT).update(dt_sent_at=long_ago)
    EventInbox.objects.update(dt_processed_at=long_ago)

    removed = events.prune(older_than=dt.timedelta(days=7))

    assert removed == 2  # the sent event and its inbox row
    assert [row.ds_ids for row in outbox_rows()] == [[str(stuck.pk)]]
    assert not EventInbox.objects.exists()
