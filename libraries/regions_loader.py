"""Load the official region register (Kepmendagri codes) from a CSV file.

The file has the header ``kode,nama`` and one row per region, parents before children. The
whole file is checked before anything is written; then every level is upserted in bulk inside
one transaction, so a malformed file leaves the database as it was and a second run of the
same file changes nothing.
"""

from __future__ import annotations

import csv
import re
import time
from dataclasses import dataclass, field
from pathlib import Path

from django.db import transaction
from django.utils.translation import gettext as _

from libraries.models import District, Province, Regency, Village, time_zone_for_province

DEFAULT_REGISTER = Path(__file__).resolve().parent / "data" / "wilayah_kepmendagri_2025.csv"

_CODE_PATTERNS = [
    re.compile(r"\d{2}"),
    re.compile(r"\d{2}\.\d{2}"),
    re.compile(r"\d{2}\.\d{2}\.\d{2}"),
    re.compile(r"\d{2}\.\d{2}\.\d{2}\.[123]\d{3}"),
]
_MAX_NAME = 100
_BATCH = 2000


class RegionFileError(ValueError):
    """The file is not a valid region register; ``line`` is 1-based, counting the header."""

    def __init__(self, line: int, message: str):
        self.line = line
        super().__init__(_("Line %(line)d: %(message)s") % {"line": line, "message": message})


@dataclass
class LevelReport:
    created: int = 0
    updated: int = 0
    unchanged: int = 0


@dataclass
class LoadReport:
    levels: dict[str, LevelReport] = field(default_factory=dict)
    seconds: float = 0.0

    @property
    def changed(self) -> bool:
        return any(level.created or level.updated for level in self.levels.values())


@dataclass
class _Register:
    provinces: dict[str, str] = field(default_factory=dict)
    regencies: dict[str, str] = field(default_factory=dict)
    districts: dict[str, str] = field(default_factory=dict)
    villages: dict[str, str] = field(default_factory=dict)

    def level(self, depth: int) -> dict[str, str]:
        return (self.provinces, self.regencies, self.districts, self.villages)[depth]


def read_register(path: Path) -> _Register:
    """Parse and check the whole file; raise RegionFileError naming the first bad line."""
    register = _Register()
    seen: set[str] = set()
    try:
        handle = path.open(encoding="utf-8", newline="")
    except OSError as exc:
        raise RegionFileError(0, _("cannot open the file (%(error)s).") % {"error": exc}) from exc
    with handle:
        reader = csv.reader(handle)
        try:
            header = next(reader, None)
            if header is None or [cell.strip().lower() for cell in header] != ["kode", "nama"]:
                raise RegionFileError(1, _('the header must be "kode,nama".'))
            for row in reader:
                _read_row(reader.line_num, row, register, seen)
        except UnicodeDecodeError as exc:
            raise RegionFileError(reader.line_num + 1, _("the file is not UTF-8 text.")) from exc
        except csv.Error as exc:
            raise RegionFileError(
                reader.line_num, _("not valid CSV (%(error)s).") % {"error": exc}
            ) from exc
    if not register.provinces:
        raise RegionFileError(1, _("the file holds no regions."))
    return register


def _read_row(line: int, row: list[str], register: _Register, seen: set[str]) -> None:
    if not row or all(not cell.strip() for cell in row):
        return
    if len(row) != 2:
        raise RegionFileError(
            line, _("expected 2 columns (kode, nama), found %(count)d.") % {"count": len(row)}
        )
    code, name = row[0].strip(), row[1].strip()
    depth = code.count(".")
    if depth > 3 or not _CODE_PATTERNS[depth].fullmatch(code):
        raise RegionFileError(
            line, _('"%(code)s" is not a Kemendagri region code.') % {"code": code}
        )
    if not name:
        raise RegionFileError(line, _("the region %(code)s has no name.") % {"code": code})
    if len(name) > _MAX_NAME:
        raise RegionFileError(
            line,
            _("the name of %(code)s is longer than %(max)d characters.")
            % {"code": code, "max": _MAX_NAME},
        )
    if code in seen:
        raise RegionFileError(line, _("the code %(code)s appears twice.") % {"code": code})
    if depth and code.rsplit(".", 1)[0] not in register.level(depth - 1):
        raise RegionFileError(
            line,
            _("the parent of %(code)s is not listed before it.") % {"code": code},
        )
    seen.add(code)
    register.level(depth)[code] = name


def load_regions(*, path: Path = DEFAULT_REGISTER) -> LoadReport:
    """Upsert the register in ``path``; regions missing from the file are kept."""
    started = time.perf_counter()
    register = read_register(path)
    report = LoadReport()
    with transaction.atomic():
        report.levels["provinces"] = _upsert(
            Province,
            {
                code: {"name": name, "time_zone": time_zone_for_province(code)}
                for code, name in register.provinces.items()
            },
        )
        report.levels["regencies"] = _upsert(
            Regency,
            {
                code: {
                    "name": name,
                    "kind": Regency.kind_from_code(code),
                    "province_id": code[:2],
                }
                for code, name in register.regencies.items()
            },
        )
        report.levels["districts"] = _upsert(
            District,
            {
                code: {"name": name, "regency_id": code[:5]}
                for code, name in register.districts.items()
            },
        )
        report.levels["villages"] = _upsert(
            Village,
            {
                code: {
                    "name": name,
                    "kind": Village.KIND_BY_DIGIT[code[9]],
                    "district_id": code[:8],
                }
                for code, name in register.villages.items()
            },
        )
    report.seconds = time.perf_counter() - started
    return report


def _upsert(model, rows: dict[str, dict]) -> LevelReport:
    fields = list(next(iter(rows.values())).keys()) if rows else []
    existing = {
        values[0]: values[1:]
        for values in model.objects.values_list("code", *fields).iterator(chunk_size=10_000)
    }
    to_create, to_update = [], []
    for code, values in rows.items():
        current = existing.get(code)
        if current is None:
            to_create.append(model(code=code, **values))
        elif tuple(values.values()) != current:
            to_update.append(model(code=code, **values))
    model.objects.bulk_create(to_create, batch_size=_BATCH)
    model.objects.bulk_update(to_update, fields, batch_size=_BATCH)
    return LevelReport(
        created=len(to_create),
        updated=len(to_update),
        unchanged=len(rows) - len(to_create) - len(to_update),
    )
