"""Login throttling hooks for django-axes (settings AXES_*; docs/security.md)."""

import ipaddress

from django.conf import settings
from django.contrib.auth.forms import AuthenticationForm
from django.http import HttpRequest, HttpResponse, JsonResponse
from django.shortcuts import render
from django.utils.translation import ngettext

API_PREFIX = "/api/"


def client_ip(request: HttpRequest) -> str | None:
    """The address a login attempt came from.

    With DJANGO_PROXY_COUNT = N > 0, the N trusted proxies in front of the app each
    appended one entry to X-Forwarded-For, so the client is the N-th entry from the
    right; anything further left was written by the client and may be forged. Without
    proxies (N = 0) the header is ignored and REMOTE_ADDR is the client.
    """
    remote = request.META.get("REMOTE_ADDR")
    count = settings.PROXY_COUNT
    if count:
        forwarded = [
            part.strip()
            for part in request.META.get("HTTP_X_FORWARDED_FOR", "").split(",")
            if part.strip()
        ]
        if len(forwarded) >= count:
            candidate = forwarded[-count]
            try:
                return str(ipaddress.ip_address(candidate))
            except ValueError:
                pass
    return remote


def lockout_message() -> str:
    minutes = max(1, int(settings.AXES_COOLOFF_TIME.total_seconds() // 60))
    return ngettext(
        "Too many failed log-ins for this user name from your address. Try again in "
        "%(minutes)d minute, or ask an admin to unlock it.",
        "Too many failed log-ins for this user name from your address. Try again in "
        "%(minutes)d minutes, or ask an admin to unlock it.",
        minutes,
    ) % {"minutes": minutes}


def lockout_response(
    request: HttpRequest, original_response=None, credentials=None
) -> HttpResponse:
    """429 with Retry-After: the login page with the reason above the form (another
    person at the same desk can still log in), or JSON for the API."""
    retry_after = str(int(settings.AXES_COOLOFF_TIME.total_seconds()))
    message = lockout_message()
    if request.path.startswith(API_PREFIX):
        response = JsonResponse({"detail": message}, status=settings.AXES_HTTP_RESPONSE_CODE)
    else:
        response = render(
            request,
            "registration/login.html",
            {
                "form": AuthenticationForm(request),
                "locked_out": message,
                "next": request.POST.get("next", ""),
            },
            status=settings.AXES_HTTP_RESPONSE_CODE,
        )
    response["Retry-After"] = retry_after
    return response
