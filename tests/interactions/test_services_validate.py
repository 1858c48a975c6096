"""The services validate whoever calls them (the admin, a management command, a future
importer), not only the API's serializers: the same rules and messages, and nothing written."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal

import pytest

from crm.api.exceptions import InvalidInput
from domains.interactions.ledger import services as ledger
from domains.interactions.models import Interaction, Transaction
from domains.interactions.timeline import services as timeline


@pytest.mark.parametrize(
    ("fields", "error"),
    [
        (
            {"ds_notes": "oi", "id_interaction_type": "email"},
            {"ds_notes": ["As anotações devem ter pelo menos 5 caracteres."]},
        ),
        (
            {"ds_notes": "Anotação válida", "id_interaction_type": "visita"},
            {
                "id_interaction_type": [
                    "Tipo de interação inválido. Use venda, ligacao, email, reuniao ou contato."
                ]
            },
        ),
        (
            {
                "ds_notes": "Anotação válida",
                "id_interaction_type": "email",
                "dt_interaction": dt.datetime(1, 1, 1, tzinfo=dt.UTC),
            },
            {"dt_interaction": ["Data fora do intervalo aceito (anos 1900 a 2999)."]},
        ),
    ],
)
def test_interaction_create_refuses_what_the_api_refuses(customer, user, fields, error):
    with pytest.raises(InvalidInput) as refusal:
        timeline.interaction_create(
            customer_id=customer.cd_customer, user_id=user.cd_user, **fields
        )

    assert refusal.value.message == error
    assert Interaction.objects.count() == 0


def test_interaction_create_trims_notes_and_reads_a_naive_date_in_the_server_zone(customer, user):
    interaction = timeline.interaction_create(
        customer_id=customer.cd_customer,
        user_id=user.cd_user,
        ds_notes="   Ligou para renegociar   ",
        id_interaction_type="ligacao",
        dt_interaction=dt.datetime(2026, 3, 10, 10, 0),
    )

    assert interaction.ds_notes == "Ligou para renegociar"
    assert interaction.dt_interaction.tzinfo is not None


@pytest.mark.parametrize(
    ("amount", "message"),
    [
        (Decimal("0"), "O valor deve ser maior que zero."),
        (Decimal("-1"), "O valor deve ser maior que zero."),
        (Decimal("1.005"), "O valor deve ter no máximo 2 casas decimais."),
        (Decimal("10000000000"), "O valor não pode ser maior que 9.999.999.999,99."),
        (0.1, "Informe um número decimal válido."),  # a float has already lost the exact value
    ],
)
def test_transaction_create_refuses_a_bad_amount_from_any_caller(customer, user, amount, message):
    with pytest.raises(InvalidInput) as refusal:
        ledger.transaction_create(
            customer_id=customer.cd_customer,
            user_id=user.cd_user,
            vr_transaction=amount,
            id_transaction_type=1,
        )

    assert refusal.value.message == {"vr_transaction": [message]}
    assert Transaction.objects.count() == 0


def test_transaction_create_refuses_an_unknown_type_and_an_overlong_description(customer, user):
    with pytest.raises(InvalidInput) as refusal:
        ledger.transaction_create(
            customer_id=customer.cd_customer,
            user_id=user.cd_user,
            vr_transaction=Decimal("10.00"),
            id_transaction_type=3,
            ds_transaction="x" * 256,
        )

    assert set(refusal.value.message) == {"id_transaction_type", "ds_transaction"}
    assert Transaction.objects.count() == 0
