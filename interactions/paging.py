"""Numbered pages of the app's lists (django-tables2), bounded against the query string."""

from django.http import Http404
from django.utils.translation import gettext_lazy as _
from django_tables2 import LazyPaginator

MAX_PAGE = 100_000  # as the API's ?page= (api/pagination.py)
ERR_NO_SUCH_PAGE = _("This page of the list does not exist.")


class BoundedLazyPaginator(LazyPaginator):
    """LazyPaginator (it reads one row past the page instead of counting the table) with
    two bounds a query string cannot move:

    - the page size is the view's (``page_size``), never ``?per_page=``, which
      django-tables2 takes from the request: ``?per_page=1000000000`` read a whole table
      into one page, and a negative size sliced from the end;
    - a page number above MAX_PAGE is a 404: the offset of ``?page=2**63`` overflows a
      64-bit integer, which the database refused with an error (a 500).
    """

    def __init__(self, object_list, per_page, *args, page_size: int, **kwargs):
        super().__init__(object_list, page_size, *args, **kwargs)

    def validate_number(self, number):
        number = super().validate_number(number)
        if number > MAX_PAGE:
            raise Http404(ERR_NO_SUCH_PAGE)
        return number
