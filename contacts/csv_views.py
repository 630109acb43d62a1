"""CSV export of the filtered client list and the two-step CSV import of clients with contacts."""

from django.conf import settings
from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.http import StreamingHttpResponse
from django.shortcuts import redirect, render
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import ngettext
from django.views.decorators.http import require_GET, require_http_methods

from accounts.audit import filters_of, record_audit
from accounts.models import AuditAction
from clients.filters import ClientFilter
from clients.selectors import list_clients

from . import exporting, importing


@login_required
@require_GET
def client_export(request):
    """The clients of the list page with the same filters (visibility included), as a CSV download."""
    if request.GET.get("template"):
        rows, filename = exporting.template_rows(), "clients-template.csv"
    else:
        client_filter = ClientFilter(request.GET or None, queryset=list_clients(request.user), user=request.user)
        rows, filename = exporting.client_csv_rows(client_filter.qs), f"clients-{timezone.localdate():%Y-%m-%d}.csv"
        record_audit(
            actor=request.user,
            action=AuditAction.EXPORT,
            subject=filename,
            details={"export": "clients", "filters": filters_of(request.GET), "rows": client_filter.qs.count()},
            request=request,
        )
    response = StreamingHttpResponse(exporting.stream_csv(rows), content_type="text/csv; charset=utf-8")
    response["Content-Disposition"] = f'attachment; filename="{filename}"'
    return response


@login_required
@require_http_methods(["GET", "POST"])
def client_import(request):
    """Upload → report (errors or a preview); confirm → the checked text is imported again from scratch."""
    form = importing.CsvUploadForm(request.POST or None, request.FILES or None)
    report = None
    if request.method == "POST" and "csv_text" in request.POST:
        result = importing.import_clients_csv(actor=request.user, text=request.POST["csv_text"])
        if result.created:
            messages.success(request, _imported_message(len(result.created), result.skipped))
            return redirect("clients:list")
        form, report = importing.CsvUploadForm(), result.report
    elif request.method == "POST" and form.is_valid():
        report = importing.validate_client_csv(user=request.user, text=form.cleaned_data["file"])
    context = {
        "form": form,
        "report": report,
        "codes": importing.column_codes(),
        "max_bytes": settings.CLIENT_IMPORT_MAX_BYTES,
    }
    return render(request, "contacts/client_import.html", context)


def _imported_message(created: int, skipped: int) -> str:
    imported = ngettext("%(count)d client imported", "%(count)d clients imported", created) % {"count": created}
    duplicates = ngettext("%(count)d duplicate skipped", "%(count)d duplicates skipped", skipped) % {"count": skipped}
    return _("%(imported)s, %(duplicates)s.") % {"imported": imported, "duplicates": duplicates}
