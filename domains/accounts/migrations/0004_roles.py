"""Roles as groups (admin, manager, sales, viewer) with their permissions, and a role for every
user who existed before roles did: superusers become admins, everyone else a viewer (the seed
let any registered user do everything; an admin promotes whoever needs more)."""

from django.db import migrations

from domains.accounts.roles import ADMIN, ROLES, VIEWER, roles_ensure


def create_roles(apps, schema_editor):
    using = schema_editor.connection.alias
    roles_ensure(apps=apps, using=using)
    group_model = apps.get_model("auth", "Group")
    user_model = apps.get_model("accounts", "User")
    groups = {group.name: group for group in group_model.objects.using(using).filter(name__in=ROLES)}
    without_role = user_model.objects.using(using).exclude(groups__name__in=ROLES)
    for user in without_role:
        user.groups.add(groups[ADMIN] if user.is_superuser else groups[VIEWER])


class Migration(migrations.Migration):
    dependencies = [
        ("accounts", "0003_token_revocation"),
        ("auth", "0012_alter_user_first_name_max_length"),
        ("contenttypes", "0002_remove_content_type_name"),
    ]

    operations = [migrations.RunPython(create_roles, migrations.RunPython.noop)]
