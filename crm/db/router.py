"""Send each app's reads, writes and migrations to its domain's alias.

The map comes from settings (``CRM_APP_DOMAINS``: app label -> domain, ``CRM_DOMAIN_ALIASES``:
domain -> alias), so the platform stays ignorant of which domains exist.
"""

from __future__ import annotations

from django.conf import settings


def domain_for_app(app_label: str) -> str | None:
    return settings.CRM_APP_DOMAINS.get(app_label)


def alias_for_app(app_label: str) -> str | None:
    domain = domain_for_app(app_label)
    return settings.CRM_DOMAIN_ALIASES[domain] if domain else None


class DomainRouter:
    """One alias per domain; no relation may cross two domains.

    Unmapped apps get ``None`` (Django's default alias); the ``crm.E002`` system check makes
    sure no app with models is left unmapped.
    """

    def db_for_read(self, model, **hints):
        return alias_for_app(model._meta.app_label)

    def db_for_write(self, model, **hints):
        return alias_for_app(model._meta.app_label)

    def allow_relation(self, obj1, obj2, **hints):
        return domain_for_app(obj1._meta.app_label) == domain_for_app(obj2._meta.app_label)

    def allow_migrate(self, db, app_label, model_name=None, **hints):
        alias = alias_for_app(app_label)
        if alias is None:
            return None
        return db == alias
