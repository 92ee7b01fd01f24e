"""Queue and API figures: per-job overhead on Redis, 2 workers vs 1, readability preview latency, upload memory.

Usage:  .venv/bin/python bench/queue.py [--jobs 10] [--docs 20] [--redis redis://127.0.0.1:6379/12]
                                  [--skip overhead,throughput,preview,upload] [--sets uniform,mixed] [--pin]
(``bench/queue.py`` runs this file; it cannot be imported as ``queue`` by its neighbours, see there.)

* overhead: one job at a time through the API, Redis and a worker; overhead = (finished_at - created_at)
  minus the pipeline's own stage seconds from the job report (target <= 50 ms);
* throughput: 20 distinct documents on 1 worker process, then on 2 (target >= 1.8x; needs 2 free cores),
  for a uniform set (3-page excerpts of the corpus manual) and a mixed one (corpus and samples, 1 to 48
  pages or slides: its last long job makes a tail). Every worker runs a warm-up job first; the clock
  runs from the first upload to the last ``finished_at``. Beside the wall-clock speed-up (the honest
  figure, which depends on what else runs on the machine) it prints the CPU seconds of the job
  processes per document, the time they waited for a core held by another process (the kernel's run
  delay) and the speed-up without that wait (an estimate for 2 free cores). ``--pin`` pins worker i
  to core i (as ``taskset -c i``);
* preview: POST /preview/readability on a 10-page document (the first 10 pages of the corpus manual,
  written to a temporary file): first call (converts), cached Document on disk, in-memory hit
  (target p95 <= 300 ms);
* upload: peak RSS growth of a uvicorn API process while a 100 MB upload streams in (target < 50 MB).

Figures depend on the machine's load: the script prints the load average next to them.
"""

from __future__ import annotations

import argparse
import contextlib
import os
import statistics
import subprocess
import sys
import tempfile
import threading
import time
from pathlib import Path
from typing import Any

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


def _submit(client: Any, path: Path, name: str, outputs: str = "json,report") -> str:
    with path.open("rb") as fh:
        response = client.post(
            "/jobs",
            files={"file": (name, fh, "application/pdf")},
            data={"profile": "dyslexia", "outputs": outputs},
        )
    assert response.status_code == 202, response.text
    return str(response.json()["id"])


CLK_TCK = os.sysconf("SC_CLK_TCK")
OUTPUTS = "epub,html,json,report"


def _tree(pid: int) -> list[int]:
    """``pid`` and every process below it (the worker's main process, its job process, their tools)."""
    out, todo = [], [pid]
    while todo:
        current = todo.pop()
        out.append(current)
        try:
            for tid in os.listdir(f"/proc/{current}/task"):
                todo += [int(c) for c in Path(f"/proc/{current}/task/{tid}/children").read_text().split()]
        except OSError:
            pass
    return out


def _cpu_seconds(pids: list[int]) -> float:
    """CPU seconds of these processes, all their threads, plus the children they have reaped (lame, tools)."""
    total = 0.0
    for pid in pids:
        with contextlib.suppress(OSError, IndexError, ValueError):
            fields = Path(f"/proc/{pid}/stat").read_text().rsplit(")", 1)[1].split()
            total += sum(int(x) for x in fields[11:15]) / CLK_TCK  # utime stime cutime cstime
    return total


class _RunDelay(threading.Thread):
    """Seconds the threads below the workers' main processes were runnable but had no core.

    The kernel counts it per thread (``/proc/<pid>/task/<tid>/schedstat``, second field) and forgets it
    when the thread ends, so this samples every thread every 50 ms: short-lived tools (lame encodes
    the read-along audio of every EPUB) count too, up to their last 50 ms. Waiting for a core means
    another process held both: other engineers' jobs, Redis, the API, or the other worker.
    """

    def __init__(self, mains: list[int]) -> None:
        super().__init__(daemon=True)
        self.mains, self.first, self.last = mains, {}, {}
        self.done = threading.Event()

    def sample(self) -> None:
        for main in self.mains:
            for pid in _tree(main)[1:]:
                with contextlib.suppress(OSError, IndexError, ValueError):
                    for tid in os.listdir(f"/proc/{pid}/task"):
                        wait = int(Path(f"/proc/{pid}/task/{tid}/schedstat").read_text().split()[1])
                        self.first.setdefault(tid, wait)
                        self.last[tid] = wait

    def run(self) -> None:
        while not self.done.wait(0.05):
            self.sample()

    def stop(self) -> float:
        self.done.set()
        self.join()
        self.sample()
        return sum(self.last[tid] - self.first[tid] for tid in self.last) / 1e9

    def start_counting(self) -> None:
        self.sample()  # threads alive now start from what they had already waited
        self.start()


def _pin(pid: int, core: int) -> None:
    """``taskset -c core`` for every thread of every process of the worker (children forked later inherit)."""
    for process in _tree(pid):
        with contextlib.suppress(OSError):
            for tid in os.listdir(f"/proc/{process}/task"):
                os.sched_setaffinity(int(tid), {core})


def _excerpt(tmp: Path, first: int, pages: int) -> Path:
    """Pages ``first``..``first + pages - 1`` (1-based) of the corpus manual, as a PDF of their own."""
    import pymupdf

    path = tmp / f"manuel-p{first}-{first + pages - 1}.pdf"
    if not path.exists():
        with pymupdf.open(CORPUS / "manual-fr-265p.pdf") as manual, pymupdf.open() as out:
            out.insert_pdf(manual, from_page=first - 1, to_page=first + pages - 2)
            out.save(path)
    return path


def document_sets(tmp: Path, docs: int) -> dict[str, list[Path]]:
    """Two sets of ``docs`` distinct documents (no two share a converted Document in the cache).

    * uniform: 3-page excerpts of the manual, one after the other (every job costs about the same);
    * mixed: the corpus and samples documents that need no OCR (1 to 48 pages or slides, PDF, DOCX,
      PPTX) and manual excerpts of 1 to 20 pages, in a fixed shuffled order: the last long job
      decides the end (the tail) when two workers share the set.
    """
    import random

    folder = tmp / "docs"
    folder.mkdir(exist_ok=True)
    uniform = [_excerpt(folder, 100 + 3 * i, 3) for i in range(docs)]
    real = [
        SAMPLE,
        ROOT / "samples" / "diaporama-cellule-fr.pptx",
        ROOT / "samples" / "handout-water-cycle-en.docx",
        *(
            CORPUS / name
            for name in (
                "fixture-word.docx",
                "fixture-slides-notes.pptx",
                "table-census-en.pdf",
                "math-fr-2col.pdf",
                "paper-2col-math-en.pdf",
                "slides-fr-web-course.pptx",
            )
        ),
    ]
    mixed, first = list(real[:docs]), 30
    for pages in (1, 2, 3, 4, 6, 8, 10, 12, 15, 20, 5, 7) * 3:
        if len(mixed) >= docs:
            break
        mixed.append(_excerpt(folder, first, pages))
        first += pages
    random.Random(6).shuffle(mixed)
    return {"uniform": uniform, "mixed": mixed}


def _poll(store: Any, ids: list[str], timeout: float = 1800, interval: float = 0.2) -> list[Any]:
    """The job rows once all are finished: one query per ``interval`` (the figures come from the rows'
    timestamps, so polling slower costs no accuracy; polling through the API every few ms took more
    CPU than the workers themselves)."""
    from sqlalchemy import select

    from inclusio.store.models import Job

    deadline = time.monotonic() + timeout
    while True:
        with store.session() as session:
            rows = list(session.scalars(select(Job).where(Job.id.in_(ids))))
        if len(rows) == len(ids) and all(row.status in ("succeeded", "partial", "failed") for row in rows):
            return rows
        if time.monotonic() > deadline:
            raise TimeoutError("jobs did not finish")
        time.sleep(interval)


def _all_busy_seconds(rows: list[Any], workers: int) -> float:
    """Seconds during which ``workers`` jobs ran at once (every worker busy)."""
    edges = sorted(
        [(r.started_at.timestamp(), 1) for r in rows] + [(r.finished_at.timestamp(), -1) for r in rows]
    )
    busy, running, since = 0.0, 0, 0.0
    for at, step in edges:
        if running >= workers:
            busy += at - since
        running += step
        since = at
    return busy


def _warm(client: Any, running: list[Any], store: Any) -> None:
    """Every worker's job process has run a job (imports, spaCy's French model) before the clock starts."""
    warm = _excerpt(Path(running[0].log_path).parent, 1, 2)
    for round_ in range(5):
        cold = [w for w in running if "succeeded in" not in w.log()]
        if not cold:
            return
        _poll(store, [_submit(client, warm, f"warm-{round_}-{i}.pdf") for i in range(len(cold))])
    raise RuntimeError("a worker never took a warm-up job")


def _run_set(
    redis_url: str, tmp: Path, label: str, docs: list[Path], workers: int, pin: bool
) -> dict[str, Any]:
    import redis
    from service_helpers import RunningWorker, make_settings

    from inclusio.store.jobs import JobStore

    redis.Redis.from_url(redis_url).flushdb()
    settings = make_settings(
        tmp / f"{label}-{workers}", broker_url=redis_url
    )  # fresh data: no cached Document
    running = [RunningWorker(settings, tmp / f"{label}-{workers}-{i}.log") for i in range(workers)]
    client = _client(settings)
    store = JobStore.from_settings(settings)
    try:
        deadline = time.monotonic() + 120
        while not all(" ready." in w.log() for w in running):
            assert time.monotonic() < deadline, "workers did not start"
            time.sleep(0.1)
        _warm(client, running, store)
        if pin:
            for core, worker in enumerate(running):
                _pin(worker.proc.pid, core % (os.cpu_count() or 1))
        mains = [w.proc.pid for w in running]
        jobs = [p for w in running for p in _tree(w.proc.pid)[1:]]  # the job processes (max 50 tasks each)
        delay = _RunDelay(mains)
        delay.start_counting()
        main0, job0, me0 = _cpu_seconds(mains), _cpu_seconds(jobs), sum(os.times()[:2])
        started = time.time()
        ids = [_submit(client, path, path.name, outputs=OUTPUTS) for path in docs]
        rows = _poll(store, ids)
        main1, job1, me1 = _cpu_seconds(mains), _cpu_seconds(jobs), sum(os.times()[:2])
        job_wait = delay.stop()
        peak_mb = max(_rss_kb(pid, "VmHWM") for pid in jobs) / 1024 if jobs else 0.0
        assert all(w.log().count("succeeded in") >= 1 for w in running)
        failed = [r.filename for r in rows if r.status == "failed"]
        if failed:
            print(f"  (failed jobs: {failed})")
        wall = max(r.finished_at.timestamp() for r in rows) - started
        return {
            "wall": wall,
            "job_cpu": job1 - job0,
            "job_wait": job_wait,
            "main_cpu": main1 - main0,
            "bench_cpu": me1 - me0,
            "all_busy": _all_busy_seconds(rows, workers),
            "tail": max(r.finished_at.timestamp() for r in rows)
            - max(r.started_at.timestamp() for r in rows),
            "peak_mb": peak_mb,
            "seconds": {r.filename: (r.finished_at - r.started_at).total_seconds() for r in rows},
        }
    finally:
        store.dispose()
        for worker in running:
            worker.stop()


def throughput(redis_url: str, docs: int, tmp: Path, sets: list[str], pin: bool) -> None:
    """Print, per document set and number of workers, the wall clock and where the job processes' time went.

    Which figure is which:

    * wall clock speed-up: the honest figure, on this machine as loaded as it was (load average shown);
    * CPU seconds per document with 2 workers / with 1: the cost of running two jobs at once (1.00: none);
    * free-core estimate: each run's wall clock minus the time its job processes waited for a core
      (1 worker: all of it; 2 workers: half of it, the two wait side by side). Optimistic: part of
      that wait is the workers' own (two jobs and their lame encoders on two cores);
    * CPU bound: (1 worker's wall clock minus its wait) / (2 workers' job CPU seconds / 2): the speed-up
      if two free cores did nothing but the jobs. It ignores the tail (one worker idle at the end).

    The mixed set runs on 2 workers a second time, longest job first (by the 1-worker run's times):
    what ordering a batch by expected cost would save at its end.
    """
    import redis

    chosen = {name: paths for name, paths in document_sets(tmp, docs).items() if name in sets}
    pinned = ", worker i pinned to core i (taskset)" if pin else ""
    for label, paths in chosen.items():
        n = len(paths)
        results: dict[Any, dict[str, Any]] = {}
        for workers in (1, 2):
            before = load()
            results[workers] = _run_set(redis_url, tmp, label, paths, workers, pin)
            results[workers]["load"] = before + " -> " + load().split("average ")[1]
        seconds = results[1]["seconds"]
        if label == "mixed":
            longest_first = sorted(paths, key=lambda path: -seconds[path.name])
            before = load()
            results["2, longest first"] = _run_set(redis_url, tmp, f"{label}-sorted", longest_first, 2, pin)
            results["2, longest first"]["load"] = before + " -> " + load().split("average ")[1]
        redis.Redis.from_url(redis_url).flushdb()
        one, two = results[1], results[2]
        longest = max(seconds, key=lambda name: seconds[name])
        print(
            f"throughput, {label} set of {n} documents [{OUTPUTS}] ({os.cpu_count()} cores{pinned}; longest job "
            f"{longest} {seconds[longest]:.1f} s, shortest {min(seconds.values()):.1f} s on 1 worker):"
        )
        for workers, r in results.items():
            name = {1: "1 worker ", 2: "2 workers"}.get(workers, "2 workers, longest job first")
            print(
                f"  {name}: wall {r['wall']:.1f} s ({n / r['wall']:.2f} docs/s), "
                f"job processes CPU {r['job_cpu']:.1f} s ({r['job_cpu'] / n:.2f} s/doc, {r['job_cpu'] / r['wall']:.2f} "
                f"cores), waited for a core {r['job_wait']:.1f} s; every worker busy {r['all_busy']:.1f} s, tail "
                f"{r['tail']:.1f} s; CPU of Celery main processes {r['main_cpu']:.1f} s, of bench + API "
                f"{r['bench_cpu']:.1f} s; job process peak RSS {r['peak_mb']:.0f} MB ({r['load']})"
            )
        free1 = one["wall"] - one["job_wait"]
        print(
            f"  speed-up, wall clock (the honest figure; the machine is shared): {one['wall'] / two['wall']:.2f}x "
            f"(target >= 1.8x)"
        )
        print(f"  CPU seconds per document, 2 workers / 1: {two['job_cpu'] / one['job_cpu']:.2f}")
        print(
            f"  estimate for 2 free cores (wall minus waits for a core): "
            f"{free1 / (two['wall'] - two['job_wait'] / 2):.2f}x; CPU bound: {free1 / (two['job_cpu'] / 2):.2f}x"
        )
        if "2, longest first" in results:
            best = results["2, longest first"]
            print(
                f"  longest job first: wall clock {one['wall'] / best['wall']:.2f}x, estimate for 2 free cores "
                f"{free1 / (best['wall'] - best['job_wait'] / 2):.2f}x"
            )


def overhead(redis_url: str, n: int, tmp: Path) -> None:
    import redis
    from service_helpers import RunningWorker, make_settings

    from inclusio.store.jobs import JobStore

    redis.Redis.from_url(redis_url).flushdb()
    settings = make_settings(tmp / "overhead", broker_url=redis_url)
    worker = RunningWorker(settings, tmp / "overhead.log")
    client = _client(settings)
    try:
        store = JobStore.from_settings(settings)
        # The first job of a fresh job process imports the pipeline and loads spaCy's French model:
        # what every job process pays once (at start, and each time Celery replaces it).
        [first] = _poll(store, [_submit(client, SAMPLE, "warm.pdf")])
        over, wall, runs = [], [], []
        for i in range(n):
            started = time.perf_counter()
            job_id = _submit(client, SAMPLE, f"c{i}.pdf")
            _poll(store, [job_id], interval=0.005)
            wall.append(time.perf_counter() - started)
            job = client.get(f"/jobs/{job_id}").json()
            report = client.get(job["artifacts"]["report"]["url"]).json()
            inside = sum(stage["seconds"] for stage in report["stages"].values())
            row = store.get(job_id)
            over.append((row.finished_at - row.created_at).total_seconds() - inside)
            runs.append((row.finished_at - row.started_at).total_seconds())
        print(f"overhead on Redis, {n} jobs one at a time ({load()}):")
        print(
            f"  per-job overhead median {statistics.median(over) * 1000:.0f} ms, p95 {p95(over) * 1000:.0f} ms "
            f"(target <= 50 ms); wall per job incl. pipeline median {statistics.median(wall):.2f} s"
        )
        print(
            f"  first job of a fresh job process {(first.finished_at - first.started_at).total_seconds():.2f} s, "
            f"the same document after it median {statistics.median(runs):.2f} s (converted Document cached)"
        )
    finally:
        worker.stop()
        redis.Redis.from_url(redis_url).flushdb()


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
    from inclusio.server import create_app

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
    print(
        f"  first call (converts) {cold * 1000:.0f} ms; cached Document on disk p95 {p95(disk) * 1000:.0f} ms; "
        f"in-memory hit p95 {p95(warm) * 1000:.0f} ms (target p95 <= 300 ms)"
    )


def upload(tmp: Path, megabytes: int = 100) -> None:
    import socket

    import httpx
    from service_helpers import make_settings, make_user

    from inclusio.processes import settings_env

    settings = make_settings(tmp / "upload", max_upload_bytes=(megabytes + 10) * 1024 * 1024)
    _uid, token = make_user(settings)
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        port = sock.getsockname()[1]
    code = (
        "import uvicorn; from inclusio.config import Settings; from inclusio.server import create_app; "
        f"uvicorn.run(create_app(Settings(), enqueue=lambda k, j: None), port={port}, log_level='warning')"
    )
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
            yield (
                b"--"
                + boundary
                + b'\r\nContent-Disposition: form-data; name="file"; filename="big.pdf"\r\n\r\n'
            )
            yield b"%PDF-1.7\n"
            chunk = os.urandom(1024 * 1024)
            for _ in range(megabytes):
                yield chunk
            yield b"\r\n--" + boundary + b"--\r\n"

        started = time.perf_counter()
        response = httpx.post(
            f"{base}/jobs",
            content=body(),
            timeout=600,
            headers={
                "Content-Type": f"multipart/form-data; boundary={boundary.decode()}",
                "Authorization": f"Bearer {token}",
            },
        )
        seconds = time.perf_counter() - started
        peak = _rss_kb(proc.pid, "VmHWM")
        print(f"streamed upload of {megabytes} MB ({load()}): HTTP {response.status_code} in {seconds:.1f} s")
        print(
            f"  API process RSS before {rss / 1024:.0f} MB, peak during {peak / 1024:.0f} MB: growth "
            f"{(peak - rss) / 1024:.1f} MB (target < 50 MB)"
        )
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
    parser.add_argument("--sets", default="uniform,mixed", help="throughput document sets")
    parser.add_argument("--pin", action="store_true", help="pin worker i to core i (taskset)")
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
            throughput(args.redis, args.docs, tmp, args.sets.split(","), args.pin)
    return 0


if __name__ == "__main__":
    sys.exit(main())
