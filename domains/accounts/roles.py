"""Roles: Django groups named ``admin``, ``manager``, ``sales`` and ``viewer`` holding model
permissions (README "Security"). Views never name a role: they declare permissions
(``crm.api.permissions``), and a role is only the set of permissions its group holds, which an
admin may change in the admin (Grupos).

``ROLE_PERMISSIONS`` is what each role holds when it is *created*: by the data migration
``0004_roles`` and, when a group is missing (a test database flushed between tests, a role
deleted by hand), by ``roles_ensure`` after every ``migrate``/``flush``. An existing group is
never changed here: an admin's edits stand. Granting a new permission to an existing role takes a
data migration of its own.

The permissions belong to other domains (declared in their models' ``Meta.permissions``); they
are named here as plain strings, because Django keeps every permission in this domain's schema.
"""

from __future__ import annotations

ADMIN = "admin"
MANAGER = "manager"
SALES = "sales"
VIEWER = "viewer"
#: Most to least powerful: a user in several role groups is shown as the first one.
ROLES = (ADMIN, MANAGER, SALES, VIEWER)

DEFAULT_ACTIONS = ("add", "change", "delete", "view")

#: Every model with permissions: (app_label, model) -> (verbose name, custom permissions).
#: ``test_roles`` checks it against the models Django knows, so a new model fails a test until
#: it is listed here (and granted to the admin role by a migration).
MODELS: dict[tuple[str, str], tuple[str, tuple[tuple[str, str], ...]]] = {
    ("accounts", "user"): ("usuário", ()),
    ("auth", "group"): ("group", ()),
    ("auth", "permission"): ("permission", ()),
    ("contenttypes", "contenttype"): ("content type", ()),
    ("sessions", "session"): ("session", ()),
    ("admin", "logentry"): ("log entry", ()),
    ("token_blacklist", "outstandingtoken"): ("Outstanding Token", ()),
    ("token_blacklist", "blacklistedtoken"): ("Blacklisted Token", ()),
    ("customers", "customer"): (
        "cliente",
        (("hard_delete_customer", "Pode remover clientes definitivamente"),),
    ),
    ("products", "product"): (
        "produto/serviço",
        (("hard_delete_product", "Pode remover produtos definitivamente"),),
    ),
    ("interactions", "interaction"): ("interação", ()),
    ("interactions", "transaction"): (
        "lançamento",
        (
            ("reverse_transaction", "Pode estornar lançamentos"),
            ("view_ledger_summary", "Pode ver o resumo financeiro da empresa"),
        ),
    ),
    ("interactions", "idempotencykey"): ("chave de idempotência", ()),
    ("accounts", "revokedsession"): ("sessão revogada", ()),
    ("interactions", "ledgercustomertotals"): ("totais do cliente", ()),
    ("interactions", "ledgerdailytotals"): ("totais do dia", ()),
    ("customers", "customerhistory"): ("histórico de cliente", ()),
    ("products", "producthistory"): ("histórico de produto", ()),
    ("interactions", "transactionhistory"): ("histórico de lançamento", ()),
    ("customers", "customeroutbox"): ("evento publicado", ()),
    ("products", "productoutbox"): ("evento publicado", ()),
    ("interactions", "eventinbox"): ("evento processado", ()),
}


def _all_of(app_label: str, model: str) -> list[str]:
    _verbose, custom = MODELS[(app_label, model)]
    codenames = [f"{action}_{model}" for action in DEFAULT_ACTIONS]
    codenames += [codename for codename, _name in custom]
    return [f"{app_label}.{codename}" for codename in codenames]


BUSINESS_MODELS = (
    ("customers", "customer"),
    ("products", "product"),
    ("interactions", "interaction"),
    ("interactions", "transaction"),
)

#: Permission names (``app_label.codename``) each role holds when created.
ROLE_PERMISSIONS: dict[str, tuple[str, ...]] = {
    # Everything, users and roles (groups) included.
    ADMIN: tuple(perm for app_label, model in MODELS for perm in _all_of(app_label, model)),
    # All business data: hard deletes, ledger reversals, the company-wide summary.
    MANAGER: (
        *(perm for app_label, model in BUSINESS_MODELS for perm in _all_of(app_label, model)),
        # The audit trails (read-only for everyone; only viewing is a permission that matters).
        "customers.view_customerhistory",
        "products.view_producthistory",
        "interactions.view_transactionhistory",
    ),
    # Customers and their timeline and ledger entries; the catalogue read-only; no hard delete,
    # no reversal, no summary.
    SALES: (
        "customers.view_customer",
        "customers.add_customer",
        "customers.change_customer",
        "products.view_product",
        "interactions.view_interaction",
        "interactions.add_interaction",
        "interactions.view_transaction",
        "interactions.add_transaction",
    ),
    # Read-only.
    VIEWER: (
        "customers.view_customer",
        "products.view_product",
        "interactions.view_interaction",
        "interactions.view_transaction",
    ),
}


def _permission_name(app_label: str, codename: str) -> str:
    """The name Django's ``create_permissions`` would give (so nothing differs either way)."""
    for (label, model), (verbose, custom) in MODELS.items():
        if label != app_label:
            continue
        for action in DEFAULT_ACTIONS:
            if codename == f"{action}_{model}":
                return f"Can {action} {verbose}"
        for custom_codename, name in custom:
            if codename == custom_codename:
                return name
    raise KeyError(f"{app_label}.{codename} is not in roles.MODELS")


def _model_of(app_label: str, codename: str) -> str:
    for (label, model), (_verbose, custom) in MODELS.items():
        if label != app_label:
            continue
        if codename.endswith(f"_{model}") and codename.split("_", 1)[0] in DEFAULT_ACTIONS:
            return model
        if any(codename == custom_codename for custom_codename, _name in custom):
            return model
    raise KeyError(f"{app_label}.{codename} is not in roles.MODELS")


def roles_ensure(*, apps, using: str) -> list[str]:
    """Create every missing role group with its ``ROLE_PERMISSIONS`` (and any content type or
    permission row they need, which Django itself only creates after all migrations ran).
    Existing groups are left exactly as they are. Returns the names of the groups created.

    ``apps`` is a migration's historical registry or the global one; ``using`` the alias that
    holds Django's auth tables.
    """
    group_model = apps.get_model("auth", "Group")
    permission_model = apps.get_model("auth", "Permission")
    content_type_model = apps.get_model("contenttypes", "ContentType")

    existing = set(
        group_model.objects.using(using).filter(name__in=ROLES).values_list("name", flat=True)
    )
    missing = [role for role in ROLES if role not in existing]
    if not missing:
        return []

    content_types: dict[tuple[str, str], object] = {}
    permissions: dict[str, object] = {}

    def permission(full_name: str):
        if full_name not in permissions:
            app_label, codename = full_name.split(".", 1)
            model = _model_of(app_label, codename)
            if (app_label, model) not in content_types:
                content_types[(app_label, model)], _created = content_type_model.objects.using(
                    using
                ).get_or_create(app_label=app_label, model=model)
            permissions[full_name], _created = permission_model.objects.using(using).get_or_create(
                content_type=content_types[(app_label, model)],
                codename=codename,
                defaults={"name": _permission_name(app_label, codename)},
            )
        return permissions[full_name]

    for role in missing:
        group = group_model.objects.using(using).create(name=role)
        group.permissions.set([permission(name) for name in ROLE_PERMISSIONS[role]])
    return missing


def role_of(*, group_names, is_superuser: bool) -> str | None:
    """The role shown as ``ds_role``: superusers are admins; otherwise the most powerful role
    group the user is in; ``None`` for a user in no role group (no access beyond /auth/me)."""
    if is_superuser:
        return ADMIN
    names = set(group_names)
    return next((role for role in ROLES if role in names), None)
