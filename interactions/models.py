"""EmotionCare's tables.

Codes (emotion, channel, touchpoint, valence, cue, status, outcome, archetype)
are stable identifiers used by the API and imports; labels are translated.
"""

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.utils import timezone
from django.utils.translation import get_language
from django.utils.translation import gettext_lazy as _

TEXT_MAX = 4000  # the longest free text any field accepts
NAME_MAX = 120
PRAISE_NOTE_MAX = 280


class Valence(models.TextChoices):
    POSITIVE = "positive", _("Positive")
    NEUTRAL = "neutral", _("Neutral")
    NEGATIVE = "negative", _("Negative")


class Archetype(models.TextChoices):
    ACTIVE_HATER = "active_hater", _("Active hater")
    EXTREME_CRITIC = "extreme_critic", _("Extreme critic")
    LOYAL_ANNOYED = "loyal_annoyed", _("Previously satisfied, now annoyed")
    LOYAL_ENTHUSIAST = "loyal_enthusiast", _("Still passionate, still satisfied")


class Cue(models.TextChoices):
    WORDS = "words", _("Words")
    TONE = "tone", _("Tone of voice")
    FACIAL_EXPRESSION = "facial_expression", _("Facial expression")
    BEHAVIOUR = "behaviour", _("Behaviour")


class ComplaintStatus(models.TextChoices):
    OPEN = "open", _("Open")
    IN_PROGRESS = "in_progress", _("In progress")
    RESOLVED = "resolved", _("Resolved")


class Outcome(models.TextChoices):
    SATISFIED = "satisfied", _("Satisfied")
    INDIFFERENT = "indifferent", _("Indifferent")
    DISSATISFIED = "dissatisfied", _("Dissatisfied")


class Language(models.TextChoices):
    EN = "en", _("English")
    KO = "ko", _("Korean")


class BilingualNameMixin:
    """Reference rows carry English and Korean names; `name` picks by language."""

    def localized(self, field: str) -> str:
        lang = (get_language() or "en")[:2]
        value = getattr(self, f"{field}_{lang}", "") if lang in ("en", "ko") else ""
        return value or getattr(self, f"{field}_en")

    @property
    def name(self) -> str:
        return self.localized("name")

    def __str__(self) -> str:
        return self.name


class ReferenceQuerySet(models.QuerySet):
    def active(self):
        return self.filter(is_active=True)


class Emotion(BilingualNameMixin, models.Model):
    code = models.SlugField(_("code"), max_length=40, unique=True)
    valence = models.CharField(_("valence"), max_length=10, choices=Valence.choices)
    name_en = models.CharField(_("English name"), max_length=60)
    name_ko = models.CharField(_("Korean name"), max_length=60)
    color = models.CharField(
        _("colour"), max_length=7, default="#6b7280", help_text=_("Hex colour, e.g. #1f77b4")
    )
    order = models.PositiveSmallIntegerField(_("order"), default=0)
    is_active = models.BooleanField(_("active"), default=True)

    objects = ReferenceQuerySet.as_manager()

    class Meta:
        ordering = ["order", "code"]
        verbose_name = _("emotion")
        verbose_name_plural = _("emotions")
        constraints = [
            models.CheckConstraint(
                condition=Q(valence__in=Valence.values), name="emotion_valence_known"
            ),
        ]


class Channel(BilingualNameMixin, models.Model):
    code = models.SlugField(_("code"), max_length=40, unique=True)
    name_en = models.CharField(_("English name"), max_length=60)
    name_ko = models.CharField(_("Korean name"), max_length=60)
    response_target_hours = models.PositiveIntegerField(
        _("response target (hours)"),
        default=24,
        help_text=_("Calendar hours from a complaint being logged to its resolution."),
    )
    handling_rule_en = models.TextField(_("handling rule (English)"), blank=True)
    handling_rule_ko = models.TextField(_("handling rule (Korean)"), blank=True)
    order = models.PositiveSmallIntegerField(_("order"), default=0)
    is_active = models.BooleanField(_("active"), default=True)

    objects = ReferenceQuerySet.as_manager()

    class Meta:
        ordering = ["order", "code"]
        verbose_name = _("channel")
        verbose_name_plural = _("channels")

    @property
    def handling_rule(self) -> str:
        return self.localized("handling_rule")


class Touchpoint(BilingualNameMixin, models.Model):
    code = models.SlugField(_("code"), max_length=40, unique=True)
    name_en = models.CharField(_("English name"), max_length=60)
    name_ko = models.CharField(_("Korean name"), max_length=60)
    order = models.PositiveSmallIntegerField(_("order"), default=0)
    is_active = models.BooleanField(_("active"), default=True)

    objects = ReferenceQuerySet.as_manager()

    class Meta:
        ordering = ["order", "code"]
        verbose_name = _("touchpoint")
        verbose_name_plural = _("touchpoints")


class CustomerQuerySet(models.QuerySet):
    def search(self, term: str):
        """Match a name, phone (by digits) or external reference as the user types."""
        # No stored value holds a NUL byte, and PostgreSQL refuses one in a query (a 500).
        term = (term or "").replace("\x00", "").strip()
        if not term:
            return self.none()
        digits = "".join(ch for ch in term if ch.isdigit())
        query = Q(name__icontains=term) | Q(external_ref__iexact=term)
        if digits and len(digits) >= 3:
            query |= Q(phone_digits__contains=digits)
        return self.filter(query)


class Customer(models.Model):
    class ArchetypeSource(models.TextChoices):
        SUGGESTED = "suggested", _("Suggested by the system")
        MANUAL = "manual", _("Set by a person")

    name = models.CharField(_("name"), max_length=NAME_MAX)
    phone = models.CharField(_("phone"), max_length=32, blank=True)
    phone_digits = models.CharField(max_length=32, blank=True, editable=False, db_index=True)
    email = models.EmailField(_("e-mail"), blank=True)
    external_ref = models.CharField(
        _("external reference"), max_length=64, blank=True, help_text=_("CRM id")
    )
    archetype = models.CharField(
        _("archetype"), max_length=20, choices=Archetype.choices, null=True, blank=True
    )
    archetype_source = models.CharField(
        _("archetype source"), max_length=10, choices=ArchetypeSource.choices, blank=True
    )
    archetype_reason = models.TextField(_("archetype reason"), blank=True)
    archetype_set_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("archetype set by"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )
    archetype_set_at = models.DateTimeField(_("archetype set at"), null=True, blank=True)
    # What the rules (rules/archetypes.py) make of the history, kept even when a person
    # has set the archetype, so a lead sees whether the system agrees. The basis is the
    # reason key and its counts, rendered in the reader's language (archetypes.py).
    suggested_archetype = models.CharField(
        _("suggested archetype"), max_length=20, choices=Archetype.choices, null=True, blank=True
    )
    archetype_basis = models.JSONField(_("archetype basis"), default=dict, blank=True)
    notes = models.TextField(_("notes"), blank=True, max_length=TEXT_MAX)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("created by"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )
    created_at = models.DateTimeField(_("created at"), default=timezone.now)
    updated_at = models.DateTimeField(_("updated at"), auto_now=True)
    # Demo rows: the archetype profile a demo customer was generated from, so
    # archetype suggestion can be checked against it; empty for real customers.
    demo_profile = models.CharField(max_length=20, blank=True, editable=False)
    # When the newest contact happened; kept by the archetype services so the
    # dashboard's board reads it from an index instead of scanning interactions.
    last_contact_at = models.DateTimeField(_("last contact"), null=True, blank=True, editable=False)
    # Privacy: set when the customer's personal data was erased (services); the
    # interactions stay, anonymised, for statistics.
    erased_at = models.DateTimeField(_("erased at"), null=True, blank=True, editable=False)

    objects = CustomerQuerySet.as_manager()

    class Meta:
        ordering = ["name", "id"]
        verbose_name = _("customer")
        verbose_name_plural = _("customers")
        permissions = [("set_archetype", _("Can set a customer's archetype"))]
        indexes = [
            models.Index(fields=["archetype", "name"], name="customer_archetype_idx"),
            # The customers list and the interactions list sorted by customer, by name.
            models.Index(fields=["name", "id"], name="customer_name_idx"),
            models.Index(fields=["external_ref"], name="customer_ref_idx"),
            models.Index(
                fields=["archetype", "-last_contact_at", "-id"], name="customer_board_idx"
            ),
        ]
        constraints = [
            models.UniqueConstraint(
                fields=["external_ref"],
                condition=~Q(external_ref=""),
                name="customer_external_ref_unique",
                violation_error_message=_("Another customer already has this reference."),
            ),
            models.CheckConstraint(
                condition=Q(archetype__isnull=True) | Q(archetype__in=Archetype.values),
                name="customer_archetype_known",
            ),
        ]

    def __str__(self) -> str:
        return self.name

    def save(self, *args, **kwargs):
        self.phone_digits = "".join(ch for ch in self.phone if ch.isdigit())
        if kwargs.get("update_fields") is not None and "phone" in kwargs["update_fields"]:
            kwargs["update_fields"] = {*kwargs["update_fields"], "phone_digits"}
        super().save(*args, **kwargs)

    def get_absolute_url(self) -> str:
        from django.urls import reverse

        return reverse("interactions:customer-detail", kwargs={"pk": self.pk})

    @property
    def is_erased(self) -> bool:
        return self.erased_at is not None


class ResponseTemplate(models.Model):
    code = models.SlugField(
        _("code"), max_length=60, null=True, blank=True, help_text=_("Stable id of shipped rows")
    )
    title = models.CharField(_("title"), max_length=NAME_MAX)
    text = models.TextField(
        _("text"),
        max_length=TEXT_MAX,
        help_text=_("Placeholders: {customer_name}, {agent_name}."),
    )
    language = models.CharField(
        _("language"), max_length=5, choices=Language.choices, default=Language.KO
    )
    category = models.CharField(_("category"), max_length=60, blank=True)
    emotions = models.ManyToManyField(
        Emotion, verbose_name=_("suits emotions"), blank=True, related_name="templates"
    )
    valences = models.JSONField(_("suits valences"), default=list, blank=True)
    archetypes = models.JSONField(_("suits archetypes"), default=list, blank=True)
    channels = models.ManyToManyField(
        Channel, verbose_name=_("suits channels"), blank=True, related_name="templates"
    )
    owner = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("owner"),
        null=True,
        blank=True,
        on_delete=models.CASCADE,
        related_name="personal_templates",
        help_text=_("Empty for the team's templates; set for an agent's personal one."),
    )
    is_active = models.BooleanField(_("active"), default=True)
    created_at = models.DateTimeField(_("created at"), auto_now_add=True)
    updated_at = models.DateTimeField(_("updated at"), auto_now=True)

    objects = ReferenceQuerySet.as_manager()

    class Meta:
        ordering = ["title", "id"]
        verbose_name = _("response template")
        verbose_name_plural = _("response templates")
        constraints = [
            models.UniqueConstraint(
                fields=["code", "language"],
                condition=Q(code__isnull=False),
                name="template_code_language_unique",
            ),
        ]

    def __str__(self) -> str:
        return self.title


class PhraseRule(models.Model):
    code = models.SlugField(_("code"), max_length=60)
    language = models.CharField(_("language"), max_length=5, choices=Language.choices)
    phrase = models.CharField(_("phrase to avoid"), max_length=200)
    variants = models.TextField(
        _("variants"),
        blank=True,
        help_text=_("Other spellings or forms of the phrase, one per line."),
    )
    reason = models.TextField(_("why"), max_length=TEXT_MAX)
    alternative = models.TextField(_("say instead"), max_length=TEXT_MAX)
    is_active = models.BooleanField(_("active"), default=True)
    created_at = models.DateTimeField(_("created at"), auto_now_add=True)
    updated_at = models.DateTimeField(_("updated at"), auto_now=True)

    objects = ReferenceQuerySet.as_manager()

    class Meta:
        ordering = ["code", "language"]
        verbose_name = _("phrase rule")
        verbose_name_plural = _("phrase rules")
        constraints = [
            models.UniqueConstraint(fields=["code", "language"], name="phrase_code_language_unique")
        ]

    def __str__(self) -> str:
        return self.phrase


class InteractionQuerySet(models.QuerySet):
    def with_relations(self):
        """Customer and agent joined; the small reference tables fetched once per page.
        Joining all seven makes PostgreSQL spend ~80 ms planning the join order of every
        page query at a million rows (measured), for tables of a dozen rows."""
        return self.select_related("customer", "agent").prefetch_related(
            "channel", "touchpoint", "emotion_start", "emotion_end", "response_template"
        )


class Interaction(models.Model):
    customer = models.ForeignKey(
        Customer,
        verbose_name=_("customer"),
        on_delete=models.PROTECT,
        related_name="interactions",
        db_index=False,  # ix_customer_time covers it
    )
    agent = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("agent"),
        on_delete=models.PROTECT,
        related_name="interactions",
        db_index=False,  # ix_agent_time covers it
    )
    occurred_at = models.DateTimeField(_("when"), default=timezone.now)
    channel = models.ForeignKey(
        Channel, verbose_name=_("channel"), on_delete=models.PROTECT, db_index=False
    )
    touchpoint = models.ForeignKey(
        Touchpoint,
        verbose_name=_("touchpoint"),
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        db_index=False,
    )
    emotion_start = models.ForeignKey(
        Emotion,
        verbose_name=_("emotion at start"),
        on_delete=models.PROTECT,
        related_name="+",
        db_index=False,
    )
    emotion_end = models.ForeignKey(
        Emotion,
        verbose_name=_("emotion at end"),
        on_delete=models.PROTECT,
        related_name="+",
        null=True,
        blank=True,
        db_index=False,
    )
    # Denormalised from the emotions when saved, so filters and rates need no join.
    start_valence = models.CharField(
        _("valence at start"), max_length=10, choices=Valence.choices, editable=False
    )
    end_valence = models.CharField(
        _("valence at end"), max_length=10, choices=Valence.choices, blank=True, editable=False
    )
    recovered = models.BooleanField(
        _("recovered"),
        null=True,
        editable=False,
        help_text=_("Negative at start and neutral or positive at end; empty without an end."),
    )
    intensity = models.PositiveSmallIntegerField(_("intensity"), default=3)
    cues = models.JSONField(_("cues noticed"), default=list, blank=True)
    summary = models.TextField(_("summary"), blank=True, max_length=TEXT_MAX)
    is_complaint = models.BooleanField(_("complaint"), default=False)
    complaint_status = models.CharField(
        _("complaint status"), max_length=12, choices=ComplaintStatus.choices, blank=True
    )
    resolved_at = models.DateTimeField(_("resolved at"), null=True, blank=True)
    response_template = models.ForeignKey(
        ResponseTemplate,
        verbose_name=_("response template"),
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="interactions",
        db_index=False,
    )
    response_text = models.TextField(_("response given"), blank=True, max_length=TEXT_MAX)
    # The phrase-guide hits found in response_text when it was saved (rules/phrases.py):
    # a list of {rule_id, code, language, start, end, text}. It warns; it never blocks.
    phrase_warnings = models.JSONField(
        _("phrase-guide warnings"), default=list, blank=True, editable=False
    )
    outcome = models.CharField(_("outcome"), max_length=12, choices=Outcome.choices, blank=True)
    follow_up_on = models.DateField(_("follow-up date"), null=True, blank=True)
    created_at = models.DateTimeField(_("created at"), default=timezone.now, editable=False)
    updated_at = models.DateTimeField(_("updated at"), auto_now=True)
    is_demo = models.BooleanField(default=False, editable=False)
    # Praise (seed 004, "hold on to positive feedback"): a positive ending marked as
    # praise for the agent by the agent or a lead (services.praise_mark).
    praised_at = models.DateTimeField(_("marked as praise at"), null=True, blank=True)
    praised_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("marked as praise by"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )
    praise_note = models.CharField(
        _("praise note"), max_length=PRAISE_NOTE_MAX, blank=True, default="", db_default=""
    )
    # The CSV import that brought this row in, if any (ix_import_batch: imported rows
    # only).
    import_batch = models.ForeignKey(
        "ImportBatch",
        verbose_name=_("import"),
        null=True,
        blank=True,
        editable=False,
        on_delete=models.PROTECT,
        related_name="interactions",
        db_index=False,
    )

    objects = InteractionQuerySet.as_manager()

    class Meta:
        ordering = ["-occurred_at", "-id"]
        verbose_name = _("interaction")
        verbose_name_plural = _("interactions")
        permissions = [
            ("change_any_interaction", _("Can change any agent's interaction")),
            ("export_interaction", _("Can export interactions")),
        ]
        indexes = [
            models.Index(fields=["-occurred_at", "-id"], name="ix_time"),
            models.Index(fields=["agent", "-occurred_at", "-id"], name="ix_agent_time"),
            models.Index(fields=["customer", "-occurred_at"], name="ix_customer_time"),
            models.Index(fields=["channel", "-occurred_at"], name="ix_channel_time"),
            models.Index(fields=["touchpoint", "-occurred_at"], name="ix_touchpoint_time"),
            models.Index(fields=["emotion_start", "-occurred_at"], name="ix_emotion_start_time"),
            models.Index(fields=["emotion_end", "-occurred_at"], name="ix_emotion_end_time"),
            models.Index(fields=["start_valence", "-occurred_at"], name="ix_valence_time"),
            models.Index(fields=["response_template", "-occurred_at"], name="ix_template_time"),
            models.Index(
                fields=["complaint_status", "occurred_at"],
                name="ix_open_complaints",
                condition=Q(is_complaint=True),
            ),
            models.Index(
                fields=["agent", "-praised_at"],
                name="ix_agent_praise",
                condition=Q(praised_at__isnull=False),
            ),
            # The dashboard's overdue panel: unresolved complaints, oldest first, and
            # complaints resolved in a date range (both a part of the table). The
            # columns the counts test, and the touchpoint and agent the filters test,
            # are in the index, so the counts read it alone whatever the filter.
            models.Index(
                fields=["occurred_at", "id", "channel_id", "complaint_status"],
                include=["touchpoint_id", "agent_id"],
                name="ix_unresolved_complaints",
                condition=Q(is_complaint=True, complaint_status__in=["open", "in_progress"]),
            ),
            models.Index(
                fields=["occurred_at", "channel_id", "resolved_at"],
                include=["touchpoint_id", "agent_id"],
                name="ix_resolved_complaints",
                condition=Q(is_complaint=True, complaint_status="resolved"),
            ),
            # The same for one agent's view: their complaints directly, not every
            # agent's filtered down (16 ms for 90 days at 1,000,000 before).
            models.Index(
                fields=["agent_id", "occurred_at", "id"],
                include=["channel_id", "complaint_status", "touchpoint_id"],
                name="ix_agent_unresolved",
                condition=Q(is_complaint=True, complaint_status__in=["open", "in_progress"]),
            ),
            models.Index(
                fields=["agent_id", "occurred_at"],
                include=["channel_id", "resolved_at", "touchpoint_id"],
                name="ix_agent_resolved",
                condition=Q(is_complaint=True, complaint_status="resolved"),
            ),
            # Recovery rates of templates (suggestions): negative starts with an end,
            # per template and time, the outcome in the index (an index-only scan).
            models.Index(
                fields=["response_template", "occurred_at", "recovered"],
                name="ix_template_recovery",
                condition=Q(start_valence="negative", recovered__isnull=False),
            ),
            # The dashboard's phrase-guide panel: only the interactions with a hit, with
            # the hits and the columns its filters test, so the panel reads the index
            # alone (the rows' pages were 2,200 reads over 90 days at 1,000,000).
            models.Index(
                fields=["occurred_at"],
                include=["id", "phrase_warnings", "channel_id", "touchpoint_id", "agent_id"],
                name="ix_phrase_hits_covering",
                condition=~Q(phrase_warnings=[]),
            ),
            # An import's rows, to count them into the dashboard's rollups (imported
            # rows only: those logged in the app are not in it).
            models.Index(
                fields=["import_batch"],
                name="ix_import_batch",
                condition=Q(import_batch__isnull=False),
            ),
        ]
        constraints = [
            models.CheckConstraint(
                condition=Q(intensity__gte=1) & Q(intensity__lte=5),
                name="interaction_intensity_1_5",
                violation_error_message=_("Intensity must be between 1 and 5."),
            ),
            models.CheckConstraint(
                condition=Q(is_complaint=False, complaint_status="")
                | Q(is_complaint=True, complaint_status__in=ComplaintStatus.values),
                name="interaction_complaint_status_consistent",
                violation_error_message=_("A complaint needs a status; other contacts have none."),
            ),
            models.CheckConstraint(
                condition=Q(outcome="") | Q(outcome__in=Outcome.values),
                name="interaction_outcome_known",
            ),
            models.CheckConstraint(
                condition=Q(praised_at__isnull=True, praise_note="")
                | Q(praised_at__isnull=False, end_valence=Valence.POSITIVE),
                name="interaction_praise_needs_positive_end",
                violation_error_message=_(
                    "Only an interaction that ended with a positive emotion can be praise."
                ),
            ),
        ]

    def __str__(self) -> str:
        return f"{self.customer} · {self.occurred_at:%Y-%m-%d %H:%M}"

    def save(self, *args, **kwargs):
        self.refresh_derived()
        super().save(*args, **kwargs)
        # The customer's newest contact (read by the dashboard's board from an index).
        # Moving a contact earlier is settled by services.customer_recompute_archetype.
        Customer.objects.filter(pk=self.customer_id).filter(
            Q(last_contact_at__isnull=True) | Q(last_contact_at__lt=self.occurred_at)
        ).update(last_contact_at=self.occurred_at)

    def get_absolute_url(self) -> str:
        from django.urls import reverse

        return reverse("interactions:detail", kwargs={"pk": self.pk})

    def refresh_derived(self) -> None:
        """Recompute the denormalised valence and recovery columns from the emotions."""
        self.start_valence = self.emotion_start.valence
        self.end_valence = self.emotion_end.valence if self.emotion_end_id else ""
        self.recovered = compute_recovered(self.start_valence, self.end_valence or None)
        if self.praised_at is not None and self.end_valence != Valence.POSITIVE:
            self.clear_praise()  # corrected away from a positive end: no longer praise

    def clear_praise(self) -> None:
        self.praised_at, self.praised_by, self.praise_note = None, None, ""

    @property
    def cue_labels(self) -> list[str]:
        labels = dict(Cue.choices)
        return [str(labels.get(code, code)) for code in self.cues]


def compute_recovered(start_valence: str, end_valence: str | None) -> bool | None:
    """product.md: negative at start and neutral or positive at end; None without an end."""
    if not end_valence:
        return None
    return start_valence == Valence.NEGATIVE and end_valence != Valence.NEGATIVE


class Reflection(models.Model):
    agent = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("agent"),
        on_delete=models.CASCADE,
        related_name="reflections",
    )
    day = models.DateField(_("day"))
    went_well = models.TextField(_("what went well"), blank=True, max_length=TEXT_MAX)
    to_improve = models.TextField(_("what could improve"), blank=True, max_length=TEXT_MAX)
    created_at = models.DateTimeField(_("created at"), auto_now_add=True)
    updated_at = models.DateTimeField(_("updated at"), auto_now=True)

    class Meta:
        ordering = ["-day"]
        verbose_name = _("reflection")
        verbose_name_plural = _("reflections")
        constraints = [
            models.UniqueConstraint(fields=["agent", "day"], name="one_reflection_per_agent_day")
        ]

    def __str__(self) -> str:
        return f"{self.agent} · {self.day}"


class BreakNudge(models.Model):
    """A short break offered to an agent after a run of negative interactions
    (rules/wellbeing.py), and whether they took it."""

    class Status(models.TextChoices):
        OFFERED = "offered", _("Offered")
        TAKEN = "taken", _("Taken")
        DISMISSED = "dismissed", _("Not now")

    agent = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("agent"),
        on_delete=models.CASCADE,
        related_name="break_nudges",
        db_index=False,  # ix_nudge_agent_time covers it
    )
    created_at = models.DateTimeField(_("offered at"), default=timezone.now)
    negative_count = models.PositiveSmallIntegerField(_("negative interactions in the run"))
    practice = models.CharField(_("calming practice"), max_length=40)
    status = models.CharField(
        _("status"), max_length=10, choices=Status.choices, default=Status.OFFERED
    )
    responded_at = models.DateTimeField(_("answered at"), null=True, blank=True)

    class Meta:
        ordering = ["-created_at", "-id"]
        verbose_name = _("break nudge")
        verbose_name_plural = _("break nudges")
        indexes = [
            models.Index(fields=["agent", "-created_at"], name="ix_nudge_agent_time"),
        ]
        constraints = [
            models.CheckConstraint(
                condition=Q(status="offered", responded_at__isnull=True)
                | Q(status__in=["taken", "dismissed"], responded_at__isnull=False),
                name="break_nudge_status_consistent",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.agent} · {self.created_at:%Y-%m-%d %H:%M} · {self.status}"


class ArchetypeChange(models.Model):
    """The history of a customer's archetype: every change, by the system or a person."""

    customer = models.ForeignKey(
        Customer,
        verbose_name=_("customer"),
        on_delete=models.CASCADE,
        related_name="archetype_history",
        db_index=False,  # ix_archetype_change covers it
    )
    archetype = models.CharField(
        _("archetype"), max_length=20, choices=Archetype.choices, null=True, blank=True
    )
    previous = models.CharField(
        _("previous archetype"), max_length=20, choices=Archetype.choices, null=True, blank=True
    )
    source = models.CharField(_("source"), max_length=10, choices=Customer.ArchetypeSource.choices)
    reason = models.TextField(_("reason"), blank=True)
    basis = models.JSONField(_("basis"), default=dict, blank=True)
    changed_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("changed by"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )
    changed_at = models.DateTimeField(_("changed at"), default=timezone.now)

    class Meta:
        ordering = ["-changed_at", "-id"]
        verbose_name = _("archetype change")
        verbose_name_plural = _("archetype changes")
        indexes = [
            models.Index(fields=["customer", "-changed_at"], name="ix_archetype_change"),
            # The board's entered / left counts over a date range, from the index alone.
            models.Index(
                fields=["changed_at", "archetype", "previous"], name="ix_archetype_change_time"
            ),
        ]

    def __str__(self) -> str:
        return f"{self.customer} · {self.archetype or '-'}"


class Skill(models.TextChoices):
    """domain.md section 6: the agent skills of seed 002 and confident communication."""

    RESPECT = "respect", _("Respect")
    PATIENCE = "patience", _("Patience")
    PERSUASION = "persuasion", _("Persuasion")
    EMPATHY = "empathy", _("Empathy (not sympathy)")
    FLEXIBILITY = "flexibility", _("Flexibility")
    POSITIVE_LANGUAGE = "positive_language", _("Positive language")
    RESOURCEFULNESS = "resourcefulness", _("Resourcefulness")
    LISTENING = "listening", _("Effective listening")
    CONFIDENCE = "confidence", _("Confident communication")
    WRITING = "writing", _("Writing")


SCORE_HELP = _("1 (poor) to 5 (excellent); empty when it did not come up.")


def _score_field(skill: Skill):
    return models.PositiveSmallIntegerField(
        skill.label, null=True, blank=True, help_text=SCORE_HELP
    )


class SkillReview(models.Model):
    """A lead's review of one interaction against the skills (1-5 each) with a comment."""

    interaction = models.ForeignKey(
        Interaction,
        verbose_name=_("interaction"),
        on_delete=models.CASCADE,
        related_name="skill_reviews",
        db_index=False,  # the unique constraint's index covers it
    )
    reviewer = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("reviewer"),
        on_delete=models.PROTECT,
        related_name="+",
    )
    # Denormalised from the interaction, so "my reviews" and the team averages per
    # agent and period need no join.
    agent = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("agent"),
        on_delete=models.PROTECT,
        related_name="skill_reviews",
        editable=False,
        db_index=False,
    )
    respect = _score_field(Skill.RESPECT)
    patience = _score_field(Skill.PATIENCE)
    persuasion = _score_field(Skill.PERSUASION)
    empathy = _score_field(Skill.EMPATHY)
    flexibility = _score_field(Skill.FLEXIBILITY)
    positive_language = _score_field(Skill.POSITIVE_LANGUAGE)
    resourcefulness = _score_field(Skill.RESOURCEFULNESS)
    listening = _score_field(Skill.LISTENING)
    confidence = _score_field(Skill.CONFIDENCE)
    writing = _score_field(Skill.WRITING)
    comment = models.TextField(_("comment"), blank=True, max_length=TEXT_MAX)
    created_at = models.DateTimeField(_("created at"), default=timezone.now, editable=False)
    updated_at = models.DateTimeField(_("updated at"), auto_now=True)

    class Meta:
        ordering = ["-created_at", "-id"]
        verbose_name = _("skill review")
        verbose_name_plural = _("skill reviews")
        indexes = [
            models.Index(fields=["agent", "-created_at"], name="ix_review_agent_time"),
            models.Index(fields=["created_at"], name="ix_review_time"),
        ]
        constraints = [
            models.UniqueConstraint(
                fields=["interaction", "reviewer"], name="one_review_per_reviewer"
            ),
            *[
                models.CheckConstraint(
                    condition=Q(**{f"{skill}__isnull": True})
                    | Q(**{f"{skill}__gte": 1, f"{skill}__lte": 5}),
                    name=f"review_{skill}_1_5",
                    violation_error_message=_("Scores are from 1 to 5."),
                )
                for skill in Skill.values
            ],
        ]

    def __str__(self) -> str:
        return f"{self.interaction} · {self.reviewer}"

    def save(self, *args, **kwargs):
        self.agent_id = self.interaction.agent_id
        super().save(*args, **kwargs)

    def scores(self) -> list[tuple[str, str, int | None]]:
        return [(skill.value, skill.label, getattr(self, skill.value)) for skill in Skill]


class ImportBatch(models.Model):
    """One CSV import of historical interactions: the single audit entry of the batch."""

    class Source(models.TextChoices):
        PAGE = "page", _("Import page")
        COMMAND = "command", _("Management command")

    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("imported by"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )
    created_at = models.DateTimeField(_("imported at"), default=timezone.now)
    filename = models.CharField(_("file"), max_length=255)
    encoding = models.CharField(_("encoding"), max_length=20)
    source = models.CharField(_("source"), max_length=10, choices=Source.choices)
    rows = models.PositiveIntegerField(_("rows"), default=0)
    customers_created = models.PositiveIntegerField(_("customers created"), default=0)

    class Meta:
        ordering = ["-created_at", "-id"]
        verbose_name = _("import")
        verbose_name_plural = _("imports")

    def __str__(self) -> str:
        return f"{self.filename} ({self.rows})"


class IdempotencyKey(models.Model):
    """A write made through the API with an Idempotency-Key header, and its response.

    Stored in the same transaction as the write, so a retry (after a restart, on
    another worker, or concurrently) finds it and gets the first response back."""

    user = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="+")
    key = models.CharField(max_length=255)
    method = models.CharField(max_length=10)
    path = models.CharField(max_length=500)
    request_hash = models.CharField(max_length=64)
    status_code = models.PositiveSmallIntegerField(default=0)
    response_body = models.JSONField(null=True, blank=True)
    created_at = models.DateTimeField(default=timezone.now, db_index=True)

    class Meta:
        verbose_name = _("idempotency key")
        verbose_name_plural = _("idempotency keys")
        constraints = [
            models.UniqueConstraint(fields=["user", "key"], name="idempotency_key_per_user")
        ]

    def __str__(self) -> str:
        return self.key


class AccessLogImmutable(Exception):
    """Raised when code tries to change or delete access-log entries (docs/privacy.md)."""


class AccessLogQuerySet(models.QuerySet):
    """Entries are never changed or deleted, except by the two explicit paths of the
    privacy work: the retention purge (``delete(retention_purge=True)``, only from
    ``purge_personal_data``) and erasure (``update(erasure=True, object_repr=...)``, which
    only blanks the customer's name from ``object_repr``)."""

    def delete(self, *, retention_purge: bool = False):
        if not retention_purge:
            raise AccessLogImmutable("Access-log entries are never deleted.")
        return super().delete()

    def update(self, *, erasure: bool = False, **kwargs):
        if not erasure or set(kwargs) - {"object_repr"}:
            raise AccessLogImmutable("Access-log entries are never changed.")
        return super().update(**kwargs)


class AccessLog(models.Model):
    """Who looked at or took away personal data, and when. Append-only: save() refuses an
    existing row and delete() refuses always (the queryset as well, AccessLogQuerySet)."""

    class Action(models.TextChoices):
        VIEW_CUSTOMER = "view_customer", _("Viewed a customer")
        VIEW_INTERACTION = "view_interaction", _("Viewed an interaction")
        REVEAL_PHONE = "reveal_phone", _("Revealed a phone number")
        EXPORT = "export", _("Exported data")
        EXPORT_CUSTOMER = "export_customer", _("Exported a customer's data")
        ERASE_CUSTOMER = "erase_customer", _("Erased a customer's data")

    at = models.DateTimeField(_("when"), default=timezone.now)
    user = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("user"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )
    username = models.CharField(_("username"), max_length=150, blank=True)
    action = models.CharField(_("action"), max_length=30, choices=Action.choices)
    customer = models.ForeignKey(
        Customer,
        verbose_name=_("customer"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )
    object_repr = models.CharField(_("object"), max_length=200, blank=True)
    path = models.CharField(_("address"), max_length=500, blank=True)
    ip = models.GenericIPAddressField(_("IP address"), null=True, blank=True)
    rows = models.PositiveIntegerField(_("rows"), null=True, blank=True)

    objects = AccessLogQuerySet.as_manager()

    class Meta:
        ordering = ["-at", "-id"]
        verbose_name = _("access log entry")
        verbose_name_plural = _("access log")
        indexes = [
            models.Index(fields=["-at", "-id"], name="ix_access_time"),
            models.Index(fields=["customer", "-at"], name="ix_access_customer"),
        ]

    def __str__(self) -> str:
        return f"{self.at:%Y-%m-%d %H:%M} {self.username} {self.action}"

    def save(self, *args, **kwargs):
        if self.pk is not None or not self._state.adding:
            raise AccessLogImmutable("Access-log entries are never changed.")
        super().save(*args, **kwargs)

    def delete(self, *args, **kwargs):
        raise AccessLogImmutable("Access-log entries are never deleted.")


class DailyTally(models.Model):
    """Counts of interactions per local day and group: the dashboard's rollups.

    Each `kind` groups by its own columns (rollups.KINDS): the channel and touchpoint (0
    where the kind does not split by them) and one item (an emotion, template, agent or
    archetype; 0 for none). Kept current by rollups.py in the transaction that writes
    the interactions; `recompute_rollups` rebuilds them from the interactions. Plain
    integers, not foreign keys: a row outlives nothing it counts, and 0 is a key (NULL
    never matches in a unique constraint)."""

    kind = models.CharField(max_length=20)
    day = models.DateField()
    channel_id = models.IntegerField(default=0)
    touchpoint_id = models.IntegerField(default=0)
    item_id = models.IntegerField(default=0)
    total = models.IntegerField(default=0)
    positive = models.IntegerField(default=0)
    neutral = models.IntegerField(default=0)
    negative = models.IntegerField(default=0)
    ended = models.IntegerField(default=0)
    improved = models.IntegerField(default=0)
    attempts = models.IntegerField(default=0)
    recovered = models.IntegerField(default=0)
    satisfied = models.IntegerField(default=0)
    indifferent = models.IntegerField(default=0)
    dissatisfied = models.IntegerField(default=0)
    no_outcome = models.IntegerField(default=0)
    resolved_late = models.IntegerField(default=0)
    open_complaints = models.IntegerField(default=0)
    in_progress_complaints = models.IntegerField(default=0)

    class Meta:
        constraints = [
            models.UniqueConstraint(
                fields=["kind", "day", "channel_id", "touchpoint_id", "item_id"],
                name="tally_key",
            )
        ]
        indexes = [
            # One channel's or touchpoint's rows of a kind over a range of days.
            models.Index(
                fields=["kind", "channel_id", "touchpoint_id", "day"], name="ix_tally_scope"
            ),
            # The agent-load and recovery rows of the 25 people a page shows: a short read
            # per person (by the key above, each person walked every agent's days), for
            # one channel or touchpoint too.
            models.Index(
                fields=["kind", "item_id", "channel_id", "touchpoint_id", "day"],
                name="ix_tally_item",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.kind} {self.day} {self.channel_id}/{self.touchpoint_id}/{self.item_id}"


class ArchetypeTally(models.Model):
    """Archetype changes per local day and (previous, new) archetype: the archetype
    board's "change over the period" (docs/dashboard.md, "Speed"). "" is no archetype
    (NULL never matches in a unique constraint). Kept current by rollups.py wherever an
    ArchetypeChange is written or deleted; `recompute_rollups` rebuilds them."""

    day = models.DateField()
    previous = models.CharField(max_length=20, blank=True, default="")
    archetype = models.CharField(max_length=20, blank=True, default="")
    changes = models.IntegerField(default=0)

    class Meta:
        constraints = [
            models.UniqueConstraint(
                fields=["day", "previous", "archetype"], name="archetype_tally_key"
            )
        ]

    def __str__(self) -> str:
        return f"{self.day} {self.previous or '-'} -> {self.archetype or '-'}: {self.changes}"
