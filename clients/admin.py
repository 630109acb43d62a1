from django.contrib import admin
from simple_history.admin import SimpleHistoryAdmin

from .models import Client, Tag


@admin.register(Client)
class ClientAdmin(SimpleHistoryAdmin):
    list_display = ("name", "registration_code", "tier", "status", "account_manager", "country", "updated_at")
    list_filter = ("tier", "status", "country", "industry")
    search_fields = ("name", "registration_code")
    autocomplete_fields = ("referred_by",)
    list_select_related = ("account_manager",)
    filter_horizontal = ("tags",)


@admin.register(Tag)
class TagAdmin(admin.ModelAdmin):
    search_fields = ("name",)
