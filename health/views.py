"""Health pages: a client's health (its page, the client page's section as a partial, and the recalculation) and
the settings page (admins)."""

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_http_methods

from clients.selectors import can_edit_client, get_client_for_user
from core.exceptions import ApplicationError
from core.forms import apply_application_error

from . import configuration, services
from .forms import HealthConfigForm
from .models import HealthConfig
from .sections import client_health_context

SECTION = "health/client_health_section.html#client-health"
PAGE = "health/client_health.html"


@login_required
@require_http_methods(["GET", "POST"])
def client_health(request, pk):
    """GET: the client's health page, or its section alone for htmx. POST: recalculate now (those who may edit the
    client; others 403, a client the user may not see 404), then the section (htmx) or back to the client page."""
    client = get_client_for_user(request.user, pk)
    can_edit = can_edit_client(request.user, client)
    if request.method == "POST":
        if not can_edit:
            raise PermissionDenied
        services.recompute_client_health(client=client, actor=request.user)
        if not request.htmx:
            messages.success(request, _("Health recalculated."))
            return redirect(f"{client.get_absolute_url()}#client-health")
    context = {"client": client, "section": client_health_context(request, client, can_edit)}
    return render(request, SECTION if request.htmx else PAGE, context)


@login_required
def health_settings(request):
    """The weights and thresholds (admins only): an invalid value shows the form again and saves nothing."""
    if not request.user.is_admin:
        raise PermissionDenied
    config = HealthConfig.get()
    form = HealthConfigForm(request.POST or None, instance=config)
    if request.method == "POST" and form.is_valid():
        values = {name: form.cleaned_data[name] for name in configuration.SETTINGS_FIELDS}
        try:
            configuration.update_health_config(actor=request.user, values=values)
        except ApplicationError as error:
            apply_application_error(form, error)
        else:
            messages.success(request, _("Health settings saved. Scores follow them at the next recalculation."))
            return redirect("health:settings")
    return render(request, "health/health_settings.html", {"form": form, "config": config})
