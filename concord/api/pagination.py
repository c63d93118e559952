"""One page shape for every list: items, count, page, page_size, pages."""

import math
from typing import Any

from django.conf import settings
from ninja import Field, Schema
from ninja.pagination import PaginationBase


class Page(PaginationBase):
    class Input(Schema):
        page: int = Field(1, ge=1, le=1_000_000, description="Page number, from 1.")
        page_size: int = Field(50, ge=1, le=200, description="Items per page (at most 200).")

    class Output(Schema):
        items: list[Any]
        count: int
        page: int
        page_size: int
        pages: int

    def paginate_queryset(self, queryset, pagination: Input, request, **params):
        size = min(pagination.page_size, getattr(settings, "CONCORD_API_MAX_PAGE_SIZE", 200))
        count = self._items_count(queryset)
        offset = (pagination.page - 1) * size
        items = list(queryset[offset : offset + size]) if offset < max(count, 1) else []
        return {
            "items": items,
            "count": count,
            "page": pagination.page,
            "page_size": size,
            "pages": math.ceil(count / size) if count else 0,
        }
