"""Every query parameter the OpenAPI document declares, given nonsense (a NUL byte, a value of the
wrong kind, a huge value), is answered with a 200 or a JSON 400, never a 500 (PostgreSQL refuses
NUL bytes in text: an unchecked one would crash the query)."""

from __future__ import annotations

import re

import pytest
from django.test import Client

from .test_routes import assert_json_error

NONSENSE = {
    "nul-byte": "a\x00b",
    "wrong-kind": "não-é-um-valor",
    "huge": "9" * 5000,
    "negative": "-1",
}


def query_parameter_cases() -> list:
    client = Client()
    schema = client.get("/api/schema", HTTP_ACCEPT="application/vnd.oai.openapi+json").json()
    cases = []
    for path, operations in schema["paths"].items():
        for method, operation in operations.items():
            if method != "get":
                continue
            for parameter in operation.get("parameters", []):
                if parameter["in"] == "query":
                    cases.append(
                        pytest.param(path, parameter["name"], id=f"{path}?{parameter['name']}")
                    )
    return cases


@pytest.fixture
def query_cases(db) -> list:
    return query_parameter_cases()


def test_the_schema_declares_the_list_parameters(query_cases):
    declared = {(case.values[0], case.values[1]) for case in query_cases}

    assert {("/api/customers/", "page"), ("/api/customers/", "search")} <= declared
    assert ("/api/products/", "per_page") in declared


@pytest.mark.parametrize("value", NONSENSE.values(), ids=NONSENSE.keys())
def test_nonsense_in_any_declared_query_parameter_is_never_a_500(
    auth_client, existing_ids, query_cases, value
):
    failures = []
    for case in query_cases:
        template, name = case.values
        path = re.sub(
            r"\{(\w+)\}",
            lambda match: existing_ids[match[1].removesuffix("_id")],
            template,
        )
        response = auth_client.get(path, {name: value})
        if response.status_code == 400:
            assert_json_error(response, 400)
        elif response.status_code != 200:
            failures.append(f"{path}?{name}={value[:20]!r}: {response.status_code}")

    assert failures == []
