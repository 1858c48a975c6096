"""``{% crm_index_panels as panels %}``: the panels the domains registered for the admin index
(``crm.hooks.ADMIN_INDEX_PANELS``; providers get ``object_id=None``)."""

from __future__ import annotations

from django import template

from crm import hooks

register = template.Library()


@register.simple_tag
def crm_index_panels() -> list[hooks.Panel]:
    return hooks.panels_for(hooks.ADMIN_INDEX_PANELS, None)


@register.simple_tag
def crm_admin_log_available() -> bool:
    """Whether the admin's own log ("Ações recentes") has a table in this process
    (``crm.admin.admin_log_available``)."""
    from crm.admin import admin_log_available

    return admin_log_available()
