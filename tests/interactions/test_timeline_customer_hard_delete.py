"""Integrity across domains (docs/architecture.md §1, crm.hooks), through the real customers API.

The customers domain checks the ``customer.hard_delete`` guard and publishes
``customer.hard_deleted`` after commit; interactions refuses when the customer has ledger
entries and otherwise removes the customer's interactions. Customers never imports interactions.
"""

from __future__ import annotations

from django.apps import apps

from domains.interactions.models import Interaction, Transaction

REFUSAL = "Não é possível excluir definitivamente: o cliente possui lançamentos financeiros."


def customer_model():
    return apps.get_model("customers", "Customer")


def test_hard_delete_of_a_customer_with_only_interactions_removes_them(
    auth_client, user, customer, make_customer, make_interaction, django_capture_on_commit_callbacks
):
    # given a customer with two interactions, and another customer's interaction
    make_interaction(customer=customer, user=user)
    make_interaction(customer=customer, user=user, id_interaction_type="venda")
    bystander = make_interaction(customer=make_customer(), user=user)

    # when (the event is delivered once the customers alias commits)
    with django_capture_on_commit_callbacks(execute=True, using="customers") as callbacks:
        response = auth_client.delete(f"/api/customers/{customer.cd_customer}?hard_delete=true")

    # then
    assert response.status_code == 200, response.content
    assert len(callbacks) == 1
    assert not customer_model().objects.filter(pk=customer.cd_customer).exists()
    assert not Interaction.objects.filter(cd_customer=customer.cd_customer).exists()
    assert list(Interaction.objects.values_list("cd_interaction", flat=True)) == [
        bystander.cd_interaction
    ]


def test_hard_delete_of_a_customer_with_ledger_entries_is_409_and_changes_nothing(
    auth_client,
    user,
    customer,
    make_interaction,
    make_transaction,
    django_capture_on_commit_callbacks,
):
    # given a customer with an interaction and a ledger entry
    interaction = make_interaction(customer=customer, user=user)
    entry = make_transaction(customer=customer, user=user, vr_transaction="150.00")

    # when
    with django_capture_on_commit_callbacks(execute=True, using="customers") as callbacks:
        response = auth_client.delete(f"/api/customers/{customer.cd_customer}?hard_delete=true")

    # then
    assert response.status_code == 409
    assert response.json() == {"error": REFUSAL}
    assert callbacks == []
    stored = customer_model().objects.get(pk=customer.cd_customer)
    assert stored.is_customer_active is True
    assert list(Interaction.objects.values_list("cd_interaction", flat=True)) == [
        interaction.cd_interaction
    ]
    assert list(Transaction.objects.values_list("cd_transaction", flat=True)) == [
        entry.cd_transaction
    ]


def test_soft_delete_of_a_customer_with_ledger_entries_still_works(
    auth_client,
    user,
    customer,
    make_interaction,
    make_transaction,
    django_capture_on_commit_callbacks,
):
    make_interaction(customer=customer, user=user)
    make_transaction(customer=customer, user=user)

    with django_capture_on_commit_callbacks(execute=True, using="customers"):
        response = auth_client.delete(f"/api/customers/{customer.cd_customer}")

    assert response.status_code == 200, response.content
    assert customer_model().objects.get(pk=customer.cd_customer).is_customer_active is False
    assert Interaction.objects.filter(cd_customer=customer.cd_customer).count() == 1
    assert Transaction.objects.filter(cd_customer=customer.cd_customer).count() == 1


def test_an_interaction_can_still_be_recorded_after_a_soft_delete(
    auth_client, customer, django_capture_on_commit_callbacks
):
    auth_client.delete(f"/api/customers/{customer.cd_customer}")

    response = auth_client.post(
        f"/api/customers/{customer.cd_customer}/interactions",
        {"ds_notes": "Cliente desativado pediu retorno", "id_interaction_type": "contato"},
        format="json",
    )

    assert response.status_code == 201


def test_hard_delete_after_the_customer_is_gone_leaves_no_orphan_interactions(
    auth_client, customer, django_capture_on_commit_callbacks
):
    # given an interaction recorded through the API
    created = auth_client.post(
        f"/api/customers/{customer.cd_customer}/interactions",
        {"ds_notes": "Última conversa", "id_interaction_type": "reuniao"},
        format="json",
    )
    assert created.status_code == 201

    # when the customer is hard-deleted
    with django_capture_on_commit_callbacks(execute=True, using="customers"):
        deleted = auth_client.delete(f"/api/customers/{customer.cd_customer}/?hard_delete=true")

    # then the timeline is gone and the customer's interactions answer 404
    assert deleted.status_code == 200
    assert Interaction.objects.count() == 0
    listed = auth_client.get(f"/api/customers/{customer.cd_customer}/interactions")
    assert listed.status_code == 404
    assert listed.json() == {"error": "Cliente não encontrado."}
