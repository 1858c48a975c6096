"""``reconcile_orphans``: the safety net when a hard-delete event never reached the timeline."""

import uuid
from decimal import Decimal
from io import StringIO

from django.core.management import call_command

from domains.customers.models import Customer
from domains.interactions.models import Interaction, Transaction


def _interaction(customer_id, user):
    return Interaction.objects.create(
        cd_customer=customer_id,
        cd_user=user.cd_user,
        ds_notes="Ligou hoje",
        id_interaction_type="ligacao",
    )


def test_removes_only_interactions_of_customers_that_no_longer_exist(user):
    kept_customer = Customer.objects.create(ds_customer_name="Padaria Central")
    gone_customer_id = uuid.uuid4()
    kept = _interaction(kept_customer.cd_customer, user)
    _interaction(gone_customer_id, user)
    _interaction(gone_customer_id, user)
    out = StringIO()

    call_command("reconcile_orphans", stdout=out)

    assert list(Interaction.objects.values_list("cd_interaction", flat=True)) == [
        kept.cd_interaction
    ]
    assert "2 interação(ões) órfã(s) removida(s)." in out.getvalue()


def test_dry_run_counts_and_removes_nothing(user):
    _interaction(uuid.uuid4(), user)
    out = StringIO()

    call_command("reconcile_orphans", "--dry-run", stdout=out)

    assert Interaction.objects.count() == 1
    assert "1 interação(ões) órfã(s) seriam removida(s)." in out.getvalue()


def test_ledger_entries_of_a_missing_customer_are_reported_never_deleted(user):
    gone_customer_id = uuid.uuid4()
    _interaction(gone_customer_id, user)
    Transaction.objects.create(
        cd_customer=gone_customer_id,
        cd_user=user.cd_user,
        vr_transaction=Decimal("10.00"),
        id_transaction_type=1,
    )
    err = StringIO()

    call_command("reconcile_orphans", stdout=StringIO(), stderr=err)

    assert Transaction.objects.filter(cd_customer=gone_customer_id).count() == 1
    assert Interaction.objects.count() == 0
    assert str(gone_customer_id) in err.getvalue()
