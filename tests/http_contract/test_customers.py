"""/api/customers: the seed's CRUD, list envelope, pagination, search, filters and errors."""

from __future__ import annotations

import uuid

import httpx

from .client import cpf, expect, expect_error, formatted_cpf, tag

CUSTOMER_FIELDS = {
    "cd_customer",
    "ds_customer_name",
    "ds_customer_email",
    "ds_customer_phone",
    "ds_customer_cpf_cnpj",
    "ds_customer_address",
    "ds_customer_city",
    "ds_customer_state",
    "ds_customer_zip_code",
    "ds_customer_country",
    "dt_customer_created_at",
    "dt_customer_updated_at",
    "is_customer_active",
}
LIST_KEYS = {"customers", "total", "pages", "current_page", "per_page"}


def test_a_customer_lives_through_the_seed_lifecycle(api: httpx.Client):
    name = f"Padaria Pão Quente {tag()}"
    document = cpf()

    created = expect(
        api.post(
            "/api/customers",
            json={
                "ds_customer_name": name,
                "ds_customer_email": f"Contato.{tag()}@PaoQuente.com.br",
                "ds_customer_phone": "(11) 3333-4444",
                "ds_customer_cpf_cnpj": formatted_cpf(document),
                "ds_customer_address": "Rua das Flores, 10",
                "ds_customer_city": "São Paulo",
                "ds_customer_state": "sp",
                "ds_customer_zip_code": "01001000",
            },
        ),
        201,
    )
    assert set(created) == {"message", "customer"} and created["message"]
    customer = created["customer"]
    assert set(customer) >= CUSTOMER_FIELDS
    customer_id = customer["cd_customer"]
    assert str(uuid.UUID(customer_id)) == customer_id
    assert customer["ds_customer_name"] == name
    assert customer["ds_customer_email"] == customer["ds_customer_email"].lower()
    assert customer["ds_customer_cpf_cnpj"] == document
    assert customer["ds_customer_state"] == "SP"
    assert customer["ds_customer_zip_code"] == "01001-000"
    assert customer["ds_customer_country"] == "Brasil"
    assert customer["is_customer_active"] is True

    detail = expect(api.get(f"/api/customers/{customer_id}"), 200)
    assert detail == {"customer": customer}

    updated = expect(
        api.put(f"/api/customers/{customer_id}", json={"ds_customer_phone": "(11) 99999-0000"}), 200
    )
    assert set(updated) == {"message", "customer"}
    assert updated["customer"]["ds_customer_phone"] == "(11) 99999-0000"
    assert updated["customer"]["ds_customer_name"] == name  # a partial update keeps the rest

    assert set(expect(api.delete(f"/api/customers/{customer_id}"), 200)) == {"message"}
    assert (
        expect(api.get(f"/api/customers/{customer_id}"), 200)["customer"]["is_customer_active"]
        is False
    )
    active = expect(api.get("/api/customers", params={"search": name}), 200)
    everyone = expect(
        api.get("/api/customers", params={"search": name, "active_only": "false"}), 200
    )
    assert active["total"] == 0 and active["customers"] == []
    assert [item["cd_customer"] for item in everyone["customers"]] == [customer_id]

    reactivated = expect(api.patch(f"/api/customers/{customer_id}/activate"), 200)
    assert set(reactivated) == {"message", "customer"}
    assert reactivated["customer"]["is_customer_active"] is True

    removed = expect(
        api.delete(f"/api/customers/{customer_id}", params={"hard_delete": "true"}), 200
    )
    assert set(removed) == {"message"}
    expect_error(api.get(f"/api/customers/{customer_id}"), 404)
    assert (
        expect(api.get("/api/customers", params={"search": name, "active_only": "false"}), 200)[
            "total"
        ]
        == 0
    )


def test_every_path_answers_with_and_without_a_trailing_slash_without_redirecting(
    api: httpx.Client,
):
    name = f"Barra Final {tag()}"
    created = expect(
        api.post("/api/customers/", json={"ds_customer_name": name, "ds_customer_cpf_cnpj": cpf()}),
        201,
    )["customer"]
    path = f"/api/customers/{created['cd_customer']}/"

    assert expect(api.get("/api/customers/", params={"search": name}), 200)["total"] == 1
    assert expect(api.get(path), 200)["customer"]["cd_customer"] == created["cd_customer"]
    assert (
        expect(api.put(path, json={"ds_customer_city": "Santos"}), 200)["customer"][
            "ds_customer_city"
        ]
        == "Santos"
    )
    expect(api.delete(path), 200)
    expect(api.patch(f"{path}activate/"), 200)
    expect(api.delete(path, params={"hard_delete": "true"}), 200)


def test_the_list_pages_by_page_and_per_page_and_a_page_past_the_end_is_empty(
    api: httpx.Client, make_customer
):
    marker = tag()
    ids = {make_customer(ds_customer_name=f"Pagina {marker} {n}")["cd_customer"] for n in range(3)}

    first = expect(api.get("/api/customers", params={"search": marker, "per_page": 2}), 200)
    second = expect(
        api.get("/api/customers", params={"search": marker, "per_page": 2, "page": 2}), 200
    )
    past = expect(
        api.get("/api/customers", params={"search": marker, "per_page": 2, "page": 3}), 200
    )

    assert set(first) >= LIST_KEYS
    assert (first["total"], first["pages"], first["current_page"], first["per_page"]) == (
        3,
        2,
        1,
        2,
    )
    assert len(first["customers"]) == 2 and len(second["customers"]) == 1
    assert second["current_page"] == 2
    assert {item["cd_customer"] for item in first["customers"] + second["customers"]} == ids
    assert past["customers"] == [] and past["total"] == 3 and past["current_page"] == 3

    defaults = expect(api.get("/api/customers", params={"search": marker}), 200)
    capped = expect(api.get("/api/customers", params={"search": marker, "per_page": 1000}), 200)
    assert (defaults["per_page"], defaults["current_page"]) == (20, 1)
    assert capped["per_page"] == 100


def test_search_finds_name_email_and_cpf_with_or_without_punctuation(
    api: httpx.Client, make_customer
):
    marker = tag()
    document = cpf()
    customer = make_customer(
        ds_customer_name=f"Mercearia {marker}",
        ds_customer_email=f"vendas.{marker}@mercearia.com.br",
        ds_customer_cpf_cnpj=document,
    )

    def found(term: str) -> list[str]:
        body = expect(api.get("/api/customers", params={"search": term}), 200)
        return [item["cd_customer"] for item in body["customers"]]

    assert found(f"MERCEARIA {marker}") == [customer["cd_customer"]]
    assert found(f"vendas.{marker}") == [customer["cd_customer"]]
    assert customer["cd_customer"] in found(document)
    assert customer["cd_customer"] in found(formatted_cpf(document))


def test_filters_and_ordering_narrow_and_sort_the_list(api: httpx.Client, make_customer):
    marker = tag()
    make_customer(
        ds_customer_name=f"B {marker}", ds_customer_state="RJ", ds_customer_city="Niterói"
    )
    make_customer(ds_customer_name=f"C {marker}", ds_customer_state="SP", ds_customer_city="Santos")
    make_customer(
        ds_customer_name=f"A {marker}", ds_customer_state="SP", ds_customer_city="Campinas"
    )

    def names(**params) -> list[str]:
        body = expect(api.get("/api/customers", params={"search": marker, **params}), 200)
        return [item["ds_customer_name"] for item in body["customers"]]

    assert names(ds_customer_state="SP", ordering="ds_customer_name") == [
        f"A {marker}",
        f"C {marker}",
    ]
    assert names(ordering="-ds_customer_name") == [f"C {marker}", f"B {marker}", f"A {marker}"]
    assert names(ds_customer_city="Niterói") == [f"B {marker}"]


def test_invalid_input_is_a_400_naming_the_fields(api: httpx.Client):
    missing_name = expect_error(
        api.post("/api/customers", json={"ds_customer_email": "a@b.com"}), 400
    )
    bad_values = expect_error(
        api.post(
            "/api/customers",
            json={
                "ds_customer_name": f"Invalido {tag()}",
                "ds_customer_cpf_cnpj": "11.111.111-12",
                "ds_customer_state": "XX",
                "ds_customer_email": "sem-arroba",
            },
        ),
        400,
    )
    not_json = api.post(
        "/api/customers",
        content=b'{"ds_customer_name": ',
        headers={"Content-Type": "application/json"},
    )

    assert "ds_customer_name" in missing_name
    assert {"ds_customer_cpf_cnpj", "ds_customer_state", "ds_customer_email"} <= set(bad_values)
    assert isinstance(expect_error(not_json, 400), str)
    expect_error(api.get("/api/customers", params={"page": 0}), 400)
    expect_error(api.get("/api/customers", params={"active_only": "talvez"}), 400)


def test_duplicates_are_409_and_unknown_or_malformed_ids_404_and_400(
    api: httpx.Client, make_customer
):
    email = f"unico.{tag()}@example.com"
    first = make_customer(ds_customer_email=email)

    same_cpf = api.post(
        "/api/customers",
        json={"ds_customer_name": "Outro", "ds_customer_cpf_cnpj": first["ds_customer_cpf_cnpj"]},
    )
    same_email = api.post(
        "/api/customers", json={"ds_customer_name": "Outro", "ds_customer_email": email.upper()}
    )
    assert isinstance(expect_error(same_cpf, 409), str)
    assert isinstance(expect_error(same_email, 409), str)

    unknown = str(uuid.uuid4())
    for response in (
        api.get(f"/api/customers/{unknown}"),
        api.put(f"/api/customers/{unknown}", json={"ds_customer_city": "Santos"}),
        api.delete(f"/api/customers/{unknown}"),
        api.patch(f"/api/customers/{unknown}/activate"),
    ):
        expect_error(response, 404)
    expect_error(api.get("/api/customers/nao-e-uuid"), 400)
    expect_error(api.put("/api/customers"), 405)


def test_without_a_token_every_customer_route_is_a_401(anonymous: httpx.Client):
    some_id = str(uuid.uuid4())
    for method, path in (
        ("GET", "/api/customers"),
        ("POST", "/api/customers"),
        ("GET", f"/api/customers/{some_id}"),
        ("PUT", f"/api/customers/{some_id}"),
        ("DELETE", f"/api/customers/{some_id}"),
        ("PATCH", f"/api/customers/{some_id}/activate"),
    ):
        expect_error(anonymous.request(method, path, json={}), 401)
