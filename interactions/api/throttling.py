"""Request rates (docs/api.md, "Throttling"): per user for the API, per address for the
token endpoint. Rates come from settings (environment variables), read on every
request so a changed setting applies without re-importing; counts live in Django's
cache (per process with the default local-memory cache). Over the rate: 429 with
Retry-After."""

from rest_framework.settings import api_settings
from rest_framework.throttling import SimpleRateThrottle


class SettingsRateThrottle(SimpleRateThrottle):
    def get_rate(self):
        return api_settings.DEFAULT_THROTTLE_RATES.get(self.scope)


class UserThrottle(SettingsRateThrottle):
    """Every API call of a logged-in user (token or session), keyed on the user."""

    scope = "user"

    def get_cache_key(self, request, view):
        if not request.user or not request.user.is_authenticated:
            return self.cache_format % {"scope": self.scope, "ident": self.get_ident(request)}
        return self.cache_format % {"scope": self.scope, "ident": request.user.pk}


class TokenThrottle(SettingsRateThrottle):
    """``POST /api/v1/auth/token/``, keyed on the client's address (django-axes separately
    locks a user name out after repeated wrong passwords)."""

    scope = "token"

    def get_cache_key(self, request, view):
        return self.cache_format % {"scope": self.scope, "ident": self.get_ident(request)}
