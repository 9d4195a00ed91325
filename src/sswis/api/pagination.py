"""Page-number pagination for every list endpoint of the API."""

from __future__ import annotations

from rest_framework.pagination import PageNumberPagination


class ApiPagination(PageNumberPagination):
    """``?page=N`` and ``?page_size=M`` (default 50, at most 500; larger requests get 500 rows)."""

    page_size = 50
    page_size_query_param = "page_size"
    max_page_size = 500
