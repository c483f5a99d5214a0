"""Portal accounts and the role that decides what each person may see."""

from django.contrib.auth.models import AbstractUser, UserManager
from django.core.exceptions import ValidationError
from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _

from .regions import Province
from .registry import Library


class PortalUserManager(UserManager):
    def create_superuser(self, username, email=None, password=None, **extra_fields):
        extra_fields.setdefault("role", User.Role.PERPUSNAS)
        return super().create_superuser(username, email, password, **extra_fields)


class User(AbstractUser):
    class Role(models.TextChoices):
        PERPUSNAS = "perpusnas", _("Perpusnas staff")
        CONSULTANT = "consultant", _("Consultant")
        DISTRICT_LIBRARIAN = "district_librarian", _("Kabupaten/kota librarian")
        VILLAGE_LIBRARIAN = "village_librarian", _("Desa/kelurahan librarian")
        TBM_MANAGER = "tbm_manager", _("Pengelola TBM")

    # People who work at one library and report for it.
    LIBRARIAN_ROLES = (Role.DISTRICT_LIBRARIAN, Role.VILLAGE_LIBRARIAN, Role.TBM_MANAGER)

    role = models.CharField(
        _("role"),
        max_length=20,
        choices=Role.choices,
        # A new account sees nothing until it is given provinces or a library.
        default=Role.CONSULTANT,
        help_text=_("Decides which provinces, kabupaten/kota and libraries the person sees."),
    )
    provinces = models.ManyToManyField(
        Province,
        blank=True,
        related_name="consultants",
        verbose_name=_("provinces"),
        help_text=_("For consultants: the provinces they accompany."),
    )
    library = models.ForeignKey(
        Library,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="librarians",
        verbose_name=_("library"),
        help_text=_("For librarians: the library they work at."),
    )
    phone = models.CharField(_("phone"), max_length=30, blank=True)

    objects = PortalUserManager()

    class Meta(AbstractUser.Meta):
        verbose_name = _("user")
        verbose_name_plural = _("users")
        constraints = [
            models.CheckConstraint(
                condition=Q(
                    role__in=[
                        "perpusnas",
                        "consultant",
                        "district_librarian",
                        "village_librarian",
                        "tbm_manager",
                    ]
                ),
                name="user_role_known",
            ),
            models.CheckConstraint(
                condition=(
                    Q(
                        role__in=["district_librarian", "village_librarian", "tbm_manager"],
                        library__isnull=False,
                    )
                    | Q(role__in=["perpusnas", "consultant"], library__isnull=True)
                ),
                name="user_library_matches_role",
                violation_error_message=_(
                    "Librarians belong to a library; Perpusnas staff and consultants do not."
                ),
            ),
        ]

    def __str__(self) -> str:
        return self.get_full_name() or self.username

    def clean(self) -> None:
        super().clean()
        if self.role in self.LIBRARIAN_ROLES and self.library_id is None:
            raise ValidationError({"library": _("Choose the library this librarian works at.")})
        if self.role not in self.LIBRARIAN_ROLES and self.library_id is not None:
            raise ValidationError({"library": _("Only librarians are attached to a library.")})
        if self.library_id is not None:
            level = self.library.level
            if self.role == self.Role.DISTRICT_LIBRARIAN and level != Library.Level.REGENCY:
                raise ValidationError(
                    {"library": _("A kabupaten/kota librarian works at a kabupaten/kota library.")}
                )
            if self.role == self.Role.VILLAGE_LIBRARIAN and level != Library.Level.VILLAGE:
                raise ValidationError(
                    {"library": _("A desa/kelurahan librarian works at a village library.")}
                )
            if self.role == self.Role.TBM_MANAGER and level != Library.Level.TBM:
                raise ValidationError({"library": _("A Pengelola TBM works at a TBM.")})

    @property
    def is_perpusnas(self) -> bool:
        return self.is_active and (self.is_superuser or self.role == self.Role.PERPUSNAS)

    @property
    def is_consultant(self) -> bool:
        return self.is_active and self.role == self.Role.CONSULTANT

    @property
    def is_librarian(self) -> bool:
        return self.is_active and self.role in self.LIBRARIAN_ROLES
