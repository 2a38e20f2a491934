"""Nobody sees anything without logging in (product.md)."""

from django.conf import settings
from django.contrib.auth.views import redirect_to_login

PUBLIC_PREFIXES = ("/accounts/login/", "/static/", "/i18n/", "/admin/login/")
# The API authenticates for itself (token or session) and answers 401 JSON, not a
# redirect; only the docs page, opened in a browser, sends a visitor to the login page.
API_PREFIX = "/api/"
API_BROWSER_PAGES = ("/api/docs/",)


def leave_to_api(request) -> bool:
    if not request.path.startswith(API_PREFIX):
        return False
    return "HTTP_AUTHORIZATION" in request.META or not request.path.startswith(API_BROWSER_PAGES)


class LoginRequiredEverywhereMiddleware:
    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        if leave_to_api(request):
            return self.get_response(request)
        if not request.user.is_authenticated and not request.path.startswith(PUBLIC_PREFIXES):
            if request.path.startswith("/admin/"):
                return self.get_response(request)
            return redirect_to_login(request.get_full_path(), settings.LOGIN_URL)
        return self.get_response(request)
