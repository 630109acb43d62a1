"""Contact management inline on the client page (htmx), with full-page fallbacks."""

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST
from django_htmx.http import reswap, retarget

from clients.selectors import can_edit_client, get_client_for_user
from core.exceptions import ApplicationError
from core.forms import apply_application_error

from . import selectors, services
from .forms import ContactForm

SECTION = "contacts/contact_section.html"


def section_context(request, client, can_edit):
    """Context of the client page's contacts section (registered in apps.py)."""
    return {"client": client, "can_edit": can_edit, "contacts": selectors.list_client_contacts(client)}


def _section_response(request, client, can_edit=True):
    """The refreshed section; it replaces the whole section whatever element asked."""
    response = render(request, f"{SECTION}#contacts", {"section": section_context(request, client, can_edit)})
    return reswap(retarget(response, "#contacts"), "outerHTML")


def _form_response(request, form, client, contact=None):
    # htmx swaps only 2xx answers, so a form with errors comes back as 200 like a normal Django form.
    context = {"form": form, "client": client, "contact": contact}
    template = f"{SECTION}#contact-form" if request.htmx else "contacts/contact_form.html"
    return render(request, template, context)


def key_contacts_context(request, client, can_edit):
    """The primary contact and decision makers, for the client page header."""
    return {"key_contacts": selectors.list_key_contacts(client)}


@login_required
def contact_create(request, client_pk):
    client = get_client_for_user(request.user, client_pk)
    if not can_edit_client(request.user, client):
        raise PermissionDenied
    form = ContactForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            services.create_contact(actor=request.user, client=client, **form.cleaned_data)
        except ApplicationError as error:
            apply_application_error(form, error)
        else:
            if request.htmx:
                return _section_response(request, client)
            messages.success(request, _("Contact added."))
            return redirect(client)
    return _form_response(request, form, client)


@login_required
def contact_edit(request, pk):
    contact = selectors.get_contact_for_user(request.user, pk)
    client = contact.client
    if not can_edit_client(request.user, client):
        raise PermissionDenied
    form = ContactForm(request.POST or None, instance=contact)
    if request.method == "POST" and form.is_valid():
        try:
            services.update_contact(actor=request.user, contact=contact, **form.cleaned_data)
        except ApplicationError as error:
            apply_application_error(form, error)
        else:
            if request.htmx:
                return _section_response(request, client)
            messages.success(request, _("Contact saved."))
            return redirect(client)
    return _form_response(request, form, client, contact)


@login_required
@require_POST
def contact_delete(request, pk):
    contact = selectors.get_contact_for_user(request.user, pk)
    client = contact.client
    if not can_edit_client(request.user, client):
        raise PermissionDenied
    services.delete_contact(actor=request.user, contact=contact)
    if request.htmx:
        return _section_response(request, client)
    messages.success(request, _("Contact removed."))
    return redirect(client)


@login_required
def contact_section(request, client_pk):
    """The section alone, for the "Cancel" button of an inline form."""
    client = get_client_for_user(request.user, client_pk)
    return _section_response(request, client, can_edit_client(request.user, client))
