"""Error pages: a 503 with Retry-After when the database cannot be reached.

This is the project's `handler500` rather than a middleware's `process_exception`,
because the first query of most requests is not in a view: the session and user are
loaded by middleware (AuthenticationMiddleware, the login-everywhere check, auditlog),
and Django turns an exception raised there into a 500 before any outer middleware sees
it. `handler500` is called for every uncaught exception, wherever it was raised, while
the exception is being handled (so `sys.exc_info()` names it). With DEBUG on, Django
shows its debug page instead, as for any error.
"""

import sys

from django.db import InterfaceError, OperationalError
from django.http import HttpRequest, HttpResponse
from django.template import loader
from django.views import defaults

RETRY_AFTER_SECONDS = 30
API_PREFIX = "/api/"


def is_database_unavailable(error: BaseException | None) -> bool:
    """True when the error, or one it was raised from, says the database is unreachable
    (connection refused or lost, server restarting, pool closed)."""
    seen = set()
    while error is not None and id(error) not in seen:
        if isinstance(error, OperationalError | InterfaceError):
            return True
        seen.add(id(error))
        error = error.__cause__ or error.__context__
    return False


def database_unavailable_response(request: HttpRequest) -> HttpResponse:
    """503 with Retry-After: the API's JSON under /api/, a page elsewhere.

    The page is rendered without the request's context processors, which would query
    the database again."""
    if request.path.startswith(API_PREFIX):
        # The API's own answer (its exception handler and middleware give the same).
        from interactions.api.exceptions import database_unavailable_response as api_503

        return api_503()
    # "Try again" reloads this page; one leading slash keeps the link on this site.
    again = "/" + request.get_full_path().lstrip("/")
    body = loader.render_to_string("503.html", {"retry_after": RETRY_AFTER_SECONDS, "path": again})
    response = HttpResponse(body, status=503)
    response["Retry-After"] = str(RETRY_AFTER_SECONDS)
    return response


def server_error(request: HttpRequest, template_name: str = defaults.ERROR_500_TEMPLATE_NAME):
    if is_database_unavailable(sys.exc_info()[1]):
        return database_unavailable_response(request)
    return defaults.server_error(request, template_name)
