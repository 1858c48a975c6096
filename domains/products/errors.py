"""The products domain's errors, re-exported by ``interface`` (callers catch them by meaning)."""

from crm.api.exceptions import Conflict, NotFound


class ProductNotFound(NotFound):
    default_message = "Produto não encontrado."


class ProductNameTaken(Conflict):
    default_message = "Já existe um produto com este nome."
