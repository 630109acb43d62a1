"""The notifications page, the header bell (polled by htmx) and marking notifications read."""

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.paginator import Paginator
from django.http import HttpResponse
from django.shortcuts import redirect, render
from django.utils.http import url_has_allowed_host_and_scheme
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_POST

from .. import inbox
from ..services import notifications as services

PAGE_SIZE = 25


def _safe(request, url: str) -> bool:
    return bool(url) and url_has_allowed_host_and_scheme(url, {request.get_host()}, request.is_secure())


@login_required
def notification_list(request):
    page = Paginator(inbox.list_notifications(request.user), PAGE_SIZE).get_page(request.GET.get("page"))
    return render(request, "interactions/notification_list.html", {"page": page})


@require_GET
def notification_badge(request):
    """The bell alone, for htmx polling: one count query; nothing to swap once signed out."""
    if not request.user.is_authenticated:
        return HttpResponse(status=204)  # htmx keeps the old bell instead of swapping in a login page
    context = {"unread_notifications": inbox.count_unread_notifications(request.user)}
    return render(request, "interactions/notification_bell.html", context)


@login_required
@require_POST
def notification_read(request, pk):
    """Mark one of the user's notifications read, then go where it points (or back to `next`)."""
    notification = inbox.get_notification_for_user(request.user, pk)
    services.mark_read(user=request.user, notification=notification)
    for target in (request.POST.get("next", ""), notification.url):
        if _safe(request, target):
            return redirect(target)
    return redirect("interactions:notifications")


@login_required
@require_POST
def notification_read_all(request):
    count = services.mark_all_read(user=request.user)
    if count:
        messages.success(request, _("All notifications are marked as read."))
    target = request.POST.get("next", "")
    return redirect(target if _safe(request, target) else "interactions:notifications")
