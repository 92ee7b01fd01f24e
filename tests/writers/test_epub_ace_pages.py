"""DAISY Ace's memory (issue #18): one content document at a time in one Chromium renderer, the headless
shell when Debian's package is installed. The figures (Ace's processes 996 -> 518 MiB on the 265-page
manual) are bench/job.py's, in docs/audio.md; this test checks how Ace runs, and that it still judges."""

from __future__ import annotations

import os
import threading
import zipfile
from pathlib import Path

import pytest
from docfactory import MakeContext, sample_document

from inclusio.model import adapted_document
from inclusio.profiles import Profile
from inclusio.validate import ace
from inclusio.writers.epub3 import Epub3Writer, rewrite_package


def _descendants(root: int) -> list[int]:
    found, todo = [], [root]
    while todo:
        pid = todo.pop()
        for task in Path(f"/proc/{pid}/task").glob("*"):
            try:
                children = [int(p) for p in (task / "children").read_text().split()]
            except OSError:
                continue
            found += children
            todo += children
    return found


def _renderers() -> list[str]:
    """The Chromium renderer processes under this one, by program name."""
    out = []
    for pid in _descendants(os.getpid()):
        try:
            command = Path(f"/proc/{pid}/cmdline").read_bytes()
        except OSError:
            continue
        if b"--type=renderer" in command:
            out.append(Path(f"/proc/{pid}/comm").read_text().strip())
    return out


@pytest.mark.slow
def test_ace_checks_one_document_at_a_time(
    tmp_path: Path, profiles: dict[str, Profile], make_ctx: MakeContext
) -> None:
    profile = profiles["blind"].model_copy(update={"outputs": ["epub"]})
    source = sample_document()
    [book] = Epub3Writer().write(
        adapted_document(source, profile.adaptation_kinds), make_ctx(tmp_path, profile, source)
    )
    with zipfile.ZipFile(book.path) as epub:
        documents = [n for n in epub.namelist() if n.endswith(".xhtml")]  # Ace checks nav.xhtml too
    assert len(documents) >= 4
    # An image without its text alternative: Ace must still find it, one document at a time.
    rewrite_package(
        book.path, {"EPUB/part-002.xhtml": lambda data: data.replace(b' alt="Sch', b' data-x="Sch')}
    )

    most, names, done = 0, set(), threading.Event()

    def watch() -> None:
        nonlocal most
        while not done.is_set():
            renderers = _renderers()
            most = max(most, len(renderers))
            names.update(renderers)
            done.wait(0.05)

    watcher = threading.Thread(target=watch, daemon=True)
    watcher.start()
    try:
        result = ace.check_epub_ace(book.path)
    finally:
        done.set()
        watcher.join()
    assert "image-alt" in {v["rule"] for v in result.violations}
    # Chromium's first, blank tab has a renderer of its own; Ace's default (4 documents) showed 5 here.
    assert ace.DOCUMENTS_AT_ONCE == 1 and most == 1 + ace.DOCUMENTS_AT_ONCE, f"{most} renderers at once"
    if Path("/usr/lib/chromium/chromium-headless-shell").exists():
        assert names == {"chromium-headle"}, names  # /proc's 15-character name of the headless shell
