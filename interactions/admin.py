from django.contrib import admin
from simple_history.admin import SimpleHistoryAdmin

from .models import CalendarFeed, ContactCadence, Digest, FollowUp, Interaction, Notification, Reminder


@admin.register(ContactCadence)
class ContactCadenceAdmin(admin.ModelAdmin):
    """Admins set how often each tier expects contact ("going cold" on My day)."""

    list_display = ("tier", "days")
    list_editable = ("days",)


@admin.register(Interaction)
class InteractionAdmin(SimpleHistoryAdmin):
    list_display = ("occurred_at", "client", "kind", "direction", "status", "outcome", "logged_by")
    list_filter = ("kind", "direction", "status", "outcome")
    search_fields = ("subject", "notes", "client__name")
    list_select_related = ("client", "logged_by")
    autocomplete_fields = ("client", "contacts")
    date_hierarchy = "occurred_at"


@admin.register(FollowUp)
class FollowUpAdmin(SimpleHistoryAdmin):
    list_display = ("due_at", "title", "client", "assignee", "status", "completed_at")
    list_filter = ("status",)
    search_fields = ("title", "client__name")
    list_select_related = ("client", "assignee")
    autocomplete_fields = ("client",)
    raw_id_fields = ("interaction",)


@admin.register(Reminder)
class ReminderAdmin(admin.ModelAdmin):
    """Delivery state of every reminder: failures show their attempts and last error here."""

    list_display = ("remind_at", "recipient", "status", "attempts", "next_attempt_at", "sent_at", "last_error")
    list_filter = ("status",)
    list_select_related = ("recipient",)
    raw_id_fields = ("follow_up", "interaction")
    readonly_fields = ("sent_at", "attempts", "last_error", "created_at", "updated_at")


@admin.register(Digest)
class DigestAdmin(admin.ModelAdmin):
    list_display = ("date", "recipient", "status", "attempts", "sent_at", "last_error")
    list_filter = ("status", "date")
    list_select_related = ("recipient",)


@admin.register(Notification)
class NotificationAdmin(admin.ModelAdmin):
    list_display = ("created_at", "recipient", "title", "read_at")
    list_select_related = ("recipient",)
    search_fields = ("title",)


@admin.register(CalendarFeed)
class CalendarFeedAdmin(admin.ModelAdmin):
    list_display = ("user", "created_at")
    exclude = ("token",)  # the secret stays with its owner
