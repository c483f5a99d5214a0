"""Paging that never counts a large table.

At national scale a list page that first counts every matching row (Django's ``Paginator``)
spends most of its time on the count: the activity list groups and sorts 100,000 rows to say
"100,000 activities" above 50 of them. These lists show one page and whether another follows,
found by fetching one row more than the page holds. The admin's changelists count at most
``CappedCountPaginator.cap`` rows.
"""

from __future__ import annotations

from dataclasses import dataclass

from django.core.paginator import Paginator
from django.utils.functional import cached_property

#: Deeper pages than this are refused (OFFSET grows with the page number); filters narrow a list.
MAX_PAGE = 2000


@dataclass
class ForwardPage:
    """One page of a list and whether another follows; the template API of Django's Page, less
    the total (``paginator`` is None)."""

    object_list: list
    number: int
    per_page: int
    has_next: bool
    paginator: None = None

    def __iter__(self):
        return iter(self.object_list)

    def __len__(self) -> int:
        return len(self.object_list)

    @property
    def has_previous(self) -> bool:
        return self.number > 1

    def has_other_pages(self) -> bool:
        return self.has_previous or self.has_next

    def next_page_number(self) -> int:
        return self.number + 1

    def previous_page_number(self) -> int:
        return self.number - 1

    def start_index(self) -> int:
        return (self.number - 1) * self.per_page + 1 if self.object_list else 0

    def end_index(self) -> int:
        return (self.number - 1) * self.per_page + len(self.object_list)


def forward_page(queryset, number, per_page: int) -> ForwardPage:
    """Page ``number`` (as typed in the address: anything) of ``queryset``, with one query."""
    try:
        number = min(max(int(number), 1), MAX_PAGE)
    except (TypeError, ValueError):
        number = 1
    offset = (number - 1) * per_page
    rows = list(queryset[offset : offset + per_page + 1])
    return ForwardPage(rows[:per_page], number, per_page, has_next=len(rows) > per_page)


class CappedCountPaginator(Paginator):
    """For admin changelists: counts at most ``cap`` rows, so that a filtered list of a large
    table costs a bounded count (with ``show_full_result_count = False``, the admin then does
    not count the unfiltered table either). Beyond the cap the list says "10,000" and filters
    narrow it."""

    cap = 10_000

    @cached_property
    def count(self) -> int:
        return self.object_list[: self.cap].count()
