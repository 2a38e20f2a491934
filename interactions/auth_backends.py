"""Django's ModelBackend, reading a user's permissions and groups in one statement.

Every page checks a role (roles.role_of: the user's groups) and a permission
(views.RoleRequiredMixin), and Django's ModelBackend reads the user's own permissions
and their groups' in two queries, the groups in a third. Here one prepared statement
(prepared.Prepared) reads all three, once per request (kept on the user object): the
same sets as Django's (superusers have every permission, inactive users none).
"""

from django.contrib.auth import get_user_model
from django.contrib.auth.backends import ModelBackend as DjangoModelBackend
from django.contrib.auth.models import Group, Permission
from django.contrib.contenttypes.models import ContentType
from django.core.exceptions import ValidationError
from django.db.models import IntegerField, Value

from .prepared import Prepared, first

# Marks a group's row among the permission rows: no content type has the id 0.
GROUP_ROW = 0


def _permissions(**lookup):
    # The content type's id, not its app label: one join fewer in each branch, which
    # PostgreSQL plans in half the time; the label comes from Django's content-type
    # cache (ContentTypeManager.get_for_id).
    return Permission.objects.filter(**lookup).values_list("content_type_id", "codename").order_by()


def _groups(user):
    return (
        Group.objects.filter(user=user)
        .values_list(Value(GROUP_ROW, output_field=IntegerField()), "name")
        .order_by()
    )


ACCESS = Prepared(
    lambda user: _groups(user).union(_permissions(user=user), _permissions(group__user=user)),
    user="id",
)
# A superuser has every permission.
SUPERUSER_ACCESS = Prepared(lambda user: _groups(user).union(_permissions()), user="id")


def load_access(user) -> None:
    """Read the user's group names and permissions, once per user object."""
    if hasattr(user, "_emotioncare_groups"):
        return
    rows = (SUPERUSER_ACCESS if user.is_superuser else ACCESS)(user=user.pk)
    user._emotioncare_groups = frozenset(name for kind, name in rows if kind == GROUP_ROW)
    if not hasattr(user, "_perm_cache"):
        types = ContentType.objects
        user._perm_cache = (
            {
                f"{types.get_for_id(kind).app_label}.{codename}"
                for kind, codename in rows
                if kind != GROUP_ROW
            }
            if user.is_active
            else set()
        )


def group_names(user) -> frozenset[str]:
    load_access(user)
    return user._emotioncare_groups


# The request's user, read on every page (prepared: compiled once per connection).
USER = Prepared(lambda pk: get_user_model()._default_manager.filter(pk=pk)[:1], pk="id")


class ModelBackend(DjangoModelBackend):
    def get_user(self, user_id):
        try:
            pk = get_user_model()._meta.pk.to_python(user_id)
        except ValidationError:
            return None
        user = first(USER(pk=pk)) if pk is not None else None
        return user if user is not None and self.user_can_authenticate(user) else None

    def get_all_permissions(self, user_obj, obj=None):
        if not user_obj.is_active or user_obj.is_anonymous or obj is not None:
            return set()
        if not hasattr(user_obj, "_perm_cache"):
            load_access(user_obj)
        return user_obj._perm_cache
