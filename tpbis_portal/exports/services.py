"""Starting, producing and clearing export jobs."""

from __future__ import annotations

import datetime
import logging
import tempfile

from django.conf import settings
from django.core.files import File
from django.db import IntegrityError, transaction
from django.utils import timezone, translation

from tpbis_portal.exports.datasets import CHUNK, dataset
from tpbis_portal.exports.models import ExportJob
from tpbis_portal.exports.writers import write_csv, write_xlsx

logger = logging.getLogger(__name__)


class _Abandoned(Exception):
    """The job was given up (shown as stalled) while this worker was still writing it."""


def export_job_start(
    *, owner, kind: str, fmt: str, filters: dict, language: str
) -> tuple[ExportJob, bool]:
    """``(job, created)``: a new job queued for the worker, or the owner's unfinished job that
    asks for the same file (a double submit or a retried request starts nothing new).

    Each new job also queues the clean-up of expired files, so that storage is cleared as
    long as people export, with no timer to set up.
    """
    from tpbis_portal.exports.tasks import delete_expired_exports, produce_export

    export_jobs_fail_stalled(owner=owner)
    fingerprint = ExportJob.fingerprint_of(kind, fmt, filters, language)
    unfinished = ExportJob.objects.filter(
        owner=owner, fingerprint=fingerprint, status__in=ExportJob.UNFINISHED
    )
    if existing := unfinished.first():
        return existing, False
    try:
        with transaction.atomic():
            job = ExportJob.objects.create(
                owner=owner,
                kind=kind,
                format=fmt,
                filters=filters,
                fingerprint=fingerprint,
                language=language,
            )
    except IntegrityError:
        # The same request, started a moment ago by a parallel submit.
        return unfinished.get(), False
    transaction.on_commit(lambda: produce_export.enqueue(job_id=job.pk))
    transaction.on_commit(delete_expired_exports.enqueue)
    return job, True


def export_jobs_fail_stalled(*, owner=None) -> int:
    """Mark the unfinished jobs whose worker stopped (of ``owner``, or everybody's) as failed,
    so that their owners see it and can start them again; how many were marked."""
    jobs = ExportJob.objects.stalled()
    if owner is not None:
        jobs = jobs.filter(owner=owner)
    now = timezone.now()
    return jobs.update(
        status=ExportJob.Status.FAILED,
        stalled=True,
        error=f"No progress for {settings.EXPORT_STALE_MINUTES} minutes: the worker stopped.",
        finished_at=now,
        expires_at=now + datetime.timedelta(hours=settings.EXPORT_RETENTION_HOURS),
    )


def export_job_produce(*, job_id: int) -> None:
    """Write the job's file (run by the task worker), updating its progress as it goes."""
    claimed = ExportJob.objects.filter(pk=job_id, status=ExportJob.Status.PENDING).update(
        status=ExportJob.Status.RUNNING, heartbeat_at=timezone.now()
    )
    if not claimed:
        return  # gone, or already taken by another worker
    job = ExportJob.objects.select_related("owner").get(pk=job_id)
    # Only this worker's own job: once it is given up as stalled, nothing here changes it.
    mine = ExportJob.objects.filter(pk=job.pk, status=ExportJob.Status.RUNNING)
    try:
        with translation.override(job.language or settings.LANGUAGE_CODE):
            _write(job, mine)
    except _Abandoned:
        logger.warning("Export job %s was given up as stalled before it was written", job_id)
        if job.file:
            job.file.delete(save=False)
    except Exception as exc:
        logger.exception("Export job %s failed", job_id)
        mine.update(
            status=ExportJob.Status.FAILED,
            error=f"{type(exc).__name__}: {exc}"[:1000],
            finished_at=timezone.now(),
            expires_at=timezone.now() + datetime.timedelta(hours=settings.EXPORT_RETENTION_HOURS),
        )


def _write(job: ExportJob, mine) -> None:
    data = dataset(job.kind, job.owner, job.filters)
    total = data.rows.count()
    if not mine.update(rows_total=total, heartbeat_at=timezone.now()):
        raise _Abandoned

    def progress(written: int) -> None:
        if not mine.update(rows_done=min(written, total), heartbeat_at=timezone.now()):
            raise _Abandoned

    rows = (data.row(item) for item in data.rows.iterator(chunk_size=CHUNK))
    with tempfile.TemporaryFile() as handle:
        if job.format == ExportJob.Format.XLSX:
            write_xlsx(handle, data.header, rows, progress, title=data.title)
        else:
            write_csv(handle, data.header, rows, progress)
        handle.seek(0)
        job.file.save(job.filename, File(handle), save=False)
    now = timezone.now()
    done = mine.update(
        file=job.file.name,
        status=ExportJob.Status.DONE,
        finished_at=now,
        expires_at=now + datetime.timedelta(hours=settings.EXPORT_RETENTION_HOURS),
    )
    if not done:
        raise _Abandoned


def export_jobs_delete_expired() -> int:
    """Delete expired jobs and their files; how many were deleted."""
    deleted = 0
    for job in ExportJob.objects.expired().iterator():
        if job.file:
            job.file.delete(save=False)
        job.delete()
        deleted += 1
    return deleted


@transaction.atomic
def export_job_delete(*, job: ExportJob) -> None:
    """Delete a job (in the admin) and, once the row is gone for good, its file: an export
    holds personal data (names, attendance) that must not outlive its record."""
    name = job.file.name if job.file else None
    storage = job.file.storage
    job.delete()
    if name:
        transaction.on_commit(lambda: storage.delete(name))
