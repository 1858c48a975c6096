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


@register.simple_tag(takes_context=True)
def crm_admin_app_list(context, app_list) -> dict:
    """The index's sections: this process's (``app_list``) and, in a split, those of the
    domains other processes serve, each as the staff user may see it there (``crm.remote``),
    by name; ``unavailable``: the domains whose process did not answer."""
    from django.conf import settings
    from django.utils import translation

    from crm import remote

    request = context.get("request")
    user = getattr(request, "user", None)
    if not settings.CRM_REMOTE_URLS or user is None or not user.is_authenticated:
        return {"apps": app_list, "unavailable": []}
    others, unavailable = remote.remote_admin_apps(
        user_id=user.pk, language=translation.get_language() or settings.LANGUAGE_CODE
    )
    apps = sorted([*app_list, *others], key=lambda app: str(app["name"]).lower())
    return {"apps": apps, "unavailable": unavailable}
