"""``manage.py outbox_relay [--once]``: deliver the events the served domains' outboxes hold.

Monolith (this process serves every domain): runs the handlers in-process for whatever the
after-commit delivery left pending (a crash, a handler that raised), with exponential backoff,
attempts counted and ``failed`` after ``CRM_OUTBOX_MAX_ATTEMPTS``. Split: publishes pending
events to RabbitMQ (``BROKER_URL``) and marks them sent once the broker confirmed them; while the
broker is down they stay pending and the relay keeps trying. ``--once``: one pass, then exit
(status 1 if the broker could not be reached). ``--retry-failed`` puts failed events back first.
Stops cleanly on SIGTERM or Ctrl-C.
"""

from __future__ import annotations

import logging
import signal
import threading

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

        def report(counts: events.RelayCounts) -> None:
            logger.info(
                "outbox: %s sent, %s to retry, %s failed",
                counts.sent,
                counts.retried,
                counts.failed,
            )

        try:
            total = events.run_relay(
                registry, stop=stop, once=once, batch_size=batch_size, report=report
            )
        except KeyboardInterrupt:
            return
        except Exception as error:
            if once and isinstance(error, events.connection_errors()):
                raise CommandError(f"Mensageria indisponível ({error}).") from error
            raise
        if once:
            self.stdout.write(
                f"{total.sent} entregue(s), {total.retried} a tentar de novo, "
                f"{total.failed} com falha."
            )
