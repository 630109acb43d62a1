"""Order pages: list, taking an order, the order page with its lines editor, status and documents."""

from decimal import Decimal

from django import forms
from django.conf import settings
from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.core.paginator import Paginator
from django.http import FileResponse, Http404, HttpResponse
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views.decorators.http import require_POST

from clients.selectors import can_edit_client, clients_editable_by, get_client_for_user, search_clients_q
from contacts.selectors import get_primary_contact
from core.exceptions import ApplicationError
from core.forms import apply_application_error
from core.money import allowed_currencies

from . import selectors
from .filters import OrderFilter
from .forms import AttachmentForm, OrderForm, TransitionForm, line_formset, line_initial, new_line_form
from .models import OrderAttachment, OrderStatus
from .permissions import can_edit_order
from .services import attachments as attachment_services
from .services import orders as services
from .services import workflow
from .services.pricing import LineData, compute_totals, get_default_discount, line_amounts

DETAIL = "orders/order_detail.html"
EDITOR = "orders/order_lines_editor.html"


@login_required
def order_list(request):
    order_filter = OrderFilter(request.GET or None, queryset=selectors.list_orders(request.user), user=request.user)
    page = Paginator(order_filter.qs, settings.ORDERS_PAGE_SIZE).get_page(request.GET.get("page"))
    query = request.GET.copy()
    query.pop("page", None)
    client_id = order_filter.form.cleaned_data.get("client") if order_filter.form.is_valid() else None
    context = {
        "filter": order_filter,
        "page": page,
        "query": query.urlencode(),
        "filtered_client": get_client_for_user(request.user, client_id) if client_id else None,
    }
    template = "orders/order_list.html#order-table" if request.htmx else "orders/order_list.html"
    return render(request, template, context)


def _editor_context(request, *, client, currency, formset):
    return {
        "client": client,
        "currency": currency,
        "formset": formset,
        "totals": _preview_totals(formset, currency),
    }


@login_required
def order_create(request):
    """Take an order: pick the client first (search), then the header and the lines."""
    client_id = request.GET.get("client") or request.POST.get("client")
    if not client_id:
        return _client_picker(request)
    client = get_client_for_user(request.user, client_id)
    if not can_edit_client(request.user, client):
        raise PermissionDenied
    products = selectors.list_active_products()
    discount = get_default_discount(client)
    form = OrderForm(request.POST or None, client=client, initial={"contact": get_primary_contact(client)})
    formset = line_formset(request.POST or None, products=products, default_discount=discount)
    if request.method == "POST" and form.is_valid() & formset.is_valid():
        currency = form.cleaned_data["currency"]
        lines = formset.lines(currency)
        if lines is not None:
            try:
                order = services.create_order(actor=request.user, client=client, lines=lines, **form.cleaned_data)
            except ApplicationError as error:
                apply_application_error(form, error)
            else:
                messages.success(request, _("Order %(number)s created as a draft.") % {"number": order.number})
                return redirect(order)
    currency = form["currency"].value()
    if currency not in allowed_currencies():  # a refused code: show the totals in the default one
        currency = allowed_currencies()[0]
    context = {"form": form, "client": client, "discount": discount}
    context.update(_editor_context(request, client=client, currency=currency, formset=formset))
    return render(request, "orders/order_form.html", context)


def _client_picker(request):
    term = request.GET.get("q", "").replace("\x00", "").strip()  # PostgreSQL refuses NUL in a string
    clients = clients_editable_by(request.user)
    if term:
        clients = clients.filter(pk__in=clients.filter(search_clients_q(term)).values("pk"))
    context = {"clients": clients.select_related("account_manager").order_by("name")[:20], "q": term}
    template = "orders/order_client_picker.html#client-choices" if request.htmx else "orders/order_client_picker.html"
    return render(request, template, context)


# The buttons of the status workflow, worded as actions.
ACTION_LABELS = {
    OrderStatus.CONFIRMED: gettext_lazy("Confirm order"),
    OrderStatus.IN_PROGRESS: gettext_lazy("Start work"),
    OrderStatus.SHIPPED: gettext_lazy("Mark shipped"),
    OrderStatus.DELIVERED: gettext_lazy("Mark delivered"),
    OrderStatus.CANCELLED: gettext_lazy("Cancel order"),
}
PATH = (OrderStatus.DRAFT, OrderStatus.CONFIRMED, OrderStatus.IN_PROGRESS, OrderStatus.SHIPPED, OrderStatus.DELIVERED)


def _steps(order, history) -> list[dict]:
    """The progress bar: each step of the path done, current or to do, with when it was reached."""
    reached = {e["transition"].to_status: e["at"] for e in history if e["kind"] == "transition"}
    current = PATH.index(order.status) if order.status in PATH else -1
    last_reached = max((PATH.index(s) for s in reached if s in PATH), default=0)
    steps = []
    for index, status in enumerate(PATH):
        if current >= 0:
            state = "done" if index < current else "current" if index == current else "todo"
        else:  # cancelled: what was reached stays done
            state = "done" if index <= last_reached else "todo"
        steps.append({"label": OrderStatus(status).label, "state": state, "at": reached.get(status)})
    if order.status == OrderStatus.CANCELLED:
        steps.append(
            {"label": OrderStatus.CANCELLED.label, "state": "cancelled", "at": reached.get(OrderStatus.CANCELLED)}
        )
    return steps


def _detail_context(request, order, *, formset=None) -> dict:
    can_edit = can_edit_order(request.user, order)
    history = selectors.get_order_history(order)
    context = {
        "order": order,
        "can_edit": can_edit,
        "history": history,
        "steps": _steps(order, history),
        "actions": [(status, ACTION_LABELS[status]) for status in order.allowed_transitions],
        "attachment_form": AttachmentForm(),
        "max_upload": settings.ORDER_ATTACHMENT_MAX_BYTES,
    }
    if can_edit and order.is_editable:
        formset = formset or line_formset(
            products=selectors.list_active_products(),
            default_discount=get_default_discount(order.client),
            initial=line_initial(order),
        )
        context.update(_editor_context(request, client=order.client, currency=order.currency, formset=formset))
    return context


@login_required
def order_detail(request, pk):
    order = selectors.get_order_for_user(request.user, pk)
    return render(request, DETAIL, _detail_context(request, order))


def _editable_order(request, pk):
    order = selectors.get_order_for_user(request.user, pk)
    if not can_edit_order(request.user, order):
        raise PermissionDenied
    return order


@login_required
def order_edit(request, pk):
    order = _editable_order(request, pk)
    form = OrderForm(request.POST or None, instance=order, client=order.client)
    if request.method == "POST" and form.is_valid():
        order = selectors.get_order_for_user(request.user, pk)  # the form wrote into the old one
        try:
            services.update_order(actor=request.user, order=order, **form.cleaned_data)
        except ApplicationError as error:
            apply_application_error(form, error)
        else:
            messages.success(request, _("Changes saved."))
            return redirect(order)
    return render(request, "orders/order_edit.html", {"form": form, "order": order})


@login_required
@require_POST
def order_lines_save(request, pk):
    """Save the lines editor of a draft order."""
    order = _editable_order(request, pk)
    formset = line_formset(
        request.POST, products=selectors.list_active_products(), default_discount=get_default_discount(order.client)
    )
    if formset.is_valid():
        lines = formset.lines(order.currency)
        if lines is not None:
            try:
                services.update_order(actor=request.user, order=order, lines=lines)
            except ApplicationError as error:
                messages.error(request, error.message)
            else:
                messages.success(request, _("Lines saved."))
                return redirect(order)
    return render(request, DETAIL, _detail_context(request, order, formset=formset))


def _preview_totals(formset, currency: str) -> dict:
    """Line and order totals of what is typed, computed like the saved ones; an incomplete line shows "—".

    Sets `line_total` on each form for the template.
    """
    lines = []
    for form in formset.forms:
        form.line_total = None
        line = _typed_line(formset, form, currency)
        if line is not None:
            form.line_total = line_amounts(line, currency)[1]
            lines.append(line)
    return {"order": compute_totals(lines, currency)}


def _typed_line(formset, form, currency: str) -> LineData | None:
    if not form.is_bound:  # the saved lines of a draft, shown before any edit
        initial = form.initial
        if initial.get("unit_price") is None:
            return None
        return LineData(
            description=initial.get("description", ""),
            quantity=Decimal(initial["quantity"]),
            unit_price=Decimal(initial["unit_price"]),
            discount_percent=Decimal(initial["discount_percent"]),
        )
    if not form.is_valid() or form.cleaned_data.get("DELETE"):
        return None
    if not form.has_changed() and form.empty_permitted:
        return None
    try:
        return form.to_line(currency)
    except forms.ValidationError:  # no price yet: nothing to add up for this line
        return None


@login_required
@require_POST
def order_preview(request):
    """htmx: the totals of the lines editor as typed, and each line's total (out of band)."""
    currency = request.POST.get("currency", "")
    if currency not in allowed_currencies():
        currency = allowed_currencies()[0]
    formset = line_formset(request.POST, products=selectors.list_active_products(), default_discount=0)
    context = {"currency": currency, "formset": formset, "totals": _preview_totals(formset, currency), "oob": True}
    return render(request, "orders/order_lines_editor.html#order-preview", context)


@login_required
def order_line_form(request):
    """htmx: a new empty line for the editor, and the formset's form count raised by one (out of band)."""
    try:
        index = int(request.GET.get("lines-TOTAL_FORMS", ""))
    except ValueError:
        return HttpResponse(status=400)
    if not 0 <= index < 200:
        return HttpResponse(status=400)
    client_id = request.GET.get("client")
    discount = 0
    if client_id:
        discount = get_default_discount(get_client_for_user(request.user, client_id))
    form = new_line_form(index, products=selectors.list_active_products(), default_discount=discount)
    return render(
        request, "orders/order_lines_editor.html#new-line", {"form": form, "index": index, "total_forms": index + 1}
    )


@login_required
@require_POST
def order_transition(request, pk):
    order = _editable_order(request, pk)
    form = TransitionForm(request.POST)
    if form.is_valid():
        try:
            order = workflow.transition_order(
                actor=request.user,
                order=order,
                to_status=form.cleaned_data["status"],
                reason=form.cleaned_data["reason"],
            )
        except ApplicationError as error:
            messages.error(request, error.message)
        else:
            messages.success(
                request,
                _("Order %(number)s is now %(status)s.")
                % {"number": order.number, "status": order.get_status_display().lower()},
            )
    return redirect(order)


@login_required
@require_POST
def attachment_upload(request, pk):
    order = _editable_order(request, pk)
    form = AttachmentForm(request.POST, request.FILES)
    if form.is_valid():
        try:
            attachment_services.add_attachment(
                actor=request.user, order=order, uploaded=form.cleaned_data["file"], kind=form.cleaned_data["kind"]
            )
        except ApplicationError as error:
            messages.error(request, error.message)
        else:
            messages.success(request, _("Document attached."))
    else:
        messages.error(request, " ".join(e for errors in form.errors.values() for e in errors))
    return redirect(f"{order.get_absolute_url()}#attachments")


def _visible_attachment(request, pk) -> OrderAttachment:
    try:
        return OrderAttachment.objects.select_related("order__client").get(
            pk=pk, order__in=selectors.orders_visible_to(request.user).values("pk")
        )
    except (OrderAttachment.DoesNotExist, ValueError):
        raise Http404 from None


@login_required
def attachment_download(request, pk):
    """The file, to those who may see its order; always as a download with the stored, checked type."""
    attachment = _visible_attachment(request, pk)
    try:
        handle = attachment.file.open("rb")
    except FileNotFoundError:
        raise Http404 from None
    response = FileResponse(
        handle, as_attachment=True, filename=attachment.original_name, content_type=attachment.content_type
    )
    response["X-Content-Type-Options"] = "nosniff"
    response["Cache-Control"] = "private, no-store"
    return response


@login_required
@require_POST
def attachment_delete(request, pk):
    attachment = _visible_attachment(request, pk)
    if not can_edit_order(request.user, attachment.order):
        raise PermissionDenied
    order = attachment.order
    attachment_services.delete_attachment(actor=request.user, attachment=attachment)
    messages.success(request, _("Document removed."))
    return redirect(f"{order.get_absolute_url()}#attachments")
