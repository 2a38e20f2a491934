from django import forms
from django.contrib.auth import get_user_model

from .models import Customer


class AutocompleteWidget(forms.Widget):
    """A hidden id plus a search-as-you-type box (static/js/app.js `autocomplete`).

    Renders no list of choices: the browser asks `url?q=...` for a few matches.
    """

    template_name = "includes/autocomplete_widget.html"

    def __init__(self, *, url, kind, attrs=None):
        super().__init__(attrs)
        self.url = url
        self.kind = kind

    def display_for(self, value) -> str:
        if not value or not str(value).isdigit():
            return ""
        if self.kind == "customer":
            customer = Customer.objects.filter(pk=value).only("name").first()
            return customer.name if customer else ""
        user = get_user_model().objects.filter(pk=value).first()
        if user is None:
            return ""
        from .templatetags.emotioncare import person_name

        full = person_name(user)
        return f"{full} ({user.username})" if full != user.username else user.username

    def get_context(self, name, value, attrs):
        context = super().get_context(name, value, attrs)
        context["widget"].update(url=str(self.url), kind=self.kind, display=self.display_for(value))
        return context
