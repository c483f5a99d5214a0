from django import template
from django.utils.html import format_html, format_html_join
from django.utils.safestring import mark_safe
from django.utils.translation import gettext as _

from libraries.formatting import format_score
from libraries.templatetags.reporting import score_badge
from tpbis_portal.overview import addresses

register = template.Library()


@register.simple_tag
def province_url(province):
    return addresses.province_url(province)


@register.simple_tag
def library_url(library, province=None):
    return addresses.library_url(library, province)


@register.simple_tag
def province_stories_url(province):
    return addresses.province_stories_url(province)


@register.simple_tag
def story_url(story, province=None):
    return addresses.story_url(story, province)


@register.simple_tag
def regency_url(regency, province=None):
    return addresses.regency_url(regency, province)


@register.simple_tag
def regency_url_of(province, code, name):
    return addresses.regency_url_of(province, code, name)


@register.simple_tag
def province_data_url(province, fmt="csv"):
    return addresses.province_data_url(province, fmt)


@register.simple_tag
def province_products_url(province):
    return addresses.province_products_url(province)


# A report card's row per library, written in one pass: a kab/kota with sixty libraries costs
# that many rows of badges and sub-scores through the template language (most of the page's
# rendering time). The markup is the template's; every value is escaped by format_html.
_LIBRARY_ROW = (
    '<tr><th scope="row" class="fw-normal"><a href="{}">{}</a></th>'
    '<td data-label="{}">{}</td>{}</tr>'
)
_STRAND_CELL = '<td data-label="{}" class="text-md-end">{}</td>'


@register.simple_tag
def report_card_library_rows(libraries, province):
    score_label = _("Score")
    return mark_safe(  # noqa: S308 (each row is built by format_html)
        "".join(
            format_html(
                _LIBRARY_ROW,
                addresses.library_url(library, province),
                library.name,
                score_label,
                score_badge(library.score, library.colour),
                format_html_join(
                    "",
                    _STRAND_CELL,
                    ((label, format_score(value)) for label, value in library.strands),
                ),
            )
            for library in libraries
        )
    )
