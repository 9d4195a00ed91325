"""Page-number pagination for every list endpoint of the API."""

from __future__ import annotations

from django.utils.translation import gettext as _
from rest_framework.exceptions import ValidationError
from rest_framework.pagination import PageNumberPagination
from rest_framework.request import Request


class ApiPagination(PageNumberPagination):
    """``?page=N`` and ``?page_size=M`` (default 50, at most 500; larger requests get 500 rows).

    A ``page_size`` that is not a whole number from 1 is refused (400) instead of silently giving the
    default; a page past the last (or not a whole number from 1) is a 404, as DRF gives it."""

    page_size = 50
    page_size_query_param = "page_size"
    max_page_size = 500

    def get_page_size(self, request: Request) -> int | None:
        text = request.query_params.get(self.page_size_query_param)
        if text is None:
            return self.page_size
        if not text.isascii() or not text.isdigit() or int(text) < 1:
            raise ValidationError({self.page_size_query_param: [_("Give a whole number from 1.")]})
        return min(int(text), self.max_page_size)
