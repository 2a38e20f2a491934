"""Create a user in one of the three roles.

    manage.py create_user kim --role agent [--password P] [--email E] [--first-name F]

Without --password the password is asked for twice on the terminal. It must
pass the project's password validators (AUTH_PASSWORD_VALIDATORS). An existing
username (compared case-insensitively, so "Kim" and "kim" cannot both exist) is
refused. The role is given with interactions.roles.assign_role: admins become
staff and superuser, agents and leads get no Django admin access.
"""

import getpass
import sys

from django.contrib.auth import get_user_model
from django.contrib.auth.password_validation import validate_password
from django.core.exceptions import ValidationError
from django.core.management.base import BaseCommand, CommandError
from django.db import transaction

from interactions.roles import ROLES, assign_role

ERROR_USER_EXISTS = "A user named {username!r} already exists; choose another username."
ERROR_PASSWORD_MISMATCH = "The two passwords did not match; no user was created."
ERROR_NO_TERMINAL = "No --password given and no terminal to ask for one on."
ERROR_WEAK_PASSWORD = "Password refused, no user was created: {reasons}"
ERROR_BAD_FIELD = "Invalid {field}, no user was created: {reasons}"


class Command(BaseCommand):
    help = (
        "Create a user with a role (agent, lead or admin). The password comes from "
        "--password or is asked for twice, and must pass the password validators."
    )

    def add_arguments(self, parser):
        parser.add_argument("username")
        parser.add_argument("--role", required=True, choices=ROLES)
        parser.add_argument("--password", help="Omit to be asked on the terminal.")
        parser.add_argument("--email", default="")
        parser.add_argument("--first-name", dest="first_name", default="")

    def handle(self, *args, username, role, password=None, email="", first_name="", **options):
        User = get_user_model()
        username = username.strip()
        if User.objects.filter(**{f"{User.USERNAME_FIELD}__iexact": username}).exists():
            raise CommandError(ERROR_USER_EXISTS.format(username=username))

        user = User(**{User.USERNAME_FIELD: username}, email=email, first_name=first_name)
        for field in (User.USERNAME_FIELD, "email", "first_name"):
            try:
                user._meta.get_field(field).clean(getattr(user, field), user)
            except ValidationError as error:
                raise CommandError(
                    ERROR_BAD_FIELD.format(field=field, reasons=" ".join(error.messages))
                ) from error

        if password is None:
            password = self._prompt_password()
        try:
            validate_password(password, user=user)
        except ValidationError as error:
            raise CommandError(
                ERROR_WEAK_PASSWORD.format(reasons=" ".join(error.messages))
            ) from error

        with transaction.atomic():
            user.set_password(password)
            user.save()
            assign_role(user, role)
        self.stdout.write(self.style.SUCCESS(f"Created {role} {username!r}."))

    def _prompt_password(self) -> str:
        if not sys.stdin.isatty():
            raise CommandError(ERROR_NO_TERMINAL)
        first = getpass.getpass("Password: ")
        second = getpass.getpass("Password (again): ")
        if first != second:
            raise CommandError(ERROR_PASSWORD_MISMATCH)
        return first
