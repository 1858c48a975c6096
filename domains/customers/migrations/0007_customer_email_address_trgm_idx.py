"""E-mail search: the trigram index reads the address as one word
(``crm.db.trigram.AddressIContains``), replacing the plain one (API and admin searches use the
new expression; keeping both would make PostgreSQL read both)."""

from django.db import migrations

from crm.db.trigram import AddTrigramIndex, RemoveTrigramIndex


class Migration(migrations.Migration):
    dependencies = [
        ("customers", "0006_customer_name_phrase_trgm_idx"),
    ]

    operations = [
        AddTrigramIndex(
            table="customer",
            name="customer_email_address_trgm_idx",
            expression="translate(UPPER(\"ds_customer_email\"::text), ' .@_-+', '000000')",
        ),
        RemoveTrigramIndex(
            table="customer",
            name="customer_email_trgm_idx",
            expression='UPPER("ds_customer_email"::text)',
        ),
    ]
