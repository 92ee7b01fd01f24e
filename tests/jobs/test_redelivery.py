"""A job whose worker was killed is run again by the next worker, which skips the stages already done.

The first worker is killed with kill -9 (main process and job process) once the job has written
part of its outputs; the next worker's watchdog re-queues the job, and its attempt takes the dead
attempt's folder over: the converted and adapted Documents and the finished writers' files are
reused (checked by sha256), only the output that was being written is made again.
"""

from __future__ import annotations

import hashlib
import json
import os
import signal
import time
from pathlib import Path

import pytest
from service_helpers import RunningWorker, api_client, make_settings, submit, wait_finished

from inclusio.store.jobs import JobStore

SAMPLE = Path(__file__).resolve().parents[2] / "samples" / "cours-photosynthese-fr.pdf"


@pytest.mark.slow
def test_a_job_redelivered_after_its_worker_was_killed_reuses_the_stages_it_finished(tmp_path: Path) -> None:
    from inclusio.processes import prepare_broker, start_worker, stop_worker

    # EPUBCheck on (Ace off): the seconds it takes after the renders are the window the kill falls in.
    settings = make_settings(
        tmp_path, job_stuck_seconds=5, watchdog_interval_seconds=1, validate_epub=True, validate_ace=False
    )
    prepare_broker(settings)
    client = api_client(settings)
    log1 = (tmp_path / "w1.log").open("wb")
    first = start_worker(settings, log_file=log1, new_session=True)
    # The speech stage runs before the HTML and JSON; the MP3 (its sections' frames joined) and the EPUB
    # follow, then EPUBCheck (seconds): the worker is killed as soon as the JSON is recorded, while
    # the rest is still to do.
    job_id = submit(
        client, SAMPLE, profile="dyslexia", outputs="html,json,mp3,epub,report", media_type="application/pdf"
    )
    work = settings.data_dir / "jobs" / ".work"
    deadline = time.monotonic() + 180
    while not (records := list(work.glob(f"{job_id}-*/.stages/render.json-*.json"))):
        job = client.get(f"/jobs/{job_id}").json()
        assert time.monotonic() < deadline and job["status"] in ("queued", "running"), job
        time.sleep(0.02)
    os.killpg(first.pid, signal.SIGKILL)
    first.wait(10)
    log1.close()
    assert client.get(f"/jobs/{job_id}").json()["status"] == "running"
    folder = records[0].parents[1]
    # What the first attempt finished: its stage records (``<stage>-<64 hex key>.json``; ``adapted`` is
    # the adapt stage's Document; the converted Document is in the workers' shared document cache).
    finished = {p.name[:-70] for p in folder.glob(".stages/*.json") if p.name[-70] == "-"} - {"adapted"}
    finished.add("convert")
    assert {"analyse", "adapt", "render.html", "render.json"} <= finished, finished
    assert "validate" not in finished, "the job was validated before the kill"
    done = {
        entry["file"]: entry["sha256"]
        for name in ("html", "json")
        for entry in json.loads(next(folder.glob(f".stages/render.{name}-*.json")).read_text())["artifacts"]
    }

    second = RunningWorker(settings, tmp_path / "w2.log")
    try:
        job = wait_finished(client, job_id, second, timeout=240)
        assert job["status"] == "succeeded", job
        assert job["attempts"] == 2
        report = client.get(f"/jobs/{job_id}/artifacts/report").json()
        assert set(report["reused"]) == finished, (finished, second.log()[-3000:])
        assert report["reused"][:5] == ["convert", "analyse", "adapt", "render.html", "render.json"]
        for name in ("render.mp3", "render.epub", "validate"):
            assert ("reused" in report["stages"][name]) is (name in finished), name
        # The files reused are exactly those the first attempt wrote; the MP3 is whole.
        published = settings.data_dir / "jobs" / job_id
        for file, sha in done.items():
            assert hashlib.sha256((published / file).read_bytes()).hexdigest() == sha, file
        mp3 = client.get(job["artifacts"]["mp3"]["url"]).content
        assert len(mp3) == job["artifacts"]["mp3"]["bytes"] > 10_000 and mp3[:3] in (b"ID3", b"\xff\xfb")
        # Only the recorded files are published: no stage records, no half-written leftovers.
        on_disk = sorted(p.relative_to(published).as_posix() for p in published.rglob("*") if p.is_file())
        recorded = JobStore.from_settings(settings).get(job_id).artifacts
        assert on_disk == sorted(record["file"] for record in recorded.values())
        assert not list(work.glob(f"{job_id}-*"))
        # Progress: the second attempt still reports every stage.
        events = JobStore.from_settings(settings).events(job_id)
        kinds = [e.kind for e in events]
        assert kinds.count("started") == 2 and kinds.count("requeued") == 1 and kinds.count("finished") == 1
        after = [
            e.stage for e in events[len(kinds) - 1 - kinds[::-1].index("started") :] if e.kind == "stage"
        ]
        assert after == ["convert", "analyse", "adapt", "render", "validate", "report"]
        assert "reused: " + ", ".join(report["reused"]) in second.log()
    finally:
        second.kill()  # the test is over: RunningWorker.kill
        stop_worker(first)
