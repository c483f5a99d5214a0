"""Template filters for counts and amounts: see ``libraries.formatting``."""

from django import template

from libraries.formatting import format_number, format_rupiah, format_score

register = template.Library()


@register.filter
def thousands(value) -> str:
    return format_number(value)


@register.filter
def rupiah(value) -> str:
    return format_rupiah(value)


@register.filter
def score(value) -> str:
    return format_score(value)
