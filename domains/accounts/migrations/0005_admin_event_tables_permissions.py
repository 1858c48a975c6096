"""The admin role gets the permissions of the event tables added after roles existed (customers
and products ``0005_event_outbox``, interactions' inbox): a group created by ``0004_roles``
before them lacked them, while a group created since has them (``ROLE_PERMISSIONS``)."""

from django.db import migrations

from domains.accounts.roles import ADMIN, role_permissions_grant

EVENT_TABLES = (
    ("customers", "customeroutbox"),
    ("products", "productoutbox"),
    ("interactions", "eventinbox"),
)


def grant(apps, schema_editor):
    role_permissions_grant(
        apps=apps, using=schema_editor.connection.alias, role=ADMIN, models=EVENT_TABLES
    )


class Migration(migrations.Migration):
    dependencies = [("accounts", "0004_roles")]

    operations = [migrations.RunPython(grant, migrations.RunPython.noop)]
