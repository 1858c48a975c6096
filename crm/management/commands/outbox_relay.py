"""``manage.py outbox_relay [--once]``: deliver the events the served domains' outboxes hold.

Monolith (this process serves every domain): runs the handlers in-process for whatever the
after-commit delivery left pending (a crash, a handler that raised), with exponential backoff,
attempts counted and ``failed`` after ``CRM_OUTBOX_MAX_ATTEMPTS``. Split: publishes pending
events to RabbitMQ (``BROKER_URL``) and marks them sent once the broker confirmed them; while the
broker is down they stay pending and the relay keeps trying. ``--once``: one pass, then exit
(status 1 if the broker could not be reached). ``--retry-failed`` puts failed events back first.
"""

from __future__ import annotations

import logging
import signal
import threading

from django.conf import settings
from django.core.management.base import BaseCommand, CommandError

from crm import events
from crm.hooks import registry

logger = logging.getLogger("crm.events")


class Command(BaseCommand):
    help = (
        "Entrega os eventos pendentes das caixas de saída (outbox) dos domínios deste processo: "
        "em processo no monólito, pelo RabbitMQ quando dividido. --once: uma passada e termina."
    )

    def add_arguments(self, parser):
        parser.add_argument("--once", action="store_true", help="Uma passada e termina.")
        parser.add_argument(
            "--retry-failed",
            action="store_true",
            help="Recoloca na fila os eventos que falharam (tentativas zeradas).",
        )
        parser.add_argument("--batch-size", type=int, default=100)

    def handle(self, *args, once: bool, retry_failed: bool, batch_size: int, **options):
        if retry_failed:
            self.stdout.write(f"{events.retry_failed()} evento(s) recolocado(s) na fila.")
        stop = threading.Event()
        if not once and threading.current_thread() is threading.main_thread():
            signal.signal(signal.SIGTERM, lambda *_: stop.set())
        monolith = events.is_monolith()
        relay = None if monolith else events.BrokerRelay()
        errors = () if monolith else events.connection_errors()
        backoff = 1.0
        try:
            while not stop.is_set():
                try:
                    if relay is None:
                        counts = events.relay_locally(registry, batch_size=batch_size)
                    else:
                        counts = relay.relay(batch_size=batch_size)
                        backoff = 1.0
                except errors as error:
                    if once:
                        raise CommandError(f"Mensageria indisponível ({error}).") from error
                    logger.warning("broker unavailable (%s); retrying in %.0fs", error, backoff)
                    stop.wait(backoff)
                    backoff = min(backoff * 2, 30.0)
                    continue
                if counts.handled:
                    logger.info(
                        "outbox: %s sent, %s to retry, %s failed",
                        counts.sent,
                        counts.retried,
                        counts.failed,
                    )
                if once:
                    self.stdout.write(
                        f"{counts.sent} entregue(s), {counts.retried} a tentar de novo, "
                        f"{counts.failed} com falha."
                    )
                    return
                if counts.handled < batch_size:
                    stop.wait(settings.CRM_OUTBOX_POLL_SECONDS)
        except KeyboardInterrupt:
            pass
        finally:
            if relay is not None:
                relay.close()
