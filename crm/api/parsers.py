"""JSON whose numbers with a fraction or exponent become ``Decimal``, never ``float``.

DRF's ``JSONParser`` reads ``10.10`` as a float, so a price would pass through binary floating
point before reaching ``DecimalField``: ``0.1000000000000000055511151231257827`` would arrive as
``0.1`` and be accepted. Parsing straight to ``Decimal`` keeps exactly what the client wrote
(and ``1e400`` stays a huge number that validation refuses, instead of becoming ``inf``).
It is the project's default JSON parser (``REST_FRAMEWORK["DEFAULT_PARSER_CLASSES"]``), so no
endpoint can forget it: money (``vr_price``, ``vr_transaction``) never passes through a float.
Integers stay ``int``; ``NaN``/``Infinity`` are refused (400), and so is JSON nested deeper
than Python's decoder can follow (``RecursionError``, about a thousand levels): a 400, never a
500, also on the unauthenticated ``/auth/login``.
"""

from __future__ import annotations

import codecs
import json
from decimal import Decimal

from rest_framework.exceptions import ParseError
from rest_framework.parsers import JSONParser, get_encoding
from rest_framework.utils.json import strict_constant


class DecimalJSONParser(JSONParser):
    def parse(self, stream, media_type=None, parser_context=None):
        encoding = get_encoding(parser_context or {})
        try:
            decoded = codecs.getreader(encoding)(stream)
            return json.load(decoded, parse_float=Decimal, parse_constant=strict_constant)
        except ValueError as exc:
            raise ParseError(f"JSON parse error - {exc}") from exc
        except RecursionError:
            raise ParseError("JSON parse error - nested too deeply") from None
