"""The dashboard's query and waiting time (web/staff_queue.py) and the review workspace's actions on a Document
made here (api/review.py): approve every unflagged adaptation; the store's count and profile filter. Fast: no server, no browser
(test_staff_dashboard.py drives the pages, and a regeneration by the offline engine that changes nothing)."""

from __future__ import annotations

from pathlib import Path

from service_helpers import make_settings

from inclusio.api import review
from inclusio.auth.policy import Principal
from inclusio.model.document import (
    Adaptation,
    Document,
    Figure,
    Flag,
    Heading,
    Paragraph,
    Provenance,
    SourceInfo,
)
from inclusio.web.staff_queue import QueueQuery, waited_text

SOURCE = SourceInfo(filename="cours.docx", media_type="application/octet-stream", sha256="0" * 64)
REVIEWER = Principal("u1", "rania", "staff", "default")


def test_the_query_keeps_known_values_only_and_writes_back_what_is_not_a_default() -> None:
    query = QueueQuery.of(
        {"status": "failed", "profile": "dyslexia", "batch": "ab12", "flagged": "1", "sort": "waiting"},
        ["dyslexia", "easy-read"],
    )
    assert (query.status, query.profile, query.batch, query.flagged) == ("failed", "dyslexia", "ab12", True)
    assert (query.sort, query.direction) == ("waiting", "desc") and query.narrowed
    assert query.params() == "status=failed&profile=dyslexia&batch=ab12&flagged=1&sort=waiting"
    assert query.params(direction="asc").endswith("sort=waiting&dir=asc")
    odd = QueueQuery.of(
        {"status": "lost", "profile": "nope", "batch": "../x", "sort": "drop table", "dir": "up"},
        ["dyslexia"],
    )
    assert odd == QueueQuery() and odd.params() == "" and not odd.narrowed
    assert QueueQuery.of({"sort": "title"}).direction == "asc"  # A to Z first


def test_waiting_time_reads_in_seconds_minutes_hours_and_days() -> None:
    assert [waited_text(s, "fr") for s in (5, 61, 3 * 3600 + 5 * 60, 2 * 86400 + 4 * 3600)] == [
        "5 s",
        "1 min",
        "3 h 05",
        "2 j 4 h",
    ]
    assert waited_text(2 * 86400 + 4 * 3600, "en") == "2 d 4 h"


def _made(kind: str, text: str, *, flagged: bool = False, reviewed: bool = False) -> Adaptation:
    return Adaptation(
        kind=kind,
        provenance=Provenance(engine="offline", pass_name=kind, reviewed_by="sam" if reviewed else None),
        blocks=[Paragraph(id="x", text=text)],
        flags=[Flag(code="verify.number_changed", reason="3 became 4", reason_fr="3 est devenu 4")]
        if flagged
        else [],
    )


def test_approving_the_unflagged_leaves_the_flagged_and_the_image_without_alt_text() -> None:
    doc = Document(
        title="Cours",
        lang="fr",
        source=SOURCE,
        blocks=[
            Heading(id="h1", level=1, text="Le cycle"),
            Paragraph(id="p1", text="Un.", adaptations=[_made("easy_read", "Un.", flagged=True)]),
            Paragraph(id="p2", text="Deux.", adaptations=[_made("easy_read", "Deux.")]),
            Paragraph(id="p3", text="Trois.", adaptations=[_made("easy_read", "Trois.", reviewed=True)]),
            Figure(id="f1", alt="Un nuage au-dessus de la mer."),
            Figure(id="f2"),
        ],
    )
    assert [(b.id, k) for b, k in review.unflagged_pending(doc)] == [("p2", "easy_read"), ("f1", "alt_text")]
    assert review.approve_unflagged(doc, REVIEWER) == 2
    assert doc.find("p2").adaptation("easy_read").provenance.reviewed_by == "rania"
    assert doc.find("f1").adaptation("alt_text").provenance.reviewed_by == "rania"
    assert doc.find("p1").adaptation("easy_read").needs_review  # left for a person to read
    assert doc.find("p3").adaptation("easy_read").provenance.reviewed_by == "sam"  # not stamped again
    assert doc.find("f2").adaptation("alt_text") is None
    assert review.unflagged_pending(doc) == [] and review.approve_unflagged(doc, REVIEWER) == 0


def test_the_store_filters_and_counts_jobs_by_profile_status_and_batch(tmp_path: Path) -> None:
    from inclusio.store.jobs import JobFilter, JobStore

    store = JobStore.from_settings(make_settings(tmp_path))
    store.migrate()
    try:
        for n, profile in enumerate(("dyslexia", "blind", "dyslexia")):
            store.create(
                profile_id=profile,
                filename=f"d{n}.pdf",
                input_sha256="0" * 64,
                input_path="x",
                input_bytes=1,
                institution="default",
                batch_id="b1" if n else None,
            )
        assert store.count(JobFilter(profile="dyslexia")) == 2
        assert [j.filename for j in store.list(JobFilter(profile="dyslexia"))] == ["d2.pdf", "d0.pdf"]
        assert store.count(JobFilter(profile="dyslexia", batch_id="b1")) == 1
        assert store.count(JobFilter(status="failed")) == 0 and store.count(JobFilter()) == 3
    finally:
        store.dispose()
