"""How the portal's inputs render, shared by every form of every app.

Browser pickers (``type=date``, ``time``, ``month``, ``datetime-local``) accept only the
machine formats of the HTML standard, whatever language the page is in: a value written the
Indonesian way (``04-07-2022``, ``08.00.00``) leaves the picker empty. Django's DateInput and
TimeInput write the active language's first input format unless told otherwise, so every picker
of the portal is one of these widgets, which always write the machine format. Typed input is
still read in both the machine and the local formats (the fields' ``input_formats``).

Number inputs write their value with a dot for decimals (Django never localizes a field's value
unless ``localize=True``, which no portal form sets).
"""

from django import forms
from django.forms.boundfield import BoundField

DATE_FORMAT = "%Y-%m-%d"
TIME_FORMAT = "%H:%M"
MONTH_FORMAT = "%Y-%m"
DATETIME_LOCAL_FORMAT = "%Y-%m-%dT%H:%M"


class DatePickerInput(forms.DateInput):
    input_type = "date"

    def __init__(self, attrs=None):
        super().__init__(attrs, format=DATE_FORMAT)


class TimePickerInput(forms.TimeInput):
    input_type = "time"

    def __init__(self, attrs=None):
        super().__init__(attrs, format=TIME_FORMAT)


class MonthPickerInput(forms.DateInput):
    input_type = "month"

    def __init__(self, attrs=None):
        super().__init__(attrs, format=MONTH_FORMAT)


class DateTimePickerInput(forms.DateTimeInput):
    input_type = "datetime-local"

    def __init__(self, attrs=None):
        super().__init__(attrs, format=DATETIME_LOCAL_FORMAT)


class InvalidMarkingBoundField(BoundField):
    """A field rendered by hand (without crispy) that shows its error state the Bootstrap way.

    Django already adds ``aria-invalid``; Bootstrap also needs ``is-invalid`` on the input to
    colour it and to show the ``invalid-feedback`` next to it.
    """

    def build_widget_attrs(self, attrs, widget=None):
        widget = widget or self.field.widget
        attrs = super().build_widget_attrs(attrs, widget)
        if self.errors and not widget.is_hidden:
            # These attributes replace the widget's own: keep its classes.
            classes = attrs.get("class", widget.attrs.get("class", ""))
            attrs["class"] = f"{classes} is-invalid".strip()
        return attrs
