"""Admin of the interactions domain: each sub-package registers its own screens (the timeline's
``InteractionAdmin``, the ledger's ``TransactionAdmin``); the panel shown on the customer change
page lives in ``panels.py`` (registered in ``apps.py``).
"""

from .ledger import admin as ledger_admin  # noqa: F401  (registers TransactionAdmin)
from .timeline import admin as timeline_admin  # noqa: F401  (registers InteractionAdmin)
