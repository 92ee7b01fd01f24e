"""``inclusio cleanup``: what the retention settings say may go, and what crashes left behind.

* finished jobs older than ``INCLUSIO_RETENTION_DAYS`` (row, events, outputs);
* originals no job uses any more (older than an hour: an upload may be between its file and its row),
  with their cached conversions;
* attempt folders and upload leftovers of processes that died (not those of a running attempt);
* expired bearer tokens; sign-in failure records past their window and unlocked; consumed messages of
  the SQL broker (kombu keeps them forever);
* then, when rows went, the SQLite files are vacuumed and checkpointed (as after an erasure).
"""

from __future__ import annotations

import shutil
from dataclasses import dataclass, field
from datetime import timedelta
from pathlib import Path
from typing import Any

from inclusio.config import Settings
from inclusio.store.accounts import UserStore
from inclusio.store.files import FileStore
from inclusio.store.jobs import JobStore
from inclusio.store.models import utcnow
from inclusio.store.throttle import Throttle

ORPHAN_GRACE_SECONDS = 3600
LEFTOVER_GRACE_SECONDS = 3600


@dataclass
class CleanupReport:
    jobs: list[str] = field(default_factory=list)
    originals: list[str] = field(default_factory=list)
    leftovers: list[str] = field(default_factory=list)
    tokens: int = 0
    broker_messages: int = 0
    dry_run: bool = False

    def summary(self) -> dict[str, Any]:
        return {
            "jobs": len(self.jobs),
            "originals": len(self.originals),
            "leftovers": len(self.leftovers),
            "tokens": self.tokens,
            "broker_messages": self.broker_messages,
            "dry_run": self.dry_run,
        }


def cleanup(settings: Settings, *, dry_run: bool = False, store: JobStore | None = None) -> CleanupReport:
    """Apply the retention settings once; with ``dry_run`` only report what would go."""
    own = store is None
    store = store or JobStore.from_settings(settings)
    files = FileStore.from_settings(settings)
    report = CleanupReport(dry_run=dry_run)
    try:
        store.migrate()
        if settings.retention_days > 0:
            cutoff = utcnow() - timedelta(days=settings.retention_days)
            while True:
                expired = [j for j in store.finished_before(cutoff, limit=500) if j.id not in report.jobs]
                if not expired:
                    break
                report.jobs += [j.id for j in expired]
                if dry_run:
                    continue
                store.delete_jobs([j.id for j in expired])
                for job in expired:
                    files.delete_job(job.id)
        import time

        for sha in list(files.originals()):
            path = files.original_path(f"originals/{sha[:2]}/{sha}")
            if store.db.original_uses(sha) == 0 and time.time() - path.stat().st_mtime > ORPHAN_GRACE_SECONDS:
                report.originals.append(sha)
                if not dry_run:
                    files.delete_original(sha)
        for leftover in files.stale_temporaries(LEFTOVER_GRACE_SECONDS):
            if _attempt_alive(store, leftover):
                continue
            report.leftovers.append(leftover.name)
            if not dry_run:
                shutil.rmtree(leftover, ignore_errors=True) if leftover.is_dir() else leftover.unlink(
                    missing_ok=True
                )
        if not dry_run:
            report.tokens = UserStore(store.engine).purge_expired_tokens()
            Throttle(store.engine, settings).purge()
            report.broker_messages = purge_consumed_messages(settings)
            if report.jobs or report.tokens or report.broker_messages:
                # Deleted rows leave their bytes in SQLite's free pages and write-ahead log.
                from inclusio.store.erasure import compact_sqlite, sqlite_files

                compact_sqlite(sqlite_files(settings))
    finally:
        if own:
            store.dispose()
    return report


def _attempt_alive(store: JobStore, path: Path) -> bool:
    """``jobs/.work/<job>-<lease>`` of an attempt that still holds its job's lease."""
    job_id, _, lease = path.name.partition("-")
    if path.parent.name != ".work" or not lease:
        return False
    try:
        job = store.get(job_id)
    except Exception:  # noqa: BLE001 - no such job: the folder is a leftover
        return False
    return (job.status == "running" and job.lease == lease) or (
        job.release_state == "releasing" and job.release_token == lease
    )


def purge_consumed_messages(settings: Settings) -> int:
    """Delete the messages the SQL broker has delivered (``visible = false``); 0 for Redis or RabbitMQ."""
    url = settings.resolved_broker_url()
    if not url.startswith("sqla+"):
        return 0
    from sqlalchemy import create_engine, inspect, text

    engine = create_engine(url.removeprefix("sqla+"))
    try:
        if "kombu_message" not in inspect(engine).get_table_names():
            return 0
        with engine.begin() as conn:
            return int(
                conn.execute(text("DELETE FROM kombu_message WHERE visible = :v"), {"v": False}).rowcount
            )
    finally:
        engine.dispose()
