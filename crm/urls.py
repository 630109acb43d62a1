from csp.decorators import csp_update
from django.contrib import admin
from django.urls import include, path
from drf_spectacular.views import SpectacularAPIView, SpectacularRedocView, SpectacularSwaggerSplitView

from accounts import views as accounts_views
from core import views as core_views

urlpatterns = [
    path("", core_views.home, name="home"),
    path("healthz", core_views.healthz, name="healthz"),
    path("search/", core_views.search, name="search"),
    path("accounts/", include("accounts.urls")),
    path("clients/", include("clients.urls")),
    path("contacts/", include("contacts.urls")),
    path("orders/", include("orders.urls")),
    path("complaints/", include("complaints.urls")),
    path("s/", include("feedback.urls")),  # public survey pages (no login)
    path("surveys/", include("feedback.staff_urls")),
    path("dashboards/", include("dashboards.urls")),
    path("segments/", include("segments.urls")),
    path("health/", include("health.urls")),
    path("", include("interactions.urls")),
    path("api/v1/", include("crm.api_urls")),
    path("api/schema/", SpectacularAPIView.as_view(), name="schema"),
    # The split view serves its start-up script as a file: the Content-Security-Policy allows no inline script.
    path("api/docs/", SpectacularSwaggerSplitView.as_view(url_name="schema"), name="api-docs"),
    # ReDoc's search index runs in a Web Worker it makes from a blob: of its own script, on this page only.
    path(
        "api/redoc/",
        csp_update({"worker-src": ["'self'", "blob:"]})(SpectacularRedocView.as_view(url_name="schema")),
        name="api-redoc",
    ),
    # One sign-in page for everyone, with its throttling and second factor: the admin's own redirects to it.
    path("admin/login/", accounts_views.admin_login),
    path("admin/", admin.site.urls),
]
