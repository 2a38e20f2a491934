"""The one request format the API reads: JSON, strictly.

Beyond DRF's JSONParser: nesting too deep for the parser is a 400 rather than a
RecursionError, and a string holding a lone UTF-16 surrogate (``"\\ud800"`` is valid
JSON) is refused before it can reach the database driver or the renderer, which cannot
encode it. (The body's size is limited by DATA_UPLOAD_MAX_MEMORY_SIZE before parsing:
a 413, exceptions.py.)"""

import json
import re

from django.utils.translation import gettext_lazy as _
from rest_framework import exceptions
from rest_framework.parsers import JSONParser

SURROGATE = re.compile("[\ud800-\udfff]")
MAX_DEPTH = 32

ERR_SURROGATE = _("The request holds text that is not valid Unicode (a lone surrogate).")
ERR_TOO_DEEP = _("The request is nested too deeply.")


def check_values(value, depth: int = 0) -> None:
    """Walk the parsed document: no lone surrogates in keys or strings, bounded depth."""
    if depth > MAX_DEPTH:
        raise exceptions.ParseError(ERR_TOO_DEEP)
    if isinstance(value, str):
        if SURROGATE.search(value):
            raise exceptions.ParseError(ERR_SURROGATE)
    elif isinstance(value, dict):
        for key, item in value.items():
            check_values(key, depth + 1)
            check_values(item, depth + 1)
    elif isinstance(value, list):
        for item in value:
            check_values(item, depth + 1)


def _no_constants(name: str):
    raise ValueError(f"{name} is not valid JSON")


class StrictJSONParser(JSONParser):
    def parse(self, stream, media_type=None, parser_context=None):
        raw = stream.read()
        try:
            data = json.loads(raw.decode("utf-8"), parse_constant=_no_constants)
        except RecursionError as error:
            raise exceptions.ParseError(ERR_TOO_DEEP) from error
        except ValueError as error:  # also UnicodeDecodeError
            raise exceptions.ParseError(
                _("JSON parse error: %(error)s") % {"error": error}
            ) from error
        check_values(data)
        return data
