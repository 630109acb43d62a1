"""Glue between services' ApplicationError and DRF serializers."""

from contextlib import contextmanager

from django_filters.rest_framework import DjangoFilterBackend
from rest_framework import serializers
from rest_framework.exceptions import ValidationError
from rest_framework.settings import api_settings

from .exceptions import ApplicationError


@contextmanager
def application_errors_as_validation(serializer: serializers.Serializer):
    """Turn a service's rule violation into a 400 with the error on its field (if the serializer has it)."""
    try:
        yield
    except ApplicationError as error:
        field = error.field if error.field in serializer.fields else api_settings.NON_FIELD_ERRORS_KEY
        raise ValidationError({field: [error.message]}) from error


class UserFilterBackend(DjangoFilterBackend):
    """django-filter's backend passing the request's user to FilterSets that need it (manager choices)."""

    def get_filterset_kwargs(self, request, queryset, view):
        return {**super().get_filterset_kwargs(request, queryset, view), "user": request.user}
