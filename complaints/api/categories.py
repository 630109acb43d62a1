"""REST API of complaint categories and root causes: read-only lists for pickers (kept in the Django admin)."""

from django.utils.translation import gettext_lazy as _
from drf_spectacular.utils import extend_schema
from rest_framework import mixins, permissions, serializers, viewsets

from .. import selectors
from ..models import ComplaintCategory, RootCause


class TranslatedNameSerializer(serializers.ModelSerializer):
    name = serializers.SerializerMethodField(help_text=_("The name in the request's language (English if missing)."))
    name_en = serializers.CharField(source="name", read_only=True, label=_("name (English)"))

    class Meta:
        fields = ["id", "name", "name_en", "name_ru", "name_lt"]

    def get_name(self, entry) -> str:
        return str(entry)


class ComplaintCategorySerializer(TranslatedNameSerializer):
    class Meta(TranslatedNameSerializer.Meta):
        model = ComplaintCategory


class RootCauseSerializer(TranslatedNameSerializer):
    class Meta(TranslatedNameSerializer.Meta):
        model = RootCause


class ActiveEntriesViewSet(mixins.ListModelMixin, viewsets.GenericViewSet):
    """The active entries in the admin's order, unpaginated: a short list for pickers."""

    permission_classes = [permissions.IsAuthenticated]
    filter_backends = []
    pagination_class = None


@extend_schema(tags=["complaints"])
class ComplaintCategoryViewSet(ActiveEntriesViewSet):
    """Complaint categories to choose from (admins keep them in the Django admin)."""

    serializer_class = ComplaintCategorySerializer

    def get_queryset(self):
        return selectors.list_categories()


@extend_schema(tags=["complaints"])
class RootCauseViewSet(ActiveEntriesViewSet):
    """Root causes to choose from when resolving (admins keep them in the Django admin)."""

    serializer_class = RootCauseSerializer

    def get_queryset(self):
        return selectors.list_root_causes()
