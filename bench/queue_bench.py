"""Queue and API figures: per-job overhead on Redis, 2 workers vs 1, readability preview latency, upload memory.

Usage:  .venv/bin/python bench/queue_bench.py [--jobs 10] [--docs 20] [--redis redis://127.0.0.1:6379/12]
                                        [--skip overhead,throughput,preview,upload]

* overhead: one job at a time through the API, Redis and a worker; overhead = (finished_at - created_at)
  minus the pipeline's own stage seconds from the job report (target <= 50 ms);
* throughput: 20 documents on 1 worker process, then on 2 (target >= 1.8x; needs 2 free cores);
* preview: POST /preview/readability on a 10-page document (the first 10 pages of the corpus manual,
  written to a temporary file): first call (converts), cached Document on disk, in-memory hit
  (target p95 <= 300 ms);
* upload: peak RSS growth of a uvicorn API process while a 100 MB upload streams in (target < 50 MB).

Figures depend on the machine's load: the script prints the load average next to them.
"""

from __future__ import annotations

import argparse
import os
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path
from typing import Any

# Not named bench/queue.py (the name): that would shadow the standard library's queue
# module for every script in bench/.

ROOT = Path(__file__).resolve().parents[1]
CORPUS = ROOT.parent / "shared" / "corpus"
SAMPLE = ROOT / "samples" / "cours-photosynthese-fr.pdf"
sys.path.insert(0, str(ROOT / "tests" / "service"))


def p95(values: list[float]) -> float:
    ordered = sorted(values)
    return ordered[max(0, int(round(0.95 * len(ordered))) - 1)]


def load() -> str:
    return "load average {:.2f} {:.2f} {:.2f}".format(*os.getloadavg())


def _client(settings: Any) -> Any:
    from service_helpers import api_client

    return api_client(settings)


def _wait(client: Any, ids: list[str], timeout: float = 900) -> list[dict[str, Any]]:
    deadline, done = time.monotonic() + timeout, {}
    while len(done) < len(ids):
        for job_id in ids:
            if job_id not in done:
                job = client.get(f"/jobs/{job_id}").json()
                if job["status"] in ("succeeded", "partial", "failed"):
                    done[job_id] = job
        if time.monotonic() > deadline:
            raise TimeoutError("jobs did not finish")
        time.sleep(0.01)
    return [done[i] for i in ids]


def _submit(client: Any, path: Path, name: str, outputs: str = "json,report") -> str:
    with path.open("rb") as fh:
        response = client.post("/jobs", files={"file": (name, fh, "application/pdf")},
                               data={"profile": "dyslexia", "outputs": outputs})
    assert response.status_code == 202, response.text
    return str(response.json()["id"])


def overhead(redis_url: str, n: int, tmp: Path) -> None:
    import redis
    from service_helpers import RunningWorker, make_settings

    from inclusio.store.db import JobStore

    redis.Redis.from_url(redis_url).flushdb()
    settings = make_settings(tmp / "overhead", broker_url=redis_url)
    worker = RunningWorker(settings, tmp / "overhead.log")
    client = _client(settings)
    try:
        _wait(client, [_submit(client, SAMPLE, "warm.pdf")])  # the job process imports the pipeline once
        over, wall = [], []
        store = JobStore.from_settings(settings)
        for i in range(n):
            started = time.perf_counter()
            job_id = _submit(client, SAMPLE, f"c{i}.pdf")
            [job] = _wait(client, [job_id])
            wall.append(time.perf_counter() - started)
            report = client.get(job["artifacts"]["report"]["url"]).json()
            inside = sum(stage["seconds"] for stage in report["stages"].values())
            row = store.get(job_id)
            over.append((row.finished_at - row.created_at).total_seconds() - inside)
        print(f"overhead on Redis, {n} jobs one at a time ({load()}):")
        print(f"  per-job overhead median {statistics.median(over) * 1000:.0f} ms, p95 {p95(over) * 1000:.0f} ms "
              f"(target <= 50 ms); wall per job incl. pipeline median {statistics.median(wall):.2f} s")
    finally:
        worker.stop()
        redis.Redis.from_url(redis_url).flushdb()


def throughput(redis_url: str, docs: int, tmp: Path) -> None:
    import redis
    from service_helpers import RunningWorker, make_settings

    results = {}
    for workers in (1, 2):
        redis.Redis.from_url(redis_url).flushdb()
        settings = make_settings(tmp / f"tp{workers}", broker_url=redis_url)
        running = [RunningWorker(settings, tmp / f"tp{workers}-{i}.log") for i in range(workers)]
        client = _client(settings)
        try:
            _wait(client, [_submit(client, SAMPLE, f"warm{i}.pdf") for i in range(workers)])
            started = time.perf_counter()
            ids = [_submit(client, SAMPLE, f"d{i}.pdf", outputs="epub,html,json,report") for i in range(docs)]
            _wait(client, ids)
            results[workers] = time.perf_counter() - started
        finally:
            for worker in running:
                worker.stop()
    redis.Redis.from_url(redis_url).flushdb()
    print(f"throughput, {docs} documents ({os.cpu_count()} cores, {load()}):")
    print(f"  1 worker {results[1]:.1f} s ({docs / results[1]:.2f} docs/s), 2 workers {results[2]:.1f} s "
          f"({docs / results[2]:.2f} docs/s): speed-up {results[1] / results[2]:.2f}x (target >= 1.8x)")


def preview(tmp: Path, rounds: int = 30) -> None:
    import pymupdf
    from service_helpers import make_settings

    source = tmp / "ten-pages.pdf"
    with pymupdf.open(CORPUS / "manual-fr-265p.pdf") as manual, pymupdf.open() as out:
        out.insert_pdf(manual, from_page=20, to_page=29)
        out.save(source)
    data = source.read_bytes()
    settings = make_settings(tmp / "preview")
    client = _client(settings)
    # a job keeps this original, so its converted Document is cached on disk
    _submit(client, source, "dix-pages.pdf")

    def call() -> float:
        started = time.perf_counter()
        response = client.post("/preview/readability", files={"file": ("dix.pdf", data)})
        assert response.status_code == 200, response.text
        return time.perf_counter() - started

    cold = call()
    from inclusio.api.app import create_app

    app = create_app(settings, enqueue=lambda _k, _j: None)
    from fastapi.testclient import TestClient

    disk_client = TestClient(app)
    disk_client.headers.update(client.headers)
    disk = []
    for _ in range(rounds):
        app.state.services.preview_cache.pop("readability", None)  # force the on-disk Document path
        started = time.perf_counter()
        assert disk_client.post("/preview/readability", files={"file": ("dix.pdf", data)}).status_code == 200
        disk.append(time.perf_counter() - started)
    warm = [call() for _ in range(rounds)]
    print(f"readability preview, 10-page PDF ({len(data) // 1024} KB, {load()}):")
    print(f"  first call (converts) {cold * 1000:.0f} ms; cached Document on disk p95 {p95(disk) * 1000:.0f} ms; "
          f"in-memory hit p95 {p95(warm) * 1000:.0f} ms (target p95 <= 300 ms)")


def upload(tmp: Path, megabytes: int = 100) -> None:
    import socket

    import httpx
    from service_helpers import make_settings, make_user

    from inclusio.service import settings_env

    settings = make_settings(tmp / "upload", max_upload_bytes=(megabytes + 10) * 1024 * 1024)
    _uid, token = make_user(settings)
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        port = sock.getsockname()[1]
    code = ("import uvicorn; from inclusio.config import Settings; from inclusio.api.app import create_app; "
            f"uvicorn.run(create_app(Settings(), enqueue=lambda k, j: None), port={port}, log_level='warning')")
    proc = subprocess.Popen([sys.executable, "-c", code], env=settings_env(settings))
    try:
        base = f"http://127.0.0.1:{port}"
        for _ in range(200):
            try:
                httpx.get(f"{base}/health", timeout=1)
                break
            except httpx.TransportError:
                time.sleep(0.1)
        rss = _rss_kb(proc.pid)
        boundary = b"bench-boundary"

        def body() -> Any:
            yield b"--" + boundary + b'\r\nContent-Disposition: form-data; name="profile"\r\n\r\nblind\r\n'
            yield b"--" + boundary + b'\r\nContent-Disposition: form-data; name="file"; filename="big.pdf"\r\n\r\n'
            yield b"%PDF-1.7\n"
            chunk = os.urandom(1024 * 1024)
            for _ in range(megabytes):
                yield chunk
            yield b"\r\n--" + boundary + b"--\r\n"

        started = time.perf_counter()
        response = httpx.post(f"{base}/jobs", content=body(), timeout=600,
                              headers={"Content-Type": f"multipart/form-data; boundary={boundary.decode()}",
                                       "Authorization": f"Bearer {token}"})
        seconds = time.perf_counter() - started
        peak = _rss_kb(proc.pid, "VmHWM")
        print(f"streamed upload of {megabytes} MB ({load()}): HTTP {response.status_code} in {seconds:.1f} s")
        print(f"  API process RSS before {rss / 1024:.0f} MB, peak during {peak / 1024:.0f} MB: growth "
              f"{(peak - rss) / 1024:.1f} MB (target < 50 MB)")
    finally:
        proc.terminate()
        proc.wait(20)


def _rss_kb(pid: int, field: str = "VmRSS") -> int:
    for line in Path(f"/proc/{pid}/status").read_text().splitlines():
        if line.startswith(field + ":"):
            return int(line.split()[1])
    return 0


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--jobs", type=int, default=10)
    parser.add_argument("--docs", type=int, default=20)
    parser.add_argument("--redis", default="redis://127.0.0.1:6379/12")
    parser.add_argument("--skip", default="")
    args = parser.parse_args()
    skip = set(args.skip.split(","))
    with tempfile.TemporaryDirectory(prefix="inclusio-bench-") as raw:
        tmp = Path(raw)
        if "upload" not in skip:
            upload(tmp)
        if "preview" not in skip:
            preview(tmp)
        if "overhead" not in skip:
            overhead(args.redis, args.jobs, tmp)
        if "throughput" not in skip:
            throughput(args.redis, args.docs, tmp)
    return 0


if __name__ == "__main__":
    sys.exit(main())
