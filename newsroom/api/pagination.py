"""The one pagination style of the API: keyset pages (``newsroom.keyset``) that follow ``next``
and ``previous`` links. Lists carry no total count: counting a big table scans it."""

from rest_framework import pagination
from rest_framework.exceptions import NotFound
from rest_framework.response import Response
from rest_framework.utils.urls import remove_query_param, replace_query_param

from newsroom.keyset import InvalidCursor, keyset_page


class KeysetPagination(pagination.CursorPagination):
    """``?page_size=M`` (at most 500), then the ``next`` link until it is null.

    The order is the list's own (its ``ordering`` parameter, or its default): the first sort
    column, with the id as tie-breaker (empty values last); newest first (``-id``) where the
    list names none. A cursor of another ordering, or a tampered one, is a 404.
    """

    page_size_query_param = "page_size"
    max_page_size = 500
    cursor_query_description = "Where to continue: the cursor of a `next` or `previous` link."

    def paginate_queryset(self, queryset, request, view=None):
        self.request, self.base_url = request, request.build_absolute_uri()
        try:
            self.page = keyset_page(queryset, cursor=request.query_params.get(self.cursor_query_param),
                                    size=self.get_page_size(request))
        except InvalidCursor:
            raise NotFound(self.invalid_cursor_message)
        return self.page.rows

    def get_next_link(self):
        return self._link(self.page.next_cursor)

    def get_previous_link(self):
        return self._link(self.page.previous_cursor)

    def get_paginated_response(self, data):
        return Response({"next": self.get_next_link(), "previous": self.get_previous_link(), "results": data})

    def _link(self, cursor: str | None) -> str | None:
        if cursor is None:
            return None
        if not cursor:
            return remove_query_param(self.base_url, self.cursor_query_param)
        return replace_query_param(self.base_url, self.cursor_query_param, cursor)
