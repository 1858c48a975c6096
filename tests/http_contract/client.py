"""What a client written from the seed's README (and ours) sees: HTTP, JSON, status codes.

Nothing here imports the application: the suite must pass unchanged against any deployment
(the monolith, ``make split`` behind its edge, a container), given only a base URL.
"""

from __future__ import annotations

import random
import uuid
from typing import Any

import httpx

#: Every request of the suite waits at most this long (a split deployment adds hops).
TIMEOUT = httpx.Timeout(30.0)


def new_client(base_url: str, token: str | None = None) -> httpx.Client:
    """A client that never follows redirects: the contract says every path answers with and
    without a trailing slash *without* a redirect (a redirected POST loses its body)."""
    headers = {"Accept": "application/json"}
    if token:
        headers["Authorization"] = f"Bearer {token}"
    return httpx.Client(base_url=base_url, headers=headers, timeout=TIMEOUT, follow_redirects=False)


def described(response: httpx.Response) -> str:
    request = response.request
    return f"{request.method} {request.url} -> {response.status_code}: {response.text[:800]}"


def expect(response: httpx.Response, status: int) -> Any:
    """The JSON body of a response that must have ``status``."""
    assert response.status_code == status, described(response)
    assert response.headers.get("content-type", "").startswith("application/json"), described(
        response
    )
    return response.json()


def expect_error(response: httpx.Response, status: int) -> str | dict[str, list[str]]:
    """A client error as the contract states it: the status, and a body that is exactly
    ``{"error": "<mensagem>"}`` or ``{"error": {"campo": ["mensagem", ...]}}``."""
    body = expect(response, status)
    assert set(body) == {"error"}, described(response)
    error = body["error"]
    if isinstance(error, str):
        assert error.strip(), described(response)
    else:
        assert isinstance(error, dict) and error, described(response)
        for field, messages in error.items():
            assert isinstance(field, str), described(response)
            assert isinstance(messages, list) and messages, described(response)
            assert all(isinstance(message, str) and message for message in messages), described(
                response
            )
    return error


def tag() -> str:
    """A fragment unique to one test, put into names so lists can be narrowed to its rows on a
    deployment that holds other data."""
    return "ct" + uuid.uuid4().hex[:10]


def _check_digit(digits: list[int], weights: range | list[int]) -> int:
    remainder = sum(d * w for d, w in zip(digits, weights, strict=False)) % 11
    return 0 if remainder < 2 else 11 - remainder


def cpf() -> str:
    """A random CPF with valid check digits (11 digits, unformatted)."""
    while True:
        digits = [random.randint(0, 9) for _ in range(9)]
        if len(set(digits)) > 1:
            break
    digits.append(_check_digit(digits, range(10, 1, -1)))
    digits.append(_check_digit(digits, range(11, 1, -1)))
    return "".join(map(str, digits))


def formatted_cpf(digits: str) -> str:
    return f"{digits[:3]}.{digits[3:6]}.{digits[6:9]}-{digits[9:]}"
