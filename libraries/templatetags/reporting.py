from django import template
from django.utils.html import format_html
from django.utils.translation import gettext_lazy as _

from libraries.formatting import format_score

register = template.Library()


@register.filter
def get_indicator(report, indicator: str):
    return report[indicator]


@register.filter
def indicator_label(value) -> str:
    return value.label


_BADGES = {
    "green": ("text-bg-success", _("Green")),
    "yellow": ("text-bg-warning", _("Yellow")),
    "red": ("text-bg-danger", _("Red")),
}


@register.simple_tag
def score_badge(value, colour: str):
    """A report-card score with its colour named ("81,00 · Green"), or "No score"; a tag
    rather than an included template, since a roll-up shows one per row."""
    if colour in _BADGES:
        css, label = _BADGES[colour]
        return format_html('<span class="badge {}">{} · {}</span>', css, format_score(value), label)
    return format_html('<span class="badge text-bg-secondary">{}</span>', _("No score"))
