"""Streamed spreadsheet downloads for API views (``GET /api/<things>/export?format=csv|xlsx``).

A domain view validates its own filters, then answers ``spreadsheet_response(...)`` with a lazy
iterator of rows (``QuerySet.iterator()``): the ``StreamingHttpResponse`` pulls rows from the
database cursor as the client reads, so the export's size never sits in memory.

``?format=`` names the file here, while DRF reads the same parameter as "pick a renderer" and
answers 404 for a format it has no renderer for; ``ExportView`` switches that reading off, so
errors still render as JSON (or the browsable page) and ``format=pdf`` is a 400 in Portuguese.
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from typing import Any

from django.http import StreamingHttpResponse
from django.utils import timezone
from django.utils.translation import gettext as _
from drf_spectacular.types import OpenApiTypes
from drf_spectacular.utils import OpenApiParameter
from rest_framework.negotiation import DefaultContentNegotiation
from rest_framework.request import Request
from rest_framework.settings import api_settings
from rest_framework.views import APIView

from ..spreadsheets import CONTENT_TYPES, CSV, FORMATS, XLSX, stream_csv, stream_xlsx
from .exceptions import InvalidInput

FORMAT_PARAMETER = OpenApiParameter(
    "format",
    OpenApiTypes.STR,
    enum=list(FORMATS),
    description="Formato do arquivo: csv (padrão) ou xlsx.",
)


class _SettingsWithoutFormatOverride:
    URL_FORMAT_OVERRIDE = None

    def __getattr__(self, name: str) -> Any:
        return getattr(api_settings, name)


class FileFormatNegotiation(DefaultContentNegotiation):
    """Content negotiation that leaves ``?format=`` to the view (it names the file format)."""

    settings = _SettingsWithoutFormatOverride()


class ExportView(APIView):
    """Base of the export endpoints: ``?format=`` is read by ``export_format``."""

    content_negotiation_class = FileFormatNegotiation


def export_format(request: Request) -> str:
    """``csv`` (default) or ``xlsx``; anything else is ``InvalidInput`` (400)."""
    raw = request.query_params.get("format")
    if raw is None or raw.strip() == "":
        return CSV
    value = raw.strip().lower()
    if value not in FORMATS:
        raise InvalidInput(_("Formato inválido: use csv ou xlsx."))
    return value


def spreadsheet_response(
    *, file_format: str, basename: str, header: Sequence[str], rows: Iterable[Sequence[Any]]
) -> StreamingHttpResponse:
    """A streamed download named ``<basename>-<AAAAMMDD-HHMM>.<format>``."""
    stream = (
        stream_xlsx(header=header, rows=rows, sheet_name=basename)
        if file_format == XLSX
        else stream_csv(header=header, rows=rows)
    )
    response = StreamingHttpResponse(stream, content_type=CONTENT_TYPES[file_format])
    stamp = timezone.localtime().strftime("%Y%m%d-%H%M")
    response["Content-Disposition"] = f'attachment; filename="{basename}-{stamp}.{file_format}"'
    response["Cache-Control"] = "no-store"
    return response
