"""Segments in the admin: rules edited as JSON until the builder page exists, checked by the same validator."""

from django import forms
from django.contrib import admin

from core.exceptions import ApplicationError

from .models import Segment
from .rules import validate_rules


class SegmentForm(forms.ModelForm):
    class Meta:
        model = Segment
        fields = ["name", "description", "colour", "is_active", "rules"]

    def clean_rules(self):
        try:
            return validate_rules(self.cleaned_data["rules"])
        except ApplicationError as error:
            raise forms.ValidationError(error.message) from None


@admin.register(Segment)
class SegmentAdmin(admin.ModelAdmin):
    form = SegmentForm
    list_display = ("name", "colour", "is_active", "created_by", "updated_at")
    list_filter = ("is_active",)
    search_fields = ("name", "description")
    readonly_fields = ("created_by", "created_at", "updated_at")

    def save_model(self, request, obj, form, change):
        if not change:
            obj.created_by = request.user
        super().save_model(request, obj, form, change)
