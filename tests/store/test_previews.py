"""The preview store (issue #17): a teacher's preview is claimed once, started once per message, recorded
only by the attempt holding its lease, queued again by one process only; versions of a document linked."""

from __future__ import annotations

import threading
from collections.abc import Iterator
from datetime import timedelta
from pathlib import Path

import pytest

from inclusio.store.jobs import JobStore
from inclusio.store.previews import PreviewStore


@pytest.fixture(params=["sqlite", pytest.param("postgres", marks=pytest.mark.postgres)])
def previews(request: pytest.FixtureRequest, tmp_path: Path) -> Iterator[PreviewStore]:
    url = (
        f"sqlite:///{tmp_path / 'jobs.db'}"
        if request.param == "sqlite"
        else request.getfixturevalue("pg_url")
    )
    jobs = JobStore(url)
    jobs.migrate()
    yield PreviewStore(jobs.db)
    jobs.dispose()


def _claim(store: PreviewStore, key: str) -> tuple[object, bool]:
    return store.claim(key, input_sha256="a" * 64, input_path="originals/aa/x", suffix=".pptx")


def test_eight_processes_claiming_the_same_preview_send_it_once(previews: PreviewStore) -> None:
    key = "a" * 64 + "-preview3k"
    made: list[bool] = []
    barrier = threading.Barrier(8)

    def claim() -> None:
        store = PreviewStore(previews.url)  # its own engine, as another web process has
        barrier.wait()
        made.append(_claim(store, key)[1])
        store.dispose()

    threads = [threading.Thread(target=claim) for _ in range(8)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    assert sorted(made) == [False] * 7 + [True]
    row = previews.get(key)
    assert row is not None and row.status == "queued" and row.attempts == 0


def test_only_the_latest_message_starts_it_and_only_its_lease_records_it(previews: PreviewStore) -> None:
    row, _ = _claim(previews, "k1")
    assert previews.start("k1", "not-the-token") is None
    lease = previews.start("k1", row.token)  # type: ignore[attr-defined]
    assert lease is not None
    assert previews.start("k1", row.token) is None  # the same message delivered twice: nothing
    assert previews.progress("k1", lease, "analyse")
    assert not previews.progress("k1", "another-lease", "draft")
    assert previews.get("k1").stage == "analyse"  # type: ignore[union-attr]
    assert not previews.finish("k1", "another-lease")
    assert previews.finish("k1", lease, error={"code": "input.corrupt"})
    found = previews.get("k1")
    assert found is not None and found.status == "failed" and found.error == {"code": "input.corrupt"}
    assert found.attempts == 1 and found.finished_at is not None


def test_a_stale_preview_is_queued_again_by_one_caller_and_the_old_message_builds_nothing(
    previews: PreviewStore,
) -> None:
    row, _ = _claim(previews, "k2")
    old_token = row.token  # type: ignore[attr-defined]
    lease = previews.start("k2", old_token)
    assert lease is not None
    running = previews.get("k2")
    assert running is not None
    assert not previews.stale(running, seconds=60)
    later = running.heartbeat_at + timedelta(seconds=61)  # type: ignore[operator]
    assert previews.stale(running, seconds=60, now=later)  # its worker stopped beating
    first = previews.requeue(running)
    second = previews.requeue(running)  # another web process read the same row: it loses
    assert first is not None and second is None
    assert previews.start("k2", old_token) is None  # the dead attempt's message, redelivered
    assert not previews.finish("k2", lease)  # the dead attempt coming back records nothing
    new_lease = previews.start("k2", first)
    assert new_lease is not None and previews.finish("k2", new_lease)
    done = previews.get("k2")
    assert done is not None and done.status == "done" and done.attempts == 2 and done.error is None


def test_versions_of_a_document_are_linked_and_go_with_their_jobs(previews: PreviewStore) -> None:
    jobs = JobStore(previews.db)
    ids = []
    for name in ("v1.pptx", "v2.pptx"):
        job = jobs.create(
            profile_id="easy-read", filename=name, input_sha256="b" * 64, input_path="x", input_bytes=1
        )
        ids.append(job.id)
    previews.link_version(ids[1], ids[0])
    previews.link_version(ids[1], ids[0])  # the same link twice is one link
    assert previews.previous_of(ids[1]) == ids[0]
    assert previews.previous_of(ids[0]) is None
    jobs.delete_jobs([ids[0]])
    assert previews.previous_of(ids[1]) is None
