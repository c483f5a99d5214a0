from django import template

register = template.Library()


@register.filter
def get_indicator(report, indicator: str):
    return report[indicator]


@register.filter
def indicator_label(value) -> str:
    return value.label
