"""REST API of orders: the catalogue and the orders themselves (registered in crm/api_urls.py)."""

from .orders import OrderViewSet
from .products import ProductViewSet

__all__ = ["OrderViewSet", "ProductViewSet"]
