"""Forms for looking after agents: the daily reflection, praise, a nudge's answer."""

from django import forms
from django.utils.translation import gettext_lazy as _

from .models import PRAISE_NOTE_MAX, TEXT_MAX


class ReflectionForm(forms.Form):
    """Today's reflection. `day` travels with the form, so a page opened before midnight
    and sent after it is refused rather than saved silently under the next day."""

    went_well = forms.CharField(
        label=_("What went well today?"),
        required=False,
        max_length=TEXT_MAX,
        widget=forms.Textarea(attrs={"rows": 5}),
        help_text=_("A call you handled well, something you learned, a kind word."),
    )
    to_improve = forms.CharField(
        label=_("What could improve?"),
        required=False,
        max_length=TEXT_MAX,
        widget=forms.Textarea(attrs={"rows": 5}),
        help_text=_("What you would do differently next time."),
    )
    day = forms.DateField(widget=forms.HiddenInput)


class PraiseForm(forms.Form):
    note = forms.CharField(
        label=_("Note (optional)"),
        required=False,
        max_length=PRAISE_NOTE_MAX,
        help_text=_("What the customer said, in a few words."),
    )


class NudgeAnswerForm(forms.Form):
    TAKE, NOT_NOW = "take", "dismiss"
    answer = forms.ChoiceField(
        label=_("Answer"), choices=[(TAKE, _("Take a break")), (NOT_NOW, _("Not now"))]
    )
    next = forms.CharField(required=False, widget=forms.HiddenInput)
