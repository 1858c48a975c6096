"""Durable events: a transactional outbox per publishing domain, an inbox per consuming domain.

``crm.hooks.publish(topic, ids=..., using=alias)`` stays the publishers' whole API; underneath:

* **Outbox** (publisher side): ``publish`` inserts one row into the outbox table of the domain
  that owns ``alias`` (its own schema), on that alias, inside the publisher's transaction. A
  rolled-back change leaves no event; a committed one cannot lose it, whatever crashes next.
* **Inbox** (consumer side): before a handler runs, a row (event id, handler) goes into the
  consuming domain's inbox table, on the consumer's alias, in the same transaction as the
  handler's own writes. A second delivery of the same event finds the row and skips the
  handler: delivered *at least once*, processed *once*.
* **Delivery, monolith** (this process serves every domain, ``CRM_DOMAINS``): right after the
  publisher's commit, in-process; a handler that raises, or a process that dies first, leaves
  the row ``pending``, and ``manage.py outbox_relay`` retries it (exponential backoff, attempts
  counted, ``failed`` with the last error after ``CRM_OUTBOX_MAX_ATTEMPTS``). No broker needed.
* **Delivery, split** (a process serving only some domains): ``outbox_relay`` publishes pending
  rows to RabbitMQ (``BROKER_URL``; a durable topic exchange, persistent messages, publisher
  confirms) and marks them ``sent`` only once the broker confirmed them; ``events_consume``
  reads one durable queue per consuming domain, runs the handlers through the inbox and acks
  after the commit (a failing handler: the event goes back to the queue, and after
  ``CRM_OUTBOX_MAX_ATTEMPTS`` to ``<queue>.failed``). A broker down keeps rows pending (the
  relay retries); a consumer down leaves messages in its durable queue. Which domains
  consume which topics is configuration (``CRM_EVENT_SUBSCRIBERS``): the relay declares their
  queues before publishing, so a message never goes to an exchange with nobody bound yet.
  ``crm.checks`` compares it with the subscriptions the code makes.

Tables are concrete per domain (each domain's ``models.py`` subclasses ``OutboxEvent`` /
``InboxEvent``, its migration creates them in its schema); this module finds them through the
app registry and the router, so ``crm`` still imports no domain.
"""

from __future__ import annotations

import contextlib
import datetime as dt
import json
import logging
import threading
import time
import uuid
from collections.abc import Callable, Iterable, Iterator
from dataclasses import dataclass, field
from typing import TYPE_CHECKING, Any
from uuid import UUID

from django.apps import apps
from django.conf import settings
from django.db import IntegrityError, models, transaction
from django.db.models.functions import Now
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from .db.router import alias_for_app, domain_for_app

if TYPE_CHECKING:
    from .hooks import Event, Registry

logger = logging.getLogger(__name__)


class RandomUUID(models.Func):
    """A new random UUID computed by the database (so plain SQL can insert an event)."""

    function = "gen_random_uuid"
    arity = 0
    output_field = models.UUIDField()

    def as_sqlite(self, compiler, connection, **extra_context):
        # Django stores UUIDs on SQLite as 32 hex characters.
        return "lower(hex(randomblob(16)))", []


class EventStatus(models.TextChoices):
    PENDING = "pending", _("pendente")
    SENT = "sent", _("entregue")
    FAILED = "failed", _("falhou")


class OutboxEvent(models.Model):
    """An event a domain published, kept in the publisher's schema until it is delivered."""

    cd_event = models.UUIDField(
        _("evento"), primary_key=True, default=uuid.uuid4, db_default=RandomUUID(), editable=False
    )
    ds_topic = models.CharField(_("tópico"), max_length=200)
    #: The payload: the ids the event is about, as strings (JSON list).
    ds_ids = models.JSONField(_("ids"))
    ds_status = models.CharField(
        _("situação"),
        max_length=10,
        choices=EventStatus.choices,
        default=EventStatus.PENDING,
        db_default=EventStatus.PENDING,
    )
    nr_attempts = models.PositiveIntegerField(_("tentativas"), default=0, db_default=0)
    dt_created_at = models.DateTimeField(_("criado em"), default=timezone.now, db_default=Now())
    dt_next_attempt_at = models.DateTimeField(
        _("próxima tentativa"), default=timezone.now, db_default=Now()
    )
    dt_sent_at = models.DateTimeField(_("entregue em"), null=True, blank=True)
    ds_last_error = models.TextField(_("último erro"), null=True, blank=True)

    class Meta:
        abstract = True
        indexes = [
            models.Index(
                fields=["dt_next_attempt_at"],
                condition=models.Q(ds_status="pending"),
                name="%(app_label)s_outbox_due",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.ds_topic} {self.cd_event} ({self.ds_status})"


class InboxEvent(models.Model):
    """An event a consumer's handler has processed (its effect committed with this row)."""

    cd_event = models.UUIDField(_("evento"))
    ds_handler = models.CharField(_("processador"), max_length=300)
    ds_topic = models.CharField(_("tópico"), max_length=200)
    dt_processed_at = models.DateTimeField(
        _("processado em"), default=timezone.now, db_default=Now()
    )

    class Meta:
        abstract = True
        constraints = [
            models.UniqueConstraint(
                fields=["cd_event", "ds_handler"], name="%(app_label)s_inbox_once"
            ),
        ]

    def __str__(self) -> str:
        return f"{self.ds_topic} {self.cd_event} -> {self.ds_handler}"


# --- Where things are --------------------------------------------------------------------------


def served_domains() -> tuple[str, ...]:
    """The domains this process serves (``CRM_DOMAINS``; default all: the monolith)."""
    return tuple(getattr(settings, "CRM_DOMAINS", settings.CRM_DOMAIN_ALIASES))


def is_monolith() -> bool:
    return set(served_domains()) >= set(settings.CRM_DOMAIN_ALIASES)


def _domain_of_model(model: type[models.Model]) -> str | None:
    return domain_for_app(model._meta.app_label)


def _concrete(base: type[models.Model]) -> Iterator[type[models.Model]]:
    for model in apps.get_models():
        if issubclass(model, base):
            yield model


def outbox_for_alias(alias: str) -> type[OutboxEvent]:
    for model in _concrete(OutboxEvent):
        if alias_for_app(model._meta.app_label) == alias:
            return model
    raise LookupError(
        f"No outbox table for the database alias {alias!r}: the publishing domain declares a "
        "model subclassing crm.events.OutboxEvent (and its migration)."
    )


def served_outboxes() -> list[tuple[type[OutboxEvent], str]]:
    """(outbox model, alias) of every domain this process serves."""
    served = set(served_domains())
    return [
        (model, alias_for_app(model._meta.app_label))
        for model in _concrete(OutboxEvent)
        if _domain_of_model(model) in served
    ]


def inbox_for_domain(domain: str) -> type[InboxEvent] | None:
    for model in _concrete(InboxEvent):
        if _domain_of_model(model) == domain:
            return model
    return None


def handler_domain(registry: Registry, handler: Callable) -> str | None:
    """The domain whose code subscribed ``handler`` (said at ``subscribe``, else the app its
    module belongs to); ``None`` for code outside every domain."""
    if handler in registry.handler_domains:
        return registry.handler_domains[handler]
    module = getattr(handler, "__module__", None)
    config = apps.get_containing_app_config(module) if module else None
    return domain_for_app(config.label) if config else None


def handler_key(handler: Callable) -> str:
    module = getattr(handler, "__module__", None) or ""
    return f"{module}.{getattr(handler, '__qualname__', repr(handler))}"[:300]


def subscriptions(registry: Registry) -> dict[str, set[str]]:
    """topic -> the domains whose handlers subscribe to it in this process."""
    found: dict[str, set[str]] = {}
    for topic, handlers in registry.handlers.items():
        for handler in handlers:
            domain = handler_domain(registry, handler)
            if domain:
                found.setdefault(topic, set()).add(domain)
    return found


# --- Publishing ---------------------------------------------------------------------------------


def retry_delay(attempts: int) -> dt.timedelta:
    """Exponential backoff: the base delay, doubled per failed attempt, capped at an hour."""
    base = settings.CRM_OUTBOX_RETRY_SECONDS
    return dt.timedelta(seconds=min(base * 2 ** max(attempts - 1, 0), 3600))


def publish(registry: Registry, topic: str, *, ids: Iterable[UUID], using: str) -> None:
    """Write the event into the publisher's outbox (in its current transaction on ``using``);
    in the monolith, deliver it in-process once that transaction commits."""
    outbox = outbox_for_alias(using)
    monolith = is_monolith()
    now = timezone.now()
    row = outbox(
        ds_topic=topic,
        ds_ids=sorted(str(value) for value in ids),
        dt_created_at=now,
        # In the monolith the commit hook delivers right away: the relay only steps in when it
        # has not (a crash), after the retry delay. In a split the relay is the deliverer.
        dt_next_attempt_at=now + retry_delay(1) if monolith else now,
    )
    row.save(using=using, force_insert=True)
    if monolith:
        transaction.on_commit(
            lambda: deliver_locally(registry, outbox, using, row.pk), using=using, robust=True
        )


# --- Processing once (the inbox) ----------------------------------------------------------------


def process_once(registry: Registry, handler: Callable, event: Event, event_id: UUID) -> bool:
    """Run ``handler`` unless its domain's inbox says it already processed ``event_id``; the
    inbox row and the handler's writes commit together on the consumer's alias. Returns
    whether the handler ran. Handlers outside every domain (none in production) run without
    an inbox."""
    domain = handler_domain(registry, handler)
    inbox = inbox_for_domain(domain) if domain else None
    if inbox is None:
        handler(event)
        return True
    alias = alias_for_app(inbox._meta.app_label)
    with transaction.atomic(using=alias):
        try:
            with transaction.atomic(using=alias):
                inbox.objects.using(alias).create(
                    cd_event=event_id, ds_handler=handler_key(handler), ds_topic=event.topic
                )
        except IntegrityError:
            logger.info("event %s already processed by %s", event_id, handler_key(handler))
            return False
        handler(event)
    return True


def event_of(row: OutboxEvent) -> Event:
    from .hooks import Event

    return Event(topic=row.ds_topic, ids=frozenset(UUID(value) for value in row.ds_ids))


def _handle_locally(registry: Registry, row: OutboxEvent) -> str | None:
    """Every handler of the row's topic, each through its inbox; the errors, or ``None``."""
    event = event_of(row)
    errors = []
    for handler in list(registry.handlers.get(row.ds_topic, ())):
        try:
            process_once(registry, handler, event, row.cd_event)
        except Exception as error:
            logger.exception("handler %s failed on event %s", handler_key(handler), row.cd_event)
            errors.append(f"{handler_key(handler)}: {type(error).__name__}: {error}")
    return "\n".join(errors) or None


def _record_outcome(
    outbox: type[OutboxEvent], alias: str, row: OutboxEvent, error: str | None
) -> str:
    now = timezone.now()
    if error is None:
        outbox.objects.using(alias).filter(pk=row.pk).update(
            ds_status=EventStatus.SENT, dt_sent_at=now, ds_last_error=None
        )
        return EventStatus.SENT
    attempts = row.nr_attempts + 1
    status = (
        EventStatus.FAILED if attempts >= settings.CRM_OUTBOX_MAX_ATTEMPTS else EventStatus.PENDING
    )
    outbox.objects.using(alias).filter(pk=row.pk).update(
        ds_status=status,
        nr_attempts=attempts,
        dt_next_attempt_at=now + retry_delay(attempts + 1),
        ds_last_error=error[:4000],
    )
    return status


def deliver_locally(
    registry: Registry, outbox: type[OutboxEvent], alias: str, event_id: UUID
) -> None:
    """The monolith's delivery right after the publisher's commit. Never raises: whatever
    fails stays pending for ``outbox_relay``."""
    try:
        row = outbox.objects.using(alias).get(pk=event_id, ds_status=EventStatus.PENDING)
        _record_outcome(outbox, alias, row, _handle_locally(registry, row))
    except outbox.DoesNotExist:
        return  # a relay got there first
    except Exception:
        logger.exception("event %s left pending for outbox_relay", event_id)


# --- The relay ----------------------------------------------------------------------------------


@dataclass
class RelayCounts:
    sent: int = 0
    retried: int = 0
    failed: int = 0

    @property
    def handled(self) -> int:
        return self.sent + self.retried + self.failed


def _due_rows(outbox: type[OutboxEvent], alias: str, batch_size: int) -> list[OutboxEvent]:
    return list(
        outbox.objects.using(alias)
        .select_for_update(skip_locked=True)
        .filter(ds_status=EventStatus.PENDING, dt_next_attempt_at__lte=timezone.now())
        .order_by("dt_created_at", "cd_event")[:batch_size]
    )


def relay_locally(registry: Registry, *, batch_size: int = 100) -> RelayCounts:
    """Monolith: deliver the due pending rows of every served outbox in-process."""
    counts = RelayCounts()
    for outbox, alias in served_outboxes():
        with transaction.atomic(using=alias):
            for row in _due_rows(outbox, alias, batch_size):
                status = _record_outcome(outbox, alias, row, _handle_locally(registry, row))
                if status == EventStatus.SENT:
                    counts.sent += 1
                elif status == EventStatus.FAILED:
                    counts.failed += 1
                else:
                    counts.retried += 1
    return counts


def prune(*, older_than: dt.timedelta) -> int:
    """Delete what is no longer needed from the served domains' tables: sent outbox rows and
    inbox rows older than ``older_than`` (pending and failed events are never deleted). An inbox
    row only matters while its event may still be delivered again, which is while it is pending
    somewhere: days, not weeks."""
    cutoff = timezone.now() - older_than
    removed = 0
    for outbox, alias in served_outboxes():
        removed += (
            outbox.objects.using(alias)
            .filter(ds_status=EventStatus.SENT, dt_sent_at__lt=cutoff)
            .delete()[0]
        )
    for domain in served_domains():
        inbox = inbox_for_domain(domain)
        if inbox is not None:
            removed += (
                inbox.objects.using(alias_for_app(inbox._meta.app_label))
                .filter(dt_processed_at__lt=cutoff)
                .delete()[0]
            )
    return removed


def retry_failed() -> int:
    """Put every failed event of the served outboxes back in the queue (attempts reset)."""
    total = 0
    for outbox, alias in served_outboxes():
        total += (
            outbox.objects.using(alias)
            .filter(ds_status=EventStatus.FAILED)
            .update(ds_status=EventStatus.PENDING, nr_attempts=0, dt_next_attempt_at=Now())
        )
    return total


# --- The broker (split mode) ------------------------------------------------------------------
#
# kombu (Celery's messaging library, maintained with it): AMQP 0-9-1 through py-amqp with
# publisher confirms, automatic reconnection helpers, heartbeats, and declarative exchanges,
# queues and bindings, without pulling in a task framework; pika would need all of that written
# by hand (its blocking connection is single-threaded and has no reconnect logic).


def exchange_name() -> str:
    return settings.CRM_EVENTS_EXCHANGE


def queue_name(domain: str) -> str:
    return f"{exchange_name()}.{domain}"


def _exchange():
    from kombu import Exchange

    return Exchange(exchange_name(), type="topic", durable=True)


def consumer_queue(domain: str, topics: Iterable[str]):
    from kombu import Queue, binding

    exchange = _exchange()
    return Queue(
        queue_name(domain),
        exchange=exchange,
        bindings=[binding(exchange, routing_key=topic) for topic in sorted(topics)],
        durable=True,
        auto_delete=False,
    )


def failed_queue(domain: str):
    """Where a consumer puts the events its handlers failed on too often (durable, unbound)."""
    from kombu import Queue

    return Queue(f"{queue_name(domain)}.failed", durable=True, auto_delete=False)


def broker_connection():
    from kombu import Connection

    return Connection(
        settings.BROKER_URL,
        connect_timeout=5,
        heartbeat=30,
        transport_options={"confirm_publish": True},
    )


def message_body(row: OutboxEvent) -> dict[str, Any]:
    return {
        "id": str(row.cd_event),
        "topic": row.ds_topic,
        "ids": list(row.ds_ids),
        "created_at": row.dt_created_at.isoformat(),
    }


@dataclass
class BrokerRelay:
    """Split mode: publishes pending outbox rows to RabbitMQ, marking them sent on confirm."""

    connection: Any = None
    declared: set[str] = field(default_factory=set)

    def close(self) -> None:
        if self.connection is not None:
            # A dead connection has nothing left to release.
            with contextlib.suppress(Exception):
                self.connection.release()
        self.connection = None
        self.declared = set()

    def _producer(self):
        if self.connection is None:
            self.connection = broker_connection()
            self.connection.ensure_connection(max_retries=1)
        return self.connection.Producer(exchange=_exchange())

    def _declare(self, channel, topic: str) -> None:
        """The exchange and the queues of the topic's consuming domains, before publishing:
        a message routed nowhere would be dropped by the broker."""
        if topic in self.declared:
            return
        _exchange()(channel).declare()
        for domain in settings.CRM_EVENT_SUBSCRIBERS.get(topic, ()):
            topics = [t for t, ds in settings.CRM_EVENT_SUBSCRIBERS.items() if domain in ds]
            consumer_queue(domain, topics)(channel).declare()
        self.declared.add(topic)

    def relay(self, *, batch_size: int = 100) -> RelayCounts:
        counts = RelayCounts()
        producer = self._producer()
        try:
            for outbox, alias in served_outboxes():
                with transaction.atomic(using=alias):
                    sent: list[UUID] = []
                    try:
                        for row in _due_rows(outbox, alias, batch_size):
                            self._declare(producer.channel, row.ds_topic)
                            # Blocks until the broker confirms (confirm_publish): persisted.
                            producer.publish(
                                json.dumps(message_body(row)),
                                routing_key=row.ds_topic,
                                content_type="application/json",
                                content_encoding="utf-8",
                                delivery_mode=2,
                                message_id=str(row.cd_event),
                                retry=False,
                            )
                            sent.append(row.pk)
                    finally:
                        # What the broker confirmed is sent, even if a later publish failed.
                        if sent:
                            outbox.objects.using(alias).filter(pk__in=sent).update(
                                ds_status=EventStatus.SENT,
                                dt_sent_at=timezone.now(),
                                ds_last_error=None,
                            )
                            counts.sent += len(sent)
        except Exception:
            self.close()
            raise
        return counts


def connection_errors() -> tuple[type[BaseException], ...]:
    """What a broker going away raises (kombu's own list for the AMQP transport, plus OSError)."""
    from kombu.exceptions import OperationalError

    with broker_connection() as connection:
        return (
            *connection.connection_errors,
            *connection.channel_errors,
            OperationalError,  # what kombu's ensure_connection raises when nobody answers
            OSError,
        )


@dataclass
class BrokerConsumer:
    """Split mode: consumes the durable queue of each served domain that subscribes to a topic,
    processing each message through the inbox and acking after the commit."""

    registry: Registry
    domains: tuple[str, ...]
    processed: int = 0
    producer: Any = None

    def topics_by_domain(self) -> dict[str, set[str]]:
        found: dict[str, set[str]] = {}
        for topic, domains in subscriptions(self.registry).items():
            for domain in domains:
                if domain in self.domains:
                    found.setdefault(domain, set()).add(topic)
        return found

    def _on_message(self, domain: str) -> Callable[[Any, Any], None]:
        def on_message(body: Any, message: Any) -> None:
            try:
                data = body if isinstance(body, dict) else json.loads(body)
                event_id = UUID(data["id"])
                from .hooks import Event

                event = Event(
                    topic=data["topic"], ids=frozenset(UUID(value) for value in data["ids"])
                )
            except (KeyError, TypeError, ValueError):
                logger.error("malformed event message dropped: %r", body)
                message.reject()
                return
            handlers = [
                handler
                for handler in list(self.registry.handlers.get(event.topic, ()))
                if handler_domain(self.registry, handler) == domain
            ]
            try:
                for handler in handlers:
                    process_once(self.registry, handler, event, event_id)
            except Exception as error:
                self._retry_later(domain, data, message, error)
                return
            message.ack()  # after the commit: a crash before it means a redelivery, deduped
            self.processed += 1

        return on_message

    def _retry_later(self, domain: str, data: dict, message: Any, error: Exception) -> None:
        """A handler raised: put the event back at the end of the domain's queue with its
        attempts counted, or, after ``CRM_OUTBOX_MAX_ATTEMPTS``, into ``<queue>.failed`` (kept
        for an operator), then ack the original. The copy is confirmed before the ack: nothing
        is lost in between, at worst duplicated (the inbox skips what already ran)."""
        attempts = int((message.headers or {}).get("x-crm-attempts", 0)) + 1
        target = queue_name(domain)
        if attempts >= settings.CRM_OUTBOX_MAX_ATTEMPTS:
            target = failed_queue(domain)(self.producer.channel).declare()
            logger.exception("event %s failed %s times; kept in %s", data["id"], attempts, target)
        else:
            logger.exception("event %s failed in %s (attempt %s)", data["id"], domain, attempts)
            time.sleep(settings.CRM_EVENTS_REQUEUE_DELAY_SECONDS)
        self.producer.publish(
            json.dumps(data),
            exchange="",
            routing_key=target,
            headers={
                "x-crm-attempts": attempts,
                "x-crm-error": f"{type(error).__name__}: {error}"[:1000],
            },
            content_type="application/json",
            content_encoding="utf-8",
            delivery_mode=2,
            message_id=data["id"],
            retry=False,
        )
        message.ack()

    def consume(
        self,
        *,
        once: bool = False,
        idle_timeout: float | None = None,
        stop: threading.Event | None = None,
    ) -> int:
        """Until ``stop`` is set (or, with ``once``, until the queues are idle for a second;
        with ``idle_timeout``, idle that long). Reconnects when the broker goes away."""
        idle_limit = 1.0 if once else idle_timeout
        stop = stop or threading.Event()
        errors = connection_errors()
        backoff = 1.0
        last_activity = time.monotonic()
        while not stop.is_set():
            try:
                with broker_connection() as connection:
                    connection.ensure_connection(max_retries=1)
                    channel = connection.channel()
                    channel.basic_qos(prefetch_size=0, prefetch_count=50, a_global=False)
                    # Its own channel: confirms of re-published events (_retry_later).
                    self.producer = connection.Producer(channel=connection.channel())
                    consumers = [
                        connection.Consumer(
                            queues=[consumer_queue(domain, topics)],
                            channel=channel,
                            callbacks=[self._on_message(domain)],
                            accept=["json"],
                        )
                        for domain, topics in self.topics_by_domain().items()
                    ]
                    for consumer in consumers:
                        consumer.consume()
                    backoff = 1.0
                    while not stop.is_set():
                        before = self.processed
                        try:
                            connection.drain_events(timeout=1)
                        except TimeoutError:
                            connection.heartbeat_check()
                        if self.processed != before:
                            last_activity = time.monotonic()
                        elif (
                            idle_limit is not None
                            and time.monotonic() - last_activity >= idle_limit
                        ):
                            return self.processed
            except Exception as error:
                level = logging.WARNING if isinstance(error, errors) else logging.ERROR
                logger.log(level, "consumer stopped (%r); reconnecting in %.0fs", error, backoff)
                if idle_limit is not None and time.monotonic() - last_activity >= idle_limit:
                    return self.processed
                stop.wait(backoff)
                backoff = min(backoff * 2, 30.0)
        return self.processed


def run_relay(
    registry: Registry,
    *,
    stop: threading.Event,
    once: bool = False,
    batch_size: int = 100,
    report: Callable[[RelayCounts], None] | None = None,
) -> RelayCounts:
    """The relay's loop (``manage.py outbox_relay``): in-process delivery in the monolith, the
    broker in a split; polls every ``CRM_OUTBOX_POLL_SECONDS`` when idle, backs off while the
    broker is down (rows stay pending), until ``stop`` is set. Hourly, deletes sent events and
    inbox rows older than ``CRM_EVENTS_KEEP_DAYS``. With ``once``: one pass, and a
    broker that cannot be reached raises."""
    relay = None if is_monolith() else BrokerRelay()
    errors = () if relay is None else connection_errors()
    backoff = 1.0
    total = RelayCounts()
    next_prune = 0.0
    try:
        while not stop.is_set():
            try:
                if not once and time.monotonic() >= next_prune:
                    removed = prune(older_than=dt.timedelta(days=settings.CRM_EVENTS_KEEP_DAYS))
                    if removed:
                        logger.info("pruned %s delivered events", removed)
                    next_prune = time.monotonic() + 3600
                if relay is None:
                    counts = relay_locally(registry, batch_size=batch_size)
                else:
                    counts = relay.relay(batch_size=batch_size)
                    backoff = 1.0
            except Exception as error:
                # The broker (or the database) went away: the rows stay pending, try again.
                if once:
                    raise
                level = logging.WARNING if isinstance(error, errors) else logging.ERROR
                logger.log(level, "relay pass failed (%r); retrying in %.0fs", error, backoff)
                stop.wait(backoff)
                backoff = min(backoff * 2, 30.0)
                continue
            total.sent += counts.sent
            total.retried += counts.retried
            total.failed += counts.failed
            if report is not None and counts.handled:
                report(counts)
            if once:
                break
            if counts.handled < batch_size:
                stop.wait(settings.CRM_OUTBOX_POLL_SECONDS)
    finally:
        if relay is not None:
            relay.close()
    return total


# --- Status ---------------------------------------------------------------------------------------


@dataclass(frozen=True)
class TopicStatus:
    domain: str
    topic: str
    pending: int
    failed: int
    sent: int
    oldest_pending: dt.datetime | None


def outbox_status() -> list[TopicStatus]:
    rows = []
    for outbox, alias in served_outboxes():
        per_topic: dict[str, dict[str, Any]] = {}
        for entry in (
            outbox.objects.using(alias)
            .values("ds_topic", "ds_status")
            .annotate(count=models.Count("pk"), oldest=models.Min("dt_created_at"))
        ):
            topic = per_topic.setdefault(entry["ds_topic"], {"oldest": None})
            topic[entry["ds_status"]] = entry["count"]
            if entry["ds_status"] == EventStatus.PENDING:
                topic["oldest"] = entry["oldest"]
        for topic, counts in sorted(per_topic.items()):
            rows.append(
                TopicStatus(
                    domain=_domain_of_model(outbox) or alias,
                    topic=topic,
                    pending=counts.get(EventStatus.PENDING, 0),
                    failed=counts.get(EventStatus.FAILED, 0),
                    sent=counts.get(EventStatus.SENT, 0),
                    oldest_pending=counts["oldest"],
                )
            )
    return rows
