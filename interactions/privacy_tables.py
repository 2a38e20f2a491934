"""The access-log table (docs/privacy.md). Every column is a column of the row itself
(the user name and the object are copied when an entry is written), so a page is one
query whatever it shows."""

import django_tables2 as tables
from django.urls import reverse
from django.utils.html import format_html
from django.utils.translation import gettext_lazy as _

from .models import AccessLog


class AccessLogTable(tables.Table):
    at = tables.DateTimeColumn(
        verbose_name=_("When"), format="Y-m-d H:i:s", attrs={"td": {"class": "nowrap"}}
    )
    username = tables.Column(verbose_name=_("User"), empty_values=())
    action = tables.Column(verbose_name=_("Action"), attrs={"td": {"class": "nowrap"}})
    object_repr = tables.Column(verbose_name=_("What"), empty_values=())
    rows = tables.Column(verbose_name=_("Rows"), attrs={"td": {"class": "num"}})
    path = tables.Column(verbose_name=_("Address"), attrs={"td": {"class": "small muted"}})
    ip = tables.Column(verbose_name=_("IP address"), attrs={"td": {"class": "nowrap"}})

    class Meta:
        model = AccessLog
        fields = ()
        sequence = ("at", "username", "action", "object_repr", "rows", "path", "ip")
        orderable = False  # newest first, always (the ix_access_time index)
        attrs = {"class": "table"}
        empty_text = _("No access matches these filters.")

    def render_username(self, value):
        return value or _("System")

    def render_object_repr(self, record):
        text = record.object_repr or "—"
        if record.customer_id:
            url = reverse("interactions:customer-detail", args=[record.customer_id])
            return format_html('<a href="{}">{}</a>', url, text)
        return text
