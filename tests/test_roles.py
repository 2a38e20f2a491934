import pytest
from django.contrib.auth.models import Group

from interactions import roles

pytestmark = pytest.mark.django_db


def test_the_migration_creates_the_same_groups_as_the_role_module():
    migrated = {
        g.name: set(g.permissions.values_list("codename", flat=True)) for g in Group.objects.all()
    }
    roles.ensure_role_groups()
    again = {
        g.name: set(g.permissions.values_list("codename", flat=True)) for g in Group.objects.all()
    }
    assert migrated == again
    assert "change_any_interaction" in again["lead"]
    assert "change_any_interaction" not in again["agent"]
