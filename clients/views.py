from urllib.parse import urlencode

from django.conf import settings
from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.core.paginator import Paginator
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.utils.translation import ngettext
from django.views.decorators.http import require_POST

from core.exceptions import ApplicationError
from core.forms import apply_application_error

from . import selectors, services
from .filters import ClientFilter
from .forms import ClientForm, HandoverForm, ReassignForm
from .handover import label_counts
from .sections import get_sections


@login_required
def client_list(request):
    client_filter = ClientFilter(request.GET or None, queryset=selectors.list_clients(request.user), user=request.user)
    page = Paginator(client_filter.qs, settings.CLIENTS_PAGE_SIZE).get_page(request.GET.get("page"))
    query = request.GET.copy()
    query.pop("page", None)
    context = {
        "filter": client_filter,
        "page": page,
        "query": query.urlencode(),
        "sort": request.GET.get("sort", ""),
        "can_hand_over": selectors.can_hand_over_clients(request.user),
        # "Hand over all" carries the filters that pick, not the form's empty fields
        "handover_query": urlencode([(name, value) for name, values in query.lists() for value in values if value]),
    }
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


@login_required
def client_handover(request):
    """The clients the list's filters pick (?manager=, ?segment=, ?id=…): what handing them over would move (GET),
    and the handover itself (POST, the same query string)."""
    if not selectors.can_hand_over_clients(request.user):
        raise PermissionDenied
    client_filter = ClientFilter(request.GET, queryset=selectors.list_clients(request.user), user=request.user)
    # Never every visible client by accident: a junk or missing filter picks nothing here.
    picked = client_filter.narrows and not client_filter.errors
    form = HandoverForm(request.POST or None, user=request.user)
    if request.method == "POST" and picked and form.is_valid():
        if form.cleaned_data["expected"] != client_filter.qs.count():
            form.add_error(None, _("The selection changed meanwhile. Check the clients below and confirm again."))
        else:
            try:
                handover = services.hand_over_clients(
                    actor=request.user,
                    clients=client_filter.qs,
                    manager=form.cleaned_data["manager"],
                    note=form.cleaned_data["note"],
                )
            except ApplicationError as error:
                apply_application_error(form, error)
            else:
                count = handover.client_count
                messages.success(
                    request,
                    ngettext(
                        "%(count)s client handed over to %(manager)s.",
                        "%(count)s clients handed over to %(manager)s.",
                        count,
                    )
                    % {"count": count, "manager": handover.manager},
                )
                return redirect(handover)
    preview = None
    if picked:
        chosen = getattr(form, "cleaned_data", {}).get("manager")
        preview = selectors.get_handover_preview(client_filter.qs, manager=chosen)
        # the hidden count is what this page shows: submitting again confirms it
        if form.is_bound:
            form.data = form.data.copy()
            form.data["expected"] = str(preview["count"])
        else:
            form.initial["expected"] = preview["count"]
    query = request.GET.copy()
    query.pop("page", None)
    context = {"filter": client_filter, "picked": picked, "preview": preview, "form": form, "query": query.urlencode()}
    return render(request, "clients/client_handover.html", context)


@login_required
def handover_detail(request, pk):
    """What a handover moved: who, when, to whom, from whom, and what went with the clients."""
    if not selectors.can_hand_over_clients(request.user):
        raise PermissionDenied
    handover = selectors.get_handover_for_user(request.user, pk)
    context = {
        "handover": handover,
        "counts": label_counts(handover.counts),
        "sources": selectors.list_handover_sources(handover),
        "clients": selectors.list_handover_clients(request.user, handover),
        "clients_url": f"{reverse('clients:list')}?handover={handover.pk}",
    }
    return render(request, "clients/client_handover_detail.html", context)
