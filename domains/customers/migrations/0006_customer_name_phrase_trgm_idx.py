"""Name search: the trigram index also knows which words stand side by side
(``crm.db.trigram.PhraseIContains``). The new index replaces the plain one: the searches (API
and admin) use the new expression, and keeping both would make PostgreSQL read both."""

from django.db import migrations

from crm.db.trigram import AddTrigramIndex, RemoveTrigramIndex


class Migration(migrations.Migration):
    dependencies = [
        ("customers", "0005_event_outbox"),
    ]

    operations = [
        AddTrigramIndex(
            table="customer",
            name="customer_name_phrase_trgm_idx",
            expression="translate(UPPER(\"ds_customer_name\"::text), ' ', '0')",
        ),
        RemoveTrigramIndex(
            table="customer",
            name="customer_name_trgm_idx",
            expression='UPPER("ds_customer_name"::text)',
        ),
    ]
