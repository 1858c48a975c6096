"""Query-string parameters, parsed the same way by every domain.

* ``query_bool``: a flag outside a list's filters (``?hard_delete=true``).
* ``BooleanQueryFilter``: the same flag inside a django-filter ``FilterSet`` (``active_only``).
* ``filter_queryset`` / ``filterset_validated``: what a selector does with a ``FilterSet``:
  run it, or answer 400 with ``{"<parameter>": ["<mensagem>"]}``. A NUL byte in any parameter
  is refused here, before a value reaches the database (PostgreSQL cannot store one in text:
  an unchecked one is a 500).
* ``date_filter`` and ``DateRangeForm``: ``date_from``/``date_to``, ISO dates, in order.
* ``FilterSet``: the base of every domain's filters, django-filter's, built cheaply per request.
"""

from __future__ import annotations

import copy
from collections.abc import Mapping
from typing import Any

import django_filters
from django import forms
from django.core.exceptions import ValidationError
from django.db.models import QuerySet
from django.http import QueryDict
from django.utils.translation import gettext_lazy as _

from ..db.queries import sorted_after_matching
from .exceptions import InvalidInput

NUL_MESSAGE = _("Caracteres nulos não são permitidos.")


class BooleanQueryField(forms.Field):
    """``true``/``false`` (any case), nothing else: ``?active_only=yes`` is a mistake, not true."""

    default_error_messages = {"invalid": _("Use 'true' ou 'false'.")}

    def to_python(self, value):
        if value in (None, ""):
            return None
        text = str(value).strip().lower()
        if text == "true":
            return True
        if text == "false":
            return False
        raise ValidationError(self.error_messages["invalid"], code="invalid")


class BooleanQueryFilter(django_filters.Filter):
    field_class = BooleanQueryField


class FilterSet(django_filters.FilterSet):
    """django-filter's ``FilterSet``, the same filtering, without rebuilding itself per request.

    django-filter deep-copies every declared filter and builds a new form class (new form fields)
    for each instance: on a list request that was about a tenth of the time. Here each filter is
    a shallow copy bound to this instance (a ``method=`` filter gets its own ``FilterMethod``, so
    it calls *this* filterset's method), and the form class is built once per filterset class.
    The form itself is still one instance per request (Django copies the fields per form), its
    messages translated when they are shown. Subclasses must not add or change filters per
    instance (none does: change the class instead).
    """

    def __init__(self, data=None, queryset=None, *, request=None, prefix=None):
        if queryset is None:
            queryset = self._meta.model._default_manager.all()
        self.is_bound = data is not None
        self.data = data or QueryDict()
        self.queryset = queryset
        self.request = request
        self.form_prefix = prefix
        self.filters = {}
        for name, declared in self.base_filters.items():
            filter_ = copy.copy(declared)
            filter_.model = queryset.model
            filter_.parent = self
            if declared.method is not None:
                filter_.method = declared.method  # a FilterMethod of this copy, not the class's
            self.filters[name] = filter_

    def matched_by_search(self, queryset: QuerySet) -> QuerySet:
        """What a search filter returns: its narrowed ``queryset``, noted so that the final
        queryset is sorted after its matches are found (``crm.db.queries.sorted_after_matching``:
        a trigram index gathers them, the list's ordering index is never walked for them),
        whatever ordering the later filters choose."""
        self._sort_after_matching = True
        return queryset

    def filter_queryset(self, queryset: QuerySet) -> QuerySet:
        self._sort_after_matching = False
        queryset = super().filter_queryset(queryset)
        return sorted_after_matching(queryset) if self._sort_after_matching else queryset

    def leaves_unfiltered(self) -> bool:
        """Whether this filterset, as bound, would hand back the very queryset it was given
        (so running its form is work for nothing): none of its parameters is in the data, and
        its class has shown, once, that data without any of them filters nothing.

        The class's proof runs the django-filter path on empty data (the subclass's
        ``__init__`` included, which may add defaults such as ``active_only``): it holds only
        when the form is valid and every filter hands back the queryset object itself.
        """
        if not type(self).empty_data_filters_nothing():
            return False
        fields = self.get_form_class().base_fields
        return all(
            field.widget.value_omitted_from_data(self.data, {}, self.form_prefixed(name))
            for name, field in fields.items()
        )

    def form_prefixed(self, name: str) -> str:
        return f"{self.form_prefix}-{name}" if self.form_prefix else name

    @classmethod
    def empty_data_filters_nothing(cls) -> bool:
        proven = cls.__dict__.get("_empty_data_filters_nothing")
        if proven is None:
            queryset = cls._meta.model._default_manager.all()
            filterset = cls(data=QueryDict(), queryset=queryset)
            fields = filterset.get_form_class().base_fields
            proven = (
                all(
                    field.widget.value_omitted_from_data(
                        filterset.data, {}, filterset.form_prefixed(name)
                    )
                    for name, field in fields.items()
                )
                and filterset.is_valid()
                and filterset.filter_queryset(queryset) is queryset
            )
            cls._empty_data_filters_nothing = proven  # per class: a subclass proves its own
        return proven

    def get_form_class(self):
        form_class = type(self).__dict__.get("_form_class")
        if form_class is None:
            form_class = super().get_form_class()
            type(self)._form_class = form_class  # per class: a subclass builds its own
        return form_class


def query_bool(query_params: Mapping[str, str], name: str, *, default: bool) -> bool:
    """The flag ``name`` of the query string; absent or empty -> ``default``; else 400."""
    try:
        value = BooleanQueryField(required=False).clean(query_params.get(name))
    except ValidationError as error:
        raise InvalidInput({name: [str(message) for message in error.messages]}) from None
    return default if value is None else value


def _refuse_nul_bytes(data: Mapping[str, Any]) -> None:
    for name in data:
        values = data.getlist(name) if hasattr(data, "getlist") else [data[name]]
        if "\x00" in name or any("\x00" in str(value) for value in values):
            raise InvalidInput({name: [str(NUL_MESSAGE)]})


def filterset_validated(
    filterset_class: type[django_filters.FilterSet],
    *,
    data: Mapping[str, Any] | None,
    queryset: QuerySet,
) -> django_filters.FilterSet:
    """``filterset_class`` bound to ``data`` (a query string) and valid: its ``qs`` is the
    narrowed ``queryset``, its ``form.cleaned_data`` the values. Raises ``InvalidInput`` (400)
    with ``{parameter: [messages]}`` for a value it cannot use."""
    filterset = _bound(filterset_class, data=data, queryset=queryset)
    if not filterset.is_valid():
        raise _invalid(filterset)
    return filterset


def filter_queryset(
    filterset_class: type[django_filters.FilterSet],
    *,
    data: Mapping[str, Any] | None,
    queryset: QuerySet,
) -> QuerySet:
    """``queryset`` narrowed by ``filterset_class`` from ``data`` (see ``filterset_validated``).

    When the data holds none of the filterset's parameters (``FilterSet.leaves_unfiltered``:
    a customer's timeline without a filter, most of the lists' traffic), ``queryset`` itself,
    without running a form that would change nothing.
    """
    filterset = _bound(filterset_class, data=data, queryset=queryset)
    if isinstance(filterset, FilterSet) and filterset.leaves_unfiltered():
        return queryset
    if not filterset.is_valid():
        raise _invalid(filterset)
    return filterset.qs


def _bound(filterset_class, *, data, queryset) -> django_filters.FilterSet:
    data = data if data is not None else {}
    _refuse_nul_bytes(data)
    return filterset_class(data=data, queryset=queryset)


def _invalid(filterset) -> InvalidInput:
    errors = filterset.errors
    return InvalidInput({name: [str(message) for message in errors[name]] for name in errors})


def date_filter(field_name: str, lookup_expr: str) -> django_filters.DateFilter:
    """A ``date_from``/``date_to`` style filter: ISO dates (``AAAA-MM-DD``) only."""
    return django_filters.DateFilter(
        field_name=field_name,
        lookup_expr=lookup_expr,
        input_formats=["%Y-%m-%d"],
        error_messages={"invalid": _("Data inválida: use o formato AAAA-MM-DD.")},
    )


class DateRangeForm(forms.Form):
    """``Meta.form`` of a ``FilterSet`` with ``date_from``/``date_to``: an inverted range is a
    400 (never an empty answer that looks like "nothing happened")."""

    def clean(self):
        cleaned = super().clean()
        date_from, date_to = cleaned.get("date_from"), cleaned.get("date_to")
        if date_from and date_to and date_from > date_to:
            raise ValidationError(
                {"date_from": _("A data inicial não pode ser posterior à data final.")}
            )
        return cleaned
