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
        auditlog.register(
            models.Customer,
            exclude_fields=["updated_at", "phone_digits"],
            mask_fields=["phone"],
        )
        auditlog.register(
            models.ResponseTemplate,
            exclude_fields=["updated_at"],
            m2m_fields={"emotions", "channels"},
        )
        auditlog.register(models.PhraseRule, exclude_fields=["updated_at"])


def _sync_role_groups(**kwargs):
    """Keep the role groups' permissions in step with roles.py after every migrate, so a
    permission added with a new model reaches existing databases (0002 made the groups)."""
    from .roles import ensure_role_groups

    ensure_role_groups()
