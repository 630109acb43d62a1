"""The admin's view of the dashboards app: the delivery state of the weekly reports, read-only."""

from django.contrib import admin

from .models import WeeklyReport


@admin.register(WeeklyReport)
class WeeklyReportAdmin(admin.ModelAdmin):
    """Every weekly report e-mail and its delivery: written and sent by the beat, never edited by hand."""

    list_display = ("week", "team", "lead", "status", "attempts", "next_attempt_at", "sent_at", "last_error")
    list_filter = ("status", "week")
    list_select_related = ("team", "lead")
    search_fields = ("team__name", "lead__full_name", "lead__email")
    date_hierarchy = "week"

    def has_add_permission(self, request):
        return False

    def has_change_permission(self, request, obj=None):
        return False

    def has_delete_permission(self, request, obj=None):
        return False
