"""Every list and search is an index lookup, never a sequential scan of a big table (issue #8).

PostgreSQL only. Tables are filled by plain SQL (the way a DBA's load arrives) with enough rows
that a sequential scan would be the planner's choice wherever no index fits, then ``ANALYZE``d;
each request of the API is made for real, and every query it sent is ``EXPLAIN``ed. A plan that
reads a big table with a ``Seq Scan`` fails the test, naming the request and the query.
"""

from __future__ import annotations

import json

import pytest
from django.conf import settings
from django.db import connections
from django.test.utils import CaptureQueriesContext

CUSTOMERS = 30_000
PRODUCTS = 8_000
INTERACTIONS = 60_000
TRANSACTIONS = 60_000
BIG_TABLES = {"customer", "product", "interaction", "transaction"}

pytestmark = pytest.mark.skipif(
    not settings.DATABASES["customers"]["ENGINE"].endswith("postgresql"),
    reason="query plans are PostgreSQL's",
)

# What (auto)vacuum does after a bulk load: move the GIN indexes' pending entries (fastupdate)
# into the index proper. VACUUM cannot run inside the test's transaction; this function can.
CLEAN_PENDING_GIN_ENTRIES = """
    SELECT gin_clean_pending_list(i.indexrelid)
    FROM pg_index i JOIN pg_class c ON c.oid = i.indexrelid JOIN pg_am a ON a.oid = c.relam
    WHERE a.amname = 'gin' AND c.relnamespace = current_schema()::regnamespace
"""

LOAD = {
    "customers": [
        """
        INSERT INTO customer (cd_customer, ds_customer_name, ds_customer_email,
            ds_customer_phone, ds_customer_cpf_cnpj, ds_customer_city, ds_customer_state,
            ds_customer_country, dt_customer_created_at, dt_customer_updated_at,
            is_customer_active)
        SELECT md5('c' || i)::uuid,
            (ARRAY['Ana','Bruno','Carla','Daniel','Eduarda','Felipe','Gabriela','Heitor'])
                [1 + abs(hashtext('f' || i)) %% 8]
            || ' ' || (ARRAY['Silva','Santos','Oliveira','Souza','Lima','Costa','Rocha'])
                [1 + abs(hashtext('s' || i)) %% 7]
            || ' ' || substr(md5('n' || i), 1, 6),
            'cliente' || i || '@' || substr(md5('e' || i), 1, 8) || '.com.br',
            '(11) 9' || lpad(i::text, 8, '0'),
            lpad((i::bigint * 7919 %% 100000000000)::text, 11, '0'),
            (ARRAY['São Paulo','Recife','Curitiba','Belém','Natal'])[1 + i %% 5],
            (ARRAY['SP','PE','PR','PA','RN','BA','RJ','MG','RS','CE'])[1 + i %% 10],
            'Brasil', now() - i * interval '1 minute', now(), i %% 10 <> 0
        FROM generate_series(1, %(customers)s) AS i
        """,
        CLEAN_PENDING_GIN_ENTRIES,
        "ANALYZE customer",
    ],
    "products": [
        """
        INSERT INTO product (cd_product, ds_product_name, ds_product_description, vr_price,
            id_product_type, is_active, dt_product_created_at, dt_product_updated_at)
        SELECT md5('p' || i)::uuid, 'Produto ' || substr(md5('pn' || i), 1, 10) || ' ' || i,
            'Descrição ' || substr(md5('pd' || i), 1, 12), (i %% 500) + 0.99,
            CASE WHEN i %% 3 = 0 THEN 'servico' ELSE 'produto' END, i %% 10 <> 0, now(), now()
        FROM generate_series(1, %(products)s) AS i
        """,
        CLEAN_PENDING_GIN_ENTRIES,
        "ANALYZE product",
    ],
    "interactions": [
        """
        INSERT INTO interaction (cd_interaction, cd_customer, cd_user, ds_notes,
            id_interaction_type, dt_interaction, dt_created_at)
        SELECT md5('i' || i)::uuid, md5('c' || (1 + i %% %(customers)s))::uuid,
            '00000000-0000-0000-0000-000000000001', 'Nota ' || i,
            (ARRAY['venda','ligacao','email','reuniao','contato'])[1 + i %% 5],
            now() - i * interval '1 minute', now()
        FROM generate_series(1, %(interactions)s) AS i
        """,
        """
        INSERT INTO "transaction" (cd_transaction, cd_customer, cd_user, cd_product,
            vr_transaction, id_transaction_type, dt_transaction, ds_transaction, dt_created_at)
        SELECT md5('t' || i)::uuid, md5('c' || (1 + i %% %(customers)s))::uuid,
            '00000000-0000-0000-0000-000000000001', NULL, (i %% 9000) / 100.0 + 1,
            1 + i %% 2, date '2026-12-31' - (i %% 1460), 'Lançamento ' || i, now()
        FROM generate_series(1, %(transactions)s) AS i
        """,
        'ANALYZE interaction, "transaction"',
    ],
}
SIZES = {
    "customers": CUSTOMERS,
    "products": PRODUCTS,
    "interactions": INTERACTIONS,
    "transactions": TRANSACTIONS,
}


def customer(number: int) -> dict:
    with connections["customers"].cursor() as cursor:
        cursor.execute(
            "SELECT cd_customer, ds_customer_name, ds_customer_email, ds_customer_cpf_cnpj "
            "FROM customer WHERE cd_customer = md5(%s)::uuid",
            [f"c{number}"],
        )
        cd_customer, name, email, cpf = cursor.fetchone()
    return {"id": cd_customer, "name": name, "email": email, "cpf": cpf}


def requests_to_check(client) -> dict[str, tuple[str, dict]]:
    # Deep pages stay a small share of the table: at 90% of it, reading the whole table and
    # sorting really is cheaper than walking an index, and the planner is right to do so.
    some = customer(4321)
    cpf = some["cpf"]
    formatted_cpf = f"{cpf[:3]}.{cpf[3:6]}.{cpf[6:9]}-{cpf[9:]}"
    listed = "/api/customers"
    cursor = client.get(listed, {"per_page": 20}).json()["next_cursor"]
    return {
        "customers, default list": (listed, {}),
        "customers, page 3": (listed, {"page": 3}),
        "customers, deep page": (listed, {"page": 150}),
        "customers, by cursor": (listed, {"cursor": cursor, "per_page": 20}),
        "customers, every one": (listed, {"active_only": "false", "page": 40}),
        "customers, newest first": (listed, {"ordering": "-dt_customer_created_at"}),
        "customers, by state": (listed, {"state": "PE"}),
        "customers, by city": (listed, {"city": "recife"}),
        "customers, search name fragment": (listed, {"search": some["name"].split()[-1][1:5]}),
        "customers, search name and surname": (listed, {"search": some["name"][:14]}),
        "customers, search e-mail fragment": (listed, {"search": some["email"][4:14]}),
        "customers, search cpf digits": (listed, {"search": cpf[2:8]}),
        "customers, search formatted cpf": (listed, {"search": formatted_cpf[:9]}),
        "products, default list": ("/api/products", {"page": 3}),
        "products, deep page": ("/api/products", {"page": 60}),
        "products, search name": ("/api/products", {"search": "produto 1a2"}),
        "products, search description": ("/api/products", {"search": "escrição 9f"}),
        "interactions of a customer": (f"/api/customers/{some['id']}/interactions", {}),
        "ledger of a customer": (f"/api/customers/{some['id']}/transactions", {}),
        "balance of a customer": (f"/api/customers/{some['id']}/balance", {}),
        "cash-flow summary, one year": (
            "/api/transactions/summary",
            {"date_from": "2026-01-01", "date_to": "2026-12-31"},
        ),
    }


def sequential_scans(plan: dict) -> list[str]:
    found = []
    if plan.get("Node Type") == "Seq Scan" and plan.get("Relation Name") in BIG_TABLES:
        found.append(plan["Relation Name"])
    for child in plan.get("Plans", []):
        found.extend(sequential_scans(child))
    return found


def rows_read(plan: dict) -> int:
    """Rows the plan's scans produced or threw away."""
    own = 0
    if "Scan" in plan.get("Node Type", ""):
        own = plan.get("Actual Rows", 0) + plan.get("Rows Removed by Filter", 0)
    return own + sum(rows_read(child) for child in plan.get("Plans", []))


def test_no_list_or_search_reads_a_big_table_sequentially(auth_client):
    for alias, statements in LOAD.items():
        with connections[alias].cursor() as cursor:
            for statement in statements:
                cursor.execute(statement, SIZES if "%(" in statement else None)

    failures = []
    checked = 0
    for label, (url, params) in requests_to_check(auth_client).items():
        captures = {alias: CaptureQueriesContext(connections[alias]) for alias in LOAD}
        for capture in captures.values():
            capture.__enter__()
        response = auth_client.get(url, params)
        for capture in captures.values():
            capture.__exit__(None, None, None)
        assert response.status_code == 200, (label, response.content[:300])
        for alias, capture in captures.items():
            for query in capture.captured_queries:
                sql = query["sql"]
                if not sql.lstrip().upper().startswith("SELECT"):
                    continue
                with connections[alias].cursor() as cursor:
                    cursor.execute(f"EXPLAIN (FORMAT JSON) {sql}")
                    plan = cursor.fetchone()[0]
                    plan = json.loads(plan) if isinstance(plan, str) else plan
                checked += 1
                scans = sequential_scans(plan[0]["Plan"])
                if scans:
                    failures.append(f"{label}: Seq Scan on {scans} in {sql[:300]}")

    assert checked >= 30
    assert failures == [], "\n".join(failures)

    # Any cursor position costs what the first page costs: the scan starts at the position
    # (an index condition), it does not filter its way there from the beginning.
    listed = "/api/customers"
    deep = auth_client.get(listed, {"page": 1000, "per_page": 20}).json()["next_cursor"]
    for params in [{"per_page": 20}, {"cursor": deep, "per_page": 20}]:
        with CaptureQueriesContext(connections["customers"]) as capture:
            assert auth_client.get(listed, params).status_code == 200
        page_query = capture.captured_queries[-1]["sql"]
        with connections["customers"].cursor() as cursor:
            cursor.execute(f"EXPLAIN (ANALYZE, FORMAT JSON) {page_query}")
            plan = cursor.fetchone()[0]
            plan = json.loads(plan) if isinstance(plan, str) else plan
        assert rows_read(plan[0]["Plan"]) <= 3 * 20, (params, page_query)


def test_a_search_reads_its_matches_not_the_list_in_order(auth_client):
    """A search is sorted after its matches are found (``crm.db.queries.sorted_after_matching``).

    PostgreSQL guesses how many rows a ``LIKE '%…%'`` matches from a sample; when it expects
    many, walking the name index and filtering each row looks cheaper than gathering the
    matches and sorting them, and with a first page's ``COUNT(*) OVER ()`` that walk reads the
    whole register (seen at a million customers: 3.2 s for 76 matches). Planted here by making
    every sort look prohibitive to the planner (``enable_sort = off``): the walk is then its
    first choice wherever it is possible, and a search must leave it no such choice."""
    for statement in LOAD["customers"]:
        with connections["customers"].cursor() as cursor:
            cursor.execute(statement, SIZES if "%(" in statement else None)
    listed = "/api/customers"
    with connections["customers"].cursor() as cursor:
        cursor.execute("SET enable_sort = off")
    try:
        for params in [
            {"search": "Ana Silva"},  # a first name and a surname: 1 in 56 of the register
            {"search": "Bruno Sou", "per_page": 5, "page": 3},
            {"search": "Carla Lim", "ordering": "-dt_customer_created_at"},
            {"search": "heitor costa", "active_only": "false", "ordering": "ds_customer_city"},
        ]:
            with CaptureQueriesContext(connections["customers"]) as capture:
                response = auth_client.get(listed, params)
            assert response.status_code == 200, response.content[:300]
            total = response.json()["total"]
            assert total > 100, params
            page_query = capture.captured_queries[-1]["sql"]
            with connections["customers"].cursor() as cursor:
                cursor.execute(f"EXPLAIN (ANALYZE, FORMAT JSON) {page_query}")
                plan = cursor.fetchone()[0]
                plan = json.loads(plan) if isinstance(plan, str) else plan
            # The trigram index's candidates (about three times the total, more with the dead
            # rows of earlier tests), never the register (30,000) in name order.
            assert rows_read(plan[0]["Plan"]) < CUSTOMERS // 4, (params, total, page_query)
    finally:
        with connections["customers"].cursor() as cursor:
            cursor.execute("RESET enable_sort")
