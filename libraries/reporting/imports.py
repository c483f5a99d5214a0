"""Import a month of activities from a spreadsheet, through the one import engine
(``libraries.imports``): read, check every row, then save the good rows all at once.

The librarian first sees a preview with each row's problems; nothing is saved until they
confirm. Confirming saves every good row or none, and leaves the refused rows out (they can be
downloaded with their reasons). Rows carry idempotency keys derived from the preview's token,
so confirming twice records the month once.
"""

from __future__ import annotations

import datetime
import re
import uuid
from dataclasses import dataclass, field

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy, override
from openpyxl import Workbook

from libraries.imports import Refused, read_table, row_cells
from libraries.models import Activity, Library, Skill, Strategy, User
from libraries.reporting.services import activity_record

MAX_IMPORT_BYTES = 2 * 1024 * 1024
MAX_IMPORT_ROWS = 1000
# Namespace of the idempotency keys of imported rows: the same row confirmed twice is one row.
IMPORT_NAMESPACE = uuid.UUID("3b0f7c1e-6a55-4d2e-9c61-0f4f3f1e8a27")

# Column key, header (translated in the template), required.
COLUMNS = [
    ("date", gettext_lazy("Date"), True),
    ("strategy", gettext_lazy("Strategy"), True),
    ("kind", gettext_lazy("Kind of activity"), True),
    ("title", gettext_lazy("Title"), True),
    ("skills", gettext_lazy("Skills taught"), False),
    ("participants_male", gettext_lazy("Male participants"), True),
    ("participants_female", gettext_lazy("Female participants"), True),
    ("age_children", gettext_lazy("Children (0-12)"), False),
    ("age_youth", gettext_lazy("Youth (13-17)"), False),
    ("age_adults", gettext_lazy("Adults (18-59)"), False),
    ("age_elderly", gettext_lazy("Elderly (60+)"), False),
    ("partners", gettext_lazy("Partners (separated by ;)"), False),
    ("notes", gettext_lazy("Notes"), False),
]
INTEGER_COLUMNS = ("participants_male", "participants_female", *Activity.AGE_FIELDS)
DATE_FORMATS = ("%d-%m-%Y", "%d/%m/%Y", "%Y-%m-%d")


@dataclass
class ImportRow:
    number: int
    cells: dict[str, str]
    #: The row as typed, one cell per column of the sheet (for the list of refused rows).
    values: list[str] = field(default_factory=list)
    data: dict = field(default_factory=dict)
    errors: list[str] = field(default_factory=list)

    @property
    def ok(self) -> bool:
        return not self.errors


@dataclass
class ImportPreview:
    library: Library
    month: datetime.date
    rows: list[ImportRow]
    header: list[str] = field(default_factory=list)

    @property
    def ok_rows(self) -> list[ImportRow]:
        return [row for row in self.rows if row.ok]

    @property
    def error_rows(self) -> list[ImportRow]:
        return [row for row in self.rows if not row.ok]

    @property
    def can_confirm(self) -> bool:
        """At least one good row: the refused ones are left out."""
        return bool(self.ok_rows)

    def refused(self) -> list[Refused]:
        return [
            Refused(number=row.number, cells=row.values, reasons=row.errors)
            for row in self.error_rows
        ]

    def serialise(self) -> dict:
        """What the confirmation needs (the good rows), in a form a session can hold."""
        return {
            "library": self.library.pk,
            "month": self.month.isoformat(),
            "rows": [
                {
                    **row.data,
                    "number": row.number,
                    "date": row.data["date"].isoformat(),
                    "partners": [partner.pk for partner in row.data["partners"]],
                    "catalogue_skills": [skill.pk for skill in row.data["catalogue_skills"]],
                }
                for row in self.ok_rows
            ],
        }


def _normalise(text) -> str:
    return " ".join(str(text or "").split()).casefold()


def _header_keys() -> dict[str, str]:
    """Headers in the current language and in English both name a column."""
    names = {}
    for key, label, _required in COLUMNS:
        names[_normalise(label)] = key
        with override("en"):
            names[_normalise(label)] = key
    return names


def _choice_lookup(choices) -> dict[str, str]:
    lookup = {}
    for value, label in choices:
        lookup[_normalise(value)] = value
        lookup[_normalise(label)] = value
        with override("en"):
            lookup[_normalise(label)] = value
    return lookup


def template_workbook() -> Workbook:
    """An empty import sheet with the headers, one example row and the allowed values."""
    workbook = Workbook()
    sheet = workbook.active
    sheet.title = str(_("Activities"))[:31]
    sheet.append([str(label) for _key, label, _required in COLUMNS])
    sheet.append(
        [
            datetime.date.today().strftime("%d-%m-%Y"),
            str(Strategy.ENGAGEMENT.label),
            str(Activity.Kind.TRAINING.label),
            "Pelatihan membuat keripik pisang",
            "Mengolah dan mengemas keripik",
            5,
            12,
            "",
            "",
            "",
            "",
            "",
            "",
        ]
    )
    values = workbook.create_sheet(str(_("Allowed values"))[:31])
    values.append([str(_("Strategy")), str(_("Kind of activity"))])
    strategies = [str(label) for _value, label in Strategy.choices]
    kinds = [str(label) for _value, label in Activity.Kind.choices]
    for index in range(max(len(strategies), len(kinds))):
        values.append(
            [
                strategies[index] if index < len(strategies) else "",
                kinds[index] if index < len(kinds) else "",
            ]
        )
    return workbook


def _parse_date(value) -> datetime.date:
    if isinstance(value, datetime.datetime):
        return value.date()
    if isinstance(value, datetime.date):
        return value
    text = str(value or "").strip()
    for date_format in DATE_FORMATS:
        try:
            return datetime.datetime.strptime(text, date_format).date()
        except ValueError:
            continue
    raise ValueError


def _parse_integer(value) -> int | None:
    if value is None or str(value).strip() == "":
        return None
    if isinstance(value, float) and value.is_integer():
        value = int(value)
    number = int(str(value).strip())
    if number < 0:
        raise ValueError
    return number


def activity_import_preview(*, library: Library, month: datetime.date, upload) -> ImportPreview:
    """Read ``upload`` and check every row; saves nothing.

    Raises ValidationError when the file as a whole cannot be used (not a workbook, too big,
    missing columns); problems of single rows are listed on the rows.
    """
    month = month.replace(day=1)
    table = read_table(
        upload, max_rows=MAX_IMPORT_ROWS, max_bytes=MAX_IMPORT_BYTES, allow_csv=False
    )
    names = _header_keys()
    header = [names.get(_normalise(cell)) for cell in table.header]
    missing = [str(label) for key, label, required in COLUMNS if required and key not in header]
    if missing:
        raise ValidationError(
            _("The first row must name the columns. Missing: %(columns)s. Start from the template.")
            % {"columns": ", ".join(missing)}
        )
    strategies = _choice_lookup(Strategy.choices)
    kinds = _choice_lookup(Activity.Kind.choices)
    partners = {_normalise(p.name): p for p in library.partners.all()}
    skills = {_normalise(skill.name): skill for skill in Skill.objects.active()}
    existing = set(
        library.activities.filter(date__year=month.year, date__month=month.month).values_list(
            "date", "title"
        )
    )
    seen = set()
    preview = ImportPreview(library=library, month=month, rows=[], header=table.header)
    for number, values in table.rows:
        cells = {
            key: "" if value is None else str(value).strip()
            for key, value in zip(header, values, strict=False)
            if key
        }
        raw = dict(zip(header, values, strict=False))
        row = ImportRow(number=number, cells=cells, values=row_cells(table.header, values))
        preview.rows.append(row)
        _check_row(row, raw, library, month, strategies, kinds, partners)
        _split_skills(row, skills)
        if row.ok:
            key = (row.data["date"], row.data["title"])
            if key in existing:
                row.errors.append(_("An activity with this date and title is already recorded."))
            elif key in seen:
                row.errors.append(_("This date and title appear twice in the sheet."))
            seen.add(key)
    if not preview.rows:
        raise ValidationError(_("The sheet has no activities below its header row."))
    return preview


def _check_row(row, raw, library, month, strategies, kinds, partners) -> None:
    data = row.data
    try:
        data["date"] = _parse_date(raw.get("date"))
    except ValueError:
        row.errors.append(_("The date is not a date (use DD-MM-YYYY)."))
    else:
        if (data["date"].year, data["date"].month) != (month.year, month.month):
            row.errors.append(_("The date is not in the month being imported."))
    for key, lookup, message in [
        ("strategy", strategies, _("Unknown strategy “%(value)s”.")),
        ("kind", kinds, _("Unknown kind of activity “%(value)s”.")),
    ]:
        value = lookup.get(_normalise(raw.get(key)))
        if value is None:
            row.errors.append(message % {"value": row.cells.get(key, "")})
        data[key] = value
    data["title"] = row.cells.get("title", "")
    data["skills"] = row.cells.get("skills", "")
    data["notes"] = row.cells.get("notes", "")
    for key in INTEGER_COLUMNS:
        try:
            data[key] = _parse_integer(raw.get(key))
        except ValueError:
            row.errors.append(
                _("“%(value)s” is not a number of people.") % {"value": row.cells.get(key, "")}
            )
            data[key] = None
    for key in ("participants_male", "participants_female"):
        if data.get(key) is None:
            data[key] = 0
    data["partners"] = []
    for name in filter(None, (part.strip() for part in row.cells.get("partners", "").split(";"))):
        partner = partners.get(_normalise(name))
        if partner is None:
            row.errors.append(
                _("Unknown partner “%(name)s”: add it on the partnerships page first.")
                % {"name": name}
            )
        else:
            data["partners"].append(partner)
    if row.errors:
        return
    activity = Activity(
        library=library, **{k: v for k, v in data.items() if k not in ("partners",)}
    )
    try:
        activity.full_clean(exclude=["library"], validate_unique=False, validate_constraints=False)
    except ValidationError as exc:
        row.errors.extend(
            f"{_field_label(name)}: {message}" if name != "__all__" else message
            for name, messages in exc.message_dict.items()
            for message in messages
        )


def _split_skills(row, catalogue: dict) -> None:
    """Skills named as in the catalogue are chosen from it; the others stay as free text."""
    chosen, other = [], []
    for name in filter(None, (part.strip() for part in re.split(r"[;\n]", row.data["skills"]))):
        skill = catalogue.get(_normalise(name))
        if skill is None:
            other.append(name)
        elif skill not in chosen:
            chosen.append(skill)
    row.data["catalogue_skills"] = chosen
    row.data["skills"] = "; ".join(other)


def _field_label(name: str) -> str:
    return str(Activity._meta.get_field(name).verbose_name).capitalize()


@transaction.atomic
def activity_import_commit(*, actor: User, token: str, saved: dict) -> int:
    """Save every good row of a confirmed preview, or none. Returns how many were new."""
    library = Library.objects.get(pk=saved["library"])
    created_count = 0
    for row in saved["rows"]:
        fields = {
            k: v
            for k, v in row.items()
            if k not in ("number", "partners", "catalogue_skills", "date")
        }
        _activity, created = activity_record(
            actor=actor,
            library=library,
            idempotency_key=uuid.uuid5(IMPORT_NAMESPACE, f"{token}:{row['number']}"),
            partners=library.partners.filter(pk__in=row["partners"]),
            # A preview saved before the catalogue existed has no such key.
            catalogue_skills=Skill.objects.filter(pk__in=row.get("catalogue_skills", [])),
            date=datetime.date.fromisoformat(row["date"]),
            **fields,
        )
        created_count += created
    return created_count
