"""``migrate`` that migrates every domain.

With one alias per domain, Django's ``migrate`` would only migrate ``default`` (accounts) and
leave the other schemas empty, an easy step to forget. Here plain ``migrate`` runs once per
alias; ``migrate --database X`` still migrates just X.
"""

from django.conf import settings
from django.core.management.commands import migrate


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
            kwargs["databases"] = list(settings.DATABASES)
        return kwargs

    def handle(self, *args, **options):
        if options["database"] is not None:
            return super().handle(*args, **options)
        for alias in settings.DATABASES:
            if options["verbosity"] >= 1:
                self.stdout.write(self.style.MIGRATE_HEADING(f"== database alias '{alias}' =="))
            super().handle(*args, **{**options, "database": alias})
