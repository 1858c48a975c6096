"""The composition root as an app: a home for commands that orchestrate several domains.

Such a command (e.g. ``seed_demo``, ``import_seed``) may import every domain's ``interface``
and nothing else of it: each domain still writes only its own schema through its own code.
``config`` owns no models and no tables.
"""

from django.apps import AppConfig


class CompositionRootConfig(AppConfig):
    name = "config"
    label = "config"
    verbose_name = "CRM Finance"
