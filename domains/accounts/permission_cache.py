"""Keep the platform's cached permission sets (``crm.api.permissions``) true to the database.

The API checks permissions without a database read per request, from a per-user cache. Every
write that changes what a user may do must therefore forget that cache: a user's groups or own
permissions, a group's permissions, a user saved (``is_active``) or deleted, a group deleted.
They happen through our services, the admin (user and group pages), the shell or an importer,
so this listens to the model signals once instead of trusting every caller to remember (cache
upkeep, not business logic). Bulk ``QuerySet.update()`` sends no signal: services that use it
call ``crm.api.permissions.forget_user_permissions`` themselves.
"""

from __future__ import annotations

from django.contrib.auth.models import Group
from django.db import transaction
from django.db.models.signals import m2m_changed, post_delete, post_save

from crm.api import permissions
from crm.db.router import alias_for_app

from .models import User

_CHANGES = {"post_add", "post_remove", "post_clear"}
ALIAS = alias_for_app("accounts")


def forget_user_permissions(user_ids) -> None:
    """Now, and again once the change is committed: a request reading the rows in between
    would otherwise cache what is about to stop being true."""
    ids = list(user_ids)
    permissions.forget_user_permissions(ids)
    transaction.on_commit(lambda: permissions.forget_user_permissions(ids), using=ALIAS)


def forget_all_permissions() -> None:
    permissions.forget_all_permissions()
    transaction.on_commit(permissions.forget_all_permissions, using=ALIAS)


def _user_links_changed(sender, instance, action, reverse, pk_set, **kwargs) -> None:
    if action not in _CHANGES:
        return
    if not reverse:  # user.groups.add(...): one user
        forget_user_permissions([instance.pk])
    elif pk_set:  # group.user_set.add(...): these users
        forget_user_permissions(pk_set)
    else:  # group.user_set.clear(): we do not know whom
        forget_all_permissions()


def _group_permissions_changed(sender, action, **kwargs) -> None:
    if action in _CHANGES:
        forget_all_permissions()


def _user_saved_or_deleted(sender, instance, **kwargs) -> None:
    forget_user_permissions([instance.pk])


def _group_deleted(sender, **kwargs) -> None:
    forget_all_permissions()


def connect() -> None:
    uid = "accounts.permission_cache"
    m2m_changed.connect(_user_links_changed, sender=User.groups.through, dispatch_uid=uid + ".g")
    m2m_changed.connect(
        _user_links_changed, sender=User.user_permissions.through, dispatch_uid=uid + ".p"
    )
    m2m_changed.connect(
        _group_permissions_changed, sender=Group.permissions.through, dispatch_uid=uid + ".gp"
    )
    post_save.connect(_user_saved_or_deleted, sender=User, dispatch_uid=uid + ".s")
    post_delete.connect(_user_saved_or_deleted, sender=User, dispatch_uid=uid + ".d")
    post_delete.connect(_group_deleted, sender=Group, dispatch_uid=uid + ".gd")
