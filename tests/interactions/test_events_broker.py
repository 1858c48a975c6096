"""Events that are never lost, split mode: through the real RabbitMQ (crm.events, kombu).

A process that does not serve every domain (``CRM_DOMAINS``) never delivers in-process:
``outbox_relay`` publishes its outbox to the broker, ``events_consume`` processes the queue of
each domain it serves through that domain's inbox. Each test uses an exchange (and so queues) of
its own, deleted afterwards, on the machine's shared RabbitMQ (``BROKER_URL``).
"""

from __future__ import annotations

import collections
import os
import shutil
import subprocess
import threading
import time
import uuid
from io import StringIO

import pytest
from django.core.management import call_command
from django.core.management.base import CommandError
from django.db import connection, connections, transaction
from django.test import override_settings

from crm import events, hooks
from crm.events import EventStatus
from domains.customers.interface import HARD_DELETED_EVENT
from domains.customers.models import Customer, CustomerOutbox
from domains.interactions.models import EventInbox, Interaction

PING = "test.ping"


@pytest.fixture
def split(settings):
    """This process serves customers and interactions only (a split), on its own exchange."""
    settings.CRM_DOMAINS = ("customers", "interactions")
    settings.CRM_EVENTS_EXCHANGE = f"crm-test-events-{uuid.uuid4().hex[:12]}"
    settings.CRM_EVENT_SUBSCRIBERS = {
        **settings.CRM_EVENT_SUBSCRIBERS,
        PING: ["interactions"],
    }
    settings.CRM_OUTBOX_POLL_SECONDS = 0.1
    settings.CRM_EVENTS_REQUEUE_DELAY_SECONDS = 0.1
    try:
        with events.broker_connection() as broker:
            broker.ensure_connection(max_retries=1)
    except Exception as error:
        pytest.fail(f"RabbitMQ is not reachable (BROKER_URL={settings.BROKER_URL}): {error}")
    yield settings
    with events.broker_connection() as broker:
        channel = broker.channel()
        for domain in ("interactions",):
            events.consumer_queue(domain, [])(channel).delete()
            events.failed_queue(domain)(channel).delete()
        events._exchange()(channel).delete()


@pytest.fixture
def subscribe():
    """Subscribe test handlers as the interactions domain (its inbox); undone after."""
    added = []

    def add(topic, handler):
        hooks.registry.subscribe(topic, handler, domain="interactions")
        added.append((topic, handler))

    yield add
    for topic, handler in added:
        hooks.registry.handlers[topic].remove(handler)
        hooks.registry.handler_domains.pop(handler, None)


def queued_messages() -> int:
    with events.broker_connection() as broker:
        queue = events.consumer_queue("interactions", [])(broker.channel())
        return queue.queue_declare(passive=True).message_count


def hard_delete(customer) -> None:
    """What customers' service does, minus the calls to other domains (not served here)."""
    with transaction.atomic(using="customers"):
        Customer.objects.filter(pk=customer.pk).delete()
        hooks.publish(HARD_DELETED_EVENT, ids=[customer.pk], using="customers")


@pytest.mark.needs("rabbitmq")
def test_events_wait_in_the_queue_while_the_consumer_is_down_and_count_once(
    split, subscribe, make_customer, make_interaction, user, django_capture_on_commit_callbacks
):
    # given three customers with interactions, a counting handler, and no consumer running
    effects = []
    subscribe(HARD_DELETED_EVENT, lambda event: effects.extend(event.ids))
    customers = [make_customer() for _ in range(3)]
    for customer in customers:
        make_interaction(customer=customer, user=user)

    # when they are hard-deleted: no in-process delivery in a split
    with django_capture_on_commit_callbacks(execute=True, using="customers") as callbacks:
        for customer in customers:
            hard_delete(customer)
    assert callbacks == []
    out = StringIO()
    call_command("outbox_relay", "--once", stdout=out)

    # then the events are sent (the broker confirmed them) and wait in the durable queue
    assert "3 entregue(s)" in out.getvalue()
    assert {row.ds_status for row in CustomerOutbox.objects.all()} == {EventStatus.SENT}
    assert queued_messages() == 3
    assert Interaction.objects.count() == 3

    # when the consumer comes up
    out = StringIO()
    call_command("events_consume", "--once", stdout=out)

    # then each is processed once
    assert "3 evento(s) processado(s)" in out.getvalue()
    assert Interaction.objects.count() == 0
    assert sorted(effects) == sorted(customer.pk for customer in customers)
    assert EventInbox.objects.count() == 6  # (event, handler): the timeline's and the counter
    assert queued_messages() == 0

    # when everything is delivered again (a relay that died before marking them sent)
    CustomerOutbox.objects.update(ds_status=EventStatus.PENDING)
    call_command("outbox_relay", "--once", stdout=StringIO())
    out = StringIO()
    call_command("events_consume", "--once", stdout=out)

    # then the messages are acknowledged but nothing happens twice
    assert "3 evento(s) processado(s)" in out.getvalue()
    assert queued_messages() == 0
    assert len(effects) == 3
    assert EventInbox.objects.count() == 6


@pytest.mark.needs("rabbitmq")
def test_a_handler_that_keeps_failing_is_retried_then_parked_in_the_failed_queue(
    split, subscribe, make_customer, make_interaction, user
):
    # given a handler that always fails next to the timeline's own
    split.CRM_OUTBOX_MAX_ATTEMPTS = 3
    attempts = []

    def broken(event):
        attempts.append(event)
        raise ValueError("dados inválidos")

    subscribe(HARD_DELETED_EVENT, broken)
    customer = make_customer()
    make_interaction(customer=customer, user=user)
    hard_delete(customer)
    call_command("outbox_relay", "--once", stdout=StringIO())

    # when the consumer runs
    call_command("events_consume", "--once", stdout=StringIO())

    # then the event was tried three times, then kept aside; the timeline's handler ran once
    assert len(attempts) == 3
    assert queued_messages() == 0
    assert Interaction.objects.count() == 0
    assert EventInbox.objects.count() == 1
    with events.broker_connection() as broker:
        parked = events.failed_queue("interactions")(broker.channel())
        message = parked.get()
        assert message is not None
        assert message.payload["ids"] == [str(customer.pk)]
        assert message.headers["x-crm-attempts"] == 3
        assert message.headers["x-crm-error"] == "ValueError: dados inválidos"
        message.ack()


@pytest.mark.needs("rabbitmq")
def test_a_broker_that_is_down_keeps_the_events_pending(split, make_customer):
    hard_delete(make_customer())

    with (
        override_settings(BROKER_URL="amqp://guest:guest@127.0.0.1:8299//"),  # nobody there
        pytest.raises(CommandError, match="Mensageria indisponível"),
    ):
        call_command("outbox_relay", "--once", stdout=StringIO())

    [row] = CustomerOutbox.objects.all()
    assert (row.ds_status, row.nr_attempts) == (EventStatus.PENDING, 0)


def test_the_monolith_needs_no_consumer():
    with pytest.raises(CommandError, match="monólito"):
        call_command("events_consume", "--once")


def rabbitmqctl(*args: str) -> None:
    subprocess.run(["rabbitmqctl", *args], check=True, capture_output=True, timeout=120)


needs_rabbitmqctl = pytest.mark.skipif(
    shutil.which("rabbitmqctl") is None or os.geteuid() != 0,
    reason="restarting RabbitMQ needs rabbitmqctl as root (CI runs as root)",
)


@pytest.mark.needs("rabbitmq")
@pytest.mark.slow
@needs_rabbitmqctl
def test_events_waiting_in_the_queue_survive_a_broker_restart(split, subscribe, make_customer):
    # given events sent while no consumer runs
    effects = []
    subscribe(HARD_DELETED_EVENT, lambda event: effects.extend(event.ids))
    customers = [make_customer() for _ in range(5)]
    for customer in customers:
        hard_delete(customer)
    call_command("outbox_relay", "--once", stdout=StringIO())
    assert queued_messages() == 5

    # when the broker restarts
    try:
        rabbitmqctl("stop_app")
    finally:
        rabbitmqctl("start_app")

    # then they are still there (durable queue, persistent messages) and processed once
    assert queued_messages() == 5
    call_command("events_consume", "--once", stdout=StringIO())
    assert sorted(effects) == sorted(customer.pk for customer in customers)


@pytest.mark.needs("rabbitmq")
@pytest.mark.slow
@pytest.mark.django_db(transaction=True, databases="__all__")
@needs_rabbitmqctl
def test_rabbitmq_restarted_mid_stream_loses_nothing_and_duplicates_nothing(split, subscribe):
    if connection.vendor != "postgresql":
        pytest.skip("relay, consumer and publisher run concurrently: needs PostgreSQL")
    # a handler counting the events whose processing committed (with its inbox row)
    effects: list[uuid.UUID] = []
    lock = threading.Lock()

    def count(event):
        def record():
            with lock:
                effects.extend(event.ids)

        transaction.on_commit(record, using="interactions")

    subscribe(PING, count)
    stop = threading.Event()
    failures: list[BaseException] = []

    def run(target):
        def body():
            try:
                target()
            except BaseException as error:  # surfaced by the assertions below
                failures.append(error)
            finally:
                connections.close_all()

        thread = threading.Thread(target=body, daemon=True)
        thread.start()
        return thread

    relay = run(lambda: events.run_relay(hooks.registry, stop=stop))
    consumer = run(
        lambda: events.BrokerConsumer(registry=hooks.registry, domains=("interactions",)).consume(
            stop=stop
        )
    )
    restart_done = threading.Event()
    restarter = None

    def restart():
        try:
            rabbitmqctl("stop_app")
            time.sleep(3)  # events keep being published while the broker is down
        finally:
            rabbitmqctl("start_app")
            restart_done.set()

    published: list[uuid.UUID] = []

    def publish_one():
        event_id = uuid.uuid4()
        with transaction.atomic(using="customers"):
            hooks.publish(PING, ids=[event_id], using="customers")
        published.append(event_id)
        time.sleep(0.02)

    try:
        # when events are published before, during and after a broker restart
        for _ in range(100):
            publish_one()
        restarter = run(restart)
        while not restart_done.is_set():
            publish_one()
        for _ in range(100):
            publish_one()

        # then every one of them arrives (the relay and the consumer reconnect by themselves)
        deadline = time.monotonic() + 120
        while len(effects) < len(published) and time.monotonic() < deadline:
            time.sleep(0.2)
        time.sleep(2)  # late duplicates, if any, would land now
    finally:
        stop.set()
        if restarter is not None:
            restart_done.wait(timeout=120)
        for thread in (relay, consumer, restarter):
            if thread is not None:
                thread.join(timeout=30)

    assert failures == []
    assert len(published) > 250  # some were published while the broker was down
    assert collections.Counter(effects) == collections.Counter(published)  # each exactly once
    assert set(CustomerOutbox.objects.values_list("ds_status", flat=True)) == {EventStatus.SENT}
    assert EventInbox.objects.filter(ds_topic=PING).count() == len(published)
