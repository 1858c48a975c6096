"""Customers in Django admin: search by punctuated CPF, actions, form rules, panels."""

from __future__ import annotations

import pytest
from django.contrib.admin.models import DELETION, LogEntry
from django.utils.html import format_html

from crm.hooks import Panel, registry
from domains.customers.interface import CHANGE_PAGE_PANELS, HARD_DELETE_GUARD
from domains.customers.models import Customer

from .conftest import CNPJ_ACME, CNPJ_ACME_DIGITS, CPF_ANA_DIGITS, CPF_BRUNO_DIGITS

CHANGELIST = "/admin/customers/customer/"
ADD = "/admin/customers/customer/add/"


def change_url(customer) -> str:
    return f"/admin/customers/customer/{customer.pk}/change/"


@pytest.fixture
def staff_client(client, staff_user):
    client.force_login(staff_user)
    return client


@pytest.fixture
def two_customers(make_customer):
    ana = make_customer(
        ds_customer_name="Ana Souza",
        ds_customer_email="ana@example.com",
        ds_customer_cpf_cnpj=CPF_ANA_DIGITS,
        ds_customer_state="SP",
    )
    bruno = make_customer(
        ds_customer_name="Bruno Lima",
        ds_customer_email="bruno@example.com",
        ds_customer_cpf_cnpj=CPF_BRUNO_DIGITS,
        ds_customer_state="RJ",
    )
    return ana, bruno


def listed(response) -> list[str]:
    return [customer.ds_customer_name for customer in response.context["cl"].result_list]


@pytest.mark.parametrize(
    ("term", "expected"),
    [
        ("529.982", ["Ana Souza"]),
        ("982.247-25", ["Ana Souza"]),
        ("52998224725", ["Ana Souza"]),
        ("bruno@", ["Bruno Lima"]),
        ("lima", ["Bruno Lima"]),
    ],
)
def test_changelist_search_finds_by_partial_punctuated_cpf_name_or_email(
    staff_client, two_customers, term, expected
):
    response = staff_client.get(CHANGELIST, {"q": term})

    assert response.status_code == 200
    assert listed(response) == expected


def test_changelist_search_by_cpf_respects_the_list_filters(staff_client, two_customers):
    response = staff_client.get(CHANGELIST, {"q": "111.444", "ds_customer_state": "SP"})

    assert response.status_code == 200
    assert listed(response) == []


def test_changelist_requires_staff(client, user, two_customers):
    client.force_login(user)

    response = client.get(CHANGELIST)

    assert response.status_code == 302
    assert "/admin/login/" in response["Location"]


def test_deactivate_and_activate_actions(staff_client, two_customers):
    ana, bruno = two_customers

    deactivated = staff_client.post(
        CHANGELIST,
        {"action": "deactivate_customers", "_selected_action": [str(ana.pk), str(bruno.pk)]},
        follow=True,
    )

    assert deactivated.status_code == 200
    assert "2 clientes desativados." in deactivated.content.decode()
    assert list(Customer.objects.values_list("is_customer_active", flat=True)) == [False, False]

    activated = staff_client.post(
        CHANGELIST,
        {"action": "activate_customers", "_selected_action": [str(ana.pk)]},
        follow=True,
    )

    assert "1 cliente ativado." in activated.content.decode()
    assert Customer.objects.get(pk=ana.pk).is_customer_active is True
    assert Customer.objects.get(pk=bruno.pk).is_customer_active is False


def test_action_names_are_in_portuguese(staff_client, two_customers):
    content = staff_client.get(CHANGELIST).content.decode()

    assert "Ativar clientes selecionados" in content
    assert "Desativar clientes selecionados" in content


def admin_form(**overrides) -> dict:
    data = {
        "ds_customer_name": "ACME Ltda",
        "ds_customer_email": "Contato@ACME.com.br",
        "ds_customer_phone": "",
        "ds_customer_cpf_cnpj": CNPJ_ACME,
        "ds_customer_address": "",
        "ds_customer_city": "Campinas",
        "ds_customer_state": "sp",
        "ds_customer_zip_code": "13010000",
        "ds_customer_country": "",
    }
    data.update(overrides)
    return data


def test_admin_add_normalises_like_the_api(staff_client):
    response = staff_client.post(ADD, admin_form())

    assert response.status_code == 302
    customer = Customer.objects.get()
    assert customer.ds_customer_cpf_cnpj == CNPJ_ACME_DIGITS
    assert customer.ds_customer_email == "contato@acme.com.br"
    assert customer.ds_customer_state == "SP"
    assert customer.ds_customer_zip_code == "13010-000"
    assert customer.ds_customer_country == "Brasil"
    assert customer.ds_customer_phone is None
    assert response["Location"].endswith(f"/admin/customers/customer/{customer.pk}/change/") or (
        response["Location"] == CHANGELIST
    )


@pytest.mark.parametrize(
    ("overrides", "message"),
    [
        ({"ds_customer_cpf_cnpj": "11.222.333/0001-80"}, "CNPJ inválido"),
        ({"ds_customer_state": "XX"}, "UF inválida"),
        ({"ds_customer_zip_code": "1301"}, "CEP inválido"),
        ({"ds_customer_name": "   "}, "obrigatório"),
    ],
)
def test_admin_add_refuses_what_the_api_refuses(staff_client, overrides, message):
    response = staff_client.post(ADD, admin_form(**overrides))

    assert response.status_code == 200
    assert message in response.content.decode()
    assert Customer.objects.count() == 0


def test_admin_add_refuses_a_taken_email_or_document(staff_client, make_customer):
    make_customer(ds_customer_name="Dona", ds_customer_email="contato@acme.com.br")
    make_customer(ds_customer_name="Dono", ds_customer_cpf_cnpj=CNPJ_ACME_DIGITS)

    response = staff_client.post(ADD, admin_form())

    content = response.content.decode()
    assert response.status_code == 200
    assert "E-mail já cadastrado para outro cliente." in content
    assert "CPF/CNPJ já cadastrado para outro cliente." in content
    assert Customer.objects.count() == 2


def test_admin_change_keeps_its_own_email_and_document(staff_client, make_customer):
    customer = make_customer(
        ds_customer_name="ACME",
        ds_customer_email="contato@acme.com.br",
        ds_customer_cpf_cnpj=CNPJ_ACME,
    )

    response = staff_client.post(change_url(customer), admin_form(ds_customer_name="ACME S/A"))

    assert response.status_code == 302
    stored = Customer.objects.get(pk=customer.pk)
    assert stored.ds_customer_name == "ACME S/A"
    assert stored.is_customer_active is True


def test_change_page_renders_panels_registered_by_other_domains(staff_client, two_customers):
    ana, _ = two_customers
    seen = []

    def provider(customer_id):
        seen.append(customer_id)
        return Panel(
            title="Últimas interações", html=format_html("<p class='probe'>{}</p>", "3 itens")
        )

    registry.register_panel(CHANGE_PAGE_PANELS, provider)
    try:
        response = staff_client.get(change_url(ana))
    finally:
        registry.panels[CHANGE_PAGE_PANELS].remove(provider)

    content = response.content.decode()
    assert response.status_code == 200
    assert seen == [ana.pk]
    assert 'class="module aligned crm-panel"' in content
    assert "<h2>Últimas interações</h2>" in content
    assert "<p class='probe'>3 itens</p>" in content


def test_admin_delete_goes_through_the_hard_delete_guard(staff_client, two_customers):
    ana, _ = two_customers
    refusal = "Cliente possui lançamentos financeiros e não pode ser removido."

    def refuse(ids):
        return refusal

    registry.register_guard(HARD_DELETE_GUARD, refuse)
    try:
        response = staff_client.post(
            f"/admin/customers/customer/{ana.pk}/delete/", {"post": "yes"}, follow=True
        )
    finally:
        registry.guards[HARD_DELETE_GUARD].remove(refuse)

    assert response.status_code == 200
    assert refusal in response.content.decode()
    assert Customer.objects.filter(pk=ana.pk).exists()
    assert not LogEntry.objects.filter(object_id=str(ana.pk), action_flag=DELETION).exists()


def test_admin_delete_removes_when_no_guard_refuses(staff_client, two_customers):
    ana, _ = two_customers

    response = staff_client.post(f"/admin/customers/customer/{ana.pk}/delete/", {"post": "yes"})

    assert response.status_code == 302
    assert not Customer.objects.filter(pk=ana.pk).exists()


def test_bulk_delete_action_is_not_offered(staff_client, two_customers):
    content = staff_client.get(CHANGELIST).content.decode()

    assert 'value="delete_selected"' not in content
