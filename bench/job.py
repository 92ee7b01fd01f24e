"""One whole job as a user runs it: wall time, CPU seconds, and the peak memory of the whole process tree.

Usage:  .venv/bin/python bench/job.py [--file ../shared/corpus/manual-fr-265p.pdf] [--pages 60]
                                      [--profile easy-read] [--to <the profile's outputs>]

``--pages N`` runs on the file's first N pages (a copy made with PyMuPDF in a temporary folder).
Prints the pipeline's stage timings (from the job report), the wall time, the CPU seconds of this
process and of every child (lame, java, node...), the machine's load average before and after, and
the peak of the *sum* of the memory (Pss, else RSS) of this process and all its descendants, sampled
every 0.2 s from ``/proc`` (so EPUBCheck's JVM, Ace's Node and Chromium and the lame encoders running at
the same time count together; ``ru_maxrss`` would only give the largest single child), per stage and
per child program.
"""

from __future__ import annotations

import argparse
import os
import resource
import sys
import tempfile
import threading
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
DEFAULT = ROOT.parent / "shared" / "corpus" / "manual-fr-265p.pdf"


def _children(pid: int) -> list[int]:
    """The child processes of ``pid``, whichever of its threads started them (the speech workers' lame
    encoders and the validation thread's JVM are children of those threads' tasks, not of the main one)."""
    out: list[int] = []
    for task in Path(f"/proc/{pid}/task").glob("*"):
        try:
            out += [int(p) for p in (task / "children").read_text().split()]
        except OSError:
            continue
    return out


def _rss_kib(pid: int) -> int:
    """The proportional set size of ``pid`` (Pss: a page shared by N processes counts 1/N in each, so a
    child caught between fork and exec does not count its parent's memory twice), else its VmRSS."""
    try:
        for line in Path(f"/proc/{pid}/smaps_rollup").read_text().splitlines():
            if line.startswith("Pss:"):
                return int(line.split()[1])
    except OSError:
        pass
    try:
        for line in Path(f"/proc/{pid}/status").read_text().splitlines():
            if line.startswith("VmRSS:"):
                return int(line.split()[1])
    except OSError:
        pass
    return 0


def _analysis_child(pid: int) -> bool:
    """The job's analysis process (a Python of its own, started to run the spaCy stages): it counts."""
    try:
        return b"inclusio.pipeline.analysis_process" in Path(f"/proc/{pid}/cmdline").read_bytes()
    except OSError:
        return False


def _name(pid: int) -> str:
    if _analysis_child(pid):
        return "analysis (py)"
    try:
        return Path(f"/proc/{pid}/comm").read_text().strip()
    except OSError:
        return "?"


def _exe(pid: int) -> str:
    try:
        return os.readlink(f"/proc/{pid}/exe")
    except OSError:
        return "?"


def tree_memory_kib(root: int) -> dict[int, int]:
    """The memory (:func:`_rss_kib`) of ``root`` and of each of its descendants, in KiB, by pid.

    A child still running the root's own program is one caught between fork (vfork: it shares the
    parent's memory, which its smaps then shows whole) and exec of lame or java: it is left out, or
    the job's memory would count twice for that instant. The one Python child the job runs, its
    analysis process (``inclusio.pipeline.analysis_process``), is counted: its command line names it.
    """
    out: dict[int, int] = {}
    own_exe = _exe(root)
    todo = [root]
    while todo:
        pid = todo.pop()
        if pid != root and _exe(pid) == own_exe and not _analysis_child(pid):
            continue
        out[pid] = _rss_kib(pid)
        _NAMES[pid] = _name(pid)  # read now: the process may end before the sample is summed up
        todo += _children(pid)
    return out


_NAMES: dict[int, str] = {}


def tree_rss_kib(root: int) -> int:
    """The memory of ``root`` and all its descendants, in KiB."""
    return sum(tree_memory_kib(root).values())


class TreeSampler(threading.Thread):
    """Samples the memory of this process and its descendants until stopped; keeps the peak of the sum,
    per ``stage`` (set by the caller as the job goes) the peak of the tree and of this process alone, and
    the peak of each child program by name (java, node, chrome, lame, ffmpeg...)."""

    def __init__(self, period_s: float = 0.2) -> None:
        super().__init__(daemon=True)
        self.period_s = period_s
        self.peak_kib = 0
        self.stage = "start"
        self.by_stage: dict[str, tuple[int, int]] = {}
        """stage -> (peak of the tree, peak of this process), KiB."""
        self.by_name: dict[str, int] = {}
        """child program name -> peak of the sum of its processes at one time, KiB."""
        self._stop_event = threading.Event()

    def run(self) -> None:
        me = os.getpid()
        while not self._stop_event.is_set():
            memory = tree_memory_kib(me)
            tree, own = sum(memory.values()), memory.get(me, 0)
            self.peak_kib = max(self.peak_kib, tree)
            was = self.by_stage.get(self.stage, (0, 0))
            self.by_stage[self.stage] = (max(was[0], tree), max(was[1], own))
            names: dict[str, int] = {}
            for pid, kib in memory.items():
                if pid != me and kib:
                    name = _NAMES.get(pid, "?")
                    names[name] = names.get(name, 0) + kib
            for name, kib in names.items():
                self.by_name[name] = max(self.by_name.get(name, 0), kib)
            self._stop_event.wait(self.period_s)

    def stop(self) -> None:
        self._stop_event.set()
        self.join()


def first_pages(path: Path, pages: int, folder: Path) -> Path:
    from inclusio.pymupdf_setup import load

    pymupdf = load()
    out = folder / f"{path.stem}-first{pages}.pdf"
    with pymupdf.open(path) as src, pymupdf.open() as dst:
        dst.insert_pdf(src, from_page=0, to_page=min(pages, src.page_count) - 1)
        dst.save(out)
    return out


def _cpu_seconds() -> tuple[float, float]:
    me = resource.getrusage(resource.RUSAGE_SELF)
    kids = resource.getrusage(resource.RUSAGE_CHILDREN)
    return me.ru_utime + me.ru_stime, kids.ru_utime + kids.ru_stime


def _models_loaded() -> list[str]:
    return sorted(name for name in ("spacy", "thinc", "wordfreq") if name in sys.modules)


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--file", type=Path, default=DEFAULT)
    parser.add_argument("--pages", type=int, default=0, help="only the first N pages (0: all)")
    parser.add_argument("--profile", default="easy-read")
    parser.add_argument("--to", default="", help="outputs (default: the profile's)")
    parser.add_argument(
        "--analysis-process",
        choices=("auto", "child", "inline"),
        default="auto",
        help="the spaCy stages in a child process, in the job's process, or as run_job decides",
    )
    args = parser.parse_args()

    from inclusio.config import Settings
    from inclusio.pipeline import run_job
    from inclusio.profiles import load_profile

    settings = Settings()
    profile = load_profile(args.profile, settings.profiles_dir)
    outputs = args.to.split(",") if args.to else list(profile.outputs)
    load_before = Path("/proc/loadavg").read_text().split()[:3]
    with tempfile.TemporaryDirectory() as tmp:
        source = first_pages(args.file, args.pages, Path(tmp)) if args.pages else args.file
        sampler = TreeSampler()
        sampler.start()
        cpu0 = _cpu_seconds()
        started = time.perf_counter()

        def on_progress(stage: str, _fraction: float, message: str) -> None:
            if stage != "render":
                sampler.stage = stage
            elif "synthesis" in message or "synthesised" in message:
                sampler.stage = "render: speech stage"
            else:
                sampler.stage = f"render: {message.split(':')[0]}"

        result = run_job(
            source,
            profile,
            Path(tmp) / "out",
            settings=settings,
            outputs=outputs,
            on_progress=on_progress,
            analysis_process={"auto": None, "child": True, "inline": False}[args.analysis_process],
        )
        total = time.perf_counter() - started
        cpu1 = _cpu_seconds()
        sampler.stop()
        audio = next((a for a in result.artifacts if a.name == "mp3"), None)
        audio_s = 0.0
        if audio is not None:
            import json

            timings = next(a for a in result.artifacts if a.name == "audio-timings")
            audio_s = json.loads(timings.path.read_text())["duration_s"]
    load_after = Path("/proc/loadavg").read_text().split()[:3]
    print(f"file: {source.name}  profile: {profile.id}  outputs: {','.join(outputs)}")
    print(f"spaCy stages: {args.analysis_process}; in the job's process after it: {_models_loaded()}")
    print(f"status: {result.status}  errors: {[e.get('code') for e in result.errors]}")
    print("stage seconds:")
    for stage, info in result.report.get("stages", {}).items():
        print(f"  {stage:<16} {info.get('seconds', 0):8.2f} s")
    own, kids = cpu1[0] - cpu0[0], cpu1[1] - cpu0[1]
    print(f"wall: {total:.1f} s   CPU: {own + kids:.1f} s (this process {own:.1f} s, children {kids:.1f} s)")
    print(f"audio: {audio_s / 3600:.2f} h of speech")
    print(f"peak memory (Pss) of the process tree (sampled every 0.2 s): {sampler.peak_kib / 1024:.0f} MiB")
    print("peak memory while (progress message): tree / this process / children, MiB")
    for stage, (tree, own) in sampler.by_stage.items():
        print(f"  {stage[:40]:<40} {tree / 1024:6.0f} / {own / 1024:6.0f} / {(tree - own) / 1024:6.0f}")
    print("peak of each child program (all its processes at one time; ?: ended while read), MiB:")
    for name, kib in sorted(sampler.by_name.items(), key=lambda item: -item[1])[:8]:
        print(f"  {name:<16} {kib / 1024:6.0f}")
    speech = result.report.get("stages", {}).get("speech", {})
    if speech:
        print(f"speech stage: {speech}")
    validation = result.report.get("validation", {})
    for tool, entry in validation.items():
        shown = {
            k: v
            for k, v in entry.items()
            if k in ("ran", "reason", "errors", "fatals", "warnings", "violations", "claim")
        }
        print(f"validation {tool}: {shown}")
    print(f"load average before: {' '.join(load_before)}  after: {' '.join(load_after)}")
    return 0 if result.status != "failed" else 1


if __name__ == "__main__":
    sys.exit(main())
