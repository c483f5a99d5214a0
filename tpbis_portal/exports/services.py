"""Starting, producing and clearing export jobs."""

from __future__ import annotations

import datetime
import logging
import tempfile

from django.conf import settings
from django.core.files import File
from django.db import IntegrityError, transaction
from django.utils import timezone

from tpbis_portal.exports.datasets import CHUNK, dataset
from tpbis_portal.exports.models import ExportJob
from tpbis_portal.exports.writers import write_csv, write_xlsx

logger = logging.getLogger(__name__)


def export_job_start(*, owner, kind: str, fmt: str, filters: dict) -> tuple[ExportJob, bool]:
    """``(job, created)``: a new job queued for the worker, or the owner's unfinished job that
    asks for the same file (a double submit or a retried request starts nothing new)."""
    from tpbis_portal.exports.tasks import produce_export  # the task calls back into here

    fingerprint = ExportJob.fingerprint_of(kind, fmt, filters)
    unfinished = ExportJob.objects.filter(
        owner=owner, fingerprint=fingerprint, status__in=ExportJob.UNFINISHED
    )
    if existing := unfinished.first():
        return existing, False
    try:
        with transaction.atomic():
            job = ExportJob.objects.create(
                owner=owner, kind=kind, format=fmt, filters=filters, fingerprint=fingerprint
            )
    except IntegrityError:
        # The same request, started a moment ago by a parallel submit.
        return unfinished.get(), False
    transaction.on_commit(lambda: produce_export.enqueue(job_id=job.pk))
    return job, True


def export_job_produce(*, job_id: int) -> None:
    """Write the job's file (run by the task worker), updating its progress as it goes."""
    claimed = ExportJob.objects.filter(pk=job_id, status=ExportJob.Status.PENDING).update(
        status=ExportJob.Status.RUNNING
    )
    if not claimed:
        return  # gone, or already taken by another worker
    job = ExportJob.objects.select_related("owner").get(pk=job_id)
    try:
        data = dataset(job.kind, job.owner, job.filters)
        total = data.rows.count()
        ExportJob.objects.filter(pk=job.pk).update(rows_total=total)

        def progress(written: int) -> None:
            ExportJob.objects.filter(pk=job.pk).update(rows_done=min(written, total))

        rows = (data.row(item) for item in data.rows.iterator(chunk_size=CHUNK))
        with tempfile.TemporaryFile() as handle:
            if job.format == ExportJob.Format.XLSX:
                write_xlsx(handle, data.header, rows, progress, title=data.title)
            else:
                write_csv(handle, data.header, rows, progress)
            handle.seek(0)
            job.file.save(job.filename, File(handle), save=False)
        now = timezone.now()
        ExportJob.objects.filter(pk=job.pk).update(
            file=job.file.name,
            status=ExportJob.Status.DONE,
            finished_at=now,
            expires_at=now + datetime.timedelta(hours=settings.EXPORT_RETENTION_HOURS),
        )
    except Exception as exc:
        logger.exception("Export job %s failed", job_id)
        ExportJob.objects.filter(pk=job.pk).update(
            status=ExportJob.Status.FAILED,
            error=f"{type(exc).__name__}: {exc}"[:1000],
            finished_at=timezone.now(),
            expires_at=timezone.now() + datetime.timedelta(hours=settings.EXPORT_RETENTION_HOURS),
        )


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
