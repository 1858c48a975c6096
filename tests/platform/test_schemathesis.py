"""Schemathesis over every operation of ``/api/schema/``, against a live gunicorn, with a real
token: no server error, and every response conforms to the schema (status, content type,
headers, body). Bounded (a few examples per operation) to keep CI time reasonable.

Runs on PostgreSQL (a scratch database) when the suite does, on SQLite files otherwise. The
data the operations need (a customer with an interaction and a ledger entry, a product) is
created first and handed to schemathesis as the path ids, so the calls reach past the 404s.
"""

from __future__ import annotations

import json
import os
import subprocess
import uuid
from pathlib import Path

import pytest

from tests import services

from .live import call, gunicorn, redis_delete_prefix
from .sandbox import VENV_BIN, ScratchDatabase, describe, manage, process_env

pytestmark = pytest.mark.needs("redis", *services.postgres_when_database_url())

REDIS_URL = services.redis_url()
EMAIL = "schemathesis@example.com"
PASSWORD = "s3nha-Forte-2026"
CHECKS = ",".join(
    [
        "not_a_server_error",
        "status_code_conformance",
        "content_type_conformance",
        "response_headers_conformance",
        "response_schema_conformance",
    ]
)
MAX_EXAMPLES = os.environ.get("SCHEMATHESIS_MAX_EXAMPLES", "6")

SEED_DATA = """
import json
from decimal import Decimal
from domains.accounts.models import User
from domains.customers.models import Customer
from domains.interactions.models import Interaction, Transaction
from domains.products.models import Product
user = User.objects.get(ds_user_email="schemathesis@example.com")
customer = Customer.objects.create(ds_customer_name="Cliente Schemathesis")
product = Product.objects.create(ds_product_name="Produto Schemathesis", vr_price=Decimal("10"))
interaction = Interaction.objects.create(
    cd_customer=customer.cd_customer, cd_user=user.cd_user, ds_notes="Primeiro contato",
    id_interaction_type="ligacao",
)
entry = Transaction.objects.create(
    cd_customer=customer.cd_customer, cd_user=user.cd_user, vr_transaction=Decimal("5.00"),
    id_transaction_type=1, cd_product=product.cd_product,
)
print(json.dumps({
    "customer_id": str(customer.cd_customer), "product_id": str(product.cd_product),
    "interaction_id": str(interaction.cd_interaction), "transaction_id": str(entry.cd_transaction),
}))
"""


@pytest.fixture(scope="module")
def database_url():
    if os.environ.get("DATABASE_URL"):
        with ScratchDatabase(prefix="crm_schemathesis") as database:
            yield database.url
    else:
        yield ""  # SQLite files under the server's CRM_DATA_DIR


def test_schemathesis_finds_no_server_error_and_no_schema_mismatch(
    app_copy: Path, tmp_path: Path, database_url: str
):
    prefix = f"crm-test-schemathesis-{uuid.uuid4().hex[:12]}"
    env = process_env(
        app_copy,
        tmp_path / "var",
        DEBUG="false",
        SECRET_KEY="schemathesis-test-secret-0123456789abcdef01",
        JWT_SECRET_KEY="schemathesis-test-jwt-key-0123456789abcdef0",
        REDIS_URL=REDIS_URL,
        CACHE_KEY_PREFIX=prefix,
        # A path id thousands of characters long reaches Django (a 400) instead of gunicorn's
        # request-line limit (a plain-text 414 an edge proxy answers in production).
        GUNICORN_CMD_ARGS="--limit-request-line 0",
        DJANGO_SUPERUSER_DS_USER_EMAIL=EMAIL,
        DJANGO_SUPERUSER_DS_USER="Schemathesis",
        DJANGO_SUPERUSER_PASSWORD=PASSWORD,
    )
    if database_url:
        env["DATABASE_URL"] = database_url
    for command in (["migrate"], ["createsuperuser", "--noinput"], ["shell", "-c", SEED_DATA]):
        result = manage(*command, root=app_copy, env=env)
        assert result.returncode == 0, describe(result)
    ids = json.loads(result.stdout.strip().splitlines()[-1])
    config = tmp_path / "schemathesis.toml"
    config.write_text(
        "[parameters]\n" + "".join(f'"path.{name}" = "{value}"\n' for name, value in ids.items())
    )

    try:
        with gunicorn(app_copy, env, log=tmp_path / "server.log", workers=2) as base:
            status, _headers, body = call(
                base, "POST", "/auth/login", {"ds_user_email": EMAIL, "password": PASSWORD}
            )
            assert status == 200, body
            token = json.loads(body)["access_token"]
            schema = json.loads(call(base, "GET", "/api/schema/?format=json")[2])
            operations = sum(
                1
                for item in schema["paths"].values()
                for method in item
                if method in {"get", "post", "put", "patch", "delete"}
            )

            result = subprocess.run(
                [
                    str(VENV_BIN / "schemathesis"),
                    "--config-file",
                    str(config),
                    "run",
                    f"{base}/api/schema/",
                    "--header",
                    f"Authorization: Bearer {token}",
                    "--checks",
                    CHECKS,
                    "--max-examples",
                    MAX_EXAMPLES,
                    "--phases",
                    "examples,coverage,fuzzing",
                    "--generation-database",
                    "none",
                    "--request-timeout",
                    "30",
                    "--no-color",
                ],
                cwd=tmp_path,
                env={**os.environ, "PYTHONDONTWRITEBYTECODE": "1"},
                capture_output=True,
                text=True,
                timeout=900,
                check=False,
            )
    finally:
        redis_delete_prefix(REDIS_URL, prefix)

    output = result.stdout + result.stderr
    assert result.returncode == 0, output[-20000:]
    assert f"Tested: {operations}" in output, output[-5000:]  # every operation, none skipped
