from django import forms
from django.core.exceptions import ValidationError
from django.core.validators import RegexValidator
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from . import lookups, roles, selectors
from .models import (
    NAME_MAX,
    Archetype,
    Channel,
    ComplaintStatus,
    Cue,
    Customer,
    Emotion,
    Interaction,
    Outcome,
    Skill,
    SkillReview,
    Touchpoint,
)
from .services import INTERACTION_FIELDS
from .widgets import list_selects

ERR_CUSTOMER_REQUIRED = _("Find the customer, or enter a new customer's name.")
ERR_FOLLOW_UP_BEFORE = _("The follow-up date cannot be before the interaction.")
ERR_IN_FUTURE = _("The interaction cannot be in the future.")
ERR_TOO_OLD = _("The date is before 1900.")
ERR_PHONE = _("Enter a phone number: digits, spaces, +, - and brackets only.")
ERR_REF_TAKEN = _("Another customer already has this reference.")

FUTURE_TOLERANCE = timezone.timedelta(minutes=10)
EARLIEST_YEAR = 1900

phone_validator = RegexValidator(r"^\+?[0-9()\-.\s]{3,32}$", ERR_PHONE)


class LocalDateTimeInput(forms.DateTimeInput):
    input_type = "datetime-local"

    def __init__(self, attrs=None):
        super().__init__(attrs=attrs, format="%Y-%m-%dT%H:%M")


class DateInput(forms.DateInput):
    input_type = "date"

    def __init__(self, attrs=None):
        super().__init__(attrs=attrs, format="%Y-%m-%d")


class InteractionForm(forms.ModelForm):
    """The log form: one interaction, with an inline new customer when none is found."""

    occurred_at = forms.DateTimeField(label=_("When"), widget=LocalDateTimeInput())
    customer = forms.ModelChoiceField(
        label=_("Customer"),
        queryset=Customer.objects.all(),
        required=False,
        widget=forms.HiddenInput,
    )
    new_customer_name = forms.CharField(
        label=_("New customer's name"), max_length=NAME_MAX, required=False
    )
    new_customer_phone = forms.CharField(
        label=_("Phone"), max_length=32, required=False, validators=[phone_validator]
    )
    new_customer_email = forms.EmailField(label=_("E-mail"), required=False)
    new_customer_external_ref = forms.CharField(
        label=_("External reference"), max_length=64, required=False
    )
    channel = forms.ModelChoiceField(
        label=_("Channel"),
        queryset=Channel.objects.active(),
        widget=forms.RadioSelect,
        empty_label=None,
    )
    touchpoint = forms.ModelChoiceField(
        label=_("Touchpoint"),
        queryset=Touchpoint.objects.active(),
        required=False,
        empty_label=_("— not recorded —"),
    )
    emotion_start = forms.ModelChoiceField(
        label=_("Emotion at start"),
        queryset=Emotion.objects.active(),
        widget=forms.RadioSelect,
        empty_label=None,
    )
    emotion_end = forms.ModelChoiceField(
        label=_("Emotion at end"),
        queryset=Emotion.objects.active(),
        required=False,
        widget=forms.RadioSelect,
        empty_label=None,
    )
    intensity = forms.TypedChoiceField(
        label=_("Intensity"),
        coerce=int,
        initial=3,
        choices=[(i, str(i)) for i in range(1, 6)],
        widget=forms.RadioSelect,
        error_messages={"invalid_choice": _("Intensity must be between 1 and 5.")},
    )
    cues = forms.MultipleChoiceField(
        label=_("Cues noticed"),
        choices=Cue.choices,
        required=False,
        widget=forms.CheckboxSelectMultiple,
    )
    complaint_status = forms.ChoiceField(
        label=_("Complaint status"),
        choices=[("", "—"), *ComplaintStatus.choices],
        required=False,
    )
    outcome = forms.ChoiceField(
        label=_("Outcome"),
        choices=[("", _("Not recorded")), *Outcome.choices],
        required=False,
        widget=forms.RadioSelect,
    )
    follow_up_on = forms.DateField(label=_("Follow-up date"), required=False, widget=DateInput())

    class Meta:
        model = Interaction
        fields = INTERACTION_FIELDS
        widgets = {
            "summary": forms.Textarea(attrs={"rows": 2}),
            "response_text": forms.Textarea(attrs={"rows": 3}),
        }

    def __init__(self, *args, user=None, **kwargs):
        super().__init__(*args, **kwargs)
        self.user = user
        self.fields["response_template"].queryset = selectors.templates_for(user=user)
        self.fields["response_template"].empty_label = _("— none —")
        if not self.instance.pk and not self.is_bound:
            self.initial.setdefault(
                "occurred_at", timezone.localtime().replace(second=0, microsecond=0)
            )
        self.emotion_groups = selectors.emotions_by_valence()
        list_selects(self)  # the template drop-down can hold hundreds of options
        # The drop-downs and chips draw from prepared statements (lookups.py); saving
        # still checks the choice against each field's queryset.
        self.fields["channel"].rows = lookups.Rows(lookups.ACTIVE_CHANNELS)
        self.fields["touchpoint"].rows = lookups.Rows(lookups.ACTIVE_TOUCHPOINTS)
        self.fields["response_template"].rows = lookups.Rows(
            lookups.templates, user=user, active=True
        )

    def clean_occurred_at(self):
        value = self.cleaned_data["occurred_at"]
        if value and value > timezone.now() + FUTURE_TOLERANCE:
            raise ValidationError(ERR_IN_FUTURE, code="future")
        # As the import (imports.EARLIEST_YEAR): earlier times cannot even be converted
        # to UTC near year 1, which made saving them a server error.
        if value and value.year < EARLIEST_YEAR:
            raise ValidationError(ERR_TOO_OLD, code="too_old")
        return value

    def clean(self):
        data = super().clean()
        if not data.get("customer"):
            name = (data.get("new_customer_name") or "").strip()
            if not name and "new_customer_name" not in self.errors:
                self.add_error("customer", ValidationError(ERR_CUSTOMER_REQUIRED, code="required"))
            ref = (data.get("new_customer_external_ref") or "").strip()
            if ref and Customer.objects.filter(external_ref=ref).exists():
                self.add_error(
                    "new_customer_external_ref", ValidationError(ERR_REF_TAKEN, code="unique")
                )
        occurred_at, follow_up = data.get("occurred_at"), data.get("follow_up_on")
        if occurred_at and follow_up and follow_up < timezone.localtime(occurred_at).date():
            self.add_error("follow_up_on", ValidationError(ERR_FOLLOW_UP_BEFORE, code="before"))
        if data.get("is_complaint") and not data.get("complaint_status"):
            data["complaint_status"] = ComplaintStatus.OPEN
        if not data.get("is_complaint"):
            data["complaint_status"] = ""
        return data

    def new_customer_data(self) -> dict | None:
        if self.cleaned_data.get("customer"):
            return None
        return {
            "name": self.cleaned_data["new_customer_name"],
            "phone": self.cleaned_data.get("new_customer_phone", ""),
            "email": self.cleaned_data.get("new_customer_email", ""),
            "external_ref": self.cleaned_data.get("new_customer_external_ref", ""),
        }

    def interaction_data(self) -> dict:
        return {f: self.cleaned_data.get(f) for f in INTERACTION_FIELDS if f != "customer"} | {
            "customer": self.cleaned_data.get("customer")
        }

    def selected_customer(self) -> Customer | None:
        """The chosen customer for display: from the instance, or the submitted id."""
        if self.is_bound:
            cleaned = getattr(self, "cleaned_data", {}).get("customer")
            if cleaned:
                return cleaned
            raw = self.data.get(self.add_prefix("customer"))
            if raw and str(raw).isdigit():
                return Customer.objects.filter(pk=raw).first()
            return None
        if self.instance.pk:
            return self.instance.customer
        return self.initial.get("customer")


class CustomerForm(forms.ModelForm):
    phone = forms.CharField(
        label=_("Phone"), max_length=32, required=False, validators=[phone_validator]
    )
    archetype = forms.ChoiceField(
        label=_("Archetype"),
        choices=[("", _("Not classified")), *Archetype.choices],
        required=False,
        help_text=_(
            "Setting it here marks it as set by a person; it sticks until a person changes it."
        ),
    )

    class Meta:
        model = Customer
        fields = ["name", "phone", "email", "external_ref", "notes"]
        widgets = {"notes": forms.Textarea(attrs={"rows": 4})}

    def __init__(self, *args, user=None, **kwargs):
        super().__init__(*args, **kwargs)
        self.user = user
        if not roles.can_set_archetype(user):
            del self.fields["archetype"]
        else:
            self.initial.setdefault("archetype", self.instance.archetype or "")

    def clean_archetype(self):
        return self.cleaned_data.get("archetype") or None

    def clean_name(self):
        name = self.cleaned_data["name"].strip()
        if not name:
            raise ValidationError(_("Enter the customer's name."), code="required")
        return name


class SuggestionQueryForm(forms.Form):
    """The live suggestions endpoint's query: the log form's own field values."""

    emotion_start = forms.ModelChoiceField(queryset=Emotion.objects.active(), required=False)
    customer = forms.ModelChoiceField(queryset=Customer.objects.all(), required=False)
    channel = forms.ModelChoiceField(queryset=Channel.objects.active(), required=False)


SCORE_CHOICES = [("", _("n/a")), *[(str(i), str(i)) for i in range(1, 6)]]


class SkillReviewForm(forms.ModelForm):
    """One radio row per skill (1-5 or n/a) and a comment."""

    class Meta:
        model = SkillReview
        fields = [*Skill.values, "comment"]
        widgets = {"comment": forms.Textarea(attrs={"rows": 3})}

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        for skill in Skill:
            self.fields[skill.value] = forms.TypedChoiceField(
                label=skill.label,
                choices=SCORE_CHOICES,
                coerce=int,
                empty_value=None,
                required=False,
                widget=forms.RadioSelect,
                error_messages={"invalid_choice": _("Scores are from 1 to 5.")},
            )

    def review_data(self) -> dict:
        return {name: self.cleaned_data.get(name) for name in self.Meta.fields}
