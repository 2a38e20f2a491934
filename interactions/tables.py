import django_tables2 as tables
from django.utils.html import format_html
from django.utils.text import Truncator
from django.utils.translation import gettext_lazy as _

from .masking import mask_email, mask_phone
from .models import Customer, Interaction
from .templatetags.emotioncare import archetype_badge, emotion_change, person_name


class InteractionTable(tables.Table):
    """The seed table's columns first (customer, emotion, response), then the rest."""

    customer = tables.Column(
        verbose_name=_("Customer"),
        linkify=lambda record: record.customer.get_absolute_url(),
        order_by=("customer__name", "-occurred_at"),
    )
    emotion = tables.Column(
        verbose_name=_("Emotion"),
        accessor="emotion_start",
        empty_values=(),
        order_by=("emotion_start__order", "-occurred_at"),
    )
    response = tables.Column(
        verbose_name=_("Response"),
        accessor="response_text",
        empty_values=(),
        order_by=("response_template__title", "-occurred_at"),
    )
    occurred_at = tables.DateTimeColumn(
        verbose_name=_("When"),
        format="Y-m-d H:i",
        linkify=lambda record: record.get_absolute_url(),
        order_by=("occurred_at", "id"),
        attrs={"td": {"class": "nowrap"}},
    )
    channel = tables.Column(verbose_name=_("Channel"), order_by=("channel__order", "-occurred_at"))
    touchpoint = tables.Column(
        verbose_name=_("Touchpoint"), order_by=("touchpoint__order", "-occurred_at")
    )
    agent = tables.Column(
        verbose_name=_("Agent"),
        order_by=("agent__username", "-occurred_at"),
        attrs={"td": {"class": "nowrap"}},
    )
    intensity = tables.Column(verbose_name=_("Intensity"), attrs={"td": {"class": "num"}})
    complaint_status = tables.Column(verbose_name=_("Complaint"), empty_values=())
    outcome = tables.Column(verbose_name=_("Outcome"), attrs={"td": {"class": "nowrap"}})
    recovered = tables.Column(verbose_name=_("Recovered"), empty_values=())

    class Meta:
        model = Interaction
        fields = ()
        sequence = (
            "customer",
            "emotion",
            "response",
            "occurred_at",
            "channel",
            "touchpoint",
            "agent",
            "intensity",
            "complaint_status",
            "outcome",
            "recovered",
        )
        order_by = ("-occurred_at",)
        attrs = {"class": "table"}
        empty_text = _("No interactions match these filters.")

    def render_emotion(self, record):
        return emotion_change(record.emotion_start, record.emotion_end)

    def render_response(self, record):
        text = Truncator(record.response_text).chars(48)
        if record.response_template_id:
            return format_html(
                '<span class="response-cell">'
                '<span class="badge badge-template">{}</span> {}</span>',
                record.response_template.title,
                text,
            )
        return format_html('<span class="response-cell">{}</span>', text or "—")

    def render_agent(self, value):
        return person_name(value)

    def render_complaint_status(self, record):
        if not record.is_complaint:
            return "—"
        return format_html(
            '<span class="status status-{}">{}</span>',
            record.complaint_status,
            record.get_complaint_status_display(),
        )

    def render_recovered(self, value):
        if value is None:
            return "—"
        if value:
            return format_html('<span class="yes">✓ {}</span>', _("Yes"))
        return format_html('<span class="no">{}</span>', _("No"))


class CustomerTable(tables.Table):
    name = tables.Column(verbose_name=_("Name"), linkify=True)
    phone = tables.Column(verbose_name=_("Phone"), orderable=False)
    email = tables.Column(verbose_name=_("E-mail"), orderable=False)
    external_ref = tables.Column(verbose_name=_("External reference"))
    archetype = tables.Column(verbose_name=_("Archetype"), empty_values=())
    created_at = tables.DateTimeColumn(verbose_name=_("Created"), format="Y-m-d")

    class Meta:
        model = Customer
        fields = ()
        sequence = ("name", "phone", "email", "external_ref", "archetype", "created_at")
        attrs = {"class": "table"}
        empty_text = _("No customers match.")

    def render_phone(self, value):
        return mask_phone(value)

    def render_email(self, value):
        return mask_email(value)

    def render_archetype(self, record):
        return archetype_badge(record)
