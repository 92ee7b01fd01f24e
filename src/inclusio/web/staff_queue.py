"""The staff dashboard's queue: whose job each row is, of which batch, its title, profile, status, how long the
student has waited and what is left to review; filtered and sorted from the page's query parameters.

Everything is done on the server (a ``GET`` form: it works without JavaScript, and the dashboard's script
polls the same query). The store filters what SQL can (status, profile, batch, the staff member's
institution); the names, the waiting time and the review flags are read for the rows found, which are then
filtered (flagged only) and sorted, and the first :data:`QUEUE_ROWS` are shown with how many matched.
"""

from __future__ import annotations

from dataclasses import dataclass, replace
from datetime import UTC, datetime
from typing import Any
from urllib.parse import urlencode

from inclusio.auth.policy import job_filter
from inclusio.web.status import job_title

QUEUE_ROWS = 100
"""Rows shown at most (the matches beyond are counted, and a filter narrows them)."""
SCANNED_ROWS = 2000
"""Newest jobs read per query before the flagged filter and the sort (a term of one institution)."""
STATUSES = ("queued", "running", "succeeded", "partial", "failed")
SORTS = ("created", "waiting", "flags", "status", "title", "student", "batch", "profile")
"""Sort keys of the dashboard (``?sort=``); ``created`` (newest first) by default."""
DEFAULT_DIRECTION = {"created": "desc", "waiting": "desc", "flags": "desc"}
"""Each key's first direction when none is asked (the others go ascending: A to Z)."""
STATUS_ORDER = {status: n for n, status in enumerate(STATUSES)}


@dataclass(frozen=True)
class QueueQuery:
    """What the dashboard shows: ``?status=&profile=&batch=&flagged=1&sort=&dir=`` (unknown values: ignored)."""

    status: str = ""
    profile: str = ""
    batch: str = ""
    flagged: bool = False
    sort: str = "created"
    direction: str = "desc"

    @classmethod
    def of(cls, params: Any, profiles: list[str] | None = None) -> QueueQuery:
        """The query from ``params`` (a mapping of the URL's parameters), each value checked."""
        status = params.get("status", "")
        profile = params.get("profile", "")
        batch = params.get("batch", "")
        sort = params.get("sort", "created")
        sort = sort if sort in SORTS else "created"
        direction = params.get("dir", "")
        return cls(
            status=status if status in STATUSES else "",
            profile=profile if profile and (profiles is None or profile in profiles) else "",
            batch=batch if batch.isascii() and batch.isalnum() and len(batch) <= 32 else "",
            flagged=params.get("flagged", "") in ("1", "yes", "on"),
            sort=sort,
            direction=direction if direction in ("asc", "desc") else DEFAULT_DIRECTION.get(sort, "asc"),
        )

    def params(self, **changes: Any) -> str:
        """This query (with ``changes``) as a URL query string, defaults left out (``""`` when all are)."""
        query = replace(self, **changes)
        pairs = [
            ("status", query.status),
            ("profile", query.profile),
            ("batch", query.batch),
            ("flagged", "1" if query.flagged else ""),
            ("sort", "" if query.sort == "created" else query.sort),
            ("dir", "" if query.direction == DEFAULT_DIRECTION.get(query.sort, "asc") else query.direction),
        ]
        return urlencode([(k, v) for k, v in pairs if v])

    def sort_link(self, key: str) -> str:
        """The query string a column header links to: sorted by ``key``, the other way round when the table
        already is, else in ``key``'s first direction; the filters kept."""
        if self.sort == key:
            direction = "asc" if self.direction == "desc" else "desc"
        else:
            direction = DEFAULT_DIRECTION.get(key, "asc")
        return self.params(sort=key, direction=direction)

    @property
    def narrowed(self) -> bool:
        return bool(self.status or self.profile or self.batch or self.flagged)


@dataclass
class QueueView:
    rows: list[dict[str, Any]]
    """One per job shown: ``job`` and what the table says of it (:func:`_row`)."""
    matched: int
    """Jobs matching the filters (``rows`` holds the first :data:`QUEUE_ROWS`)."""
    batches: list[dict[str, str]]
    """The batches a filter may choose (``id``, ``name``), newest first."""

    @property
    def jobs(self) -> list[Any]:
        return [row["job"] for row in self.rows]


def waited_seconds(job: Any, now: datetime) -> int:
    """How long the student has waited for the job: from the request until it finished (until now while it
    is not)."""
    if job.created_at is None:
        return 0
    end = job.finished_at if job.finished and job.finished_at is not None else now
    return max(0, int((end - job.created_at).total_seconds()))


def waited_text(seconds: int, lang: str) -> str:
    """``45 s``, ``12 min``, ``2 h 05``, ``3 j 4 h`` (``d`` in English)."""
    if seconds < 60:
        return f"{seconds} s"
    minutes = seconds // 60
    if minutes < 60:
        return f"{minutes} min"
    hours, minutes = divmod(minutes, 60)
    if hours < 24:
        return f"{hours} h {minutes:02d}"
    days, hours = divmod(hours, 24)
    return f"{days} {'j' if lang == 'fr' else 'd'} {hours} h"


def flag_count(svc: Any, job: Any) -> dict[str, int] | None:
    """What holds the job's release back: ``{"blocks", "terms"}`` flagged (or to define) and not reviewed, read
    from its review draft or its document (None: nothing to review yet, or no document)."""
    if job.status not in ("succeeded", "partial") or "json" not in (job.artifacts or {}):
        return None
    from inclusio.api.review import flag_counts

    counts = flag_counts(svc.files, job)
    if counts is None:
        return None
    return {"blocks": counts.get("unreviewed_blocks", 0), "terms": counts.get("glossary_unreviewed", 0)}


def _people(svc: Any, who: Any) -> dict[str, tuple[str, str]]:
    """``{user id: (user name, role)}`` of the people whose jobs ``who`` sees."""
    users = svc.users.list(institution=None if who.is_admin else who.institution, limit=100_000)
    return {user.id: (user.username, user.role) for user in users}


def _student(job: Any, people: dict[str, tuple[str, str]]) -> str | None:
    """The learner the job was made for, else the student who asked for it (None: a batch for a profile, or
    a teacher's upload)."""
    if job.learner_id:
        return people.get(job.learner_id, ("", ""))[0] or None
    name, role = people.get(job.owner_id or "", ("", ""))
    return name if role == "student" else None


def _row(
    job: Any, people: dict[str, tuple[str, str]], batches: dict[str, str], now: datetime, lang: str
) -> dict[str, Any]:
    """A job as the dashboard shows it."""
    student = _student(job, people)
    waited = waited_seconds(job, now)
    return {
        "job": job,
        "title": job_title(job),
        "student": student,
        "batch": batches.get(job.batch_id or "", "") if job.batch_id else "",
        "batch_id": job.batch_id or "",
        "waited": waited,
        "waited_text": waited_text(waited, lang),
    }


def _with_flags(svc: Any, row: dict[str, Any]) -> dict[str, Any]:
    flags = flag_count(svc, row["job"])
    row.update(flags=flags, flag_total=sum(flags.values()) if flags else 0)
    return row


def _batch_name(svc: Any, batch_id: str) -> str:
    from inclusio.errors import BatchNotFound

    try:
        return str(svc.batches.get(batch_id).name)
    except BatchNotFound:
        return ""


def _sort_key(sort: str) -> Any:
    keys: dict[str, Any] = {
        "created": lambda r: r["job"].created_at or datetime.min.replace(tzinfo=UTC),
        "waiting": lambda r: r["waited"],
        "flags": lambda r: r["flag_total"],
        "status": lambda r: STATUS_ORDER.get(r["job"].status, 99),
        "title": lambda r: r["title"].casefold(),
        "student": lambda r: (r["student"] is None, (r["student"] or "").casefold()),
        "batch": lambda r: (not r["batch"], r["batch"].casefold()),
        "profile": lambda r: r["job"].profile_id,
    }
    return keys[sort]


def queue_view(svc: Any, who: Any, query: QueueQuery, lang: str, *, now: datetime | None = None) -> QueueView:
    """The rows of the dashboard for ``who`` (their institution; an admin: every job) under ``query``."""
    base = replace(
        job_filter(who),
        status=query.status or None,
        batch_id=query.batch or None,
        profile=query.profile or None,
    )
    # Newest first is the store's own order: the first rows are enough, and the matches are counted there.
    newest_first = query.sort == "created" and query.direction == "desc" and not query.flagged
    jobs = svc.store.list(base, limit=QUEUE_ROWS if newest_first else SCANNED_ROWS)
    now = now or datetime.now(UTC)
    people = _people(svc, who)
    known = svc.batches.list(institution=None if who.is_admin else who.institution, limit=500)
    batch_names = {b.id: b.name for b in known}
    for batch_id in {job.batch_id for job in jobs if job.batch_id and job.batch_id not in batch_names}:
        batch_names[batch_id] = _batch_name(svc, batch_id)
    rows = [_row(job, people, batch_names, now, lang) for job in jobs]
    # The flags are read from each job's document (cached on its file): for every row only when they filter
    # or sort the rows, else for the rows shown.
    if query.flagged or query.sort == "flags":
        rows = [_with_flags(svc, r) for r in rows]
    if query.flagged:
        rows = [r for r in rows if r["flag_total"]]
    # Newest first breaks ties of every other key (the store's order is kept by a stable sort).
    rows.sort(key=_sort_key(query.sort), reverse=query.direction == "desc")
    shown = rows[:QUEUE_ROWS]
    if not (query.flagged or query.sort == "flags"):
        shown = [_with_flags(svc, r) for r in shown]
    return QueueView(
        rows=shown,
        matched=svc.store.count(base) if newest_first else len(rows),
        batches=[{"id": b.id, "name": b.name} for b in known],
    )
