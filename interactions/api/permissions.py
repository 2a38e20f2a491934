"""Who may call what: the same answers as the pages, from interactions/roles.py.

Without credentials DRF answers 401 (the token authenticator comes first, so the
response carries ``WWW-Authenticate: Token``); with credentials but no role, or a
role that does not allow the call, 403.
"""

from django.utils.translation import gettext_lazy as _
from rest_framework.permissions import BasePermission

from .. import roles, services

ERR_NO_ROLE = _("Your account has no role yet. Ask an admin for one.")
ERR_ROLE_FORBIDS = _("Your role does not allow this.")
ERR_LEADS_ONLY = _("Only team leads and admins can see this.")


class HasRole(BasePermission):
    """Logged in (token or session) and holding a role: agent, lead or admin."""

    message = ERR_NO_ROLE

    def has_permission(self, request, view) -> bool:
        user = request.user
        if not user or not user.is_authenticated:
            return False
        return roles.has_role(user)


class RolePermission(HasRole):
    """A role, and the Django permission the view names for the method
    (``view.required_permissions = {"GET": "interactions.view_customer", ...}``;
    HEAD and OPTIONS count as GET). A method the view serves without an entry is refused;
    one it does not serve is left to answer 405."""

    def has_permission(self, request, view) -> bool:
        if not super().has_permission(request, view):
            return False
        method = "GET" if request.method in ("HEAD", "OPTIONS") else request.method
        required = getattr(view, "required_permissions", {})
        if method not in required:
            handler = request.method.lower()
            if handler not in view.http_method_names or not hasattr(view, handler):
                return True  # a method the view does not serve: it answers 405
            self.message = ERR_ROLE_FORBIDS
            return False
        permission = required[method]
        if permission is not None and not request.user.has_perm(permission):
            self.message = ERR_ROLE_FORBIDS
            return False
        return True


class CanChangeInteraction(BasePermission):
    """Agents change only their own interactions; leads and admins any (roles.py)."""

    message = services.ERR_NOT_YOUR_INTERACTION

    def has_object_permission(self, request, view, obj) -> bool:
        if request.method in ("GET", "HEAD", "OPTIONS"):
            return True
        return roles.can_change_interaction(request.user, obj)


class CanViewDashboard(HasRole):
    """The team's statistics: leads and admins, as the dashboard page."""

    def has_permission(self, request, view) -> bool:
        if not super().has_permission(request, view):
            return False
        if not roles.can_view_dashboard(request.user):
            self.message = ERR_LEADS_ONLY
            return False
        return True
