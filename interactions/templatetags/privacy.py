"""The customer page's privacy actions (docs/privacy.md): export and erase, for those
whose role allows them (roles.py), so the detail view itself stays unchanged."""

from django import template

from .. import roles

register = template.Library()


@register.inclusion_tag("privacy/customer_actions.html", takes_context=True)
def customer_privacy_actions(context, customer):
    user = context["request"].user
    return {
        "customer": customer,
        "can_export": roles.can_export_customer_data(user),
        "can_erase": roles.can_erase_customer(user) and not customer.is_erased,
        "csrf_token": context.get("csrf_token"),
    }
