"""The settings of the report card ("rapor"): strand weights and colour cut-offs.

One row, edited by Perpusnas staff (in the portal and in the admin). The computation lives in
``libraries/reporting/reportcard.py``.
"""

from __future__ import annotations

from django.core.exceptions import ValidationError
from django.core.validators import MaxValueValidator, MinValueValidator
from django.db import models
from django.db.models import F, Q
from django.utils.translation import gettext_lazy as _
from simple_history.models import HistoricalRecords

# The programme publishes "green above 75"; the yellow/red cut-off is not published (DOMAIN.md),
# so 50 is a starting point staff can change. The weights are ours, equally unpublished.
DEFAULT_GREEN_ABOVE = 75
DEFAULT_YELLOW_FROM = 50
DEFAULT_WEIGHTS = {"engagement": 50, "publication": 25, "advocacy": 25}
SETTINGS_PK = 1


class ReportCardSettings(models.Model):
    """Weights of the three strands (they add up to 100) and the colour cut-offs."""

    # One row, always number 1: the admin's "add" makes that row too.
    id = models.PositiveSmallIntegerField(primary_key=True, default=SETTINGS_PK, editable=False)
    weight_engagement = models.PositiveSmallIntegerField(
        _("weight of community engagement"),
        default=DEFAULT_WEIGHTS["engagement"],
        validators=[MaxValueValidator(100)],
        help_text=_("Percent of the score; the three weights add up to 100."),
    )
    weight_publication = models.PositiveSmallIntegerField(
        _("weight of publication"),
        default=DEFAULT_WEIGHTS["publication"],
        validators=[MaxValueValidator(100)],
    )
    weight_advocacy = models.PositiveSmallIntegerField(
        _("weight of advocacy"),
        default=DEFAULT_WEIGHTS["advocacy"],
        validators=[MaxValueValidator(100)],
    )
    green_above = models.PositiveSmallIntegerField(
        _("green above"),
        default=DEFAULT_GREEN_ABOVE,
        validators=[MinValueValidator(1), MaxValueValidator(99)],
        help_text=_("A score above this number is green (the programme uses 75)."),
    )
    yellow_from = models.PositiveSmallIntegerField(
        _("yellow from"),
        default=DEFAULT_YELLOW_FROM,
        validators=[MinValueValidator(1), MaxValueValidator(99)],
        help_text=_("A score from this number up to the green cut-off is yellow; below, red."),
    )
    updated_by = models.ForeignKey(
        "libraries.User",
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("updated by"),
    )
    updated_at = models.DateTimeField(_("updated"), auto_now=True)

    history = HistoricalRecords(excluded_fields=["updated_at"])

    class Meta:
        ordering = ["pk"]
        verbose_name = _("report card settings")
        verbose_name_plural = _("report card settings")
        constraints = [
            models.CheckConstraint(
                condition=Q(pk=SETTINGS_PK),
                name="report_card_settings_single_row",
                violation_error_message=_("There is one set of report card settings."),
            ),
            models.CheckConstraint(
                condition=Q(
                    weight_engagement__lte=100,
                    weight_publication__lte=100,
                    weight_advocacy__lte=100,
                )
                & Q(
                    weight_engagement=100 - F("weight_publication") - F("weight_advocacy"),
                ),
                name="report_card_weights_add_up",
                violation_error_message=_("The three weights must add up to 100."),
            ),
            models.CheckConstraint(
                condition=Q(yellow_from__gte=1)
                & Q(green_above__lte=99)
                & Q(green_above__gte=F("yellow_from")),
                name="report_card_cut_offs_ordered",
                violation_error_message=_(
                    "Yellow starts at 1 or more, and not above the green cut-off (at most 99)."
                ),
            ),
        ]

    def __str__(self) -> str:
        return str(
            _("Report card: weights %(e)d/%(p)d/%(a)d, green above %(g)d, yellow from %(y)d")
            % {
                "e": self.weight_engagement,
                "p": self.weight_publication,
                "a": self.weight_advocacy,
                "g": self.green_above,
                "y": self.yellow_from,
            }
        )

    def clean(self) -> None:
        weights = (self.weight_engagement, self.weight_publication, self.weight_advocacy)
        if None not in weights and sum(weights) != 100:
            raise ValidationError(
                _("The three weights must add up to 100 (now %(total)d).") % {"total": sum(weights)}
            )
        if (
            self.green_above is not None
            and self.yellow_from is not None
            and self.yellow_from > self.green_above
        ):
            raise ValidationError(
                {"yellow_from": _("Yellow cannot start above the green cut-off.")}
            )

    @classmethod
    def current(cls) -> ReportCardSettings:
        """The settings row, or the defaults (unsaved) while staff have not set any."""
        return cls.objects.filter(pk=SETTINGS_PK).first() or cls(pk=SETTINGS_PK)

    @property
    def weights(self) -> dict[str, int]:
        return {
            "engagement": self.weight_engagement,
            "publication": self.weight_publication,
            "advocacy": self.weight_advocacy,
        }
