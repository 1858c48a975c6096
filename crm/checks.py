"""Architecture checks import-linter cannot see, run by ``manage.py check`` (and so by CI).

* ``crm.E001`` a relation field (FK, one-to-one, M2M, string references and
  ``AUTH_USER_MODEL`` included) from one domain's model to another domain's model.
* ``crm.E002`` an installed app with models that the database router does not map to a domain.
* ``crm.E003`` a public function of a domain's ``interface`` module that takes or returns
  anything but plain data (frozen dataclasses, UUIDs, Decimals, dates, enums, str/int/bool and
  containers of those), or is not annotated at all.
"""

from __future__ import annotations

import dataclasses
import datetime as dt
import enum
import importlib
import inspect
import types
import typing
import uuid
from collections import abc
from decimal import Decimal

from django.apps import apps
from django.conf import settings
from django.core import checks

from .db.router import domain_for_app

PLAIN_SCALARS: tuple[type, ...] = (
    str,
    int,
    bool,
    float,
    bytes,
    type(None),
    uuid.UUID,
    Decimal,
    dt.date,
    dt.datetime,
    dt.time,
    dt.timedelta,
)
PLAIN_CONTAINERS = {
    list,
    tuple,
    set,
    frozenset,
    dict,
    abc.Sequence,
    abc.Iterable,
    abc.Collection,
    abc.Mapping,
    abc.Set,
    abc.Iterator,
}


def relation_violations() -> list[checks.Error]:
    errors = []
    for model in apps.get_models(include_auto_created=True):
        own = domain_for_app(model._meta.app_label)
        for field in model._meta.get_fields():
            if not field.is_relation or field.auto_created or field.related_model is None:
                continue
            related = field.related_model
            if isinstance(related, str):  # unresolved lazy reference
                related_label = related.split(".")[0]
            else:
                related_label = related._meta.app_label
            other = domain_for_app(related_label)
            if own != other:
                errors.append(
                    checks.Error(
                        f"{model._meta.label}.{field.name} relates to {related_label} "
                        f"(domain {other!r}) from domain {own!r}.",
                        hint="Store the other domain's id in a plain UUIDField and check it "
                        "through that domain's interface.",
                        obj=model,
                        id="crm.E001",
                    )
                )
    return errors


def unmapped_apps() -> list[checks.Error]:
    return [
        checks.Error(
            f"App '{config.label}' has models but no domain in CRM_APP_DOMAINS.",
            hint="Map it in config.settings so the router sends it to a domain's alias.",
            obj=config,
            id="crm.E002",
        )
        for config in apps.get_app_configs()
        if list(config.get_models()) and domain_for_app(config.label) is None
    ]


def is_plain(annotation: typing.Any) -> bool:
    if annotation in PLAIN_SCALARS:
        return True
    if inspect.isclass(annotation):
        if issubclass(annotation, enum.Enum):
            return True
        if dataclasses.is_dataclass(annotation):
            if not annotation.__dataclass_params__.frozen:
                return False
            hints = typing.get_type_hints(annotation)
            return all(is_plain(hints[f.name]) for f in dataclasses.fields(annotation))
        return False
    origin = typing.get_origin(annotation)
    arguments = typing.get_args(annotation)
    if origin in (typing.Union, types.UnionType):
        return all(is_plain(argument) for argument in arguments)
    if origin is typing.Literal:
        return True
    if origin in PLAIN_CONTAINERS:
        return all(is_plain(argument) for argument in arguments if argument is not Ellipsis)
    return False


def interface_functions(module: types.ModuleType) -> list[tuple[str, typing.Callable]]:
    names = getattr(module, "__all__", None) or [n for n in vars(module) if not n.startswith("_")]
    return [
        (name, getattr(module, name))
        for name in names
        if inspect.isfunction(getattr(module, name, None))
    ]


def interface_violations() -> list[checks.Error]:
    errors = []
    for config in apps.get_app_configs():
        if config.label not in settings.CRM_DOMAIN_ALIASES:
            continue
        module_name = f"{config.name}.interface"
        try:
            module = importlib.import_module(module_name)
        except ModuleNotFoundError:
            errors.append(
                checks.Error(f"Domain '{config.label}' has no interface module.", id="crm.E003")
            )
            continue
        for name, function in interface_functions(module):
            try:
                hints = typing.get_type_hints(function)
            except Exception as exc:  # an unresolvable annotation is a violation too
                hints, problem = {}, f"annotations cannot be resolved ({exc})"
            else:
                problem = None
            parameters = [
                p for p in inspect.signature(function).parameters.values() if p.name != "self"
            ]
            wanted = [p.name for p in parameters] + ["return"]
            missing = [n for n in wanted if n not in hints]
            impure = [n for n in wanted if n in hints and not is_plain(hints[n])]
            if problem or missing or impure:
                detail = problem or "; ".join(
                    part
                    for part in (
                        missing and f"not annotated: {', '.join(missing)}",
                        impure and f"not plain data: {', '.join(impure)}",
                    )
                    if part
                )
                errors.append(
                    checks.Error(
                        f"{module_name}.{name}: {detail}.",
                        hint="Interfaces take and return plain data only (DESIGN.md §1.3).",
                        obj=function,
                        id="crm.E003",
                    )
                )
    return errors


@checks.register("architecture")
def architecture_check(app_configs=None, **kwargs) -> list[checks.Error]:
    return relation_violations() + unmapped_apps() + interface_violations()
