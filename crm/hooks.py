"""How domains react to each other without importing each other (docs/architecture.md §1).

Where the natural dependency would point the wrong way (customers asking interactions "do you
hold rows for this customer?" before a hard delete), the dependent domain registers itself here
at start-up (its ``AppConfig.ready``) and the owning domain only speaks to the platform:

* **Guards** answer "may this happen?" *before* a change: ``register_guard(topic, guard)``;
  ``check_guards(topic, ids=...)`` raises ``Conflict`` with the first refusal's message.
* **Events** announce what happened *after* commit: ``subscribe(topic, handler)``;
  ``publish(topic, ids=..., using=alias)`` writes the event into the publishing domain's
  **outbox** in the publisher's transaction on ``using`` and delivers it once that transaction
  committed, so no subscriber ever sees a change that was rolled back, no subscriber's work runs
  inside another domain's transaction, and no committed event is lost: a crash or a failing
  handler leaves it pending for ``manage.py outbox_relay``. Each handler runs through its
  domain's **inbox** (processed once, however often delivered). In a split, events travel
  through RabbitMQ. The machinery: ``crm.events``.

* **Panels** let a domain contribute a read-only block to another domain's admin page:
  ``register_panel(topic, provider)``; the page owner renders ``panels_for(topic, object_id)``.
  (The customer change page shows the interactions domain's timeline and balance this way,
  while customers never imports interactions.)

  Pages that are not an object's page use the same mechanism with ``object_id=None``: the
  admin index (the staff landing page) renders ``ADMIN_INDEX_PANELS`` above the app list, which
  is where the interactions domain puts its cash-flow dashboard.

Across processes (``CRM_DOMAINS``; ``crm.remote``): guards and panels registered by a domain that
another process serves are asked over that domain's internal API
(``/internal/<domain>/guards/<topic>``, ``/internal/<domain>/panels/<topic>``); which domain
registers what is declared in settings (``CRM_HOOK_PROVIDERS``), since the registering code does
not run here. A guard whose process does not answer refuses (503: nothing is deleted); a panel
whose process does not answer says it is unavailable. The monolith never leaves the process.

Payloads are plain ids (UUIDs), exactly what a message broker would carry after a split.
Topics are strings owned by the publishing domain (``"customer.hard_deleted"``); the publisher
documents them in its interface docstring.
"""

from __future__ import annotations

import logging
from collections import defaultdict
from collections.abc import Callable, Iterable
from dataclasses import dataclass, field
from uuid import UUID

from django.apps import apps
from django.conf import settings
from django.utils.html import format_html
from django.utils.safestring import mark_safe
from django.utils.translation import gettext as _

from . import events
from .api.exceptions import ApplicationError, Conflict
from .db.router import domain_for_app

logger = logging.getLogger(__name__)

#: A guard returns ``None`` to allow, or the (Portuguese) reason it refuses.
Guard = Callable[[frozenset[UUID]], str | None]


@dataclass(frozen=True)
class Event:
    topic: str
    ids: frozenset[UUID]


Handler = Callable[[Event], None]


@dataclass(frozen=True)
class Panel:
    """A titled block of already-escaped HTML (build it with ``format_html``/templates)."""

    title: str
    html: str


#: A panel provider gets the page's object id (``None`` on a page without an object, like the
#: admin index) and returns a panel, or ``None`` to show nothing.
PanelProvider = Callable[[UUID | None], "Panel | None"]

#: Panel topic of the admin index (owned by the platform: it renders the page).
ADMIN_INDEX_PANELS = "admin.index"


@dataclass
class Registry:
    guards: dict[str, list[Guard]] = field(default_factory=lambda: defaultdict(list))
    handlers: dict[str, list[Handler]] = field(default_factory=lambda: defaultdict(list))
    #: handler -> consuming domain, when said at ``subscribe`` (else the handler's app).
    handler_domains: dict[Handler, str] = field(default_factory=dict)
    panels: dict[str, list[PanelProvider]] = field(default_factory=lambda: defaultdict(list))

    def register_guard(self, topic: str, guard: Guard) -> None:
        if guard not in self.guards[topic]:
            self.guards[topic].append(guard)

    def subscribe(self, topic: str, handler: Handler, *, domain: str | None = None) -> None:
        """``handler`` runs once per event of ``topic``, through the inbox of ``domain`` (by
        default the domain of the app its module belongs to), in a transaction on that
        domain's alias: its writes there commit together with the inbox row."""
        if handler not in self.handlers[topic]:
            self.handlers[topic].append(handler)
        if domain is not None:
            self.handler_domains[handler] = domain

    def register_panel(self, topic: str, provider: PanelProvider) -> None:
        if provider not in self.panels[topic]:
            self.panels[topic].append(provider)

    def panels_for(self, topic: str, object_id: UUID | None) -> list[Panel]:
        found = [provider(object_id) for provider in self.panels.get(topic, ())]
        for owner in remote_providers("panels", topic):
            found.extend(_remote_panels(owner, topic, object_id))
        return [panel for panel in found if panel is not None]

    def check_guards(self, topic: str, *, ids: Iterable[UUID]) -> None:
        frozen = frozenset(ids)
        for guard in self.guards.get(topic, ()):
            reason = guard(frozen)
            if reason:
                raise Conflict(reason)
        for owner in remote_providers("guards", topic):
            reason = _remote_guard(owner, topic, frozen)
            if reason:
                raise Conflict(reason)

    # --- What another process asks of this one (crm.remote's /internal/<owner>/...) ----------

    def guard_refusal(self, topic: str, *, ids: frozenset[UUID], owner: str) -> str | None:
        """The first refusal of ``owner``'s guards on ``topic`` here, or ``None``."""
        for guard in self.guards.get(topic, ()):
            if provider_domain(guard) == owner:
                reason = guard(ids)
                if reason:
                    return str(reason)
        return None

    def owned_panels(self, topic: str, object_id: UUID | None, *, owner: str) -> list[Panel]:
        found = (
            provider(object_id)
            for provider in self.panels.get(topic, ())
            if provider_domain(provider) == owner
        )
        return [panel for panel in found if panel is not None]

    def publish(self, topic: str, *, ids: Iterable[UUID], using: str) -> None:
        """Record the event in the outbox of ``using``'s domain, in the current transaction on
        ``using`` (call it inside the atomic block of the change), delivered after the commit
        (``crm.events``)."""
        events.publish(self, topic, ids=ids, using=using)


def provider_domain(provider: Callable) -> str | None:
    """The domain whose code registered ``provider`` (by the app its module belongs to)."""
    config = apps.get_containing_app_config(provider.__module__)
    return domain_for_app(config.label) if config else None


def remote_providers(kind: str, topic: str) -> list[str]:
    """Domains served by another process that register ``kind`` ("guards"/"panels") on
    ``topic`` (settings ``CRM_HOOK_PROVIDERS``). Empty in the monolith."""
    declared = settings.CRM_HOOK_PROVIDERS.get(kind, {}).get(topic, ())
    return [domain for domain in declared if domain not in settings.CRM_DOMAINS]


def _remote_guard(owner: str, topic: str, ids: frozenset[UUID]) -> str | None:
    from . import remote  # the client needs Django's settings; imported on first use

    # ServiceUnavailable propagates: a guard that cannot be asked refuses (503).
    answer = remote.client_for(owner).post(f"guards/{topic}", {"ids": remote.dump(ids)})
    return answer.get("reason")


def _remote_panels(owner: str, topic: str, object_id: UUID | None) -> list[Panel]:
    from . import remote

    try:
        answer = remote.client_for(owner).post(
            f"panels/{topic}", {"object_id": remote.dump(object_id)}
        )
    except ApplicationError:
        logger.warning("panels of %s on %s unavailable", owner, topic, exc_info=True)
        return [
            Panel(
                title=_("Painel de %(domain)s") % {"domain": owner},
                html=format_html(
                    '<p class="crm-panel-unavailable">{}</p>',
                    _("Indisponível: o serviço %(domain)s não respondeu.") % {"domain": owner},
                ),
            )
        ]
    # Already-escaped HTML built by the owner's templates (a process of this system, whose
    # answer is authenticated by the service token it was asked with).
    return [
        Panel(title=panel["title"], html=mark_safe(panel["html"]))  # noqa: S308
        for panel in answer.get("panels", ())
    ]


registry = Registry()
register_guard = registry.register_guard
subscribe = registry.subscribe
check_guards = registry.check_guards
publish = registry.publish
register_panel = registry.register_panel
panels_for = registry.panels_for
