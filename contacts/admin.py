from django.contrib import admin
from simple_history.admin import SimpleHistoryAdmin

from .models import Contact


@admin.register(Contact)
class ContactAdmin(SimpleHistoryAdmin):
    list_display = ("full_name", "client", "email", "phone", "language", "is_primary")
    list_filter = ("language", "is_primary", "is_decision_maker", "survey_opt_out")
    search_fields = ("full_name", "email", "client__name")
    autocomplete_fields = ("client",)
    list_select_related = ("client",)
