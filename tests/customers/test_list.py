"""GET /api/customers: envelope, pagination, active_only, search, filters, ordering."""

from __future__ import annotations

import pytest
from django.db import connections
from django.test.utils import CaptureQueriesContext

from domains.customers import services

from .conftest import (
    CNPJ_ACME_DIGITS,
    CPF_ANA_DIGITS,
    CPF_BRUNO_DIGITS,
    LIST_URL,
    OUTPUT_FIELDS,
)


def names(response) -> list[str]:
    return [customer["ds_customer_name"] for customer in response.json()["customers"]]


def test_list_returns_the_seed_envelope_ordered_by_name(auth_client, make_customer):
    make_customer(ds_customer_name="Carla")
    make_customer(ds_customer_name="Ana")
    make_customer(ds_customer_name="Bruno")

    response = auth_client.get(LIST_URL)

    assert response.status_code == 200
    body = response.json()
    assert set(body) == {"customers", "total", "pages", "current_page", "per_page", "next_cursor"}
    assert (body["total"], body["pages"], body["current_page"], body["per_page"]) == (3, 1, 1, 20)
    assert names(response) == ["Ana", "Bruno", "Carla"]
    assert set(body["customers"][0]) == OUTPUT_FIELDS


def test_list_requires_authentication(api_client):
    assert api_client.get(LIST_URL).status_code == 401


def test_list_of_nothing_is_an_empty_page(auth_client):
    response = auth_client.get(LIST_URL)

    assert response.json() == {
        "customers": [],
        "total": 0,
        "pages": 0,
        "current_page": 1,
        "per_page": 20,
        "next_cursor": None,
    }


def test_list_paginates_with_page_and_per_page(auth_client, make_customer):
    for index in range(5):
        make_customer(ds_customer_name=f"Cliente {index}")

    response = auth_client.get(LIST_URL, {"page": 2, "per_page": 2})

    body = response.json()
    assert (body["total"], body["pages"], body["current_page"], body["per_page"]) == (5, 3, 2, 2)
    assert names(response) == ["Cliente 2", "Cliente 3"]


def test_a_page_past_the_end_is_an_empty_list(auth_client, make_customer):
    make_customer(ds_customer_name="Ana")

    response = auth_client.get(LIST_URL, {"page": 9})

    assert response.status_code == 200
    body = response.json()
    assert body["customers"] == []
    assert (body["total"], body["current_page"]) == (1, 9)


def test_per_page_is_capped_at_100(auth_client):
    response = auth_client.get(LIST_URL, {"per_page": 1000})

    assert response.status_code == 200
    assert response.json()["per_page"] == 100


@pytest.mark.parametrize(
    ("params", "field"),
    [
        ({"page": "abc"}, "page"),
        ({"page": "0"}, "page"),
        ({"per_page": "-1"}, "per_page"),
        ({"per_page": "x"}, "per_page"),
    ],
)
def test_bad_page_parameters_answer_400(auth_client, params, field):
    response = auth_client.get(LIST_URL, params)

    assert response.status_code == 400
    assert list(response.json()["error"]) == [field]


def test_active_only_defaults_to_true_and_hides_deactivated(auth_client, make_customer):
    make_customer(ds_customer_name="Ativo")
    gone = make_customer(ds_customer_name="Inativo")
    services.customer_deactivate(customer_id=gone.pk)

    assert names(auth_client.get(LIST_URL)) == ["Ativo"]
    assert names(auth_client.get(LIST_URL, {"active_only": "true"})) == ["Ativo"]
    assert names(auth_client.get(LIST_URL, {"active_only": "false"})) == ["Ativo", "Inativo"]


@pytest.mark.parametrize("value", ["yes", "1", "maybe", "\x00"])
def test_active_only_other_than_true_or_false_answers_400(auth_client, value):
    response = auth_client.get(LIST_URL, {"active_only": value})

    assert response.status_code == 400
    assert list(response.json()["error"]) == ["active_only"]


@pytest.fixture
def searchable(make_customer):
    make_customer(
        ds_customer_name="Ana Souza",
        ds_customer_email="ana@example.com",
        ds_customer_cpf_cnpj=CPF_ANA_DIGITS,
    )
    make_customer(
        ds_customer_name="Bruno Lima",
        ds_customer_email="bruno@empresa.com.br",
        ds_customer_cpf_cnpj=CPF_BRUNO_DIGITS,
    )
    make_customer(ds_customer_name="ACME Ltda", ds_customer_cpf_cnpj=CNPJ_ACME_DIGITS)


@pytest.mark.parametrize(
    ("term", "expected"),
    [
        ("souza", ["Ana Souza"]),
        ("BRUNO", ["Bruno Lima"]),
        ("empresa.com", ["Bruno Lima"]),
        ("EXAMPLE", ["Ana Souza"]),
        ("529.982.247-25", ["Ana Souza"]),
        ("52998224725", ["Ana Souza"]),
        ("529.982", ["Ana Souza"]),
        ("247-25", ["Ana Souza"]),
        ("11.222.333/0001-81", ["ACME Ltda"]),
        ("11222333000181", ["ACME Ltda"]),
        ("nobody", []),
    ],
)
def test_search_by_name_email_or_document_with_or_without_punctuation(
    auth_client, searchable, term, expected
):
    response = auth_client.get(LIST_URL, {"search": term})

    assert response.status_code == 200
    assert names(response) == expected


def test_a_name_search_with_a_digit_does_not_match_documents(
    auth_client, searchable, make_customer
):
    make_customer(ds_customer_name="Loja 2")

    response = auth_client.get(LIST_URL, {"search": "loja 2"})

    assert names(response) == ["Loja 2"]


def test_search_with_a_nul_byte_answers_400(auth_client, searchable):
    response = auth_client.get(LIST_URL, {"search": "ana\x00"})

    assert response.status_code == 400
    assert list(response.json()["error"]) == ["search"]


def test_filters_by_state_and_city_case_insensitively(auth_client, make_customer):
    make_customer(ds_customer_name="Paulista", ds_customer_state="SP", ds_customer_city="Santos")
    make_customer(ds_customer_name="Carioca", ds_customer_state="RJ", ds_customer_city="Niterói")
    make_customer(ds_customer_name="Outro Santos", ds_customer_state="SP", ds_customer_city="Sé")

    assert names(auth_client.get(LIST_URL, {"ds_customer_state": "sp"})) == [
        "Outro Santos",
        "Paulista",
    ]
    assert names(auth_client.get(LIST_URL, {"state": "RJ"})) == ["Carioca"]
    assert names(auth_client.get(LIST_URL, {"ds_customer_city": "SANTOS"})) == ["Paulista"]
    assert names(auth_client.get(LIST_URL, {"city": "santos", "state": "SP"})) == ["Paulista"]


def test_an_unknown_state_filter_answers_400(auth_client):
    response = auth_client.get(LIST_URL, {"state": "XX"})

    assert response.status_code == 400
    assert response.json() == {
        "error": {"state": ["UF inválida. Informe a sigla de um dos 27 estados brasileiros."]}
    }


def test_ordering_by_a_whitelisted_field_descending(auth_client, make_customer):
    make_customer(ds_customer_name="Primeiro", ds_customer_city="Aracaju")
    make_customer(ds_customer_name="Segundo", ds_customer_city="Belém")
    make_customer(ds_customer_name="Terceiro", ds_customer_city="Curitiba")

    by_created = auth_client.get(LIST_URL, {"ordering": "-dt_customer_created_at"})
    by_city = auth_client.get(LIST_URL, {"ordering": "-ds_customer_city"})
    by_name_desc = auth_client.get(LIST_URL, {"ordering": "-ds_customer_name"})

    assert names(by_created) == ["Terceiro", "Segundo", "Primeiro"]
    assert names(by_city) == ["Terceiro", "Segundo", "Primeiro"]
    assert names(by_name_desc) == ["Terceiro", "Segundo", "Primeiro"]


@pytest.mark.parametrize("value", ["cd_customer", "password", "-ds_customer_email", "nome"])
def test_ordering_outside_the_whitelist_answers_400(auth_client, value):
    response = auth_client.get(LIST_URL, {"ordering": value})

    assert response.status_code == 400
    assert list(response.json()["error"]) == ["ordering"]


def test_unknown_query_parameters_are_ignored(auth_client, make_customer):
    make_customer(ds_customer_name="Ana")

    response = auth_client.get(LIST_URL, {"foo": "bar"})

    assert response.status_code == 200
    assert names(response) == ["Ana"]


def test_list_runs_the_same_number_of_queries_for_1_and_50_per_page(auth_client, make_customer):
    for index in range(60):
        make_customer(ds_customer_name=f"Cliente {index:02d}")
    # Warm-up: the token's revocation state and the caller's permission set are read once per
    # user, then cached (not per page).
    auth_client.get(LIST_URL)
    counts = {}
    for per_page in (1, 50):
        with (
            CaptureQueriesContext(connections["customers"]) as customers_queries,
            CaptureQueriesContext(connections["default"]) as default_queries,
        ):
            response = auth_client.get(LIST_URL, {"per_page": per_page})
        assert len(response.json()["customers"]) == per_page
        counts[per_page] = (len(customers_queries), len(default_queries))

    assert counts[1] == counts[50]
    if connections["customers"].vendor == "postgresql":
        assert counts[1][0] == 2  # the kept counter (crm.db.counts), one page
    else:
        assert counts[1][0] == 1  # the first page carries its total: COUNT(*) OVER ()


PHRASE_NAMES = [
    "Marcos Martins",
    "Marcos Vinícius Martins",
    "João Marcos Marques",
    "Ana0 Silva",
    "Padaria 2000 Ltda",
    "Loja 100% Algodão",
    "Casa_de Pães",
]


@pytest.mark.parametrize(
    "term",
    [
        "marcos mar",
        "COS MAR",
        "s m",
        "ana0 s",
        "0 s",
        "a 2",
        "ia 20",
        "00 l",
        "100%",
        "%",
        "_d",
        "a_de p",
        "ícius mar",
        "marcos  mar",
        "o m",
        "zz z",
    ],
)
def test_a_search_across_words_finds_exactly_what_contains_it(auth_client, make_customer, term):
    """The name's word-adjacency trigram index (``crm.db.trigram.PhraseIContains``) changes how
    matches are found, never which: exactly the names holding the term, any case."""
    for name in PHRASE_NAMES:
        make_customer(ds_customer_name=name)
    expected = sorted(name for name in PHRASE_NAMES if term.strip().lower() in name.lower())

    response = auth_client.get(LIST_URL, {"search": term, "per_page": 100})

    assert response.status_code == 200
    assert sorted(names(response)) == expected
    assert response.json()["total"] == len(expected)


ADDRESSES = [
    "carolina.andrade5898@gmail.com",
    "carol_andrade@empresa.com.br",
    "c-andrade+crm@example.org",
    "andrade0carolina@example.org",
]


@pytest.mark.parametrize(
    "term",
    [
        "arolina.andrade58",
        "a.a",
        "e@g",
        "e5898@",
        "_andrade@",
        "-andrade+c",
        "e+crm",
        "e0c",
        "0carolina",
        "andrade",
        ".com",
        "%",
        "_",
        "a_a",
        "zzz.zzz",
    ],
)
def test_a_search_across_the_parts_of_an_address_finds_exactly_what_contains_it(
    auth_client, make_customer, term
):
    """The e-mail's trigram index reads an address as one word (``AddressIContains``): it
    changes how matches are found, never which."""
    for number, address in enumerate(ADDRESSES):
        make_customer(ds_customer_name=f"Cliente {number}", ds_customer_email=address)
    expected = sorted(
        f"Cliente {number}"
        for number, address in enumerate(ADDRESSES)
        if term.lower() in address or term.lower() in f"cliente {number}"
    )

    response = auth_client.get(LIST_URL, {"search": term, "per_page": 100})

    assert response.status_code == 200
    assert sorted(names(response)) == expected
