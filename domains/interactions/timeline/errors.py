"""The timeline's errors (``crm.api.exceptions`` subclasses: the platform renders them)."""

from django.utils.translation import gettext_lazy as _

from crm.api.exceptions import NotFound


class InteractionNotFound(NotFound):
    default_message = _("Interação não encontrada.")
