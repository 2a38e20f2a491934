from django.contrib import admin
from django.db import transaction
from django.utils.translation import gettext_lazy as _

from . import rollups
from .access import Action, record_access
from .masking import mask_email, mask_phone
from .models import (
    AccessLog,
    ArchetypeChange,
    BreakNudge,
    Channel,
    Customer,
    Emotion,
    Interaction,
    PhraseRule,
    Reflection,
    ResponseTemplate,
    Touchpoint,
)

admin.site.site_header = _("EmotionCare administration")
admin.site.site_title = _("EmotionCare")


@admin.register(Emotion)
class EmotionAdmin(admin.ModelAdmin):
    list_display = ("code", "name_en", "name_ko", "valence", "color", "order", "is_active")
    list_editable = ("order", "is_active")
    list_filter = ("valence", "is_active")
    search_fields = ("code", "name_en", "name_ko")


@admin.register(Channel)
class ChannelAdmin(admin.ModelAdmin):
    list_display = ("code", "name_en", "name_ko", "response_target_hours", "order", "is_active")
    list_editable = ("response_target_hours", "order", "is_active")
    list_filter = ("is_active",)
    search_fields = ("code", "name_en", "name_ko")

    def save_model(self, request, obj, form, change):
        super().save_model(request, obj, form, change)
        # A new target moves complaints between late and on time in the dashboard's
        # rollups (on the change page and in the list's editable column alike).
        if change and "response_target_hours" in form.changed_data:
            rollups.recount_resolved_late()


@admin.register(Touchpoint)
class TouchpointAdmin(admin.ModelAdmin):
    list_display = ("code", "name_en", "name_ko", "order", "is_active")
    list_editable = ("order", "is_active")
    list_filter = ("is_active",)
    search_fields = ("code", "name_en", "name_ko")


@admin.register(ResponseTemplate)
class ResponseTemplateAdmin(admin.ModelAdmin):
    list_display = ("title", "language", "category", "owner", "is_active", "updated_at")
    list_filter = ("language", "is_active", "category", "emotions", "channels")
    search_fields = ("title", "text", "category", "code")
    filter_horizontal = ("emotions", "channels")
    raw_id_fields = ("owner",)


@admin.register(PhraseRule)
class PhraseRuleAdmin(admin.ModelAdmin):
    list_display = ("phrase", "code", "language", "is_active", "updated_at")
    list_filter = ("language", "is_active")
    search_fields = ("phrase", "variants", "reason", "alternative", "code")


@admin.register(Customer)
class CustomerAdmin(admin.ModelAdmin):
    list_display = (
        "name",
        "masked_phone",
        "masked_email",
        "external_ref",
        "archetype",
        "archetype_source",
        "created_at",
    )
    list_filter = ("archetype", "archetype_source")
    search_fields = ("name", "external_ref", "phone_digits", "email")
    # The archetype changes on the customer's page, where it is kept in the history and
    # in the dashboard's counts (services); here it is shown only.
    readonly_fields = (
        "archetype",
        "archetype_source",
        "archetype_reason",
        "suggested_archetype",
        "archetype_basis",
        "archetype_set_by",
        "archetype_set_at",
        "created_by",
        "created_at",
    )
    show_full_result_count = False

    # A deleted customer's archetype changes go with them: out of the board's counts.
    def delete_model(self, request, obj):
        with transaction.atomic():
            rollups.remove_changes(ArchetypeChange.objects.filter(customer_id=obj.pk))
            super().delete_model(request, obj)

    def delete_queryset(self, request, queryset):
        with transaction.atomic():
            ids = list(queryset.values_list("pk", flat=True))
            rollups.remove_changes(ArchetypeChange.objects.filter(customer_id__in=ids))
            super().delete_queryset(request, queryset)

    @admin.display(description=_("phone"))
    def masked_phone(self, obj):
        return mask_phone(obj.phone)

    @admin.display(description=_("e-mail"))
    def masked_email(self, obj):
        return mask_email(obj.email)

    def has_change_permission(self, request, obj=None):
        """An erased customer is not edited back to life (docs/privacy.md)."""
        if obj is not None and obj.erased_at is not None:
            return False
        return super().has_change_permission(request, obj)

    def change_view(self, request, object_id, form_url="", extra_context=None):
        response = super().change_view(request, object_id, form_url, extra_context)
        if request.method == "GET" and response.status_code == 200:
            customer = Customer.objects.filter(pk=object_id).first()
            if customer is not None:  # the page shows the full phone: access log
                record_access(request, Action.VIEW_CUSTOMER, customer=customer)
        return response


@admin.register(Interaction)
class InteractionAdmin(admin.ModelAdmin):
    list_display = (
        "occurred_at",
        "customer",
        "agent",
        "channel",
        "emotion_start",
        "emotion_end",
        "is_complaint",
        "complaint_status",
        "outcome",
    )
    list_filter = (
        "channel",
        "start_valence",
        "is_complaint",
        "complaint_status",
        "outcome",
        "touchpoint",
    )
    list_select_related = ("customer", "agent", "channel", "emotion_start", "emotion_end")
    raw_id_fields = ("customer", "agent", "response_template")
    search_fields = ("customer__name", "summary")
    date_hierarchy = "occurred_at"
    show_full_result_count = False
    readonly_fields = (
        "start_valence",
        "end_valence",
        "recovered",
        "created_at",
        "updated_at",
        "praised_at",  # praise goes through services.praise_mark (positive end only)
        "praised_by",
        "praise_note",
    )

    # Writes here skip the services; the dashboard's rollups follow them all the same.
    def save_model(self, request, obj, form, change):
        if not change:
            super().save_model(request, obj, form, change)
            rollups.add_one(obj.pk)
            return
        with transaction.atomic(), rollups.track(Interaction.objects.filter(pk=obj.pk)):
            super().save_model(request, obj, form, change)

    def delete_model(self, request, obj):
        with transaction.atomic():
            rollups.remove(Interaction.objects.filter(pk=obj.pk))
            super().delete_model(request, obj)

    def delete_queryset(self, request, queryset):
        with transaction.atomic():
            rollups.remove(
                Interaction.objects.filter(pk__in=list(queryset.values_list("pk", flat=True)))
            )
            super().delete_queryset(request, queryset)


@admin.register(Reflection)
class ReflectionAdmin(admin.ModelAdmin):
    """A reflection's text is readable by its author alone (product.md), even here."""

    list_display = ("agent", "day", "updated_at")
    list_filter = ("day",)
    search_fields = ("agent__username",)
    fields = ("agent", "day")
    readonly_fields = ("agent", "day")

    def has_add_permission(self, request):
        return False

    def has_change_permission(self, request, obj=None):
        return False


@admin.register(BreakNudge)
class BreakNudgeAdmin(admin.ModelAdmin):
    """Read-only: nudges are offered by the rule and answered by their agent."""

    list_display = ("agent", "created_at", "negative_count", "practice", "status", "responded_at")
    list_filter = ("status", "practice")
    list_select_related = ("agent",)
    search_fields = ("agent__username",)
    date_hierarchy = "created_at"
    show_full_result_count = False

    def has_add_permission(self, request):
        return False

    def has_change_permission(self, request, obj=None):
        return False


@admin.register(AccessLog)
class AccessLogAdmin(admin.ModelAdmin):
    """Read-only: entries are written by the app and never changed or deleted (the
    retention purge aside, docs/privacy.md). Leads read them at /access-log/."""

    list_display = ("at", "username", "action", "object_repr", "rows", "ip")
    list_filter = ("action",)
    search_fields = ("username", "object_repr")
    date_hierarchy = "at"
    show_full_result_count = False

    def has_add_permission(self, request):
        return False

    def has_change_permission(self, request, obj=None):
        return False

    def has_delete_permission(self, request, obj=None):
        return False
