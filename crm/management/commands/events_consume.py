"""``manage.py events_consume [--once] [--idle-timeout S]``: split mode's consumer.

Reads from RabbitMQ (``BROKER_URL``) the durable queue of each domain this process serves that
subscribes to a topic (``<CRM_EVENTS_EXCHANGE>.<domain>``), runs the handlers through the
domain's inbox (an event already processed is skipped) and acks each message after the commit.
Reconnects when the broker goes away; stops cleanly on SIGTERM or Ctrl-C. ``--once``: until
the queues stay empty for a second; ``--idle-timeout S``: until nothing arrived for S seconds.
The monolith does not need it (events are delivered in-process); it refuses to run there.
"""

from __future__ import annotations

import signal
import threading

from django.core.management.base import BaseCommand, CommandError

from crm import events
from crm.hooks import registry


class Command(BaseCommand):
    help = (
        "Consome do RabbitMQ os eventos que os domínios deste processo assinam, processando "
        "cada um uma vez (inbox)."
    )

    def add_arguments(self, parser):
        parser.add_argument(
            "--once", action="store_true", help="Termina quando as filas ficam vazias."
        )
        parser.add_argument(
            "--idle-timeout",
            type=float,
            default=None,
            help="Termina após S segundos sem mensagens.",
        )

    def handle(self, *args, once: bool, idle_timeout: float | None, **options):
        if events.is_monolith():
            raise CommandError(
                "Este processo serve todos os domínios (monólito): os eventos são entregues em "
                "processo; use outbox_relay para os pendentes."
            )
        consumer = events.BrokerConsumer(registry=registry, domains=events.served_domains())
        if not consumer.topics_by_domain():
            self.stdout.write("Nenhum domínio deste processo assina eventos.")
            return
        stop = threading.Event()
        if threading.current_thread() is threading.main_thread():
            signal.signal(signal.SIGTERM, lambda *_: stop.set())
        try:
            processed = consumer.consume(once=once, idle_timeout=idle_timeout, stop=stop)
        except KeyboardInterrupt:
            processed = consumer.processed
        self.stdout.write(f"{processed} evento(s) processado(s).")
