"""``migrate`` that migrates every domain.

With one alias per domain, Django's ``migrate`` would only migrate ``default`` (accounts) and
leave the other schemas empty, an easy step to forget. Here plain ``migrate`` runs once per
alias; ``migrate --database X`` still migrates just X.

Output: Django records every migration in every alias's history (the router lets each alias
create only its own domain's tables, the rest are recorded as no-ops), so its usual
"Applying ... OK" would list each migration once per alias. At the default verbosity we print
one line per domain instead, counting only the migrations that belong to that domain;
``-v 2`` shows Django's full output per alias.
"""

from django.conf import settings
from django.core.management.commands import migrate
from django.db import connections
from django.db.migrations.recorder import MigrationRecorder

from crm.db.router import alias_for_app


def _applied(alias: str) -> set[tuple[str, str]]:
    recorder = MigrationRecorder(connections[alias])
    if not recorder.has_table():
        return set()
    return set(recorder.applied_migrations())


def _own(alias: str, migrations: set[tuple[str, str]]) -> set[tuple[str, str]]:
    # An app no domain claims goes where Django would put it: the default alias.
    return {(app, name) for app, name in migrations if (alias_for_app(app) or "default") == alias}


def _served_aliases() -> list[str]:
    """The aliases of the domains this process serves (``CRM_DOMAINS``): a process of a split
    that does not serve accounts has only a placeholder ``default``, never migrated."""
    return [settings.CRM_DOMAIN_ALIASES[domain] for domain in settings.CRM_DOMAINS]


def _count(number: int) -> str:
    return f"{number} migration" if number == 1 else f"{number} migrations"


class Command(migrate.Command):
    help = "Update every domain's schema (or one, with --database)."

    def add_arguments(self, parser):
        super().add_arguments(parser)
        for action in parser._actions:
            if action.dest == "database":
                action.default = None
                action.help = "Migrate only this alias (default: every domain's alias)."

    def get_check_kwargs(self, options):
        kwargs = super().get_check_kwargs(options)
        if options["database"] is None:
            kwargs["databases"] = _served_aliases()
        return kwargs

    def handle(self, *args, **options):
        if options["database"] is not None:
            return super().handle(*args, **options)
        # --plan and --check report through Django's own output: leave them as they are.
        compact = options["verbosity"] == 1 and not (options["plan"] or options["check_unapplied"])
        domains = {alias: domain for domain, alias in settings.CRM_DOMAIN_ALIASES.items()}
        for alias in _served_aliases():
            if not compact:
                if options["verbosity"] >= 1:
                    self.stdout.write(self.style.MIGRATE_HEADING(f"== database alias '{alias}' =="))
                super().handle(*args, **{**options, "database": alias})
                continue
            before = _applied(alias)
            super().handle(*args, **{**options, "database": alias, "verbosity": 0})
            after = _applied(alias)
            applied, unapplied = _own(alias, after - before), _own(alias, before - after)
            label = domains.get(alias, alias)
            if applied:
                line = self.style.SUCCESS(f"{label}: {_count(len(applied))} applied.")
            elif unapplied:
                line = self.style.SUCCESS(f"{label}: {_count(len(unapplied))} unapplied.")
            else:
                line = f"{label}: No migrations to apply."
            self.stdout.write(line)
