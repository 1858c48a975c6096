"""The customers domain's public errors (re-exported by ``interface``)."""

from __future__ import annotations

from django.utils.translation import gettext_lazy as _

from crm.api.exceptions import Conflict, NotFound


class CustomerNotFound(NotFound):
    default_message = _("Cliente não encontrado.")


class CustomerConflict(Conflict):
    """A unique value (e-mail, CPF/CNPJ) already belongs to another customer."""


EMAIL_TAKEN = "E-mail já cadastrado para outro cliente."
CPF_CNPJ_TAKEN = "CPF/CNPJ já cadastrado para outro cliente."
