"""Erasing a person's data: their learner profile, every job submitted by or made for them, the
documents they shared with students, every file.

Rows go first, files after: a worker finishing one of these jobs (or releasing one) meanwhile can no
longer record it (its row is gone, so its lease is void) and discards its outputs; an original another
person's job or share still uses stays (it is theirs too), otherwise it goes with its cached conversion.
Students' jobs made from an erased teacher's share are the students' own and stay.
"""

from __future__ import annotations

from dataclasses import dataclass

from inclusio.store.accounts import UserStore
from inclusio.store.db import JobFilter, JobStore
from inclusio.store.files import FileStore


@dataclass(frozen=True)
class Erasure:
    user_id: str
    jobs: int
    files: int
    account_deleted: bool
    shares: int = 0


def erase_user_data(store: JobStore, users: UserStore, files: FileStore, user_id: str, *,
                    actor_id: str | None, delete_account: bool) -> Erasure:
    """Delete everything derived from ``user_id`` (and the account itself when ``delete_account``)."""
    user = users.get(user_id)
    jobs = {job.id: job for where in (JobFilter(owner_or_learner=user_id),)
            for job in store.list(where, limit=1_000_000)}
    hashes = {job.input_sha256 for job in jobs.values()}
    shared = store.delete_shares_of(user_id)
    hashes |= {share.input_sha256 for share in shared}
    store.delete_jobs(list(jobs))
    store.delete_batches_of(user_id)
    users.delete_profile(user_id)
    if delete_account:
        users.delete_user(user_id)
    removed = 0
    for job_id in jobs:
        removed += int(files.delete_job(job_id))
    for sha in hashes:
        if store.jobs_using_original(sha) == 0:
            removed += int(files.delete_original(sha))
    users.audit(actor_id=actor_id, action="data.erased", subject_id=user_id, institution=user.institution,
                details={"jobs": len(jobs), "shares": len(shared), "account_deleted": delete_account})
    return Erasure(user_id=user_id, jobs=len(jobs), files=removed, account_deleted=delete_account, shares=len(shared))
