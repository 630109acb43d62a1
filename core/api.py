"""Glue between the services and DRF: ApplicationError as a 400, the filter backends and parsers the API uses."""

from contextlib import contextmanager

from django.utils.translation import gettext_lazy as _
from django_filters.rest_framework import DjangoFilterBackend
from rest_framework import filters, parsers, serializers
from rest_framework.exceptions import ParseError, ValidationError
from rest_framework.settings import api_settings

from .exceptions import ApplicationError
from .filters import MAX_SEARCH_LENGTH


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


class SearchFilter(filters.SearchFilter):
    """DRF's `?search=` with bounded terms: the first MAX_SEARCH_TERMS words, each cut to MAX_SEARCH_LENGTH, so
    that a 100 KB query string is not turned into thousands of LIKE conditions."""

    MAX_SEARCH_TERMS = 10

    def get_search_terms(self, request):
        terms = super().get_search_terms(request)[: self.MAX_SEARCH_TERMS]
        return [term[:MAX_SEARCH_LENGTH] for term in terms]


class JSONParser(parsers.JSONParser):
    """DRF's JSON parser, answering 400 to a body nested too deeply to parse: Python's json module raises
    RecursionError there (about 1000 levels), which DRF does not catch, so it would be a 500."""

    def parse(self, stream, media_type=None, parser_context=None):
        try:
            return super().parse(stream, media_type, parser_context)
        except RecursionError:
            raise ParseError(_("JSON parse error - the data is nested too deeply.")) from None
