"""Project-wide response hardening (docs/security.md)."""

from django.utils.cache import add_never_cache_headers


class NoStoreMiddleware:
    """Every response the application itself produces is `Cache-Control: no-store`.

    Nearly every page and API answer shows personal data (names, phone numbers, how a
    customer felt), and the few that do not (the login page, errors) lose nothing by
    not being cached. So the rule is the simplest safe one: nothing dynamic is stored by
    the browser or a shared proxy, and the back button after logging out on a shared
    call-centre PC does not show the last customer. Static files are answered by
    WhiteNoise, which sits above this middleware, and keep their long cache lifetime.
    """

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        response = self.get_response(request)
        add_never_cache_headers(response)
        return response
