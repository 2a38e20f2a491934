"""Privacy pages (docs/privacy.md): the access log, revealing a masked phone, a
customer's data export and erasure. Glue only: the rules are in privacy.py, who may do
what in roles.py."""

import json

from django.contrib import messages
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.serializers.json import DjangoJSONEncoder
from django.http import Http404, HttpResponse, JsonResponse
from django.shortcuts import redirect
from django.utils.translation import gettext as _
from django.views.generic import FormView, View

from . import privacy, roles, selectors
from .access import Action, record_access
from .exports import csv_export, local_iso
from .models import AccessLog
from .privacy_filters import AccessLogFilter
from .privacy_forms import EraseConfirmForm
from .privacy_tables import AccessLogTable
from .views import FilteredTableView, RoleRequiredMixin

ERR_LEADS_AND_ADMINS = _("Only team leads and admins can read the access log.")
ERR_NO_EXPORT = _("Your role does not allow exporting a customer's data.")
ERR_NO_ERASE = _("Only admins can erase a customer's personal data.")


def _customer_or_404(user, pk):
    customer = selectors.customer_list(user=user).filter(pk=pk).first()
    if customer is None:
        raise Http404
    return customer


class AccessLogAccessMixin:
    def dispatch(self, request, *args, **kwargs):
        user = request.user
        if user.is_authenticated and roles.has_role(user) and not roles.can_view_access_log(user):
            raise PermissionDenied(ERR_LEADS_AND_ADMINS)
        return super().dispatch(request, *args, **kwargs)


class AccessLogListView(AccessLogAccessMixin, FilteredTableView):
    """Who viewed, revealed, exported or erased personal data; newest first, read-only."""

    table_class = AccessLogTable
    filterset_class = AccessLogFilter
    template_name = "privacy/access_log.html"

    def get_queryset(self):
        return AccessLog.objects.order_by("-at", "-id")

    def get_context_data(self, **kwargs):
        return super().get_context_data(title=_("Access log"), **kwargs)


# The export's columns: (header, values_list lookup), in order.
ACCESS_LOG_EXPORT_COLUMNS = [
    ("at", "at"),
    ("user", "username"),
    ("action", "action"),
    ("customer_id", "customer_id"),
    ("object", "object_repr"),
    ("rows", "rows"),
    ("path", "path"),
    ("ip", "ip"),
]


class AccessLogExportView(AccessLogAccessMixin, RoleRequiredMixin, View):
    """The filtered entries as CSV, streamed; the export is itself recorded."""

    def get(self, request):
        filterset = AccessLogFilter(request.GET, queryset=AccessLog.objects.all())
        if not filterset.is_valid():
            return JsonResponse({"errors": filterset.errors}, status=400)
        rows = filterset.qs.order_by("-at", "-id").values_list(
            *(lookup for _header, lookup in ACCESS_LOG_EXPORT_COLUMNS)
        )

        def generate():
            for at, *rest in rows.iterator(chunk_size=2000):
                yield [local_iso(at), *rest]

        headers = [header for header, _lookup in ACCESS_LOG_EXPORT_COLUMNS]
        return csv_export(request, "access-log.csv", headers, generate())  # records it


class CustomerRevealPhoneView(RoleRequiredMixin, View):
    """POST ``customer`` (an id): the full phone number where a page shows it masked.
    Every reveal is recorded in the access log."""

    permission = "interactions.view_customer"

    def post(self, request):
        customer_id = request.POST.get("customer", "")
        if not customer_id.isdigit() or len(customer_id) > 18:
            return JsonResponse({"errors": {"customer": [_("Unknown customer.")]}}, status=400)
        if not roles.can_reveal_phone(request.user):
            raise PermissionDenied
        customer = selectors.customer_list(user=request.user).filter(pk=customer_id).first()
        if customer is None:
            return JsonResponse({"errors": {"customer": [_("Unknown customer.")]}}, status=404)
        if customer.phone and not customer.is_erased:
            record_access(request, Action.REVEAL_PHONE, customer=customer)
        response = JsonResponse({"phone": customer.phone})
        response["Cache-Control"] = "no-store"
        return response


class CustomerExportDataView(RoleRequiredMixin, View):
    """POST: everything held about one customer as a JSON file (leads and admins)."""

    def post(self, request, pk):
        if not roles.can_export_customer_data(request.user):
            raise PermissionDenied(ERR_NO_EXPORT)
        customer = _customer_or_404(request.user, pk)
        data = privacy.customer_export_data(customer=customer, user=request.user)
        record_access(
            request, Action.EXPORT_CUSTOMER, customer=customer, rows=len(data["interactions"])
        )
        body = json.dumps(data, cls=DjangoJSONEncoder, ensure_ascii=False, indent=2)
        response = HttpResponse(body, content_type="application/json; charset=utf-8")
        response["Content-Disposition"] = f'attachment; filename="customer-{customer.pk}.json"'
        response["Cache-Control"] = "no-store"
        return response


class CustomerEraseView(RoleRequiredMixin, FormView):
    """A confirmation page, then erasure (privacy.customer_erase): admins only."""

    form_class = EraseConfirmForm
    template_name = "privacy/customer_erase.html"

    def dispatch(self, request, *args, **kwargs):
        user = request.user
        if user.is_authenticated and roles.has_role(user):
            if not roles.can_erase_customer(user):
                raise PermissionDenied(ERR_NO_ERASE)
            self.customer = _customer_or_404(user, kwargs["pk"])
        return super().dispatch(request, *args, **kwargs)

    def get_context_data(self, **kwargs):
        return super().get_context_data(
            title=_("Erase personal data"),
            customer=self.customer,
            interaction_count=self.customer.interactions.count(),
            **kwargs,
        )

    def form_valid(self, form):
        try:
            privacy.customer_erase(
                customer=self.customer, user=self.request.user, request=self.request
            )
        except ValidationError as error:
            for message in error.messages:
                messages.error(self.request, message)
            return redirect(self.customer.get_absolute_url())
        messages.success(self.request, _("The customer's personal data was erased."))
        return redirect(self.customer.get_absolute_url())
