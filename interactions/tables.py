"""The interactions and customers lists (django-tables2).

django-tables2 sorts, paginates and draws the header; the rows of a page are written
by each table's template from ``body_rows()``, which works every cell out once, in
plain Python. Rendering each cell through django-tables2 (a signature inspection, an
attribute computation and often a template per cell) cost most of the list's time at
50 rows (docs/architecture.md, "Lists at scale"). The columns below still define every
cell: their ``render_*`` methods and ``body_rows()`` call the same functions, and
tests/test_list_rendering.py checks that both renderings give the same HTML.
"""

import datetime
import functools

import django_tables2 as tables
from django.urls import reverse
from django.utils import timezone
from django.utils.html import escape
from django.utils.http import urlencode
from django.utils.safestring import mark_safe
from django.utils.text import Truncator
from django.utils.translation import gettext
from django.utils.translation import gettext_lazy as _

from .html import format_html
from .masking import mask_email, mask_phone
from .models import ComplaintStatus, Customer, Interaction, Outcome
from .templatetags.emotioncare import archetype_badge, emotion_change, person_name

EMPTY = "—"  # django-tables2's default for an empty cell
RESPONSE_CHARS = 48


def choice_label(choices, value) -> str:
    """What ``get_FOO_display()`` shows, at a fraction of its cost (Django rebuilds the
    choices and hashes each lazy label on every call)."""
    return str(dict(choices.choices).get(value, value))


def local_time(value: datetime.datetime, fmt: str) -> str:
    """An aware time in the current time zone, as the ``date`` filter shows it; `fmt` is
    the strftime spelling of the column's format ("%Y-%m-%d %H:%M" for "Y-m-d H:i")."""
    return timezone.localtime(value).strftime(fmt)


def url_maker(viewname: str):
    """``reverse(viewname, kwargs={"pk": pk})`` for a page of pks at the cost of one
    reverse: the URL is reversed once with a marker pk, which each pk then replaces."""
    marker = "2147483647"
    prefix, _marker, suffix = reverse(viewname, kwargs={"pk": int(marker)}).rpartition(marker)
    return lambda pk: f"{prefix}{pk}{suffix}"


def response_cell(interaction):
    """The response given, shortened, after the template's title when one was used."""
    text = interaction.response_text
    if len(text) > RESPONSE_CHARS:  # Truncator is slow; most responses need none of it
        text = Truncator(text).chars(RESPONSE_CHARS)
    if interaction.response_template_id:
        return format_html(
            '<span class="response-cell"><span class="badge badge-template">{}</span> {}</span>',
            interaction.response_template.title,
            text,
        )
    return format_html('<span class="response-cell">{}</span>', text or EMPTY)


def complaint_cell(is_complaint: bool, status: str):
    if not is_complaint:
        return EMPTY
    return format_html(
        '<span class="status status-{}">{}</span>', status, choice_label(ComplaintStatus, status)
    )


def recovered_cell(value):
    if value is None:
        return EMPTY
    if value:
        return format_html('<span class="yes">✓ {}</span>', gettext("Yes"))
    return format_html('<span class="no">{}</span>', gettext("No"))


class WrittenTable(tables.Table):
    """A table whose header and rows are written in Python, one ``format_html`` per row
    (``row_html``, its fields named as ``body_rows()`` keys them), instead of a template
    loop: resolving fifty rows of eleven ``{{ row.x }}`` variables was a fifth of the
    interactions list's time. Its template writes ``header_html`` and ``body_html``;
    includes/table.html still holds the same header in the template language, and
    tests/test_list_rendering.py compares the two."""

    row_html = ""

    def as_html(self, request):
        self.request = request  # RequestConfig sets it in the views; the header needs it
        return super().as_html(request)

    def body_rows(self) -> list[dict]:
        raise NotImplementedError

    def body_html(self) -> str:
        rows = self.body_rows()
        if not rows:
            if not self.empty_text:
                return ""
            return format_html(
                '<tr><td colspan="{}">{}</td></tr>', len(self.columns), self.empty_text
            )
        parity = ("even", "odd")
        return mark_safe(
            "".join(
                format_html(self.row_html, parity=parity[index % 2], **row)
                for index, row in enumerate(rows)
            )
        )

    def header_html(self) -> str:
        """The <th>s: each sortable column a link to the list sorted by it (the other
        parameters kept), the sorted one marked with aria-sort and an arrow."""
        params = dict(self.request.GET) if getattr(self, "request", None) else {}
        cells = []
        for column in self.columns:
            attrs = column.attrs["th"].as_html()
            if not column.orderable:
                cells.append(format_html('<th scope="col" {}>{}</th>', attrs, column.header))
                continue
            params[self.prefixed_order_by_field] = column.order_by_alias.next
            href = escape("?" + urlencode(params, doseq=True))
            sort, arrow = "", ""
            if column.is_ordered:
                descending = column.order_by_alias.is_descending
                sort = format_html(' aria-sort="{}"', "descending" if descending else "ascending")
                arrow = format_html(
                    ' <span aria-hidden="true">{}</span>', "▼" if descending else "▲"
                )
            cells.append(
                format_html(
                    '<th scope="col" {}{}><a href="{}">{}{}</a></th>',
                    attrs,
                    sort,
                    href,
                    column.header,
                    arrow,
                )
            )
        return mark_safe("".join(cells))


class InteractionTable(WrittenTable):
    """The seed table's columns first (customer, emotion, response), then the rest."""

    customer = tables.Column(
        verbose_name=_("Customer"),
        linkify=lambda record: record.customer.get_absolute_url(),
        order_by=("customer__name", "-occurred_at"),
    )
    emotion = tables.Column(
        verbose_name=_("Emotion"),
        accessor="emotion_start",
        empty_values=(),
        order_by=("emotion_start__order", "-occurred_at"),
    )
    response = tables.Column(
        verbose_name=_("Response"),
        accessor="response_text",
        empty_values=(),
        order_by=("response_template__title", "-occurred_at"),
    )
    occurred_at = tables.DateTimeColumn(
        verbose_name=_("When"),
        format="Y-m-d H:i",
        linkify=lambda record: record.get_absolute_url(),
        order_by=("occurred_at", "id"),
        attrs={"td": {"class": "nowrap"}},
    )
    channel = tables.Column(verbose_name=_("Channel"), order_by=("channel__order", "-occurred_at"))
    touchpoint = tables.Column(
        verbose_name=_("Touchpoint"), order_by=("touchpoint__order", "-occurred_at")
    )
    agent = tables.Column(
        verbose_name=_("Agent"),
        order_by=("agent__username", "-occurred_at"),
        attrs={"td": {"class": "nowrap"}},
    )
    # Each sort has a tie-breaker (the time, then the id through Meta ordering), so numbered
    # pages never repeat or skip rows that share a value.
    intensity = tables.Column(
        verbose_name=_("Intensity"),
        attrs={"td": {"class": "num"}},
        order_by=("intensity", "-occurred_at"),
    )
    complaint_status = tables.Column(
        verbose_name=_("Complaint"), empty_values=(), order_by=("complaint_status", "-occurred_at")
    )
    outcome = tables.Column(
        verbose_name=_("Outcome"),
        attrs={"td": {"class": "nowrap"}},
        order_by=("outcome", "-occurred_at"),
    )
    recovered = tables.Column(
        verbose_name=_("Recovered"), empty_values=(), order_by=("recovered", "-occurred_at")
    )

    class Meta:
        model = Interaction
        fields = ()
        sequence = (
            "customer",
            "emotion",
            "response",
            "occurred_at",
            "channel",
            "touchpoint",
            "agent",
            "intensity",
            "complaint_status",
            "outcome",
            "recovered",
        )
        order_by = ("-occurred_at",)
        attrs = {"class": "table"}
        empty_text = _("No interactions match these filters.")
        template_name = "interactions/interaction_table.html"

    row_html = (
        '<tr class="{parity}"><td><a href="{customer_url}">{customer}</a></td><td>{emotion}</td>'
        '<td>{response}</td><td class="nowrap"><a href="{url}">{occurred_at}</a></td>'
        '<td>{channel}</td><td>{touchpoint}</td><td class="nowrap">{agent}</td>'
        '<td class="num">{intensity}</td><td>{complaint_status}</td>'
        '<td class="nowrap">{outcome}</td><td>{recovered}</td></tr>'
    )

    def __init__(self, *args, lookups=None, **kwargs):
        super().__init__(*args, **kwargs)
        self.lookups = lookups  # where body_rows finds the rows' reference rows

    def render_emotion(self, record):
        return emotion_change(record.emotion_start, record.emotion_end)

    def render_response(self, record):
        return response_cell(record)

    def render_agent(self, value):
        return person_name(value)

    def render_complaint_status(self, record):
        return complaint_cell(record.is_complaint, record.complaint_status)

    def render_recovered(self, value):
        return recovered_cell(value)

    def body_rows(self) -> list[dict]:
        """The page's rows, one dict per row, keyed by the fields of row_html. A cell
        that depends on a few values only (a pair of emotions, a status) is drawn once
        per page (functools.cache, local to this call)."""
        change = functools.cache(emotion_change)  # the rows share prefetched emotions
        complaint = functools.cache(complaint_cell)
        recovered = functools.cache(recovered_cell)
        outcomes = {value: str(label) for value, label in Outcome.choices}
        customer_url = url_maker("interactions:customer-detail")
        interaction_url = url_maker("interactions:detail")
        records = [row.record for row in self.paginated_rows]
        if self.lookups is not None:
            self.lookups.attach(records)
        return [
            {
                "customer": record.customer,
                "customer_url": customer_url(record.customer_id),
                "emotion": change(record.emotion_start, record.emotion_end),
                "response": response_cell(record),
                "url": interaction_url(record.pk),
                "occurred_at": local_time(record.occurred_at, "%Y-%m-%d %H:%M"),
                "channel": record.channel,
                "touchpoint": record.touchpoint or EMPTY,
                "agent": person_name(record.agent),
                "intensity": record.intensity,
                "complaint_status": complaint(record.is_complaint, record.complaint_status),
                "outcome": outcomes.get(record.outcome, record.outcome) or EMPTY,
                "recovered": recovered(record.recovered),
            }
            for record in records
        ]


class CustomerTable(WrittenTable):
    name = tables.Column(verbose_name=_("Name"), linkify=True)
    phone = tables.Column(verbose_name=_("Phone"), orderable=False)
    email = tables.Column(verbose_name=_("E-mail"), orderable=False)
    external_ref = tables.Column(verbose_name=_("External reference"))
    archetype = tables.Column(verbose_name=_("Archetype"), empty_values=())
    created_at = tables.DateTimeColumn(verbose_name=_("Created"), format="Y-m-d")

    class Meta:
        model = Customer
        fields = ()
        sequence = ("name", "phone", "email", "external_ref", "archetype", "created_at")
        attrs = {"class": "table"}
        empty_text = _("No customers match.")
        template_name = "interactions/customer_table.html"

    row_html = (
        '<tr class="{parity}"><td><a href="{url}">{name}</a></td><td>{phone}</td>'
        "<td>{email}</td><td>{external_ref}</td><td>{archetype}</td><td>{created_at}</td></tr>"
    )

    def render_phone(self, value):
        return mask_phone(value)

    def render_email(self, value):
        return mask_email(value)

    def render_archetype(self, record):
        return archetype_badge(record)

    def body_rows(self) -> list[dict]:
        """The page's rows, one dict per row, keyed by the fields of row_html; each
        kind of archetype badge is drawn once per page."""
        badges: dict[tuple, str] = {}
        url = url_maker("interactions:customer-detail")
        rows = []
        for customer in (row.record for row in self.paginated_rows):
            kind = (customer.archetype, customer.archetype_source)
            if kind not in badges:
                badges[kind] = archetype_badge(customer)
            rows.append(
                {
                    "name": customer.name,
                    "url": url(customer.pk),
                    "phone": mask_phone(customer.phone) if customer.phone else EMPTY,
                    "email": mask_email(customer.email) if customer.email else EMPTY,
                    "external_ref": customer.external_ref or EMPTY,
                    "archetype": badges[kind],
                    "created_at": local_time(customer.created_at, "%Y-%m-%d"),
                }
            )
        return rows
