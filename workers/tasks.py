"""Celery tasks and worker start-up: each task is one line around :mod:`inclusio.jobs`.

One task name per queue (``inclusio.job.cpu|llm|audio``, plus the skeleton's ``inclusio.run_job``)
calls :func:`inclusio.jobs.execute` (the attempt: lease, heartbeat, run, record, publish; exactly once,
see :mod:`inclusio.jobs.attempt`). A job process that dies outright is recorded from the parent
(:func:`_on_task_failure` -> :func:`inclusio.jobs.fail_dead_job`). Each worker runs a watchdog thread
(:func:`_start_watchdog`) that re-queues a job whose heartbeat stopped and re-sends a queued job
nobody took; the pipeline and spaCy's French model are loaded before the pool forks.
"""

from __future__ import annotations

import logging
import threading
from typing import Any

from celery import Task, shared_task
from celery.signals import task_failure, worker_init, worker_process_init, worker_ready, worker_shutdown

from inclusio.config import Settings, get_settings
from inclusio.errors import WorkerLost
from inclusio.jobs import execute, fail_dead_job
from inclusio.jobs.attempt import TRANSIENT, forget_inherited_stores, notify
from inclusio.jobs.presence import hold_worker_queues
from inclusio.jobs.queue import QUEUES, TASK_BY_KIND, TASK_RUN_JOB, TASK_WATCHDOG
from inclusio.store.jobs import JobStore

log = logging.getLogger("inclusio.worker")


def _settings_of(task: Task) -> Settings:
    return getattr(task.app, "settings", None) or get_settings()


_RETRY = {
    "autoretry_for": TRANSIENT,
    "retry_backoff": 2,
    "retry_backoff_max": 60,
    "retry_jitter": True,
    "max_retries": 8,
}


@shared_task(name=TASK_RUN_JOB, bind=True, acks_late=True, ignore_result=True, **_RETRY)
def run_job_task(self: Task, job_id: str) -> str:
    """Run one job (the message carries only its id). The skeleton's name, on the CPU queue."""
    return execute(job_id, _settings_of(self))


@shared_task(name=TASK_BY_KIND["cpu"], bind=True, acks_late=True, ignore_result=True, **_RETRY)
def run_cpu_job(self: Task, job_id: str) -> str:
    """A job that mostly extracts and renders (queue ``inclusio.cpu``)."""
    return execute(job_id, _settings_of(self))


@shared_task(name=TASK_BY_KIND["llm"], bind=True, acks_late=True, ignore_result=True, **_RETRY)
def run_llm_job(self: Task, job_id: str) -> str:
    """A job whose text the Mistral engine adapts (queue ``inclusio.llm``)."""
    return execute(job_id, _settings_of(self))


@shared_task(name=TASK_BY_KIND["audio"], bind=True, acks_late=True, ignore_result=True, **_RETRY)
def run_audio_job(self: Task, job_id: str) -> str:
    """A job that makes MP3 audio (queue ``inclusio.audio``)."""
    return execute(job_id, _settings_of(self))


JOB_TASKS = frozenset({TASK_RUN_JOB, *TASK_BY_KIND.values()})


@task_failure.connect
def _on_task_failure(
    sender: Task | None = None, exception: BaseException | None = None, args: Any = None, **_: Any
) -> None:
    """Record a job whose task failed outside :func:`inclusio.jobs.execute` (its process died, a time limit)."""
    if sender is None or sender.name not in JOB_TASKS or not args:
        return
    fail_dead_job(_settings_of(sender), str(args[0]), exception)


# -- the watchdog: one thread in every worker's main process ---------------------------------------


def run_watchdog_once(settings: Settings, send: Any, queue_sizes: Any = None) -> list[Any]:
    """Re-queue stuck jobs and re-send lost messages once; ``send(task_name, job_id)`` enqueues.

    ``queue_sizes()`` gives ``{kind: messages waiting}``; queued jobs are re-sent only for kinds
    whose queue is empty (their message was lost), never behind a backlog. Without it (or when the
    broker cannot say) queued jobs are left alone; stuck running jobs are always handled.
    """
    sizes: dict[str, int] = {}
    if queue_sizes is not None:
        try:
            sizes = queue_sizes()
        except Exception:  # noqa: BLE001 - broker away: the next round asks again
            log.warning("watchdog: could not read the queue sizes", exc_info=True)
    store = JobStore.from_settings(settings)
    try:

        def lost(job: Any) -> dict[str, Any]:
            return {"stage": "job", **WorkerLost(details={"attempts": job.attempts}).to_dict()}

        actions = store.requeue_stuck(
            stuck_seconds=settings.job_stuck_seconds,
            max_attempts=settings.job_max_attempts,
            on_fail=lost,
            resend_queued=lambda kind: sizes.get(kind) == 0,
        )
        for action in actions:
            if action.action == "resend":
                log.warning("watchdog: job %s re-sent to the %s queue", action.job_id, action.kind)
                send(TASK_BY_KIND.get(action.kind, TASK_BY_KIND["cpu"]), action.job_id)
            else:
                log.error("watchdog: job %s failed after too many lost attempts", action.job_id)
                _record_lost_facts(store, action.job_id)
                notify(store, settings, action.job_id, "finished", action.kind)  # its student is told
        return actions
    finally:
        store.dispose()  # no connection survives into job processes forked later


def _record_lost_facts(store: JobStore, job_id: str) -> None:
    """The reports count a job failed by the watchdog among the failures, with its code (job.worker_lost)."""
    from inclusio.reports.facts import record_job_facts

    try:
        job = store.get(job_id)
    except Exception:  # noqa: BLE001 - erased meanwhile: nothing to count
        return
    record_job_facts(store.db, job, None, status="failed", errors=list(job.errors or []))


_watchdog_stop = threading.Event()


def queue_sizes(app: Any) -> dict[str, int]:
    """Messages waiting in each kind's queue (a passive declare: Redis, RabbitMQ and the SQL broker)."""
    from amqp.exceptions import ChannelError

    out: dict[str, int] = {}
    with app.connection_for_read() as conn:
        for kind, name in QUEUES.items():
            channel = conn.channel()  # a failed passive declare closes the channel (AMQP): one each
            try:
                out[kind] = int(channel.queue_declare(queue=name, passive=True).message_count)
            except ChannelError as exc:
                if getattr(exc, "reply_code", None) != 404 and "NOT_FOUND" not in str(exc):
                    raise
                out[kind] = 0  # Redis keeps no key for an empty queue
            finally:
                channel.close()
    return out


@worker_ready.connect
def _start_watchdog(sender: Any = None, **_: Any) -> None:
    app = getattr(sender, "app", None)
    settings = getattr(app, "settings", None) or get_settings()
    interval = max(0.2, min(settings.watchdog_interval_seconds, settings.job_stuck_seconds / 2))

    def send(name: str, job_id: str) -> None:
        app.send_task(name, args=[job_id])  # type: ignore[union-attr]

    def sizes() -> dict[str, int]:
        return queue_sizes(app)

    def loop() -> None:
        while not _watchdog_stop.wait(interval):
            try:
                run_watchdog_once(settings, send, sizes)
            except Exception:  # noqa: BLE001 - the next round tries again
                log.warning("watchdog round failed", exc_info=True)

    if app is not None:
        _watchdog_stop.clear()
        threading.Thread(target=loop, name="inclusio-watchdog", daemon=True).start()


@worker_shutdown.connect
def _stop_watchdog(**_: Any) -> None:
    _watchdog_stop.set()


@shared_task(name=TASK_WATCHDOG, bind=True, ignore_result=True)
def watchdog_task(self: Task) -> int:
    """One watchdog round on demand (``celery call inclusio.watchdog`` or a beat schedule)."""
    return len(
        run_watchdog_once(
            _settings_of(self),
            lambda name, job_id: self.app.send_task(name, args=[job_id]),
            lambda: queue_sizes(self.app),
        )
    )


@worker_init.connect
def _preload(**_: Any) -> None:
    """Import the pipeline and load spaCy's French model in the worker's main process, before the pool
    forks: every job process, the first and each one Celery starts later (after 1000 jobs or 1 GiB),
    has them from the start (first job ~1 s instead of 5-8 s; the worker starts ~4 s later). Nothing
    here starts a thread or opens a connection, so forking afterwards is safe."""
    try:
        import inclusio.converters.registry  # noqa: F401
        import inclusio.pipeline.job  # noqa: F401

        if get_settings().quality_checks:
            from inclusio.analysis.nlp import load_pipeline

            load_pipeline("fr")
    except Exception:  # noqa: BLE001 - the first job loads them instead
        log.warning("could not preload the pipeline", exc_info=True)


@worker_init.connect
def _say_listening(sender: Any = None, **_: Any) -> None:
    """Hold this worker's queue locks for as long as it runs: on the embedded SQLite broker, this is how
    ``inclusio batch`` knows a worker listens (Celery's remote control needs fanout; see jobs.presence)."""
    if sender is not None:
        hold_worker_queues(sender.app)


@worker_process_init.connect
def _warm_up(**_: Any) -> None:
    """Import the pipeline in each fresh job process, so the first job does not pay for it."""
    # A child forked after the parent recorded a lost job inherits the parent's engine: drop its
    # pooled connections without closing them (they belong to the parent).
    forget_inherited_stores()
    try:
        import inclusio.converters.registry  # noqa: F401
        import inclusio.pipeline.job  # noqa: F401
    except Exception:  # noqa: BLE001 - a missing piece shows up, coded, in the first job instead
        log.warning("could not preload the pipeline", exc_info=True)
