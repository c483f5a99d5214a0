"""gunicorn settings for an app host, read by ``gunicorn tpbis_portal.wsgi`` from this folder.

Every value can be changed from the environment (README, "Deployment"); the defaults suit a
host with 2 cores behind a TLS proxy.
"""

import multiprocessing
import os


def _int(name: str, default: int) -> int:
    value = os.environ.get(name)
    return int(value) if value else default


bind = os.environ.get("GUNICORN_BIND", "127.0.0.1:8000")

# Threads overlap the waits on PostgreSQL, Redis and object storage; processes use the cores.
# Each process keeps its own pool of database connections (DATABASE_POOL_MAX_SIZE, at least
# as many as its threads).
worker_class = "gthread"
workers = _int("GUNICORN_WORKERS", multiprocessing.cpu_count() + 1)
threads = _int("GUNICORN_THREADS", 4)

# Nothing on the request path may take longer: heavy work runs in the task worker.
timeout = _int("GUNICORN_TIMEOUT", 30)
# On HUP or TERM, requests in flight get this long to finish.
graceful_timeout = _int("GUNICORN_GRACEFUL_TIMEOUT", 30)
# Longer than the proxy keeps an idle upstream connection open, so that gunicorn never closes
# one the proxy is about to reuse.
keepalive = _int("GUNICORN_KEEPALIVE", 75)

# A worker is replaced after this many requests (give or take the jitter, so that workers do
# not restart together): memory that grows slowly never grows far.
max_requests = _int("GUNICORN_MAX_REQUESTS", 1000)
max_requests_jitter = _int("GUNICORN_MAX_REQUESTS_JITTER", 100)

# Each worker loads the portal itself, so that a HUP (rollout) starts workers on the new code.
# With GUNICORN_PRELOAD=1 workers fork from a master that loaded it once (less memory, faster
# restarts after max_requests), but then a HUP brings back the old code: roll out by
# restarting each host in turn instead (README, "Rolling out a new version").
preload_app = os.environ.get("GUNICORN_PRELOAD", "0") == "1"

# The heartbeat file on memory, not on a disk that can stall the worker (gunicorn makes its
# own file there with mkstemp).
_MEMORY = "/dev/shm"  # noqa: S108
if os.path.isdir(_MEMORY):
    worker_tmp_dir = _MEMORY

# X-Forwarded-Proto is believed only from the proxy's addresses.
forwarded_allow_ips = os.environ.get("FORWARDED_ALLOW_IPS", "127.0.0.1,::1")

# Access log on standard output: the visitor's address as the proxy saw it, the request without
# its query string (searches may carry names), status, size, duration and worker.
accesslog = os.environ.get("GUNICORN_ACCESS_LOG", "-")
access_log_format = '%({x-forwarded-for}i)s "%(m)s %(U)s %(H)s" %(s)s %(B)s %(M)sms pid=%(p)s'
errorlog = "-"
loglevel = os.environ.get("GUNICORN_LOG_LEVEL", "info")

# Reloads and stops go through signals (HUP, TERM) from systemd; no control socket, which
# would be shared by every gunicorn of a user on the machine.
control_socket_disable = True
