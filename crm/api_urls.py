"""Version 1 of the REST API: one router, so /api/v1/ lists every resource."""

from django.urls import include, path
from rest_framework.routers import DefaultRouter

from accounts.api_token import obtain_auth_token
from accounts.audit_api import AuditEventViewSet
from clients.api import ClientViewSet
from complaints.api import ComplaintCategoryViewSet, ComplaintViewSet, RootCauseViewSet
from contacts.api import ContactViewSet
from dashboards.api import DashboardViewSet
from feedback.api import SurveyRequestViewSet, SurveyResponseViewSet
from health.api import ClientHealthRecomputeView, ClientHealthView, HealthSettingsView
from interactions.api import FollowUpViewSet, InteractionViewSet, NotificationViewSet
from orders.api import OrderViewSet, ProductViewSet
from segments.actions_api import AnnouncementViewSet, BulkActionViewSet
from segments.api import SegmentViewSet

router = DefaultRouter()
# No ".json" twin of every route: the extra actions (/contacts/5/export.json, /dashboard.json…) do not take the
# `format` argument such a route passes and answered 500. `?format=json` and the Accept header choose the format.
router.include_format_suffixes = False
router.register("clients", ClientViewSet, basename="api-client")
router.register("contacts", ContactViewSet, basename="api-contact")
router.register("interactions", InteractionViewSet, basename="api-interaction")
router.register("follow-ups", FollowUpViewSet, basename="api-follow-up")
router.register("notifications", NotificationViewSet, basename="api-notification")
router.register("products", ProductViewSet, basename="api-product")
router.register("orders", OrderViewSet, basename="api-order")
router.register("complaints", ComplaintViewSet, basename="api-complaint")
router.register("complaint-categories", ComplaintCategoryViewSet, basename="api-complaint-category")
router.register("root-causes", RootCauseViewSet, basename="api-root-cause")
# Read-only: surveys are written by triggers and answers; the answer link's token never leaves the server.
router.register("surveys/requests", SurveyRequestViewSet, basename="api-survey-request")
router.register("surveys/responses", SurveyResponseViewSet, basename="api-survey-response")
# Definitions shared by everyone, kept by admins; /segments/{id}/clients/ lists the members the user may see.
router.register("segments", SegmentViewSet, basename="api-segment")
# Bulk actions on a segment's members and announcements: team leads (their team) and admins; records, never changed.
router.register("segment-actions", BulkActionViewSet, basename="api-segment-action")
router.register("announcements", AnnouncementViewSet, basename="api-announcement")
# One read-only resource, not a collection: the dashboard of the scope and period the query asks for.
router.register("dashboard", DashboardViewSet, basename="api-dashboard")
# Administrators only: the audit log (sign-ins, exports, bulk actions, permission changes, contact data requests).
router.register("audit-events", AuditEventViewSet, basename="api-audit-event")

urlpatterns = [
    path("auth/token/", obtain_auth_token, name="api-token"),
    # A client's health (read: who sees the client; recompute: who may edit it) and its settings (admins).
    path("clients/<int:id>/health/", ClientHealthView.as_view(), name="api-client-health"),
    path("clients/<int:id>/health/recompute/", ClientHealthRecomputeView.as_view(), name="api-client-health-recompute"),
    path("health/settings/", HealthSettingsView.as_view(), name="api-health-settings"),
    path("", include(router.urls)),
]
