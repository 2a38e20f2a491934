"""503 instead of 500 when the database goes away before an API view runs.

With ATOMIC_REQUESTS, Django opens the request's transaction around the view; when
PostgreSQL is restarting, that is where the connection fails, outside DRF's exception
handler. ``process_exception`` sees it and answers as the handler would."""

from django.db import InterfaceError, OperationalError

from .exceptions import database_unavailable_response

API_PREFIX = "/api/"


class ApiDatabaseUnavailableMiddleware:
    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        return self.get_response(request)

    def process_exception(self, request, exception):
        if request.path.startswith(API_PREFIX) and isinstance(
            exception, (OperationalError, InterfaceError)
        ):
            return database_unavailable_response()
        return None
