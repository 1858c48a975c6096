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


class _PermissionRows:
    """Permission rows by full name (``app_label.codename``), created when missing with the
    content type and name Django's ``create_permissions`` would give (it only creates them after
    all migrations ran)."""

    def __init__(self, *, apps, using: str) -> None:
        self.using = using
        self.permission_model = apps.get_model("auth", "Permission")
        self.content_type_model = apps.get_model("contenttypes", "ContentType")
        self.content_types: dict[tuple[str, str], object] = {}
        self.rows: dict[str, object] = {}

    def __call__(self, full_name: str):
        if full_name not in self.rows:
            app_label, codename = full_name.split(".", 1)
            model = _model_of(app_label, codename)
            if (app_label, model) not in self.content_types:
                self.content_types[(app_label, model)], _created = (
                    self.content_type_model.objects.using(self.using).get_or_create(
                        app_label=app_label, model=model
                    )
                )
            self.rows[full_name], _created = self.permission_model.objects.using(
                self.using
            ).get_or_create(
                content_type=self.content_types[(app_label, model)],
                codename=codename,
                defaults={"name": _permission_name(app_label, codename)},
            )
        return self.rows[full_name]


def roles_ensure(*, apps, using: str) -> list[str]:
    """Create every missing role group with its ``ROLE_PERMISSIONS`` (and any content type or
    permission row they need, which Django itself only creates after all migrations ran).
    Existing groups are left exactly as they are. Returns the names of the groups created.

    ``apps`` is a migration's historical registry or the global one; ``using`` the alias that
    holds Django's auth tables.
    """
    group_model = apps.get_model("auth", "Group")
    existing = set(
        group_model.objects.using(using).filter(name__in=ROLES).values_list("name", flat=True)
    )
    missing = [role for role in ROLES if role not in existing]
    if not missing:
        return []
    permission = _PermissionRows(apps=apps, using=using)
    for role in missing:
        group = group_model.objects.using(using).create(name=role)
        group.permissions.set([permission(name) for name in ROLE_PERMISSIONS[role]])
    return missing


def role_permissions_grant(*, apps, using: str, role: str, models) -> bool:
    """Give the existing group ``role`` every permission of ``models`` (``(app_label, model)``
    pairs of ``MODELS``), adding to what it holds: what a data migration does when a new model
    joins a role (a group created later gets it from ``ROLE_PERMISSIONS``). ``False`` when the
    group does not exist (``roles_ensure`` will create it complete)."""
    group = apps.get_model("auth", "Group").objects.using(using).filter(name=role).first()
    if group is None:
        return False
    permission = _PermissionRows(apps=apps, using=using)
    group.permissions.add(
        *(permission(name) for app_label, model in models for name in _all_of(app_label, model))
    )
    return True


def role_of(*, group_names, is_superuser: bool) -> str | None:
    """The role shown as ``ds_role``: superusers are admins; otherwise the most powerful role
    group the user is in; ``None`` for a user in no role group (no access beyond /auth/me)."""
    if is_superuser:
        return ADMIN
    names = set(group_names)
    return next((role for role in ROLES if role in names), None)
