"""Forms of the in-app management of response templates and the phrase guide.

The forms check what an admin types and explain it next to the field (unknown
placeholders, phrase forms that do not compile, a code already taken); the
services check it all again before they write.
"""

import re

from django import forms
from django.core.exceptions import ValidationError
from django.db.models import Q
from django.utils.functional import lazy
from django.utils.text import capfirst
from django.utils.translation import get_language, gettext
from django.utils.translation import gettext_lazy as _

from . import roles
from .models import Archetype, Channel, Emotion, PhraseRule, ResponseTemplate, Valence
from .rules import phrases
from .rules.phrases import Rule, rule_errors
from .rules.placeholders import PLACEHOLDERS, placeholder_errors
from .services import ERR_PHRASE_RULE_TAKEN

SCOPE_TEAM = "team"
SCOPE_PERSONAL = "personal"
SCOPE_CHOICES = [
    (SCOPE_TEAM, _("The team (everyone uses it)")),
    (SCOPE_PERSONAL, _("Personal (only I see it)")),
]
CATEGORY_LIST_ID = "template-categories"
SAMPLE_MAX = 2000

ERR_PHRASE_IS_EXCEPTION = _(
    "The phrase cannot be an exception (starting with !). Write exceptions as variant lines."
)
ERR_RULE_BAD_REGEX = _("Not a valid regular expression: %(error)s.")
ERR_RULE_EMPTY_FORM = _("There is nothing to look for after the marker.")
ERR_RULE_EMPTY_MATCH = _("The pattern can match empty text, so it would fire on anything.")
ERR_RULE_NO_PHRASE = _("The rule has no phrase to look for.")
ERR_VARIANT_LINE = _("Line %(line)d: %(problem)s")


def _field_label(model, name: str):
    return capfirst(model._meta.get_field(name).verbose_name)


def _placeholder_help() -> str:
    names = "; ".join(f"{{{name}}} = {meaning}" for name, meaning in PLACEHOLDERS.items())
    return gettext("Placeholders you can use: %(list)s.") % {"list": names}


placeholder_help = lazy(_placeholder_help, str)


# --- Response templates -------------------------------------------------------------


class ResponseTemplateForm(forms.ModelForm):
    """A team template (admins) or a personal one. Non-admins get no scope field: what
    they write is always their own personal template."""

    scope = forms.ChoiceField(
        label=_("Who uses it"),
        choices=SCOPE_CHOICES,
        initial=SCOPE_TEAM,
        widget=forms.RadioSelect,
    )
    emotions = forms.ModelMultipleChoiceField(
        label=_field_label(ResponseTemplate, "emotions"),
        queryset=Emotion.objects.none(),
        required=False,
        widget=forms.CheckboxSelectMultiple,
    )
    valences = forms.MultipleChoiceField(
        label=_field_label(ResponseTemplate, "valences"),
        choices=Valence.choices,
        required=False,
        widget=forms.CheckboxSelectMultiple,
    )
    archetypes = forms.MultipleChoiceField(
        label=_field_label(ResponseTemplate, "archetypes"),
        choices=Archetype.choices,
        required=False,
        widget=forms.CheckboxSelectMultiple,
    )
    channels = forms.ModelMultipleChoiceField(
        label=_field_label(ResponseTemplate, "channels"),
        queryset=Channel.objects.none(),
        required=False,
        widget=forms.CheckboxSelectMultiple,
    )

    class Meta:
        model = ResponseTemplate
        fields = [
            "title",
            "category",
            "language",
            "is_active",
            "text",
            "emotions",
            "valences",
            "archetypes",
            "channels",
        ]
        widgets = {
            "text": forms.Textarea(attrs={"rows": 7}),
            "category": forms.TextInput(attrs={"list": CATEGORY_LIST_ID, "autocomplete": "off"}),
        }
        help_texts = {
            "text": placeholder_help(),
            "category": _("Pick one in use or type a new one."),
            "is_active": _("Inactive templates are not offered on the log form."),
        }

    def __init__(self, *args, user=None, **kwargs):
        super().__init__(*args, **kwargs)
        self.user = user
        # Active choices, plus any inactive one the template already uses (kept, not dropped).
        emotions, channels = Q(is_active=True), Q(is_active=True)
        if self.instance.pk:
            emotions |= Q(pk__in=self.instance.emotions.values("pk"))
            channels |= Q(pk__in=self.instance.channels.values("pk"))
        self.fields["emotions"].queryset = Emotion.objects.filter(emotions)
        self.fields["channels"].queryset = Channel.objects.filter(channels)
        if roles.can_manage_team_templates(user):
            personal = self.instance.pk and self.instance.owner_id is not None
            self.initial.setdefault("scope", SCOPE_PERSONAL if personal else SCOPE_TEAM)
        else:
            del self.fields["scope"]
        if not self.instance.pk:  # new templates start in the language of the page
            language = (get_language() or "")[:2]
            if language in dict(self.fields["language"].choices):
                self.initial.setdefault("language", language)

    @property
    def personal(self) -> bool:
        """Whether the template is (to be) personal: always, for non-admins."""
        if "scope" not in self.fields:
            return True
        return self.cleaned_data.get("scope") == SCOPE_PERSONAL

    def clean_text(self):
        text = self.cleaned_data["text"]
        errors = placeholder_errors(text)
        if errors:
            raise ValidationError(errors, code="placeholder")
        return text

    def clean_title(self):
        return self.cleaned_data["title"].strip()

    def clean_category(self):
        return self.cleaned_data["category"].strip()

    def template_data(self) -> dict:
        return {name: self.cleaned_data.get(name) for name in self._meta.fields}

    def emotion_groups(self) -> list[tuple[str, str, list]]:
        """The emotion checkboxes grouped by valence (positive, neutral, negative)."""
        widgets = list(self["emotions"])
        groups = []
        for value, label in Valence.choices:
            members = [w for w in widgets if w.data["value"].instance.valence == value]
            if members:
                groups.append((value, label, members))
        return groups

    def preview_language(self) -> str:
        """The language whose sample values the preview uses: the one chosen on the form."""
        value = self["language"].value()
        return value if value in dict(self.fields["language"].choices) else "ko"


# --- Phrase rules -------------------------------------------------------------------


def _message_pattern(message: str) -> re.Pattern:
    pattern = re.escape(message)
    pattern = pattern.replace(re.escape("{line}"), r"(?P<line>\d+)")
    pattern = pattern.replace(re.escape("{error}"), r"(?P<error>.*)")
    return re.compile(pattern + r"\Z", re.DOTALL)


# The pure matcher's messages (English, no Django) and what admins read instead.
_RULE_MESSAGES = [
    (_message_pattern(phrases.MESSAGE_BAD_REGEX), ERR_RULE_BAD_REGEX),
    (_message_pattern(phrases.MESSAGE_EMPTY_LINE), ERR_RULE_EMPTY_FORM),
    (_message_pattern(phrases.MESSAGE_EMPTY_MATCH), ERR_RULE_EMPTY_MATCH),
    (_message_pattern(phrases.MESSAGE_EMPTY), ERR_RULE_NO_PHRASE),
]


def explain_rule_error(message: str) -> str:
    """A rules/phrases.py message in the admin's language, without its line number."""
    for pattern, translated in _RULE_MESSAGES:
        match = pattern.match(message)
        if match:
            error = match.groupdict().get("error")
            return str(translated % {"error": error} if error is not None else translated)
    return re.sub(r"^Line \d+: ", "", message)


def form_errors(form_text: str) -> list[str]:
    """What is wrong with one form (the phrase, or one variant line), in plain words."""
    probe = Rule(code="probe", language="", phrase="x", variants=(form_text,))
    return [explain_rule_error(message) for message in rule_errors(probe)]


class PhraseRuleForm(forms.ModelForm):
    """A rule of the phrase guide, plus a sample text to try it on (never stored)."""

    sample = forms.CharField(
        label=_("Sample text"),
        required=False,
        max_length=SAMPLE_MAX,
        widget=forms.Textarea(attrs={"rows": 4}),
        help_text=_("Not saved. Write what an agent might type, then press Try."),
    )

    class Meta:
        model = PhraseRule
        fields = ["code", "language", "phrase", "variants", "reason", "alternative", "is_active"]
        widgets = {
            "variants": forms.Textarea(attrs={"rows": 6, "spellcheck": "false"}),
            "reason": forms.Textarea(attrs={"rows": 3}),
            "alternative": forms.Textarea(attrs={"rows": 3}),
        }
        help_texts = {
            "code": _(
                "A short id in lower case, e.g. dont_know. The same code in both languages "
                "links the Korean and English versions of a rule."
            ),
            "phrase": _("A plain example of what not to say; it is also shown in lists."),
            "variants": _(
                "One form per line: plain words, a stem ending in ~, ^ for the start of a "
                "sentence, re: for a regular expression, ! for an exception."
            ),
            "alternative": _("This text must not trip the rule itself."),
        }

    def clean_phrase(self):
        phrase = self.cleaned_data["phrase"].strip()
        if phrase.startswith(phrases.EXCEPTION_PREFIX):
            raise ValidationError(ERR_PHRASE_IS_EXCEPTION, code="exception")
        errors = form_errors(phrase)
        if errors:
            raise ValidationError(errors, code="rule")
        return phrase

    def clean_variants(self):
        value = self.cleaned_data.get("variants") or ""
        errors = []
        for number, line in enumerate(value.splitlines(), start=1):
            if not line.strip():
                continue
            for problem in form_errors(line.strip()):
                errors.append(
                    ValidationError(
                        ERR_VARIANT_LINE,
                        code="rule",
                        params={"line": number, "problem": problem},
                    )
                )
        if errors:
            raise ValidationError(errors)
        return "\n".join(line.strip() for line in value.splitlines() if line.strip())

    def clean(self):
        data = super().clean()
        code, language = data.get("code"), data.get("language")
        if code and language:
            taken = PhraseRule.objects.filter(code=code, language=language)
            if self.instance.pk:
                taken = taken.exclude(pk=self.instance.pk)
            if taken.exists():
                # Reported on the code; Django's own unique check then skips it.
                self.add_error("code", ValidationError(ERR_PHRASE_RULE_TAKEN, code="unique"))
        return data

    def rule_data(self) -> dict:
        return {name: self.cleaned_data.get(name) for name in self._meta.fields}

    def unsaved_rule(self) -> Rule | None:
        """The rule as written on the form, if its phrase and variants are valid."""
        if not hasattr(self, "cleaned_data"):
            return None
        if "phrase" in self.errors or "variants" in self.errors:
            return None
        data = self.cleaned_data
        if not data.get("phrase"):
            return None
        rule = Rule(
            id=self.instance.pk,
            code=data.get("code") or "",
            language=data.get("language") or "",
            phrase=data["phrase"],
            variants=data.get("variants") or "",
            reason=data.get("reason") or "",
            alternative=data.get("alternative") or "",
        )
        return None if rule_errors(rule) else rule
