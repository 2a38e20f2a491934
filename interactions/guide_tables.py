"""Tables of the response-template and phrase-guide management pages (django-tables2)."""

import django_tables2 as tables
from django.urls import reverse
from django.utils.html import format_html, format_html_join
from django.utils.text import Truncator
from django.utils.translation import gettext_lazy as _

from .models import Archetype, PhraseRule, ResponseTemplate, Valence
from .templatetags.emotioncare import VALENCE_SYMBOL

VALENCE_LABELS = dict(Valence.choices)
ARCHETYPE_LABELS = dict(Archetype.choices)


def active_badge(is_active: bool):
    if is_active:
        return format_html('<span class="yes">✓ {}</span>', _("Active"))
    return format_html('<span class="badge badge-muted">{}</span>', _("Inactive"))


def scope_badge(template: ResponseTemplate):
    if template.owner_id is None:
        return format_html('<span class="badge badge-template">{}</span>', _("Team"))
    return format_html('<span class="badge badge-personal">{}</span>', _("Personal"))


def suits_summary(template: ResponseTemplate):
    """Emotions, valences, archetypes and channels in one compact list (prefetched)."""
    rows = []
    emotions = template.emotions.all()
    if emotions:
        rows.append(
            (
                _("Emotions"),
                ", ".join(f"{VALENCE_SYMBOL.get(e.valence, '')} {e.name}" for e in emotions),
            )
        )
    if template.valences:
        rows.append(
            (
                _("Valences"),
                ", ".join(str(VALENCE_LABELS.get(code, code)) for code in template.valences),
            )
        )
    if template.archetypes:
        rows.append(
            (
                _("Archetypes"),
                ", ".join(str(ARCHETYPE_LABELS.get(code, code)) for code in template.archetypes),
            )
        )
    channels = template.channels.all()
    if channels:
        rows.append((_("Channels"), ", ".join(c.name for c in channels)))
    if not rows:
        return format_html('<span class="muted">{}</span>', _("Any situation"))
    return format_html(
        '<ul class="suits-list">{}</ul>',
        format_html_join(
            "", '<li><span class="muted">{}:</span> {}</li>', ((str(k), v) for k, v in rows)
        ),
    )


class ResponseTemplateTable(tables.Table):
    title = tables.Column(
        verbose_name=_("Title"),
        linkify=lambda record: reverse("interactions:template-detail", args=[record.pk]),
        order_by=("title", "id"),
    )
    category = tables.Column(verbose_name=_("Category"), order_by=("category", "title"))
    language = tables.Column(verbose_name=_("Language"), order_by=("language", "title"))
    suits = tables.Column(verbose_name=_("Suits"), empty_values=(), orderable=False)
    scope = tables.Column(
        verbose_name=_("Scope"), accessor="owner_id", empty_values=(), order_by=("owner", "title")
    )
    is_active = tables.Column(
        verbose_name=_("Active"),
        order_by=("-is_active", "title"),
        attrs={"td": {"class": "nowrap"}},
    )
    updated_at = tables.DateTimeColumn(
        verbose_name=_("Updated"), format="Y-m-d", attrs={"td": {"class": "nowrap"}}
    )

    class Meta:
        model = ResponseTemplate
        fields = ()
        sequence = ("title", "category", "language", "suits", "scope", "is_active", "updated_at")
        attrs = {"class": "table"}
        empty_text = _("No templates match.")

    def render_language(self, record):
        return record.get_language_display()

    def render_suits(self, record):
        return suits_summary(record)

    def render_scope(self, record):
        return scope_badge(record)

    def render_is_active(self, value):
        return active_badge(value)


def variants_summary(rule: PhraseRule, shown: int = 2):
    lines = [line.strip() for line in (rule.variants or "").splitlines() if line.strip()]
    if not lines:
        return "—"
    text = ", ".join(lines[:shown])
    if len(lines) > shown:
        return format_html(
            '<span class="mono">{}</span> <span class="muted">+{}</span>', text, len(lines) - shown
        )
    return format_html('<span class="mono">{}</span>', text)


class PhraseRuleTable(tables.Table):
    phrase = tables.Column(
        verbose_name=_("Phrase to avoid"),
        linkify=lambda record: reverse("interactions:phrase-rule-detail", args=[record.pk]),
        order_by=("phrase", "id"),
    )
    variants = tables.Column(verbose_name=_("Variants"), empty_values=(), orderable=False)
    reason = tables.Column(verbose_name=_("Why"), orderable=False)
    alternative = tables.Column(verbose_name=_("Say instead"), orderable=False)
    language = tables.Column(verbose_name=_("Language"), order_by=("language", "code"))
    is_active = tables.Column(
        verbose_name=_("Active"),
        order_by=("-is_active", "code"),
        attrs={"td": {"class": "nowrap"}},
    )

    class Meta:
        model = PhraseRule
        fields = ()
        sequence = ("phrase", "variants", "reason", "alternative", "language", "is_active")
        order_by = ("phrase",)
        attrs = {"class": "table"}
        empty_text = _("No rules match.")

    def render_variants(self, record):
        return variants_summary(record)

    def render_reason(self, value):
        return Truncator(value).chars(90)

    def render_alternative(self, value):
        return Truncator(value).chars(90)

    def render_language(self, record):
        return record.get_language_display()

    def render_is_active(self, value):
        return active_badge(value)
