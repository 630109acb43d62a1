"""Operational endpoints that belong to no business app."""

from django.contrib.auth.decorators import login_required
from django.db import connection
from django.http import JsonResponse
from django.shortcuts import redirect, render
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_GET

from crm.celery import app as celery_app

from .search import search_everything


def _broker_reachable() -> bool:
    try:
        with celery_app.connection_for_write() as conn:
            conn.ensure_connection(max_retries=1, timeout=2)
    except Exception:  # any failure means "not reachable"; the reason is logged by kombu
        return False
    return True


@never_cache
@require_GET
def healthz(request):
    """200 while the database answers; reports the broker without failing on it.

    A broker outage delays e-mails but the app keeps serving pages, so a load
    balancer must not take the web process out for it.
    """
    try:
        with connection.cursor() as cursor:
            cursor.execute("SELECT 1")
        database = "ok"
    except Exception:
        database = "unreachable"
    broker = "ok" if _broker_reachable() else "unreachable"
    status = 200 if database == "ok" else 503
    return JsonResponse({"database": database, "broker": broker}, status=status)


@login_required
def search(request):
    """Header search: a dropdown fragment for htmx, a full results page otherwise."""
    term = request.GET.get("q", "")
    results = search_everything(request.user, term, limit=8 if request.htmx else 25)
    template = "core/search.html#search-results" if request.htmx else "core/search.html"
    return render(request, template, {"term": term, "results": results})


@login_required
def home(request):
    """The signed-in start page is "My day" (by URL name: core cannot import the app that owns it)."""
    return redirect("interactions:my_day")
