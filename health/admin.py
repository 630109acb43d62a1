from django.contrib import admin

from .models import HealthConfig, HealthRun, HealthScore, HealthTransition


@admin.register(HealthConfig)
class HealthConfigAdmin(admin.ModelAdmin):
    """The one row of weights and band thresholds (also on /health/settings/): no second row, no delete."""

    list_display = ("__str__", "watch_below", "at_risk_below", "updated_at", "updated_by")
    readonly_fields = ("updated_at", "updated_by")

    def has_add_permission(self, request):
        return not HealthConfig.objects.exists()

    def has_delete_permission(self, request, obj=None):
        return False

    def save_model(self, request, obj, form, change):
        obj.updated_by = request.user
        super().save_model(request, obj, form, change)


class ReadOnlyAdmin(admin.ModelAdmin):
    """Computed rows: looked at, never edited by hand."""

    def has_add_permission(self, request):
        return False

    def has_change_permission(self, request, obj=None):
        return False

    def has_delete_permission(self, request, obj=None):
        return False


@admin.register(HealthScore)
class HealthScoreAdmin(ReadOnlyAdmin):
    list_display = ("day", "client", "score", "band", "computed_at")
    list_filter = ("band",)
    search_fields = ("client__name",)
    list_select_related = ("client",)
    date_hierarchy = "day"


@admin.register(HealthTransition)
class HealthTransitionAdmin(ReadOnlyAdmin):
    list_display = ("at", "client", "from_band", "to_band", "score", "actor", "follow_up")
    list_filter = ("to_band", "from_band")
    search_fields = ("client__name",)
    list_select_related = ("client", "actor", "follow_up")
    date_hierarchy = "day"


@admin.register(HealthRun)
class HealthRunAdmin(ReadOnlyAdmin):
    list_display = ("day", "started_at", "finished_at", "clients", "changed", "transitions", "cleared")
