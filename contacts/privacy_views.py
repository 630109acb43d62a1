"""A contact's personal data page for administrators: what the CRM holds, the JSON export, and erasure."""

import json

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.core.serializers.json import DjangoJSONEncoder
from django.http import HttpResponse
from django.shortcuts import redirect, render
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views.decorators.http import require_GET, require_POST

from . import privacy, selectors
from .forms import ErasureForm
from .personal_data import get_personal_data_sources

PAGE = "contacts/contact_privacy.html"


def _contact_for_admin(request, pk):
    """404 for a contact the user may not see, 403 for one they see but may not export or erase (not an admin)."""
    contact = selectors.get_contact_for_user(request.user, pk)
    if not privacy.can_manage_personal_data(request.user):
        raise PermissionDenied
    return contact


def _holdings(contact) -> list[dict]:
    """How many records of each kind the CRM holds about the person, labelled, in the sources' order."""
    counts = privacy.count_contact_data(privacy.get_contact_data(contact))
    labels = {"history": gettext_lazy("Versions in the change history")}
    labels.update({source.key: source.label or source.key for source in get_personal_data_sources()})
    return [{"key": key, "label": labels.get(key, key), "count": count} for key, count in counts.items()]


def _page(request, contact, form, status=200):
    context = {
        "contact": contact,
        "client": contact.client,
        "form": form,
        "holdings": _holdings(contact),
        "erased": privacy.get_last_erasure(contact),
        "is_anonymous": privacy.is_erased(contact),
    }
    return render(request, PAGE, context, status=status)


@login_required
@require_GET
def contact_privacy(request, pk):
    """What the CRM holds about the person, with the export and the erasure."""
    contact = _contact_for_admin(request, pk)
    return _page(request, contact, ErasureForm(contact=contact))


@login_required
@require_GET
def contact_privacy_export(request, pk):
    """Everything about the person as a JSON download (audited)."""
    contact = _contact_for_admin(request, pk)
    data = privacy.export_contact_data(actor=request.user, contact=contact, request=request)
    body = json.dumps(data, cls=DjangoJSONEncoder, ensure_ascii=False, indent=2)
    response = HttpResponse(body, content_type="application/json; charset=utf-8")
    filename = f"contact-{contact.pk}-{timezone.localdate():%Y-%m-%d}.json"
    response["Content-Disposition"] = f'attachment; filename="{filename}"'
    return response


@login_required
@require_POST
def contact_erase(request, pk):
    """Anonymise the person once the admin typed their name; irreversible (audited)."""
    contact = _contact_for_admin(request, pk)
    form = ErasureForm(request.POST, contact=contact)
    if not form.is_valid():
        return _page(request, contact, form)
    privacy.erase_contact(actor=request.user, contact=contact, request=request)
    messages.success(request, _("The contact's personal data was erased."))
    return redirect("contacts:privacy", pk=contact.pk)
