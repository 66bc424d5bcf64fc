"""One way to cut a list into pages: `paginate` here, `templates/partials/pagination.html` to
show the links (which keep the list's search and filters)."""

from django.core.paginator import Page, Paginator

PER_PAGE = 25


def paginate(request, queryset, per_page: int = PER_PAGE) -> Page:
    """The page the request asks for (?page=, the last one if past the end), with `links`: the
    page numbers to show, elided in the middle of a long list."""
    page = Paginator(queryset, per_page).get_page(request.GET.get("page"))
    page.links = page.paginator.get_elided_page_range(page.number, on_each_side=2, on_ends=1)
    return page
