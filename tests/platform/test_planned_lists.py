"""A list keyed by one value runs its first page from SQL compiled once, and a filterset with
nothing to filter is not run (issue #8, deliverable 5): costs change, answers never do.

* ``crm.db.queries.keyed_list`` / ``planned_rows``: the rows, their annotations and converted
  values are the ORM's, for each key, on the list's own alias; a list narrowed afterwards (a
  ``FilterSet``'s filter) takes the ORM's path;
* ``crm.api.pagination.Keyset`` reads a plain column's position from the row itself and selects
  only expressions again;
* ``crm.api.query.FilterSet.leaves_unfiltered``: no parameter of the filterset in the query
  string -> the queryset itself; any parameter (even empty, even invalid) -> the form runs as
  before; a filterset that adds defaults to empty data is never skipped.
"""

from __future__ import annotations

import uuid
from datetime import UTC, datetime, timedelta

import django_filters
import pytest
from django.db import connections, router
from django.db.models import Count, Window
from django.db.models.functions import Lower
from django.http import QueryDict
from django.test.utils import CaptureQueriesContext

from crm.api.exceptions import InvalidInput
from crm.api.pagination import Keyset
from crm.api.query import FilterSet, filter_queryset
from crm.db.queries import KEYED_LIST_MARK, keyed_list, planned_rows
from domains.accounts.filters import UserFilter
from domains.customers import services as customer_services
from domains.customers.filters import CustomerFilter
from domains.customers.models import Customer
from domains.interactions.ledger.filters import SummaryFilter, TransactionFilter
from domains.interactions.ledger.models import Transaction
from domains.interactions.timeline.filters import InteractionFilter
from domains.interactions.timeline.models import Interaction
from domains.interactions.timeline.selectors import NEWEST_FIRST
from domains.products.filters import ProductFilter

MOMENT = datetime(2026, 3, 1, 10, 0, 0, 123456, tzinfo=UTC)


def _timeline(user, notes: list[str]) -> uuid.UUID:
    customer = customer_services.customer_create(
        data={
            "ds_customer_name": "Padaria Sol",
            "ds_customer_email": f"{uuid.uuid4().hex}@x.example",
        }
    )
    for index, note in enumerate(notes):
        Interaction.objects.create(
            cd_customer=customer.pk,
            cd_user=user.cd_user,
            ds_notes=note,
            id_interaction_type="visita",
            dt_interaction=MOMENT - timedelta(days=index % 3),
        )
    return customer.pk


def _first_page(keyset: Keyset, per_page: int):
    return lambda queryset: keyset.ordered(queryset).annotate(_page_total=Window(Count("*")))[
        :per_page
    ]


def _state(row):
    return {name: value for name, value in vars(row).items() if name != "_state"}, row._state.db


@pytest.mark.django_db(databases="__all__")
def test_a_keyed_lists_first_page_is_the_orms_from_sql_compiled_once(user):
    customers = [_timeline(user, [f"nota {n}" for n in range(5)]), _timeline(user, ["só uma"])]
    empty = uuid.uuid4()
    alias = router.db_for_read(Interaction)
    for _round in range(2):  # compiled on the first call, from the kept SQL afterwards
        for customer_id in [*customers, empty]:
            listed = keyed_list(Interaction, ordering=NEWEST_FIRST, cd_customer=customer_id)
            keyset = Keyset(listed)
            orm = list(_first_page(keyset, 3)(listed))
            with CaptureQueriesContext(connections[alias]) as queries:
                planned = planned_rows(listed, shape=("test", 3), build=_first_page(keyset, 3))
            assert len(queries) == 1
            assert [_state(row) for row in planned] == [_state(row) for row in orm]
            assert all(row.cd_customer == customer_id for row in planned)
            assert [row._page_total for row in planned] == [row._page_total for row in orm]
    assert [row._page_total for row in orm] == []  # the unknown customer: nothing, no error
    first = planned_rows(
        keyed_list(Interaction, ordering=NEWEST_FIRST, cd_customer=customers[0]),
        shape=("test", 3),
        build=_first_page(keyset, 3),
    )
    assert len(first) == 3 and first[0]._page_total == 5
    assert first[0].dt_interaction == MOMENT  # converted as the ORM converts it (aware)
    kept = connections[alias].__dict__["_crm_unique_row_plans"]
    assert kept[("keyed_list", Interaction, ("cd_customer",), ("test", 3))]


@pytest.mark.django_db(databases="__all__")
def test_a_list_narrowed_after_it_was_keyed_takes_the_orms_path(user):
    customer_id = _timeline(user, ["a", "b"])
    listed = keyed_list(Interaction, ordering=NEWEST_FIRST, cd_customer=customer_id)
    assert getattr(listed, KEYED_LIST_MARK) == {"cd_customer": customer_id}
    for narrowed in (listed.filter(ds_notes="a"), listed.all(), listed.order_by("pk")):
        assert not hasattr(narrowed, KEYED_LIST_MARK)
    narrowed = listed.filter(ds_notes="a")
    rows = planned_rows(narrowed, shape=("narrowed",), build=lambda queryset: queryset[:10])
    assert [row.ds_notes for row in rows] == ["a"]
    kept = connections[router.db_for_read(Interaction)].__dict__.get("_crm_unique_row_plans", {})
    assert not any(key[-1] == ("narrowed",) for key in kept)


@pytest.mark.django_db(databases="__all__")
def test_a_build_with_parameters_of_its_own_is_never_kept(user):
    customer_id = _timeline(user, ["a", "b"])

    def build(queryset):  # a parameter besides the key: the SQL cannot be reused as it is
        return queryset.filter(ds_notes="b")[:10]

    for _round in range(2):
        listed = keyed_list(Interaction, ordering=NEWEST_FIRST, cd_customer=customer_id)
        assert [row.ds_notes for row in planned_rows(listed, shape=("own",), build=build)] == ["b"]
    kept = connections[router.db_for_read(Interaction)].__dict__["_crm_unique_row_plans"]
    assert kept[("keyed_list", Interaction, ("cd_customer",), ("own",))] is False


def test_the_keyset_selects_only_expressions_again():
    plain = Keyset(Interaction.objects.order_by(*NEWEST_FIRST))
    assert plain.attributes == ["dt_interaction", "dt_created_at", "cd_interaction"]
    assert "_keyset_" not in str(plain.ordered(Interaction.objects.all()).query)
    ledger = Keyset(Transaction.objects.order_by("-vr_transaction"))
    assert ledger.attributes == ["vr_transaction", "cd_transaction"]  # the pk breaks ties
    named = Keyset(Customer.objects.order_by(Lower("ds_customer_name")))
    assert named.attributes == ["_keyset_0", "cd_customer"]
    assert '"_keyset_0"' in str(named.ordered(Customer.objects.all()).query)


# --- filtersets with nothing to filter -------------------------------------------------------


@pytest.mark.parametrize(
    ("filterset", "proven"),
    [
        (InteractionFilter, True),
        (TransactionFilter, True),
        (SummaryFilter, True),
        (UserFilter, True),
        (CustomerFilter, False),  # empty data means active_only=true
        (ProductFilter, False),  # active_only=true and the default ordering
    ],
)
def test_only_filtersets_that_change_nothing_on_empty_data_are_skipped(filterset, proven):
    assert filterset.empty_data_filters_nothing() is proven


@pytest.mark.django_db(databases="__all__")
def test_a_list_without_its_filters_parameters_is_the_queryset_itself(user):
    customer_id = _timeline(user, ["a", "b", "c"])
    listed = keyed_list(Interaction, ordering=NEWEST_FIRST, cd_customer=customer_id)
    for data in (QueryDict(), QueryDict("page=2&per_page=5&format=json&whatever=1"), None):
        assert filter_queryset(InteractionFilter, data=data, queryset=listed) is listed
    # Any of its parameters runs the form as before: a filter, an empty value, a mistake.
    narrowed = filter_queryset(
        InteractionFilter, data=QueryDict("id_interaction_type=ligacao"), queryset=listed
    )
    assert narrowed is not listed and list(narrowed) == []
    empty = filter_queryset(InteractionFilter, data=QueryDict("date_from="), queryset=listed)
    assert empty is not listed and len(list(empty)) == 3
    with pytest.raises(InvalidInput) as invalid:
        filter_queryset(InteractionFilter, data=QueryDict("date_from=ontem"), queryset=listed)
    assert "date_from" in invalid.value.message
    with pytest.raises(InvalidInput):  # NUL bytes are refused in any parameter, as before
        filter_queryset(InteractionFilter, data=QueryDict("whatever=a%00b"), queryset=listed)


@pytest.mark.django_db(databases="__all__")
def test_a_filterset_that_adds_a_default_to_empty_data_still_runs(user):
    class OnlyVisits(FilterSet):  # the planted case: empty data is not "no filter" here
        id_interaction_type = django_filters.CharFilter()

        class Meta:
            model = Interaction
            fields = ["id_interaction_type"]

        def __init__(self, data=None, *args, **kwargs):
            data = data.copy() if data is not None else QueryDict(mutable=True)
            data.setdefault("id_interaction_type", "visita")
            super().__init__(data, *args, **kwargs)

    customer_id = _timeline(user, ["a"])
    Interaction.objects.create(
        cd_customer=customer_id,
        cd_user=user.cd_user,
        ds_notes="ligou",
        id_interaction_type="ligacao",
        dt_interaction=MOMENT,
    )
    listed = keyed_list(Interaction, ordering=NEWEST_FIRST, cd_customer=customer_id)
    assert OnlyVisits.empty_data_filters_nothing() is False
    rows = filter_queryset(OnlyVisits, data=QueryDict(), queryset=listed)
    assert [row.ds_notes for row in rows] == ["a"]


@pytest.mark.django_db(databases="__all__")
def test_the_timeline_and_ledger_pages_answer_the_same_through_the_api(auth_client, user):
    customer_id = _timeline(user, [f"nota {n}" for n in range(25)])
    answers = []
    for _round in range(2):  # the first request compiles, the second reuses
        answer = auth_client.get(f"/api/customers/{customer_id}/interactions")
        assert answer.status_code == 200
        answers.append(answer.json())
    assert answers[0] == answers[1]
    body = answers[0]
    assert body["total"] == 25 and body["pages"] == 2 and len(body["interactions"]) == 15
    assert body["next_cursor"]
    following = auth_client.get(
        f"/api/customers/{customer_id}/interactions", {"cursor": body["next_cursor"]}
    ).json()
    seen = [row["cd_interaction"] for row in body["interactions"] + following["interactions"]]
    expected = [
        str(pk)
        for pk in Interaction.objects.filter(cd_customer=customer_id)
        .order_by(*NEWEST_FIRST)
        .values_list("pk", flat=True)
    ]
    assert seen == expected
    filtered = auth_client.get(
        f"/api/customers/{customer_id}/interactions", {"id_interaction_type": "ligacao"}
    ).json()
    assert filtered["total"] == 0 and filtered["interactions"] == []
