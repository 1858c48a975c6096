"""Demo users for ``manage.py seed_demo`` (through ``interface.user_demo_load``): the staff who
author the demo interactions and ledger entries.

They cannot log in: their password is Django's *unusable* form (``"!"`` + random text), so a
demo database never ships a known credential. Their e-mails use the reserved ``.example``
domain ``crm-demo.example``, which is how ``seed_demo --force`` finds (and removes) them without
touching real accounts.
"""

from __future__ import annotations

import datetime as dt
import string
from uuid import UUID

from django.contrib.auth.hashers import UNUSABLE_PASSWORD_PREFIX

from crm import demo
from crm.db.bulk import bulk_insert

from .models import User

DEMO_EMAIL_DOMAIN = "crm-demo.example"
FIELDS = (
    "cd_user",
    "password",
    "last_login",
    "is_superuser",
    "ds_user",
    "ds_user_email",
    "dt_created_at",
    "is_active",
    "is_staff",
)
_PASSWORD_ALPHABET = string.ascii_letters + string.digits


def user_rows(*, seed: int, count: int, end_date: dt.date):
    rng = demo.demo_random(seed, "users")
    start = demo.history_start(end_date)
    for index in range(count):
        name, first_name, last_name = demo.person_name(rng)
        local = demo.ascii_slug(f"{first_name} {last_name}")
        unusable = UNUSABLE_PASSWORD_PREFIX + "".join(rng.choices(_PASSWORD_ALPHABET, k=40))
        yield (
            demo.demo_uuid(rng),
            unusable,
            None,
            False,
            name[:150],
            f"{local}.{index + 1:03d}@{DEMO_EMAIL_DOMAIN}",
            demo.moment_between(rng, start - dt.timedelta(days=90), start),
            True,
            False,
        )


def user_demo_load(*, seed: int, count: int, end_date: dt.date) -> tuple[UUID, ...]:
    rows = list(user_rows(seed=seed, count=count, end_date=end_date))
    bulk_insert(model=User, fields=FIELDS, rows=rows)
    return tuple(row[0] for row in rows)


def _demo_users():
    return User.objects.filter(ds_user_email__endswith=f"@{DEMO_EMAIL_DOMAIN}")


def user_demo_counts() -> dict[str, int]:
    return {"user": _demo_users().count()}


def user_demo_clear() -> None:
    # A handful of rows: the ORM's delete also removes their group links and tokens.
    _demo_users().delete()
