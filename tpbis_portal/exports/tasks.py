"""The export tasks, run by the task worker (``manage.py db_worker``) in production."""

from django_tasks import task

from tpbis_portal.exports import services


@task()
def produce_export(*, job_id: int) -> None:
    services.export_job_produce(job_id=job_id)


@task()
def delete_expired_exports() -> int:
    """Queued by every new export: files past their time go, and jobs whose worker stopped
    are shown as failed to their owners."""
    services.export_jobs_fail_stalled()
    return services.export_jobs_delete_expired()
