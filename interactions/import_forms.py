"""The CSV import page's form (import_views.py); the checks of the file are imports.py's."""

from django import forms
from django.conf import settings
from django.utils.translation import gettext_lazy as _

ENCODING_CHOICES = [
    ("auto", _("Detect: UTF-8 (with or without BOM), else CP949")),
    ("utf-8", _("UTF-8")),
    ("cp949", _("CP949 (Korean Excel's “CSV”)")),
]


class ImportForm(forms.Form):
    file = forms.FileField(
        label=_("CSV file"),
        widget=forms.FileInput(attrs={"accept": ".csv,text/csv"}),
    )
    encoding = forms.ChoiceField(label=_("Encoding"), choices=ENCODING_CHOICES, initial="auto")
    dry_run = forms.BooleanField(
        label=_("Check only: report what would be imported and write nothing"),
        required=False,
        initial=True,
    )

    def __init__(self, *args, **kwargs):
        from .imports import human_size

        super().__init__(*args, **kwargs)
        self.fields["file"].help_text = _(
            "A .csv file of at most %(size)s, comma-separated, with the header below on the "
            "first line."
        ) % {"size": human_size(settings.EMOTIONCARE_IMPORT_MAX_BYTES)}
