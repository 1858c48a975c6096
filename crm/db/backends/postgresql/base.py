"""PostgreSQL backend for an alias confined to one schema.

Django's own backend plus two things a schema-per-domain layout needs:

* ``prepare_database`` (called by ``migrate`` before it touches anything) creates the alias's
  schema, so no manual SQL step exists and tables can never land in ``public``.
* Connection health checks (``CONN_HEALTH_CHECKS``) at most once per
  ``HEALTH_CHECK_INTERVAL`` seconds per connection (``CONN_HEALTH_CHECK_SECONDS``, default 1):
  Django pings (``SELECT 1``) every pooled connection at its first use in *every* request, one
  extra round trip per alias per request; under load that doubled the queries of a one-row
  read. A connection verified (pinged or opened) within the interval is trusted; a failure on
  it still closes it at the end of that request (Django's ``errors_occurred`` check), so the
  server recovers by itself either way. ``0`` restores Django's ping per request.
* The test-database creation migrates every sibling schema. Django treats aliases that share a
  database as mirrors of the first one and would migrate only that one; here each alias is its
  own schema, so each is migrated in the shared test database; at the end the siblings'
  sessions are closed and the database dropped even if a test thread left a session open.
"""

from __future__ import annotations

import time

from django.core.management import call_command
from django.db import connections
from django.db.backends.postgresql import base, creation


def schema_of(settings_dict: dict) -> str | None:
    return settings_dict.get("SCHEMA")


class DatabaseCreation(creation.DatabaseCreation):
    def set_as_test_mirror(self, primary_settings_dict):
        super().set_as_test_mirror(primary_settings_dict)
        schema = schema_of(self.connection.settings_dict)
        if schema and schema != schema_of(primary_settings_dict):
            # Not a replica: a sibling schema in the same test database. Give it its tables.
            self.connection.close()
            call_command(
                "migrate",
                database=self.connection.alias,
                verbosity=0,
                interactive=False,
                run_syncdb=True,
            )

    def destroy_test_db(self, *args, **kwargs):
        # The sibling schemas' aliases hold their own sessions on this test database; Django
        # only closes the primary's, and PostgreSQL refuses to drop a database in use.
        def server_and_name(settings_dict: dict) -> tuple:
            return settings_dict["HOST"], settings_dict["PORT"], settings_dict["NAME"]

        mine = server_and_name(self.connection.settings_dict)
        for other in connections.all(initialized_only=True):
            if other is not self.connection and server_and_name(other.settings_dict) == mine:
                other.close()
        return super().destroy_test_db(*args, **kwargs)

    def _destroy_test_db(self, test_database_name, verbosity):
        # Sessions other threads left open (concurrency tests, a live server) would make a plain
        # DROP fail and leave the test database behind; FORCE (PostgreSQL 13+) ends them.
        with self._nodb_cursor() as cursor:
            cursor.execute(
                f"DROP DATABASE {self.connection.ops.quote_name(test_database_name)} WITH (FORCE)"
            )


class DatabaseWrapper(base.DatabaseWrapper):
    creation_class = DatabaseCreation
    #: ``time.monotonic()`` when the open connection was last known good (opened or pinged).
    verified_at: float | None = None

    def connect(self):
        super().connect()
        self.verified_at = time.monotonic()

    def close_if_health_check_failed(self):
        if (
            self.connection is None
            or not self.health_check_enabled
            or self.health_check_done
            or self.pool
        ):
            return super().close_if_health_check_failed()
        interval = self.settings_dict.get("HEALTH_CHECK_INTERVAL", 0)
        now = time.monotonic()
        if self.verified_at is not None and now - self.verified_at < interval:
            self.health_check_done = True  # checked recently enough: no round trip
            return
        super().close_if_health_check_failed()
        if self.connection is not None:
            self.verified_at = now

    def prepare_database(self):
        super().prepare_database()
        schema = schema_of(self.settings_dict)
        if schema:
            with self.cursor() as cursor:
                cursor.execute(f"CREATE SCHEMA IF NOT EXISTS {self.ops.quote_name(schema)}")
