from django import template
from django.urls import reverse
from django.utils.html import format_html
from django.utils.safestring import SafeString, mark_safe
from django.utils.translation import gettext_lazy as _

from libraries.formatting import format_score
from libraries.models import Activity

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


# The rows of the activity list, written in one pass: fifty rows through the template language
# cost a few hundred variable lookups and translations each (most of the page's time). The
# markup is the same; every value is escaped by format_html.
_PK = 2_147_483_647  # stands for each row's key in the address
_ACTIVITY_ROW = (
    '<tr><td data-label="{date_label}">{date}</td>'
    '<td><a href="{url}">{title}</a><div class="small text-body-secondary">{kind}</div></td>'
    '<td data-label="{library_label}">{library}</td>'
    '<td data-label="{strategy_label}">{strategy}</td>'
    '<td data-label="{participants_label}" class="text-md-end">{total} '
    '<span class="small text-body-secondary">({by_gender})</span></td>'
    '<td data-label="{evidence_label}" class="text-md-end">{evidence}</td></tr>'
)


@register.simple_tag
def activity_rows(activities) -> SafeString:
    labels = {
        "date_label": _("Date"),
        "library_label": _("Library"),
        "strategy_label": _("Strategy"),
        "participants_label": _("Participants"),
        "evidence_label": _("Evidence"),
    }
    kinds = {value: str(label) for value, label in Activity.Kind.choices}
    strategies = {
        value: str(label) for value, label in Activity._meta.get_field("strategy").flatchoices
    }
    # One reverse() for the page, not one a row.
    detail = reverse("reporting:activity-detail", args=[_PK])
    rows = (
        format_html(
            _ACTIVITY_ROW,
            **labels,
            date=f"{activity.date:%d-%m-%Y}",
            url=detail.replace(str(_PK), str(activity.pk)),
            title=activity.title,
            kind=kinds.get(activity.kind, activity.kind),
            library=activity.library.name,
            strategy=strategies.get(activity.strategy, activity.strategy),
            total=activity.participants_total,
            by_gender=_("M %(m)s · F %(f)s")
            % {"m": activity.participants_male, "f": activity.participants_female},
            evidence=activity.evidence_count,
        )
        for activity in activities
    )
    return mark_safe("".join(rows))  # noqa: S308
