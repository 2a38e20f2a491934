"""Access log of personal data (product.md, issue 5): who viewed a customer or an
interaction, revealed a masked phone, exported or erased data, and when.

Every page, API endpoint and export that shows or hands out personal data calls
``record_access`` once per request. Entries are append-only (models.AccessLog).
"""

from __future__ import annotations

from .models import AccessLog, Customer

Action = AccessLog.Action


def client_ip(request) -> str | None:
    """The address the request came from (REMOTE_ADDR; a proxy sets it right)."""
    if request is None:
        return None
    address = (request.META.get("REMOTE_ADDR") or "").strip()
    return address or None


def record_access(
    request,
    action: str,
    *,
    customer: Customer | None = None,
    obj=None,
    rows: int | None = None,
    user=None,
) -> AccessLog:
    """Write one access-log entry for ``request`` (or for ``user`` without a request,
    e.g. from a management command)."""
    if user is None and request is not None:
        user = getattr(request, "user", None)
    if user is not None and not getattr(user, "is_authenticated", False):
        user = None
    target = obj if obj is not None else customer
    return AccessLog.objects.create(
        user=user,
        username=user.get_username() if user is not None else "",
        action=action,
        customer=customer,
        object_repr=str(target)[:200] if target is not None else "",
        path=(request.get_full_path()[:500] if request is not None else ""),
        ip=client_ip(request),
        rows=rows,
    )
