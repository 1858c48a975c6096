"""The reference: the smallest Django ORM views over the same tables as the API's reads.

``make bench-http`` serves these (gunicorn, same workers, same database, ``DEBUG`` off) next
to the real server and reports each API read as a ratio to its reference. No authentication,
no middleware, no serializer, no pagination envelope: one ORM query returned as a
``JsonResponse``, the physical limit of one read on this stack (Django + psycopg + PostgreSQL).

Settings: ``bench.reference_settings`` (the project's settings, this URLconf, no middleware).
Measuring instrument, not application code: it reads the domains' models directly.
"""

from __future__ import annotations

from django.db.models import Count, Q, Sum
from django.http import Http404, JsonResponse
from django.urls import path

from domains.customers.models import Customer
from domains.interactions.models import Interaction, Transaction


def customer_detail(request, customer_id):
    row = Customer.objects.filter(pk=customer_id).values().first()
    if row is None:
        raise Http404
    return JsonResponse({"customer": row})


def customer_interactions(request, customer_id):
    # The API's first page: the 15 newest of the customer's interactions.
    rows = list(Interaction.objects.filter(cd_customer=customer_id).values()[:15])
    return JsonResponse({"interactions": rows})


def customer_transactions(request, customer_id):
    # The API's first page: the 20 newest of the customer's ledger entries.
    rows = list(Transaction.objects.filter(cd_customer=customer_id).values()[:20])
    return JsonResponse({"transactions": rows})


def customer_balance(request, customer_id):
    totals = Transaction.objects.filter(cd_customer=customer_id).aggregate(
        entradas=Sum("vr_transaction", filter=Q(id_transaction_type=1)),
        saidas=Sum("vr_transaction", filter=Q(id_transaction_type=2)),
        quantity=Count("pk"),
    )
    return JsonResponse({"balance": totals})


def health(request):
    return JsonResponse({"status": "ok"})


urlpatterns = [
    path("ref/customers/<uuid:customer_id>", customer_detail),
    path("ref/customers/<uuid:customer_id>/interactions", customer_interactions),
    path("ref/customers/<uuid:customer_id>/transactions", customer_transactions),
    path("ref/customers/<uuid:customer_id>/balance", customer_balance),
    path("ref/health", health),
]
