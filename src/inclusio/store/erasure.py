"""Erasing a person's data: their learner profile, their own settings (display settings, e-mail opt-in and
address), their notifications, every job submitted by or made for them (with the reports' facts of each
job, and the source report's row of an original no remaining job counts), the documents they shared with
students, every file, and what the storage engines keep of them.

Rows go first, files after: a worker finishing one of these jobs (or releasing one) meanwhile can no
longer record it (its row is gone, so its lease is void) and discards its outputs; an original another
person's job or share still uses stays (it is theirs too), otherwise it goes with its cached conversion.
Students' jobs made from an erased teacher's share are the students' own and stay. The shared caches
hold no person (the converted Document carries no uploader's name: :func:`inclusio.pipeline.job.convert_shared`).

Then what the engines keep after a DELETE:

* the audit log: when the account is deleted, its id in every entry (as subject or actor) becomes a
  random pseudonym (``erased-<hex>``); the entries say what was done, never to which profile;
* the SQL broker (the embedded default): the messages naming the person's jobs are deleted, delivered
  or not (kombu keeps delivered ones). Redis: the queued and unacknowledged messages naming them are
  removed. RabbitMQ cannot delete one message from a queue: a message of an erased job carries only
  its random id, and the worker that gets it finds no job and drops it (see docs/deployment.md);
* SQLite files (job database, SQL broker, LLM answer cache): ``VACUUM`` (deleted rows leave their
  bytes in free pages) then ``PRAGMA wal_checkpoint(TRUNCATE)`` (the write-ahead log keeps old pages).
  PostgreSQL is left to the deployment (autovacuum, WAL and backup retention: docs/deployment.md).
"""

from __future__ import annotations

import base64
import json
import logging
import sqlite3
import time
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from inclusio.store.accounts import UserStore
from inclusio.store.batches import BatchStore
from inclusio.store.files import FileStore
from inclusio.store.jobs import JobFilter, JobStore
from inclusio.store.notifications import NotificationStore
from inclusio.store.shares import ShareStore

log = logging.getLogger("inclusio.store")

CHECKPOINT_TRIES = 20
"""How many times a checkpoint is tried while another process still reads an older snapshot."""


@dataclass(frozen=True)
class Erasure:
    user_id: str
    jobs: int
    files: int
    account_deleted: bool
    shares: int = 0
    broker_messages: int = 0
    compacted: list[str] = field(default_factory=list)
    """SQLite files vacuumed and checkpointed (names only)."""


def erase_user_data(
    store: JobStore,
    users: UserStore,
    files: FileStore,
    user_id: str,
    *,
    actor_id: str | None,
    delete_account: bool,
    settings: Any = None,
) -> Erasure:
    """Delete everything derived from ``user_id`` (and the account itself when ``delete_account``).

    ``settings`` (the service's) lets the erasure reach the broker and the SQLite files; without it
    only rows and files go.
    """
    user = users.get(user_id)
    jobs = {
        job.id: job
        for where in (JobFilter(owner_or_learner=user_id),)
        for job in store.list(where, limit=1_000_000)
    }
    hashes = {job.input_sha256 for job in jobs.values()}
    shared = ShareStore(store.db).delete_of(user_id)
    hashes |= {share.input_sha256 for share in shared}
    store.delete_jobs(list(jobs))  # their report facts go with them (ON DELETE CASCADE)
    _forget_documents(store, hashes)  # and the source report's rows no remaining job counts
    BatchStore(store.db).delete_of(user_id)
    users.delete_profile(user_id)
    users.delete_settings(user_id)
    NotificationStore(store.db).delete_of(user_id)
    lti_records = _delete_lti_records(store, user_id)
    if delete_account:
        users.delete_user(user_id)
    removed = 0
    for job_id in jobs:
        removed += int(files.delete_job(job_id))
    for sha in hashes:
        if store.db.original_uses(sha) == 0:
            removed += int(files.delete_original(sha))
    users.audit(
        actor_id=actor_id,
        action="data.erased",
        subject_id=user_id,
        institution=user.institution,
        details={
            "jobs": len(jobs),
            "shares": len(shared),
            "lti_records": lti_records,
            "account_deleted": delete_account,
        },
    )
    if delete_account:
        users.pseudonymise_audit(user_id)
    messages, compacted = 0, []
    if settings is not None:
        messages = purge_broker_messages(settings, set(jobs))
        compacted = compact_sqlite(sqlite_files(settings))
    log.info(
        "erasure: %d job(s), %d file(s), %d broker message(s) removed; compacted: %s",
        len(jobs),
        removed,
        messages,
        ", ".join(compacted) or "nothing",
    )
    return Erasure(
        user_id=user_id,
        jobs=len(jobs),
        files=removed,
        account_deleted=delete_account,
        shares=len(shared),
        broker_messages=messages,
        compacted=compacted,
    )


def _forget_documents(store: JobStore, hashes: set[str]) -> int:
    """The source report's rows (``document_facts``, one per original and institution) of the erased jobs'
    and shares' originals that no job's facts count any more in their institution (a person's own upload, a
    course document nobody else asked for). A document other people's jobs still count stays: it is about
    the document, and their jobs are theirs."""
    from sqlalchemy import delete, exists

    from inclusio.store.models import DocumentFacts, JobFacts

    if not hashes:
        return 0
    counted = exists().where(
        JobFacts.institution == DocumentFacts.institution, JobFacts.input_sha256 == DocumentFacts.input_sha256
    )
    with store.session() as session:
        result = session.execute(
            delete(DocumentFacts).where(DocumentFacts.input_sha256.in_(sorted(hashes)), ~counted)
        )
        return int(result.rowcount or 0)  # type: ignore[attr-defined]


def _delete_lti_records(store: JobStore, user_id: str) -> int:
    """The person's short-lived LTI records (a session ticket, a deep-linking request, a roster's access: each
    names the user in its data; ``inclusio.lti``). They expire within hours, but an erasure does not wait."""
    from sqlalchemy import delete, select

    from inclusio.store.models import LtiOnce

    with store.db.session() as session:
        keys = [
            row.key for row in session.scalars(select(LtiOnce)) if (row.data or {}).get("user") == user_id
        ]
        if keys:
            session.execute(delete(LtiOnce).where(LtiOnce.key.in_(keys)))
    return len(keys)


# -- the broker -----------------------------------------------------------------------------------------


def _names_a_job(payload: str | bytes, job_ids: set[str]) -> bool:
    """Whether a kombu message (JSON envelope, body base64 or plain) carries one of ``job_ids``."""
    text = payload.decode("utf-8", "replace") if isinstance(payload, bytes) else str(payload)
    if any(job_id in text for job_id in job_ids):
        return True
    try:
        body = json.loads(text).get("body", "")
        decoded = base64.b64decode(body).decode("utf-8", "replace") if isinstance(body, str) else ""
    except (ValueError, AttributeError):
        return False
    return any(job_id in decoded for job_id in job_ids)


def purge_broker_messages(settings: Any, job_ids: set[str]) -> int:
    """Delete the broker's messages that name one of ``job_ids``; the number removed.

    SQL broker: rows of kombu's message table (delivered ones included). Redis: entries of the job
    queues and of the unacknowledged set. RabbitMQ: 0 (see the module doc).
    """
    if not job_ids:
        return 0
    url = settings.resolved_broker_url()
    try:
        if url.startswith("sqla+"):
            return _purge_sql_broker(url.removeprefix("sqla+"), job_ids)
        if url.startswith(("redis://", "rediss://")):
            return _purge_redis(url, job_ids)
    except Exception:  # noqa: BLE001 - the rows and files are gone already; say it and go on
        log.warning("erasure: could not remove the broker messages of %d job(s)", len(job_ids), exc_info=True)
    return 0


def _purge_sql_broker(url: str, job_ids: set[str]) -> int:
    from sqlalchemy import bindparam, create_engine, inspect, text

    engine = create_engine(url)
    try:
        if "kombu_message" not in inspect(engine).get_table_names():
            return 0
        with engine.begin() as conn:
            rows = conn.execute(text("SELECT id, payload FROM kombu_message")).all()
            doomed = [row.id for row in rows if _names_a_job(row.payload, job_ids)]
            delete = text("DELETE FROM kombu_message WHERE id IN :ids").bindparams(
                bindparam("ids", expanding=True)
            )
            for start in range(0, len(doomed), 500):
                conn.execute(delete, {"ids": doomed[start : start + 500]})
        return len(doomed)
    finally:
        engine.dispose()


def _purge_redis(url: str, job_ids: set[str]) -> int:
    import redis

    client = redis.Redis.from_url(url)
    removed = 0
    try:
        # The job queues are the broker's lists named inclusio.* (inclusio.jobs.queue.QUEUES); found by
        # name so the store does not import the queue layer above it (no import circle).
        queues = [
            key
            for key in client.scan_iter(match="inclusio.*", count=100)
            if client.type(key) in (b"list", "list")
        ]
        for queue in queues:
            for entry in client.lrange(queue, 0, -1):
                if _names_a_job(entry, job_ids):
                    removed += int(client.lrem(queue, 0, entry))
        for tag, entry in client.hgetall("unacked").items():
            if _names_a_job(entry, job_ids):
                removed += int(client.hdel("unacked", tag))
                client.zrem("unacked_index", tag)
    finally:
        client.close()
    return removed


# -- SQLite files ---------------------------------------------------------------------------------------


def sqlite_files(settings: Any) -> list[Path]:
    """The SQLite files of this service that exist: job database, SQL broker, LLM answer cache."""
    found: list[Path] = []
    for url in (settings.resolved_database_url(), settings.resolved_broker_url().removeprefix("sqla+")):
        if url.startswith("sqlite:///"):
            found.append(Path(url.removeprefix("sqlite:///")))
    from inclusio.llm.cache import CACHE_FILENAME

    found.append(Path(settings.data_dir) / CACHE_FILENAME)
    return [path for path in dict.fromkeys(found) if path.is_file()]


def compact_sqlite(paths: list[Path]) -> list[str]:
    """``VACUUM`` then ``wal_checkpoint(TRUNCATE)`` each file: no erased byte stays in free pages or
    in the write-ahead log. Returns the names done; a file another process keeps busy is logged."""
    done: list[str] = []
    for path in paths:
        try:
            with sqlite3.connect(path, timeout=30, isolation_level=None) as conn:
                conn.execute("PRAGMA secure_delete=ON")
                conn.execute("VACUUM")
                for _ in range(CHECKPOINT_TRIES):
                    busy = conn.execute("PRAGMA wal_checkpoint(TRUNCATE)").fetchone()[0]
                    if not busy:
                        break
                    time.sleep(0.1)
                else:
                    raise sqlite3.OperationalError("a reader kept the write-ahead log busy")
            conn.close()
            done.append(path.name)
        except sqlite3.Error:
            log.warning(
                "erasure: could not compact %s; erased rows may stay in its free pages",
                path.name,
                exc_info=True,
            )
    return done
