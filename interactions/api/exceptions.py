"""How the API answers when something goes wrong (docs/api.md, "Errors").

DRF already turns its own exceptions, Http404 and PermissionDenied into JSON. On top:

- a body over DATA_UPLOAD_MAX_MEMORY_SIZE is a 413, other suspicious input a 400;
- Django's ValidationError (raised by the services' ``full_clean``) is a 400 naming the
  field, like a serializer's errors;
- a unique-index race that validation could not see (IntegrityError) is a 409;
- the database being unreachable (OperationalError, InterfaceError) is a 503 with
  Retry-After, so clients back off and retry (with their Idempotency-Key) instead of
  seeing a 500. ``middleware.ApiDatabaseUnavailableMiddleware`` does the same for a
  failure before the view runs (opening the request's transaction).
"""

import logging

from django.conf import settings
from django.core.exceptions import NON_FIELD_ERRORS, RequestDataTooBig, SuspiciousOperation
from django.core.exceptions import ValidationError as DjangoValidationError
from django.db import IntegrityError, InterfaceError, OperationalError
from django.http import JsonResponse
from django.utils.translation import gettext_lazy as _
from rest_framework import exceptions, status
from rest_framework.response import Response
from rest_framework.serializers import as_serializer_error
from rest_framework.settings import api_settings
from rest_framework.views import exception_handler, set_rollback

logger = logging.getLogger(__name__)

ERR_DATABASE_UNAVAILABLE = _("The database cannot be reached right now. Try again shortly.")
ERR_CONFLICT = _(
    "Another request changed the same data at the same moment. Send the request again."
)


class RequestTooLarge(exceptions.APIException):
    status_code = status.HTTP_413_REQUEST_ENTITY_TOO_LARGE
    default_detail = _("The request body is too large.")
    default_code = "too_large"


class Conflict(exceptions.APIException):
    status_code = status.HTTP_409_CONFLICT
    default_detail = ERR_CONFLICT
    default_code = "conflict"


def retry_after() -> str:
    return str(settings.EMOTIONCARE_API_RETRY_AFTER_SECONDS)


def database_unavailable_data() -> dict:
    return {"detail": str(ERR_DATABASE_UNAVAILABLE)}


def validation_error(error: DjangoValidationError) -> exceptions.ValidationError:
    """A Django ValidationError as DRF's, with "__all__" under non_field_errors."""
    detail = as_serializer_error(error)
    if NON_FIELD_ERRORS in detail:
        detail[api_settings.NON_FIELD_ERRORS_KEY] = detail.pop(NON_FIELD_ERRORS)
    return exceptions.ValidationError(detail)


def api_exception_handler(exc, context):
    if isinstance(exc, (OperationalError, InterfaceError)):
        logger.warning("API request failed: database unavailable (%s)", exc)
        set_rollback()
        return Response(
            database_unavailable_data(),
            status=status.HTTP_503_SERVICE_UNAVAILABLE,
            headers={"Retry-After": retry_after()},
        )
    if isinstance(exc, RequestDataTooBig):
        exc = RequestTooLarge()
    elif isinstance(exc, SuspiciousOperation):
        exc = exceptions.ParseError()
    elif isinstance(exc, DjangoValidationError):
        exc = validation_error(exc)
    elif isinstance(exc, IntegrityError):
        logger.info("API request hit a unique index: %s", exc)
        exc = Conflict()
    return exception_handler(exc, context)


def database_unavailable_response() -> JsonResponse:
    response = JsonResponse(database_unavailable_data(), status=503)
    response["Retry-After"] = retry_after()
    return response
