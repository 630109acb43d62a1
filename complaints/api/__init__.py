"""REST API of complaints: complaints with their thread, and the lists to pick from (registered in crm/api_urls.py)."""

from .categories import ComplaintCategoryViewSet, RootCauseViewSet
from .complaints import ComplaintViewSet

__all__ = ["ComplaintCategoryViewSet", "ComplaintViewSet", "RootCauseViewSet"]
