from django.contrib import admin
from django.urls import include, path
from drf_spectacular.views import SpectacularAPIView, SpectacularRedocView, SpectacularSwaggerView

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
    path("", include("interactions.urls")),
    path("api/v1/", include("crm.api_urls")),
    path("api/schema/", SpectacularAPIView.as_view(), name="schema"),
    path("api/docs/", SpectacularSwaggerView.as_view(url_name="schema"), name="api-docs"),
    path("api/redoc/", SpectacularRedocView.as_view(url_name="schema"), name="api-redoc"),
    path("admin/", admin.site.urls),
]
