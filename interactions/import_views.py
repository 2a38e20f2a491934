"""The CSV import page and its sample file (docs/import.md). Glue only: the checks and
the writing are imports.py's, shared with `manage.py import_interactions`."""

from django.conf import settings
from django.contrib import messages
from django.core.exceptions import PermissionDenied
from django.http import HttpResponse
from django.shortcuts import redirect
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import ngettext
from django.views.generic import FormView, View

from . import imports, roles
from .exports import BOM
from .import_forms import ImportForm
from .models import ImportBatch
from .views import RoleRequiredMixin

RECENT_IMPORTS = 10


class ImportRequiredMixin(RoleRequiredMixin):
    def dispatch(self, request, *args, **kwargs):
        if roles.has_role(request.user) and not roles.can_import(request.user):
            raise PermissionDenied(_("Only team leads and admins can import interactions."))
        return super().dispatch(request, *args, **kwargs)


class ImportView(ImportRequiredMixin, FormView):
    """Upload a CSV file: check it (dry run) or import it, all or nothing."""

    template_name = "interactions/import.html"
    form_class = ImportForm

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        context["title"] = _("Import interactions")
        context["columns"] = imports.describe_columns()
        context["time_zone"] = timezone.get_current_timezone_name()
        context["recent"] = ImportBatch.objects.select_related("created_by")[:RECENT_IMPORTS]
        result = context.get("result")
        if result is not None:
            shown = settings.EMOTIONCARE_IMPORT_ERRORS_SHOWN
            context["shown_errors"] = result.errors[:shown]
            context["more_errors"] = max(len(result.errors) - shown, 0)
        return context

    def form_invalid(self, form):
        response = super().form_invalid(form)
        response.status_code = 400
        return response

    def form_valid(self, form):
        upload = form.cleaned_data["file"]
        dry_run = form.cleaned_data["dry_run"]
        try:
            imports.check_size(upload.size)
        except imports.ImportFileError as error:
            result = imports.ImportResult(dry_run=dry_run, file_error=str(error.message))
        else:
            result = imports.run_import(
                upload.read(),
                filename=upload.name,
                user=self.request.user,
                source=ImportBatch.Source.PAGE,
                dry_run=dry_run,
                encoding=form.cleaned_data["encoding"],
            )
        if result.ok and result.batch is not None:
            messages.success(self.request, imported_message(result))
            return redirect("interactions:import")
        return self.render_to_response(
            self.get_context_data(form=form, result=result), status=200 if result.ok else 400
        )


def imported_message(result: imports.ImportResult) -> str:
    rows = ngettext(
        "Imported %(rows)d interaction from %(file)s.",
        "Imported %(rows)d interactions from %(file)s.",
        result.rows,
    ) % {"rows": result.rows, "file": result.filename}
    customers = _("New customers: %(new)d. Existing customers: %(matched)d.") % {
        "new": result.customers_created,
        "matched": result.customers_matched,
    }
    return f"{rows} {customers}"


class ImportSampleView(ImportRequiredMixin, View):
    """The sample file: every column, Korean and English rows, UTF-8 with a BOM."""

    def get(self, request):
        text = imports.sample_csv(agent=request.user.get_username())
        response = HttpResponse(
            (BOM + text).encode("utf-8"), content_type="text/csv; charset=utf-8"
        )
        response["Content-Disposition"] = 'attachment; filename="emotioncare-import-sample.csv"'
        return response
