from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class InteractionsConfig(AppConfig):
    name = "interactions"
    verbose_name = _("EmotionCare")
    default_auto_field = "django.db.models.BigAutoField"

    def ready(self):
        from auditlog.registry import auditlog
        from django.db.models.signals import post_migrate

        post_migrate.connect(_sync_role_groups, sender=self)

        from . import models

        auditlog.register(models.Interaction, exclude_fields=["updated_at"])
        # Phone and e-mail are masked in the trail as in lists (docs/privacy.md).
        auditlog.register(
            models.Customer,
            exclude_fields=["updated_at", "phone_digits"],
            mask_fields=["phone", "email"],
            mask_callable="interactions.masking.mask_contact",
        )
        auditlog.register(
            models.ResponseTemplate,
            exclude_fields=["updated_at"],
            m2m_fields={"emotions", "channels"},
        )
        auditlog.register(models.PhraseRule, exclude_fields=["updated_at"])
        # A CSV import is one entry (who, file, rows); its rows are bulk-inserted without
        # entries of their own (docs/import.md).
        auditlog.register(models.ImportBatch)
        # Users: who created, changed, deactivated or deleted an account and its roles;
        # never the password hash, and not every login.
        from django.contrib.auth import get_user_model

        auditlog.register(
            get_user_model(),
            exclude_fields=["password", "last_login"],
            m2m_fields={"groups", "user_permissions"},
        )


def _sync_role_groups(**kwargs):
    """Keep the role groups' permissions in step with roles.py after every migrate, so a
    permission added with a new model reaches existing databases (0002 made the groups)."""
    from .roles import ensure_role_groups

    ensure_role_groups()
