"""What the API reads and writes (docs/api.md, "Fields").

Serializers only check the shape and the references of the input; the writes go
through services.py, which validates the whole object again (``full_clean``) and keeps
the derived data (valence, recovery, phrase warnings, archetype, nudges) as the pages do.
"""

from django.utils import timezone
from django.utils.translation import gettext_lazy as _
from drf_spectacular.utils import extend_schema_field
from rest_framework import serializers

from .. import archetypes, selectors
from ..forms import (
    EARLIEST_YEAR,
    ERR_FOLLOW_UP_BEFORE,
    ERR_IN_FUTURE,
    ERR_REF_TAKEN,
    ERR_TOO_OLD,
    FUTURE_TOLERANCE,
    phone_validator,
)
from ..masking import mask_email, mask_phone
from ..models import (
    NAME_MAX,
    TEXT_MAX,
    Archetype,
    Channel,
    ComplaintStatus,
    Cue,
    Customer,
    Emotion,
    Interaction,
    Outcome,
    ResponseTemplate,
    Touchpoint,
    Valence,
)
from .fields import AwareDateTimeField, CodeField, IdRelatedField

ERR_NAME_BLANK = _("Enter the customer's name.")
ERR_TOO_MANY_CUES = _("List each cue at most once.")


# --- Customers ----------------------------------------------------------------------


class CustomerSerializer(serializers.ModelSerializer):
    """A customer. Phone and e-mail come masked when the view says so (lists)."""

    name = serializers.CharField(max_length=NAME_MAX)
    phone = serializers.CharField(
        max_length=32, required=False, allow_blank=True, validators=[phone_validator]
    )
    email = serializers.EmailField(max_length=254, required=False, allow_blank=True)
    external_ref = serializers.CharField(
        max_length=64, required=False, allow_blank=True, help_text="CRM id; unique when set."
    )
    notes = serializers.CharField(max_length=TEXT_MAX, required=False, allow_blank=True)
    archetype = serializers.ChoiceField(choices=Archetype.choices, read_only=True, allow_null=True)
    archetype_source = serializers.SerializerMethodField()
    archetype_reason = serializers.SerializerMethodField()

    class Meta:
        model = Customer
        fields = [
            "id",
            "name",
            "phone",
            "email",
            "external_ref",
            "notes",
            "archetype",
            "archetype_source",
            "archetype_reason",
        ]
        read_only_fields = ["id"]

    def validate_name(self, value: str) -> str:
        if not value.strip():
            raise serializers.ValidationError(ERR_NAME_BLANK, code="blank")
        return value

    def validate_external_ref(self, value: str) -> str:
        taken = Customer.objects.filter(external_ref=value)
        if self.instance is not None:
            taken = taken.exclude(pk=self.instance.pk)
        if value and taken.exists():
            raise serializers.ValidationError(ERR_REF_TAKEN, code="unique")
        return value

    @extend_schema_field(
        serializers.ChoiceField(choices=Customer.ArchetypeSource.choices, allow_null=True)
    )
    def get_archetype_source(self, customer: Customer) -> str | None:
        return customer.archetype_source or None

    def get_archetype_reason(self, customer: Customer) -> str:
        """A person's note for a set archetype; the rules' reason in words otherwise."""
        if customer.archetype_source == Customer.ArchetypeSource.MANUAL:
            return customer.archetype_reason
        if not customer.archetype_basis:
            return ""
        if "touchpoint_names" not in self.context:  # once per request, not per row
            self.context["touchpoint_names"] = archetypes.touchpoint_names()
        names = self.context["touchpoint_names"]
        return archetypes.reason_text(customer.archetype_basis, names)

    def to_representation(self, customer):
        data = super().to_representation(customer)
        if self.context.get("mask_contact", False):
            data["phone"] = mask_phone(data["phone"])
            data["email"] = mask_email(data["email"])
        return data


# --- Interactions -------------------------------------------------------------------


class PhraseWarningSerializer(serializers.Serializer):
    """One phrase-guide hit found in the response when it was saved."""

    rule_id = serializers.IntegerField()
    code = serializers.CharField()
    language = serializers.CharField()
    start = serializers.IntegerField()
    end = serializers.IntegerField()
    text = serializers.CharField()


class InteractionSerializer(serializers.ModelSerializer):
    customer = IdRelatedField(queryset=Customer.objects.all())
    agent = serializers.PrimaryKeyRelatedField(read_only=True)
    occurred_at = AwareDateTimeField()
    channel = CodeField(queryset=Channel.objects.active())
    touchpoint = CodeField(queryset=Touchpoint.objects.active(), required=False, allow_null=True)
    emotion_start = CodeField(queryset=Emotion.objects.active())
    emotion_end = CodeField(queryset=Emotion.objects.active(), required=False, allow_null=True)
    intensity = serializers.IntegerField(min_value=1, max_value=5, default=3)
    cues = serializers.ListField(
        child=serializers.ChoiceField(choices=Cue.choices),
        required=False,
        max_length=len(Cue.choices),
    )
    summary = serializers.CharField(max_length=TEXT_MAX, required=False, allow_blank=True)
    is_complaint = serializers.BooleanField(required=False, default=False)
    complaint_status = serializers.ChoiceField(
        choices=ComplaintStatus.choices,
        required=False,
        allow_blank=True,
        help_text="Complaints only: open when left empty; empty for other contacts.",
    )
    response_template = IdRelatedField(
        queryset=ResponseTemplate.objects.none(), required=False, allow_null=True
    )
    response_text = serializers.CharField(max_length=TEXT_MAX, required=False, allow_blank=True)
    outcome = serializers.ChoiceField(choices=Outcome.choices, required=False, allow_blank=True)
    follow_up_on = serializers.DateField(required=False, allow_null=True)
    created_at = serializers.DateTimeField(read_only=True)
    recovered = serializers.BooleanField(
        read_only=True,
        allow_null=True,
        help_text="Negative at start and neutral or positive at end; null without an end.",
    )
    phrase_warnings = PhraseWarningSerializer(many=True, read_only=True)

    class Meta:
        model = Interaction
        fields = [
            "id",
            "customer",
            "agent",
            "occurred_at",
            "channel",
            "touchpoint",
            "emotion_start",
            "emotion_end",
            "intensity",
            "cues",
            "summary",
            "is_complaint",
            "complaint_status",
            "response_template",
            "response_text",
            "outcome",
            "follow_up_on",
            "created_at",
            "recovered",
            "phrase_warnings",
        ]
        read_only_fields = ["id"]

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        request = self.context.get("request")
        user = getattr(request, "user", None)
        if getattr(user, "is_authenticated", False) and "response_template" in self.fields:
            # Only templates the caller may use: the team's and their own.
            self.fields["response_template"].queryset = selectors.templates_for(user=user)

    def validate_occurred_at(self, value):
        if value > timezone.now() + FUTURE_TOLERANCE:
            raise serializers.ValidationError(ERR_IN_FUTURE, code="future")
        if value.year < EARLIEST_YEAR:  # as the log form and the import
            raise serializers.ValidationError(ERR_TOO_OLD, code="too_old")
        return value

    def validate_cues(self, value: list) -> list:
        if len(set(value)) != len(value):
            raise serializers.ValidationError(ERR_TOO_MANY_CUES, code="duplicate")
        return value

    def validate(self, attrs):
        def current(name):
            if name in attrs:
                return attrs[name]
            return getattr(self.instance, name, None)

        occurred_at, follow_up = current("occurred_at"), current("follow_up_on")
        if occurred_at and follow_up and follow_up < timezone.localtime(occurred_at).date():
            raise serializers.ValidationError(
                {"follow_up_on": [ERR_FOLLOW_UP_BEFORE]}, code="before"
            )
        return attrs


# --- Reference data and templates ---------------------------------------------------


class EmotionSerializer(serializers.ModelSerializer):
    name = serializers.CharField(read_only=True, help_text="In the request's language.")
    valence = serializers.ChoiceField(choices=Valence.choices, read_only=True)

    class Meta:
        model = Emotion
        fields = ["code", "valence", "name", "name_en", "name_ko", "color", "order", "is_active"]
        read_only_fields = fields


class ChannelSerializer(serializers.ModelSerializer):
    name = serializers.CharField(read_only=True, help_text="In the request's language.")

    class Meta:
        model = Channel
        fields = [
            "code",
            "name",
            "name_en",
            "name_ko",
            "response_target_hours",
            "handling_rule_en",
            "handling_rule_ko",
            "order",
            "is_active",
        ]
        read_only_fields = fields


class ResponseTemplateSerializer(serializers.ModelSerializer):
    emotions = serializers.SlugRelatedField(many=True, read_only=True, slug_field="code")
    channels = serializers.SlugRelatedField(many=True, read_only=True, slug_field="code")
    valences = serializers.ListField(
        child=serializers.ChoiceField(choices=Valence.choices), read_only=True
    )
    archetypes = serializers.ListField(
        child=serializers.ChoiceField(choices=Archetype.choices), read_only=True
    )
    personal = serializers.SerializerMethodField()

    class Meta:
        model = ResponseTemplate
        fields = [
            "id",
            "code",
            "title",
            "text",
            "language",
            "category",
            "emotions",
            "valences",
            "archetypes",
            "channels",
            "personal",
            "is_active",
        ]
        read_only_fields = fields

    def get_personal(self, template: ResponseTemplate) -> bool:
        """True for the caller's own personal template, false for the team's."""
        return template.owner_id is not None


class SuggestQuerySerializer(serializers.Serializer):
    """The query of /templates/suggest/."""

    emotion = CodeField(queryset=Emotion.objects.active(), help_text="The emotion at start.")
    customer = IdRelatedField(queryset=Customer.objects.all(), required=False)
    channel = CodeField(queryset=Channel.objects.active(), required=False)


class SuggestionSerializer(serializers.Serializer):
    """One suggested response, best first."""

    template = serializers.IntegerField(source="template_id")
    title = serializers.CharField()
    text = serializers.CharField(help_text="The template with its placeholders filled in.")
    recovery_rate = serializers.FloatField(
        source="rate",
        allow_null=True,
        help_text="A fraction from 0 to 1; null below the minimum sample.",
    )
    sample_size = serializers.IntegerField(
        source="uses", help_text="Uses with a negative start and an end emotion, recently."
    )


# --- Statistics ---------------------------------------------------------------------


class PeriodQuerySerializer(serializers.Serializer):
    since = AwareDateTimeField(required=False, help_text="From this moment (inclusive).")
    until = AwareDateTimeField(required=False, help_text="Up to this moment (exclusive).")


class ValenceCountsSerializer(serializers.Serializer):
    positive = serializers.IntegerField()
    neutral = serializers.IntegerField()
    negative = serializers.IntegerField()


class ArchetypeCountsSerializer(serializers.Serializer):
    active_hater = serializers.IntegerField()
    extreme_critic = serializers.IntegerField()
    loyal_annoyed = serializers.IntegerField()
    loyal_enthusiast = serializers.IntegerField()


class StatsSummarySerializer(serializers.Serializer):
    total = serializers.IntegerField(help_text="Interactions in the period.")
    by_valence = ValenceCountsSerializer(help_text="Interactions by the valence at start.")
    recovery_rate = serializers.FloatField(
        allow_null=True,
        help_text="Recovered / negative-start interactions with an end emotion; null below "
        "the minimum sample.",
    )
    by_archetype = ArchetypeCountsSerializer(
        help_text="Customers per archetype as they are now (unclassified ones not counted)."
    )


# --- Authentication -----------------------------------------------------------------


class TokenRequestSerializer(serializers.Serializer):
    username = serializers.CharField(max_length=150, trim_whitespace=False)
    password = serializers.CharField(
        max_length=4096, trim_whitespace=False, style={"input_type": "password"}
    )


class TokenSerializer(serializers.Serializer):
    token = serializers.CharField(read_only=True)


class ErrorSerializer(serializers.Serializer):
    """An error that is not about one field."""

    detail = serializers.CharField()
