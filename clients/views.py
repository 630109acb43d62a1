from django.conf import settings
from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.core.paginator import Paginator
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from core.exceptions import ApplicationError
from core.forms import apply_application_error

from . import selectors, services
from .filters import ClientFilter
from .forms import ClientForm, ReassignForm
from .sections import get_sections


@login_required
def client_list(request):
    client_filter = ClientFilter(request.GET or None, queryset=selectors.list_clients(request.user), user=request.user)
    page = Paginator(client_filter.qs, settings.CLIENTS_PAGE_SIZE).get_page(request.GET.get("page"))
    query = request.GET.copy()
    query.pop("page", None)
    context = {"filter": client_filter, "page": page, "query": query.urlencode(), "sort": request.GET.get("sort", "")}
    template = "clients/client_list.html#client-table" if request.htmx else "clients/client_list.html"
    return render(request, template, context)


@login_required
def client_detail(request, pk):
    client = selectors.get_client_for_user(request.user, pk)
    can_edit = selectors.can_edit_client(request.user, client)
    sections = [
        {"section": s, "context": s.get_context(request, client, can_edit)}
        for s in get_sections("header") + get_sections("main") + get_sections("side")
    ]
    context = {
        "client": client,
        "can_edit": can_edit,
        "can_reassign": selectors.can_reassign_client(request.user, client),
        "reassign_form": ReassignForm(user=request.user, initial={"manager": client.account_manager_id}),
        "header_sections": [s for s in sections if s["section"].slot == "header"],
        "main_sections": [s for s in sections if s["section"].slot == "main"],
        "side_sections": [s for s in sections if s["section"].slot == "side"],
        "history": selectors.get_client_history(client),
    }
    return render(request, "clients/client_detail.html", context)


@login_required
def client_create(request):
    form = ClientForm(request.POST or None, user=request.user)
    if request.method == "POST" and form.is_valid():
        data = dict(form.cleaned_data)
        try:
            client = services.create_client(actor=request.user, **data)
        except ApplicationError as error:
            apply_application_error(form, error)
        else:
            messages.success(request, _("Client “%(name)s” was created.") % {"name": client.name})
            return redirect(client)
    return render(request, "clients/client_form.html", {"form": form})


@login_required
def client_edit(request, pk):
    client = selectors.get_client_for_user(request.user, pk)
    if not selectors.can_edit_client(request.user, client):
        raise PermissionDenied
    form = ClientForm(request.POST or None, instance=client, user=request.user)
    if request.method == "POST" and form.is_valid():
        data = dict(form.cleaned_data)
        # the form wrote into the instance while validating; reload so the service sees the stored row
        client = selectors.get_client_for_user(request.user, pk)
        try:
            services.update_client(actor=request.user, client=client, **data)
        except ApplicationError as error:
            apply_application_error(form, error)
        else:
            messages.success(request, _("Changes saved."))
            return redirect(client)
    return render(request, "clients/client_form.html", {"form": form, "client": client})


@login_required
@require_POST
def client_reassign(request, pk):
    client = selectors.get_client_for_user(request.user, pk)
    if not selectors.can_reassign_client(request.user, client):
        raise PermissionDenied
    form = ReassignForm(request.POST, user=request.user)
    if form.is_valid():
        try:
            services.reassign_client(actor=request.user, client=client, manager=form.cleaned_data["manager"])
        except ApplicationError as error:
            messages.error(request, error.message)
        else:
            messages.success(
                request,
                _("%(client)s is now managed by %(manager)s.")
                % {"client": client.name, "manager": client.account_manager},
            )
    else:
        messages.error(request, _("Choose one of your team's managers."))
    return redirect(client)
