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
        if own is not None and own not in settings.CRM_DOMAINS:
            # A contrib model installed without its tables in a process of a split (auth's,
            # the admin's log): nothing of it exists here. The monolith checks every model.
            continue
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


def is_plain(annotation: typing.Any, _seen: frozenset[type] = frozenset()) -> bool:
    """Whether ``annotation`` (a resolved type hint) describes plain data only."""
    if annotation in PLAIN_SCALARS:
        return True
    if inspect.isclass(annotation):
        if issubclass(annotation, enum.Enum):
            return True
        if dataclasses.is_dataclass(annotation):
            if not annotation.__dataclass_params__.frozen:
                return False
            if annotation in _seen:  # a recursive structure (a tree of DTOs): checked already
                return True
            hints = typing.get_type_hints(annotation)
            seen = _seen | {annotation}
            return all(is_plain(hints[f.name], seen) for f in dataclasses.fields(annotation))
        return False
    origin = typing.get_origin(annotation)
    arguments = typing.get_args(annotation)
    if origin in (typing.Union, types.UnionType):
        return all(is_plain(argument, _seen) for argument in arguments)
    if origin is typing.Literal:
        return True
    if origin in PLAIN_CONTAINERS:
        return all(is_plain(argument, _seen) for argument in arguments if argument is not Ellipsis)
    return False


def interface_functions(
    module: types.ModuleType, package: str
) -> list[tuple[str, typing.Callable]]:
    """Every function another domain could call: those in ``__all__`` (even re-exported from
    elsewhere) and any public function the domain's own code defines there, exported or not."""
    exported = list(getattr(module, "__all__", ()))
    defined_here = [
        name
        for name, value in vars(module).items()
        if not name.startswith("_")
        and inspect.isfunction(value)
        and (value.__module__ == package or value.__module__.startswith(package + "."))
    ]
    names = dict.fromkeys([*exported, *defined_here])
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
        except ModuleNotFoundError as exc:
            if exc.name != module_name:  # the interface exists but imports something missing
                raise
            errors.append(
                checks.Error(f"Domain '{config.label}' has no interface module.", id="crm.E003")
            )
            continue
        for name, function in interface_functions(module, config.name):
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
                        hint="Interfaces take and return plain data only (docs/architecture.md).",
                        obj=function,
                        id="crm.E003",
                    )
                )
    return errors


@checks.register("architecture")
def architecture_check(app_configs=None, **kwargs) -> list[checks.Error]:
    return relation_violations() + unmapped_apps() + interface_violations()


def event_subscription_violations() -> list[checks.Error]:
    """``CRM_EVENT_SUBSCRIBERS`` (which queues a split's relay declares) must name every domain
    whose code subscribes to a topic here, and each such domain needs an inbox table: an
    undeclared consumer would miss the events published while it was down (crm.events)."""
    from . import events
    from .hooks import registry

    declared = getattr(settings, "CRM_EVENT_SUBSCRIBERS", {})
    errors = []
    for topic, domains in sorted(events.subscriptions(registry).items()):
        for domain in sorted(domains):
            if domain not in declared.get(topic, ()):
                errors.append(
                    checks.Error(
                        f"Domain '{domain}' subscribes to '{topic}' but CRM_EVENT_SUBSCRIBERS "
                        "does not list it: in a split its queue would not be declared.",
                        id="crm.E010",
                    )
                )
            if events.inbox_for_domain(domain) is None:
                errors.append(
                    checks.Error(
                        f"Domain '{domain}' subscribes to '{topic}' but has no inbox table (a "
                        "model subclassing crm.events.InboxEvent): it could process an event "
                        "twice.",
                        id="crm.E011",
                    )
                )
    return errors


@checks.register("architecture")
def events_check(app_configs=None, **kwargs) -> list[checks.Error]:
    return event_subscription_violations()
