"""Paged lists whose page links keep the filters the person chose."""

from django.core.paginator import Paginator


def page_of(request, items, size):
    """The requested page of `items`, and the query string (without `page`) its links carry."""
    page = Paginator(items, size).get_page(request.GET.get("page"))
    return page, query_without_page(request)


def query_without_page(request) -> str:
    params = request.GET.copy()
    params.pop("page", None)
    return params.urlencode()
