"""The permission backend reads what Django's ModelBackend reads, in one query."""

import pytest
from django.contrib.auth import get_user_model
from django.contrib.auth.backends import ModelBackend as DjangoModelBackend
from django.contrib.auth.models import Permission
from django.contrib.contenttypes.models import ContentType

from interactions.auth_backends import ModelBackend
from tests.factories import UserFactory

pytestmark = pytest.mark.django_db


def fresh(user):
    return get_user_model().objects.get(pk=user.pk)  # no permission cache


def known_content_types():
    """Django keeps content types per process once read (ContentTypeManager.get_for_id);
    a running server has them all after its first pages."""
    for pk in ContentType.objects.values_list("pk", flat=True):
        ContentType.objects.get_for_id(pk)


@pytest.mark.parametrize("role", ["agent", "lead", "admin", None])
def test_a_users_permissions_are_djangos_in_one_query(reference, role, django_assert_num_queries):
    user = UserFactory(role=role)
    user.user_permissions.add(
        Permission.objects.get(codename="view_logentry", content_type__app_label="auditlog")
    )
    expected = DjangoModelBackend().get_all_permissions(fresh(user))
    user = fresh(user)
    known_content_types()
    with django_assert_num_queries(1):
        found = ModelBackend().get_all_permissions(user)
        assert ModelBackend().get_all_permissions(user) is found  # once per request
    assert found == expected
    assert "auditlog.view_logentry" in found


def test_superusers_have_every_permission_and_inactive_users_none(reference):
    boss = UserFactory(is_superuser=True)
    assert ModelBackend().get_all_permissions(
        fresh(boss)
    ) == DjangoModelBackend().get_all_permissions(fresh(boss))
    gone = UserFactory(role="admin", is_active=False)
    assert ModelBackend().get_all_permissions(fresh(gone)) == set()
    assert not fresh(gone).has_perm("interactions.view_interaction")


def test_the_settings_use_it(settings):
    assert "interactions.auth_backends.ModelBackend" in settings.AUTHENTICATION_BACKENDS
    assert "django.contrib.auth.backends.ModelBackend" not in settings.AUTHENTICATION_BACKENDS


@pytest.mark.parametrize("role", ["agent", "lead", "admin", None])
def test_the_role_and_the_permissions_come_from_one_statement(
    reference, role, django_assert_num_queries
):
    from interactions import roles

    user = UserFactory(role=role)
    extra = UserFactory().groups.model.objects.create(name="night shift")
    user.groups.add(extra)
    user = fresh(user)
    known_content_types()
    with django_assert_num_queries(1):
        assert roles.role_of(user) == role
        permissions = ModelBackend().get_all_permissions(user)
    assert set(user._emotioncare_groups) == set(user.groups.values_list("name", flat=True))
    assert permissions == DjangoModelBackend().get_all_permissions(fresh(user))


def test_a_new_role_is_read_again(reference):
    from interactions import roles

    user = fresh(UserFactory(role="agent"))
    assert roles.role_of(user) == "agent"
    assert not user.has_perm("interactions.view_dashboard_placeholder")
    roles.assign_role(user, "lead")
    assert roles.role_of(user) == "lead"
    assert user.has_perm("interactions.add_skillreview")


def test_the_request_user_is_read_as_djangos_backend_reads_it(reference):
    user = UserFactory(role="agent")
    assert ModelBackend().get_user(user.pk) == DjangoModelBackend().get_user(user.pk) == user
    assert ModelBackend().get_user(str(user.pk)) == user  # as the session keeps it
    assert ModelBackend().get_user(user.pk + 1000) is None
    assert ModelBackend().get_user("not a number") is None
    user.is_active = False
    user.save()
    assert ModelBackend().get_user(user.pk) is None


def test_a_session_is_read_as_djangos_store_reads_it(reference):
    from django.contrib.sessions.backends.db import SessionStore as DjangoStore

    from interactions.sessions import SessionStore

    store = SessionStore()
    store["who"] = "agent_a"
    store.save()
    assert SessionStore(store.session_key).load() == DjangoStore(store.session_key).load()
    assert SessionStore(store.session_key)["who"] == "agent_a"
    gone = SessionStore("x" * 32)
    assert gone.load() == {} and gone.session_key is None
    store.set_expiry(-1)
    store.save()
    assert SessionStore(store.session_key).load() == {}


def test_the_permissions_are_right_before_the_content_types_are_known(reference):
    user = UserFactory(role="lead")
    ContentType.objects.clear_cache()
    assert ModelBackend().get_all_permissions(fresh(user)) == (
        DjangoModelBackend().get_all_permissions(fresh(user))
    )
