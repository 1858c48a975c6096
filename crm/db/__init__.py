"""Database layout: one alias per domain, one schema (or database) per alias.

``build_databases`` turns environment variables into Django's ``DATABASES``:

* ``DATABASE_URL`` (PostgreSQL): every domain gets an alias on that one database, each alias
  confined to its own schema through ``search_path`` (only that schema: with ``public`` behind
  it a missing schema would silently send tables to ``public``).
* ``<DOMAIN>_DATABASE_URL`` overrides one domain: a physically separate database. Its schema
  is still the domain's own, so moving a domain out later is a dump/restore of one schema.
* No URL at all: one SQLite file per domain under ``CRM_DATA_DIR`` (default ``./var``).

Which domains exist, and which alias each uses, is the composition root's business
(``config.settings``: ``CRM_DOMAIN_ALIASES``, ``CRM_APP_DOMAINS``); the platform knows no domain.
"""

from __future__ import annotations

from collections.abc import Mapping
from pathlib import Path

import dj_database_url

POSTGRES_BACKEND = "crm.db.backends.postgresql"


def _postgres(url: str, schema: str, conn_max_age: int, health_check_interval: float) -> dict:
    config = dj_database_url.parse(url, conn_max_age=conn_max_age, conn_health_checks=True)
    # Seconds a connection stays trusted after it was opened or pinged (our backend).
    config["HEALTH_CHECK_INTERVAL"] = health_check_interval
    if config["ENGINE"] != "django.db.backends.postgresql":
        raise ValueError(f"only PostgreSQL URLs are supported here, got {url.split(':', 1)[0]}")
    config["ENGINE"] = POSTGRES_BACKEND
    config["SCHEMA"] = schema
    options = config.setdefault("OPTIONS", {})
    options["options"] = f"-c search_path={schema}"
    return config


def _sqlite(data_dir: Path, domain: str) -> dict:
    return {
        "ENGINE": "django.db.backends.sqlite3",
        "NAME": str(data_dir / f"{domain}.sqlite3"),
        "OPTIONS": {"transaction_mode": "IMMEDIATE", "timeout": 20},
        "TEST": {"NAME": None},
    }


def build_databases(
    env: Mapping[str, str], *, base_dir: Path, domain_aliases: Mapping[str, str]
) -> dict[str, dict]:
    """Build ``DATABASES`` for ``domain_aliases`` (domain -> alias) from ``env``."""
    shared_url = env.get("DATABASE_URL", "").strip()
    conn_max_age = int(env.get("CONN_MAX_AGE", "60"))
    health_check_interval = float(env.get("CONN_HEALTH_CHECK_SECONDS", "").strip() or 1)
    data_dir = Path(env.get("CRM_DATA_DIR", "").strip() or base_dir / "var")
    if not data_dir.is_absolute():
        data_dir = base_dir / data_dir
    databases: dict[str, dict] = {}
    for domain, alias in domain_aliases.items():
        url = env.get(f"{domain.upper()}_DATABASE_URL", "").strip() or shared_url
        if url:
            databases[alias] = _postgres(url, domain, conn_max_age, health_check_interval)
        else:
            data_dir.mkdir(parents=True, exist_ok=True)
            databases[alias] = _sqlite(data_dir, domain)
    return databases
