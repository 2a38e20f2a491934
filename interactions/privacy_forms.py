from django import forms
from django.utils.translation import gettext_lazy as _

from .privacy import ERR_CONFIRM_ERASE


class EraseConfirmForm(forms.Form):
    confirm = forms.BooleanField(
        label=_("I understand that this cannot be undone."),
        error_messages={"required": ERR_CONFIRM_ERASE},
    )
