"""The lean request path (issue #8, deliverable 5) changes costs, never answers.

* ``FastJSONRenderer`` (orjson) writes exactly DRF's ``JSONRenderer`` bytes;
* output serializers that build their fields once per class (``CachedRepresentationMixin``)
  answer what DRF's per-instance fields answer (dates and date-times in every zone, format
  and setting too), and their labels still follow the language of
  each request (the browsable API's forms, the OpenAPI schema);
* the permission set read in the token check's cache round trip still follows a role's
  permissions at once;
* filtersets (``crm.api.query.FilterSet``) that build their form class once and copy their
  filters shallowly filter exactly as before, each instance with its own filters and
  methods, their messages in each request's language;
* a read by key whose SQL is compiled once (``unique_row_by``) answers what the ORM answers,
  from the same database, and refuses a malformed key in the same words;
* a pooled PostgreSQL connection is pinged at most once per ``CONN_HEALTH_CHECK_SECONDS``, and
  a dead one is still replaced.
"""

from __future__ import annotations

import uuid
import zoneinfo
from datetime import UTC, date, datetime, time, timedelta, timezone
from decimal import Decimal

import psycopg
import pytest
from django.conf.urls.i18n import i18n_patterns
from django.contrib.auth.models import Group, Permission
from django.core.exceptions import ValidationError
from django.core.handlers.wsgi import WSGIHandler as DjangoWSGIHandler
from django.db import OperationalError, connections, router
from django.http import HttpResponse
from django.middleware.locale import LocaleMiddleware as DjangoLocaleMiddleware
from django.test import RequestFactory
from django.test.utils import CaptureQueriesContext
from django.urls import URLResolver, path
from django.utils import translation
from django.utils.timezone import override as timezone_override
from django.utils.translation import gettext_lazy
from redis._parsers import _HiredisParser
from rest_framework import serializers
from rest_framework.relations import PKOnlyObject
from rest_framework.renderers import JSONRenderer

from crm.api.exceptions import InvalidInput
from crm.api.middleware import LocaleMiddleware as LeanLocaleMiddleware
from crm.api.query import filterset_validated
from crm.api.renderers import FastJSONRenderer
from crm.api.serializers import CachedRepresentationMixin
from crm.cache import RedisCache
from crm.db.queries import rows_by_keys, unique_row, unique_row_by
from crm.handlers import RESOLVED, WSGIHandler
from domains.accounts import selectors as accounts_selectors
from domains.customers import interface as customer_interface
from domains.customers import services as customer_services
from domains.customers.api.serializers import CustomerOutputSerializer
from domains.customers.errors import CustomerNotFound
from domains.customers.filters import CustomerFilter
from domains.customers.models import Customer
from domains.interactions.ledger.api.serializers import (
    BalanceOutputSerializer,
    MonthOutputSerializer,
    TotalsOutputSerializer,
)
from domains.interactions.timeline.api.serializers import (
    BoundedDateTimeField,
    InteractionOutputSerializer,
)
from domains.interactions.timeline.models import Interaction
from tests.conftest import with_role

# --- the renderer ------------------------------------------------------------------------------

AWARE = datetime(2026, 12, 3, 12, 30, 15, 123456, tzinfo=UTC)
SAMPLES = [
    {"customer": {"ds_customer_name": "João Ñandú", "vr": "10.50", "is_active": True}},
    {"text": "".join(chr(code) for code in range(0x80)) + "ção \u2028 \u2029 \x7f \ufeff"},
    {
        "utc": AWARE,
        "sp": AWARE.astimezone(timezone(timedelta(hours=-3))),
        "naive": AWARE.replace(tzinfo=None),
    },
    {"day": date(2026, 1, 31), "clock": time(8, 5), "clock_us": time(8, 5, 1, 7)},
    {"money": Decimal("1234.50"), "zero": Decimal("0.00"), "id": uuid.UUID(int=7)},
    {"lazy": gettext_lazy("Recurso não encontrado."), "nested": [[{"a": None}], (), []]},
    {"big": 2**70, "negative": -(2**63)},  # beyond 64 bits: DRF's renderer writes it
    {1: "a non-string key"},  # orjson refuses: DRF's renderer writes it
    [],
    "plain",
]


@pytest.mark.parametrize("data", SAMPLES, ids=range(len(SAMPLES)))
@pytest.mark.parametrize("accept", [None, "application/json", "application/json; indent=4"])
def test_the_orjson_renderer_writes_drfs_bytes(data, accept):
    with translation.override("pt-br"):
        expected = JSONRenderer().render(data, accept, {})
        assert FastJSONRenderer().render(data, accept, {}) == expected


def test_the_orjson_renderer_renders_none_as_an_empty_body():
    assert FastJSONRenderer().render(None) == b""


def test_the_api_answers_with_the_orjson_renderer(api_client, user, password):
    from tests.accounts.conftest import login

    token = login(api_client, user.ds_user_email, password).json()["access_token"]
    customer = customer_services.customer_create(
        data={"ds_customer_name": "Padaria Pão \u2028 Quente"}
    )
    response = api_client.get(f"/api/customers/{customer.pk}", HTTP_AUTHORIZATION=f"Bearer {token}")
    assert response.status_code == 200
    assert type(response.accepted_renderer) is FastJSONRenderer
    body = response.content
    assert b"\\u2028" in body and b"\xe2\x80\xa8" not in body
    assert body == JSONRenderer().render(response.data)


def test_messages_are_set_up_for_the_back_office_only(api_client, client, user, password):
    """API answers never carry a message: no message storage is built for them, while the
    admin still shows its banners (its login page and changelist get a storage)."""
    from tests.accounts.conftest import login

    token = login(api_client, user.ds_user_email, password).json()["access_token"]
    api = api_client.get("/api/customers", HTTP_AUTHORIZATION=f"Bearer {token}")
    admin = client.get("/admin/login/")

    assert api.status_code == 200 and not hasattr(api.wsgi_request, "_messages")
    assert admin.status_code == 200 and hasattr(admin.wsgi_request, "_messages")


# --- serializers with fields built once ---------------------------------------------------------


def drf_representation(serializer_class, instance) -> dict:
    """What DRF's own ``Serializer.to_representation`` answers (fields built per instance)."""
    serializer = serializer_class(instance)
    return super(CachedRepresentationMixin, serializer).to_representation(instance)


def test_a_cached_output_serializer_answers_what_drf_answers():
    customer = customer_services.customer_create(
        data={
            "ds_customer_name": "Mercado Central",
            "ds_customer_email": "contato@mercado.example",
            "ds_customer_zip_code": "01310100",
        }
    )
    for _round in range(2):  # the second from the cached field list
        assert CustomerOutputSerializer(customer).data == drf_representation(
            CustomerOutputSerializer, customer
        )
    listed = CustomerOutputSerializer([customer, customer], many=True).data
    assert listed == [drf_representation(CustomerOutputSerializer, customer)] * 2

    balance = {
        "cd_customer": customer.pk,
        "vr_total_entradas": Decimal("10.5"),
        "vr_total_saidas": Decimal("0"),
        "vr_saldo": Decimal("10.5"),
        "qt_transactions": 1,
    }
    assert BalanceOutputSerializer(balance).data == drf_representation(
        BalanceOutputSerializer, balance
    )
    assert BalanceOutputSerializer(balance).data["vr_saldo"] == "10.50"


class _Inner:
    label = "dentro"


class _Source:
    """An instance exercising every way DRF reads an attribute."""

    name = "Loja"
    code = uuid.UUID(int=42)
    inner = _Inner()
    amount = Decimal("7.5")
    nothing = None

    def shout(self):
        return "LOJA"

    @property
    def gone(self):
        from django.core.exceptions import ObjectDoesNotExist

        raise ObjectDoesNotExist("no related row")


class _EveryPathSerializer(CachedRepresentationMixin, serializers.Serializer):
    name = serializers.CharField()
    email = serializers.EmailField(source="name")
    code = serializers.UUIDField()
    code_hex = serializers.UUIDField(source="code", format="hex")
    label = serializers.CharField(source="inner.label")
    shout = serializers.CharField()
    gone = serializers.CharField(allow_null=True)
    amount = serializers.DecimalField(max_digits=5, decimal_places=2)
    nothing = serializers.CharField(allow_null=True)
    missing = serializers.CharField(required=False)
    fallback = serializers.CharField(default="padrão")
    number = serializers.IntegerField(source="amount")
    related = serializers.ReadOnlyField(required=False)
    unrelated = serializers.ReadOnlyField(required=False)


def test_the_planned_reads_answer_what_drf_answers_on_every_path():
    expected = drf_representation(_EveryPathSerializer, _Source())
    assert _EveryPathSerializer(_Source()).data == expected
    assert expected["code"] == str(uuid.UUID(int=42)) and expected["code_hex"] == f"{42:032x}"
    assert expected["shout"] == "LOJA" and expected["label"] == "dentro"
    assert expected["gone"] is None and "missing" not in expected
    as_mapping = {
        "name": "Loja",
        "code": uuid.UUID(int=42),
        "inner": {"label": "x"},
        "shout": "s",
        "gone": None,
        "amount": Decimal("1"),
        "nothing": None,
    }
    assert _EveryPathSerializer(as_mapping).data == drf_representation(
        _EveryPathSerializer, as_mapping
    )

    # A related field's key (``PKOnlyObject``) counts as null when its key is; a method held
    # in a mapping is called, as DRF does.
    with_keys = {
        **as_mapping,
        "shout": _Source().shout,
        "related": PKOnlyObject(pk=7),
        "unrelated": PKOnlyObject(pk=None),
    }
    planned = _EveryPathSerializer(with_keys).data
    assert planned == drf_representation(_EveryPathSerializer, with_keys)
    assert planned["unrelated"] is None and planned["shout"] == "LOJA"


class _DatesSerializer(CachedRepresentationMixin, serializers.Serializer):
    moment = serializers.DateTimeField()
    moment_utc = serializers.DateTimeField(source="moment", default_timezone=UTC)
    moment_text = serializers.DateTimeField(source="moment", format="%d/%m/%Y %H:%M")
    moment_raw = serializers.DateTimeField(source="moment", format=None)
    bounded = BoundedDateTimeField(source="moment")
    day = serializers.DateField()
    day_text = serializers.DateField(source="day", format="%d/%m/%Y")


def _moments():
    sao_paulo = zoneinfo.ZoneInfo("America/Sao_Paulo")
    yield datetime(2026, 12, 3, 12, 30, 15, 123456, tzinfo=UTC)  # microseconds, "Z"
    yield datetime(2026, 12, 3, 12, 30, tzinfo=UTC)  # no microseconds
    yield datetime(2026, 2, 15, 1, 30, tzinfo=sao_paulo)  # a DST end's ambiguous hour
    yield datetime(2026, 7, 1, 23, 59, 59, tzinfo=timezone(timedelta(hours=5, minutes=45)))
    yield datetime(2026, 7, 1, 9, 0)  # naive: DRF makes it aware
    yield datetime(1, 1, 1, 0, 0, tzinfo=UTC)  # overflows west of UTC; out of the bounded range
    yield datetime(9999, 12, 31, 23, 59, tzinfo=UTC)  # overflows east of UTC


def _answer(serializer_class, instance, *, drf: bool):
    try:
        if drf:
            return drf_representation(serializer_class, instance)
        return serializer_class(instance).data
    except serializers.ValidationError as error:
        return ("refused", error.detail)


@pytest.mark.parametrize(
    "zone", ["America/Sao_Paulo", "UTC", "Asia/Kathmandu", "Pacific/Kiritimati"]
)
@pytest.mark.parametrize("language", ["pt-br", "en"])
def test_dates_are_written_as_drf_writes_them_in_every_zone_and_format(zone, language):
    with timezone_override(zone), translation.override(language):
        for moment in _moments():
            for day in (date(2026, 1, 31), date(1, 1, 1), "2026-01-31", ""):
                instance = {"moment": moment, "day": day}
                planned = _answer(_DatesSerializer, instance, drf=False)
                assert planned == _answer(_DatesSerializer, instance, drf=True), (moment, day)
                # once more, from the cached plan
                assert _answer(_DatesSerializer, instance, drf=False) == planned


def test_dates_follow_the_drf_settings_of_the_moment(settings):
    instance = {"moment": datetime(2026, 12, 3, 12, 30, tzinfo=UTC), "day": date(2026, 1, 31)}
    _DatesSerializer(instance).data  # noqa: B018  (the plan is built)
    settings.REST_FRAMEWORK = {
        **settings.REST_FRAMEWORK,
        "DATETIME_FORMAT": "%Y%m%dT%H%M",
        "DATE_FORMAT": "%Y%m%d",
    }
    planned = _DatesSerializer(instance).data
    assert planned == drf_representation(_DatesSerializer, instance)
    assert (planned["moment"], planned["day"]) == ("20261203T0930", "20260131")
    settings.USE_TZ = False
    naive = {"moment": datetime(2026, 12, 3, 12, 30), "day": date(2026, 1, 31)}
    assert _DatesSerializer(naive).data == drf_representation(_DatesSerializer, naive)


def test_the_timeline_and_ledger_rows_are_written_as_drf_writes_them():
    moment = datetime(2026, 12, 3, 15, 0, 1, 5, tzinfo=UTC)
    interaction = {
        "cd_interaction": uuid.uuid4(),
        "cd_customer": uuid.uuid4(),
        "cd_user": uuid.uuid4(),
        "ds_user": None,
        "ds_notes": "Ligou",
        "id_interaction_type": "ligacao",
        "dt_interaction": moment,
        "dt_created_at": moment,
    }
    for zone in ("America/Sao_Paulo", "UTC"):
        with timezone_override(zone):
            planned = InteractionOutputSerializer(interaction).data
            assert planned == drf_representation(InteractionOutputSerializer, interaction)
    assert planned["dt_created_at"] == "2026-12-03T15:00:01.000005Z"


def test_a_rows_representation_without_a_serializer_per_row_is_drfs():
    totals = {
        "vr_total_entradas": Decimal("10.5"),
        "vr_total_saidas": Decimal("0"),
        "vr_saldo": Decimal("10.5"),
        "qt_transactions": 1,
    }
    month = {"month": "2026-01", **totals}
    for _round in range(2):  # the second from each class's template
        assert TotalsOutputSerializer.representation(totals) == drf_representation(
            TotalsOutputSerializer, totals
        )
        assert MonthOutputSerializer.representation(month) == drf_representation(
            MonthOutputSerializer, month
        )
    assert MonthOutputSerializer.representation(month)["month"] == "2026-01"
    assert "month" not in TotalsOutputSerializer.representation(month)


def test_each_serializer_class_keeps_its_own_field_list():
    names = [name for name, _field in BalanceOutputSerializer.representation_fields()]
    parent = [name for name, _field in TotalsOutputSerializer.representation_fields()]
    assert "cd_customer" in names
    assert "cd_customer" not in parent


def test_labels_follow_the_language_after_the_field_list_is_cached():
    CustomerOutputSerializer.representation_fields()  # built (in whatever language) and cached
    with translation.override("en"):
        english = str(CustomerOutputSerializer().fields["ds_customer_name"].label)
    with translation.override("pt-br"):
        portuguese = str(CustomerOutputSerializer().fields["ds_customer_name"].label)
    assert english != portuguese
    assert (english, portuguese) == ("Name", "Nome")


def test_a_field_that_needs_the_context_is_refused():
    class Clever(CachedRepresentationMixin, serializers.Serializer):
        name = serializers.SerializerMethodField()

        def get_name(self, instance):
            return self.context["request"].user

    with pytest.raises(TypeError, match="needs the serializer's context"):
        Clever({"name": "x"}).data  # noqa: B018


# --- Redis replies parsed in C --------------------------------------------------------------------


def test_the_caches_redis_replies_are_parsed_by_hiredis():
    """``hiredis`` is a dependency only for this: redis-py picks its C parser up by itself
    (about a tenth of a by-id read was the pure-Python parser); nothing imports it by name."""
    cache = RedisCache("redis://127.0.0.1:6379/0", {})
    connection = cache._cache.get_client().connection_pool.make_connection()
    assert isinstance(connection._parser, _HiredisParser)


# --- permissions read with the token state ------------------------------------------------------


def test_a_roles_permission_change_applies_at_the_next_request(api_client, user, password):
    from tests.accounts.conftest import login

    with_role(user, "viewer")
    token = login(api_client, user.ds_user_email, password).json()["access_token"]
    auth = {"HTTP_AUTHORIZATION": f"Bearer {token}"}
    assert api_client.get("/api/customers", **auth).status_code == 200
    assert api_client.get("/api/customers", **auth).status_code == 200  # from the cache

    viewer = Group.objects.get(name="viewer")
    view_customer = Permission.objects.get(
        codename="view_customer", content_type__app_label="customers"
    )
    viewer.permissions.remove(view_customer)
    assert api_client.get("/api/customers", **auth).status_code == 403

    viewer.permissions.add(view_customer)
    assert api_client.get("/api/customers", **auth).status_code == 200


# --- connection health checks -------------------------------------------------------------------

ALIAS = "customers"


def _postgres_only():
    if connections[ALIAS].vendor != "postgresql":
        pytest.skip("connection health checks are PostgreSQL's (DATABASE_URL)")


def _terminate_backend(connection) -> None:
    pid = connection.connection.info.backend_pid
    settings = connection.settings_dict
    with psycopg.connect(
        host=settings["HOST"] or None,
        port=settings["PORT"] or None,
        user=settings["USER"] or None,
        password=settings["PASSWORD"] or None,
        dbname=settings["NAME"],
        autocommit=True,
    ) as other:
        other.execute("SELECT pg_terminate_backend(%s)", [pid])


def _new_request(connection) -> None:
    """What Django does at the start of every request (``request_started``)."""
    connection.close_if_unusable_or_obsolete()


def _select_one(connection):
    with connection.cursor() as cursor:
        cursor.execute("SELECT 1")
        return cursor.fetchone()[0]


@pytest.mark.django_db(transaction=True, databases="__all__")
def test_a_dead_connection_is_replaced_by_the_health_check_once_the_interval_passed():
    _postgres_only()
    connection = connections[ALIAS]
    interval = connection.settings_dict.get("HEALTH_CHECK_INTERVAL")
    try:
        connection.settings_dict["HEALTH_CHECK_INTERVAL"] = 0  # Django's: a ping per request
        assert _select_one(connection) == 1
        _terminate_backend(connection)
        _new_request(connection)
        assert _select_one(connection) == 1  # the ping found it dead: a new connection
    finally:
        connection.settings_dict["HEALTH_CHECK_INTERVAL"] = interval


@pytest.mark.django_db(transaction=True, databases="__all__")
def test_a_recently_verified_connection_is_not_pinged_and_a_failure_still_replaces_it():
    _postgres_only()
    connection = connections[ALIAS]
    interval = connection.settings_dict.get("HEALTH_CHECK_INTERVAL")
    try:
        connection.settings_dict["HEALTH_CHECK_INTERVAL"] = 3600
        connection.close()
        assert _select_one(connection) == 1  # opened now: verified
        verified = connection.verified_at
        _terminate_backend(connection)
        _new_request(connection)
        # trusted without a round trip: the dead connection is used and fails once ...
        with pytest.raises(OperationalError):
            _select_one(connection)
        assert connection.verified_at == verified
        # ... and the end of that request drops it (Django's errors_occurred check)
        _new_request(connection)
        assert _select_one(connection) == 1
    finally:
        connection.settings_dict["HEALTH_CHECK_INTERVAL"] = interval


# --- verified access tokens ---------------------------------------------------------------------


def test_a_verified_token_is_refused_once_it_expires_like_any_expired_token(api_client, user):
    import time as clock

    from rest_framework_simplejwt.tokens import AccessToken

    from crm.api import authentication

    def token_expiring_in(seconds: float) -> str:
        token = AccessToken.for_user(user)
        token["ver"] = user.nr_token_version
        token.set_exp(lifetime=timedelta(seconds=seconds))
        return str(token)

    short = token_expiring_in(1.5)
    answer = api_client.get("/auth/me", HTTP_AUTHORIZATION=f"Bearer {short}")
    assert answer.status_code == 200
    assert any(raw == short.encode() for _key, raw in authentication._verified_tokens)

    clock.sleep(1.6)  # the token expires
    expired = api_client.get("/auth/me", HTTP_AUTHORIZATION=f"Bearer {short}")
    never_seen = api_client.get("/auth/me", HTTP_AUTHORIZATION=f"Bearer {token_expiring_in(-5)}")
    assert expired.status_code == never_seen.status_code == 401
    assert expired.json() == never_seen.json()


def test_a_verified_token_is_still_revoked_at_once(api_client, user, password):
    from tests.accounts.conftest import login

    session = login(api_client, user.ds_user_email, password).json()
    auth = {"HTTP_AUTHORIZATION": f"Bearer {session['access_token']}"}
    assert api_client.get("/auth/me", **auth).status_code == 200
    assert api_client.get("/auth/me", **auth).status_code == 200  # verified before: cached

    logout = api_client.post(
        "/auth/logout", {"refresh_token": session["refresh_token"]}, format="json"
    )
    assert logout.status_code == 200
    refused = api_client.get("/auth/me", **auth)
    assert refused.status_code == 401
    assert refused.json() == {"error": "Token revogado. Faça login novamente."}


# --- the filtersets ------------------------------------------------------------------------------


@pytest.mark.django_db(databases="__all__")
def test_two_filtersets_alive_at_once_each_filter_with_their_own_data():
    """Each instance's ``method=`` filters call that instance's method with its own value,
    even while another instance of the same class is alive, and the form class is shared."""
    Customer.objects.create(ds_customer_name="Ana Souza", ds_customer_state="SP")
    Customer.objects.create(ds_customer_name="Bruno Lima", ds_customer_state="RJ")
    Customer.objects.create(ds_customer_name="Bia Souza", ds_customer_state="RJ")
    Customer.objects.create(
        ds_customer_name="Carla Souza", ds_customer_state="RJ", is_customer_active=False
    )
    queryset = Customer.objects.all()

    souza = CustomerFilter(
        data={"search": "souza", "ordering": "-ds_customer_name"}, queryset=queryset
    )
    rio = CustomerFilter(data={"state": "rj", "active_only": "false"}, queryset=queryset)

    assert [c.ds_customer_name for c in souza.qs] == ["Bia Souza", "Ana Souza"]
    assert sorted(c.ds_customer_name for c in rio.qs) == ["Bia Souza", "Bruno Lima", "Carla Souza"]
    assert souza.filters["search"] is not rio.filters["search"]
    assert souza.filters["search"].parent is souza and rio.filters["search"].parent is rio
    assert CustomerFilter.base_filters["search"].__dict__.get("parent") is None  # class's untouched
    assert type(souza.form) is type(rio.form)  # the form class, built once
    assert souza.form is not rio.form  # the form, one per request


@pytest.mark.django_db(databases="__all__")
def test_a_filtersets_messages_follow_each_requests_language():
    queryset = Customer.objects.all()
    messages = {}
    for language in ("pt-br", "en", "pt-br"):
        with translation.override(language), pytest.raises(InvalidInput) as refused:
            filterset_validated(CustomerFilter, data={"active_only": "talvez"}, queryset=queryset)
        messages.setdefault(language, set()).add(str(refused.value.message["active_only"][0]))
    assert messages["pt-br"] == {"Use 'true' ou 'false'."}
    assert messages["en"] != messages["pt-br"]


# --- reads by key compiled once (crm.db.queries.unique_row_by) ----------------------------------


def _row_state(row):
    if row is None:
        return None
    values = {name: value for name, value in vars(row).items() if name != "_state"}
    return type(row), values, row._state.db, row._state.adding


def _orm_row(model, values=None, **exact):
    queryset = model._default_manager.filter(**exact)
    if values is not None:
        queryset = queryset.values_list(*values)
    return unique_row(queryset)


@pytest.mark.django_db(databases="__all__")
def test_a_read_by_key_answers_what_the_orm_answers_from_its_alias(user):
    customer = customer_services.customer_create(
        data={"ds_customer_name": "Padaria Sol", "ds_customer_email": "sol@padaria.example"}
    )
    moment = datetime(2026, 3, 1, 10, 0, 0, 1, tzinfo=UTC)
    interaction = Interaction.objects.create(
        cd_customer=customer.pk,
        cd_user=user.cd_user,
        ds_notes="Visita",
        id_interaction_type="visita",
        dt_interaction=moment,
    )
    alias = router.db_for_read(Customer)
    summary = ("cd_customer", "ds_customer_name", "is_customer_active")
    for _round in range(2):  # compiled on the first, from the kept SQL on the second
        with CaptureQueriesContext(connections[alias]) as queries:
            assert _row_state(unique_row_by(Customer, pk=customer.pk)) == _row_state(
                _orm_row(Customer, pk=customer.pk)
            )
        assert len(queries) == 2  # one read each, on the customers' alias
        assert unique_row_by(Customer, pk=str(customer.pk)).pk == customer.pk
        assert unique_row_by(Customer, pk=uuid.uuid4()) is None
        assert unique_row_by(Customer, pk=customer.pk, values=summary) == _orm_row(
            Customer, pk=customer.pk, values=summary
        )
        for customer_id in (customer.pk, uuid.uuid4()):  # another customer's is unknown
            read = unique_row_by(
                Interaction, cd_customer=customer_id, cd_interaction=interaction.pk
            )
            assert _row_state(read) == _row_state(
                _orm_row(Interaction, cd_customer=customer_id, cd_interaction=interaction.pk)
            )
    assert read is None
    assert (
        unique_row_by(
            Interaction, cd_customer=customer.pk, cd_interaction=interaction.pk
        ).dt_interaction
        == moment
    )
    # Each plan lives on the connection of the alias the router picks.
    kept = connections[alias].__dict__["_crm_unique_row_plans"]
    assert (Customer, ("pk",), None) in kept
    interactions = connections[router.db_for_read(Interaction)].__dict__
    assert (Interaction, ("cd_customer", "cd_interaction"), None) in interactions[
        "_crm_unique_row_plans"
    ]


@pytest.mark.django_db(databases="__all__")
def test_a_malformed_key_is_refused_as_the_orm_refuses_it():
    unique_row_by(Customer, pk=uuid.uuid4())  # the plan is kept
    with pytest.raises(ValidationError) as orm:
        _orm_row(Customer, pk="não é um uuid")
    with pytest.raises(ValidationError) as planned:
        unique_row_by(Customer, pk="não é um uuid")
    assert planned.value.messages == orm.value.messages


@pytest.mark.django_db(databases="__all__")
def test_a_summary_by_id_answers_what_the_batch_answers():
    customer = customer_services.customer_create(
        data={"ds_customer_name": "Loja Lua", "ds_customer_email": "lua@loja.example"}
    )
    batch = customer_interface.customer_summaries(customer_ids=[customer.pk])
    assert customer_interface.customer_get_summary(customer_id=customer.pk) == batch[customer.pk]
    for unknown in (uuid.uuid4(), str(customer.pk)):  # the batch is keyed by the stored UUID
        with pytest.raises(CustomerNotFound):
            customer_interface.customer_get_summary(customer_id=unknown)


@pytest.mark.django_db(databases="__all__")
def test_a_batch_read_by_keys_answers_what_the_orm_answers(monkeypatch):
    customers = [
        customer_services.customer_create(
            data={"ds_customer_name": f"Loja {n}", "ds_customer_email": f"loja{n}@x.example"}
        )
        for n in range(3)
    ]
    ids = [customer.pk for customer in customers]
    columns = ("cd_customer", "ds_customer_name", "is_customer_active")

    def orm(keys):
        queryset = Customer.objects.filter(cd_customer__in=keys).order_by()
        return sorted(queryset.values_list(*columns))

    alias = router.db_for_read(Customer)
    batches = [
        ids,
        ids[:1],
        [ids[0], str(ids[0]), ids[1]],  # the same id twice: one parameter, as the ORM's IN
        [ids[2], uuid.uuid4()],
        [ids[0], None],  # the ORM's IN leaves None out
        [None],
        [],
    ]
    for _round in range(2):  # compiled on the first, from the kept SQL on the second
        for keys in batches:
            with CaptureQueriesContext(connections[alias]) as queries:
                read = rows_by_keys(Customer, "cd_customer", iter(keys), values=columns)
            assert sorted(read) == orm(keys), keys
            assert len(queries) == (1 if any(key is not None for key in keys) else 0)
    kept = connections[alias].__dict__["_crm_unique_row_plans"]
    assert kept[(Customer, ("cd_customer__in", 2), columns)]  # a plan per number of keys
    monkeypatch.setattr("crm.db.queries.MAX_PLANNED_KEYS", 2)
    assert sorted(rows_by_keys(Customer, "cd_customer", ids, values=columns)) == orm(ids)
    assert (Customer, ("cd_customer__in", 3), columns) in kept  # from the first round only
    with pytest.raises(ValidationError):
        rows_by_keys(Customer, "cd_customer", ["não é um uuid"], values=columns)


@pytest.mark.django_db(databases="__all__")
def test_a_pages_author_names_are_read_by_keys(user):
    assert accounts_selectors.user_names(user_ids=[user.cd_user, uuid.uuid4()]) == {
        user.cd_user: user.ds_user
    }
    assert accounts_selectors.user_names(user_ids=[]) == {}


# --- the locale middleware --------------------------------------------------------------------

urlpatterns = i18n_patterns(path("pagina", lambda request: HttpResponse("ok")))


def _through_locale(middleware_class, request, status=200):
    seen = {}

    def view(request):
        seen["language"] = request.LANGUAGE_CODE
        seen["active"] = translation.get_language()
        response = HttpResponse("x", status=status)
        response["Vary"] = "Cookie"
        return response

    with translation.override(None):
        response = middleware_class(view)(request)
    headers = {name: response.get(name) for name in ("Vary", "Content-Language", "Location")}
    return response.status_code, headers, seen


@pytest.mark.parametrize(
    ("headers", "status"),
    [
        ({}, 200),
        ({"HTTP_ACCEPT_LANGUAGE": "en-US,en;q=0.9"}, 200),
        ({"HTTP_ACCEPT_LANGUAGE": "pt-BR"}, 404),
        ({"HTTP_ACCEPT_LANGUAGE": "fr, de;q=0.5"}, 200),
        ({"HTTP_COOKIE": "django_language=en", "HTTP_ACCEPT_LANGUAGE": "pt-br"}, 200),
    ],
)
@pytest.mark.parametrize("path", ["/api/customers", "/en/api/customers", "/admin/"])
def test_the_locale_middleware_answers_as_djangos(rf, headers, status, path):
    ours = _through_locale(LeanLocaleMiddleware, rf.get(path, **headers), status)
    assert ours == _through_locale(DjangoLocaleMiddleware, rf.get(path, **headers), status)
    assert "Accept-Language" in ours[1]["Vary"] and ours[1]["Content-Language"]


@pytest.mark.parametrize("path", ["/pagina", "/en/pagina", "/pt-br/pagina"])
def test_the_locale_middleware_is_djangos_where_urls_carry_a_language(rf, settings, path):
    settings.ROOT_URLCONF = __name__
    for headers in ({}, {"HTTP_ACCEPT_LANGUAGE": "en"}):
        ours = _through_locale(LeanLocaleMiddleware, rf.get(path, **headers), 404)
        assert ours == _through_locale(DjangoLocaleMiddleware, rf.get(path, **headers), 404)
        if path == "/pagina":  # Django's redirect to the language's prefix
            assert ours[0] == 302 and ours[1]["Location"].endswith("/pagina")


# --- one URL resolution per request (crm.handlers, config.wsgi) -------------------------------


def _wsgi_answer(handler, path_info, **extra):
    environ = RequestFactory()._base_environ(PATH_INFO=path_info, **extra)
    answer = {}

    def start_response(status, headers, exc_info=None):
        answer["status"] = status
        answer["headers"] = sorted(
            (name, value) for name, value in headers if name not in {"Set-Cookie", "Date"}
        )

    # The locale middleware leaves the request's language active in this thread, as under a
    # server: restored after, so no later test runs in it.
    with translation.override(None):
        body = b"".join(handler(environ, start_response))
    return answer["status"], answer["headers"], body


@pytest.mark.django_db(databases="__all__")
@pytest.mark.parametrize(
    "path_info",
    ["/health", "/health/", "/api/customers", "/api/customers/", "/api/nada", "/nada/", "/admin"],
)
def test_the_wsgi_handler_answers_as_djangos_resolving_once(monkeypatch, path_info):
    import config.wsgi

    assert type(config.wsgi.application) is WSGIHandler
    resolved = []
    original = URLResolver.resolve

    def counting(self, path):
        if self.pattern.regex.pattern == "^/":  # the root resolver
            resolved.append(path)
        return original(self, path)

    monkeypatch.setattr(URLResolver, "resolve", counting)
    django_answer = _wsgi_answer(DjangoWSGIHandler(), path_info, HTTP_ACCEPT_LANGUAGE="en")
    django_resolutions, resolved[:] = len(resolved), []
    ours = _wsgi_answer(WSGIHandler(), path_info, HTTP_ACCEPT_LANGUAGE="en")
    assert ours == django_answer
    if ours[0].startswith("404"):
        assert len(resolved) == django_resolutions  # nothing to keep: Django's path
    else:
        assert len(resolved) == django_resolutions - 1  # the middleware's is kept


def test_a_kept_resolution_is_not_used_once_the_path_changed(rf):
    request = rf.get("/health")
    setattr(request, RESOLVED, ("/health", "a stale match"))
    request.path_info = "/api/schema"
    assert WSGIHandler().resolve_request(request).url_name == "schema"
    request = rf.get("/health")
    setattr(request, RESOLVED, ("/health", "kept"))
    assert WSGIHandler().resolve_request(request) == "kept"
    request = rf.get("/health")
    request.urlconf = "config.urls"
    setattr(request, RESOLVED, ("/health", "kept"))
    assert WSGIHandler().resolve_request(request).url_name == "health"
