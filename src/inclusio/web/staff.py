"""Staff pages: batches, a profile for a cohort, the queue dashboard, the review workspace (blocks and the
glossary), release."""

from __future__ import annotations

from typing import Annotated, Any
from urllib.parse import quote

from fastapi import APIRouter, File, Form, Request, UploadFile
from fastapi.responses import JSONResponse, RedirectResponse, Response

from inclusio.api import review
from inclusio.api.file_responses import picture_response
from inclusio.auth.policy import can_manage_user
from inclusio.errors import (
    BatchNotFound,
    NoLearnerChosen,
    ProfileNotChosen,
    ProfileNotFound,
    RequestInvalid,
    ReviewUnreviewedFlags,
)
from inclusio.jobs import request_release
from inclusio.jobs.batches import submit_batch
from inclusio.jobs.inputs import resolve_profile, visible_job
from inclusio.model.document import Figure
from inclusio.model.flags import glossary_removed
from inclusio.profiles import list_profiles
from inclusio.store.jobs import JobFilter
from inclusio.web import session as web
from inclusio.web.i18n import TEXT, translator
from inclusio.web.pages import job_state, release_state, release_text
from inclusio.web.staff_queue import QUEUE_ROWS, SORTS, STATUSES, QueueQuery, queue_view

router = APIRouter(route_class=web.WebRoute, include_in_schema=False)

STAFF_ROLES = ("staff",)
EACH_LEARNER = "@learners"
"""The batch form's profile choice meaning "each student ticked, with their own profile"."""
BULK_REFUSALS = ("bulk_unconfirmed", "bulk_changed")
"""Why a bulk glossary form changed nothing (``?done=``): shown as an alert above the bulk forms."""


def _students(svc: Any, who: Any) -> list[dict[str, Any]]:
    users = svc.users.list(institution=None if who.is_admin else who.institution)
    out = []
    for user in users:
        if user.role != "student" or not can_manage_user(who, user):
            continue
        stored = svc.users.get_profile(user.id)
        svc.users.audit(
            actor_id=who.id, action="profile.read", subject_id=user.id, institution=user.institution
        )
        out.append(
            {"id": user.id, "username": user.username, "profile": stored.profile_id if stored else None}
        )
    return out


def _counts(jobs: list[Any]) -> dict[str, int]:
    counts = {"queued": 0, "running": 0, "done": 0, "failed": 0}
    for job in jobs:
        key = "done" if job.status in ("succeeded", "partial") else job.status
        counts[key] = counts.get(key, 0) + 1
    return counts


def _query(request: Request, svc: Any) -> tuple[QueueQuery, list[Any]]:
    """The dashboard's filters and sort from the URL, and the profiles they may name."""
    profiles = list_profiles(svc.settings.profiles_dir)
    return QueueQuery.of(request.query_params, [p.id for p in profiles]), profiles


def _batch_shown(svc: Any, who: Any, query: QueueQuery) -> Any | None:
    """The batch the dashboard is filtered on (its name and refused files), if ``who`` may see it."""
    if not query.batch:
        return None
    try:
        batch = svc.batches.get(query.batch)
    except BatchNotFound:
        return None
    return batch if who.is_admin or batch.institution == who.institution else None


def _staff_page(request: Request, who: Any, refused: dict[str, Any] | None = None) -> Response:
    """The dashboard; ``refused``: ``{"form": "batch" | "cohort", "error": coded error}`` shown in that form
    (answered 400, nothing made)."""
    svc = web.svc_of(request)
    lang = web.lang_of(request)
    t = translator(lang)
    query, profiles = _query(request, svc)
    view = queue_view(svc, who, query, lang)
    batch = _batch_shown(svc, who, query)
    done = request.query_params.get("done", "")
    notice = None
    if done == "batch" and batch is not None:
        made = len(svc.store.list(JobFilter(batch_id=batch.id), limit=100_000))
        notice = t("batch_done", name=batch.name, jobs=made, rejected=len(batch.rejected or []))
    elif done == "cohort":
        n = request.query_params.get("n", "")
        chosen = request.query_params.get("profile", "")
        if n.isascii() and n.isdigit() and chosen in {p.id for p in profiles}:
            notice = t("cohort_done", profile=chosen, n=int(n))
    return web.render(
        request,
        "staff.html",
        {
            "rows": view.rows,
            "matched": view.matched,
            "batches": view.batches,
            "batch": batch,
            "query": query,
            "query_string": query.params(),
            "statuses": STATUSES,
            "sorts": SORTS,
            "counts": _counts(view.jobs),
            "failures": [j for j in view.jobs if j.status == "failed"][:20],
            "profiles": profiles,
            "profile_names": {p.id: (p.name.fr if lang == "fr" else p.name.en) for p in profiles},
            "students": _students(svc, who),
            "each_learner": EACH_LEARNER,
            "notice": notice,
            "refused": refused,
        },
        who=who,
        status=400 if refused else 200,
    )


@router.get("/web/staff")
def staff(request: Request) -> Response:
    return _staff_page(request, web.require_user(request, *STAFF_ROLES))


def reviewable(job: Any) -> bool:
    return job.status in ("succeeded", "partial") and "json" in (job.artifacts or {})


def _view_of(request: Request, who: Any) -> tuple[Any, Any]:
    svc = web.svc_of(request)
    query, _ = _query(request, svc)
    return svc, queue_view(svc, who, query, web.lang_of(request))


def _flags_cell(row: dict[str, Any], t: Any) -> dict[str, str]:
    """The dashboard's "to review" cell as its script rebuilds it (``shown``: the cell's text, to compare)."""
    if row["flags"] is None:
        text, kind = t("queue_flags_failed" if row["job"].status == "failed" else "queue_flags_na"), "na"
    elif row["flag_total"]:
        text, kind = t("queue_flags", blocks=row["flags"]["blocks"], terms=row["flags"]["terms"]), "marked"
    else:
        text, kind = t("queue_flags_none"), "none"
    return {"text": text, "kind": kind, "shown": ("⚠ " if kind == "marked" else "") + text}


@router.get("/web/staff/queue.json")
def queue_json(request: Request) -> Response:
    """The dashboard's live data (polled by its script, with the page's own filters and sort): each job's
    status, progress, waiting time and release in words, its review link once it has one, and the failures
    with their codes."""
    who = web.require_user(request, *STAFF_ROLES)
    svc, view = _view_of(request, who)
    lang = web.lang_of(request)
    t = translator(lang)
    jobs = view.jobs
    rows = []
    for row in view.rows:
        job = row["job"]
        state = job_state(job, svc.settings, t)
        state["waiting_text"] = row["waited_text"]
        state["title"], state["filename"] = row["title"], job.filename
        state["flags"] = _flags_cell(row, t)
        if reviewable(job):
            state["review"] = {"url": f"/web/review/{job.id}", "text": t("review_job", name=job.filename)}
        rows.append(state)
    failures = [
        {
            "id": j.id,
            "filename": j.filename,
            "errors": [
                {
                    "code": e.get("code", ""),
                    "message": e.get("message_fr" if lang == "fr" else "message", e.get("message", "")),
                }
                for e in (j.errors or [])[:3]
            ],
        }
        for j in jobs
        if j.status == "failed"
    ][:20]
    return JSONResponse(
        {
            "summary": t("queue_summary", **_counts(jobs)),
            "jobs": rows,
            "failures": failures,
            "active": any(j.status in ("queued", "running") or j.release_state == "releasing" for j in jobs),
        },
        headers={"Cache-Control": "no-store"},
    )


@router.get("/web/staff/queue/rows")
def queue_rows(request: Request, ids: str = "") -> Response:
    """The dashboard's rows of the jobs ``ids`` (comma-separated), rendered as the page renders them (in a table
    of the same macro, under the page's filters): its script adds the rows of jobs that appeared after the page
    was loaded."""
    who = web.require_user(request, *STAFF_ROLES)
    svc, view = _view_of(request, who)
    wanted = set(ids.split(",")[:QUEUE_ROWS])
    query, profiles = _query(request, svc)
    lang = web.lang_of(request)
    return web.render(
        request,
        "_queue_rows.html",
        {
            "rows": [r for r in view.rows if r["job"].id in wanted],
            "query": query,
            "profile_names": {p.id: (p.name.fr if lang == "fr" else p.name.en) for p in profiles},
        },
        who=who,
    )


@router.get("/web/staff/batch")
@router.get("/web/staff/cohort")
def staff_form_again(request: Request) -> Response:
    """A form's address opened again (the back button, a bookmark): the dashboard, where the forms are."""
    web.require_user(request, *STAFF_ROLES)
    return RedirectResponse("/web/staff", status_code=303)


def _chosen_profile(profile: str | None) -> str:
    """The profile a staff form chose: none is chosen for them (the list starts with "choose")."""
    if not (profile or "").strip():
        raise ProfileNotChosen(details={"field": "profile"})
    return str(profile).strip()


@router.post("/web/staff/batch")
def staff_batch(
    request: Request,
    csrf_token: Annotated[str, Form()] = "",
    files: Annotated[list[UploadFile] | None, File()] = None,
    archive: Annotated[UploadFile | None, File()] = None,
    target: Annotated[str, Form(max_length=16)] = "profile",
    profile: Annotated[str | None, Form(max_length=64)] = None,
    learners: Annotated[list[str] | None, Form()] = None,
    outputs: Annotated[list[str] | None, Form()] = None,
    name: Annotated[str | None, Form(max_length=255)] = None,
) -> Response:
    """Submit a batch, then show its result at an address of its own (post/redirect/get: reloading it sends
    nothing again): the dashboard filtered on the batch, with its refused files."""
    web.check_csrf(request, csrf_token)
    who = web.require_user(request, *STAFF_ROLES)
    svc = web.svc_of(request)
    chosen = _chosen_profile(profile)
    cohort = target == "cohort" or chosen == EACH_LEARNER
    if cohort and not any(n.strip() for n in learners or []):
        return _staff_page(request, who, {"form": "batch", "error": NoLearnerChosen().to_dict()})
    # The review workspace reads the job's Document: staff batches always ask for it.
    wanted = list(dict.fromkeys([*(outputs or ["epub", "html", "report"]), "json"]))
    uploads = [f for f in files or [] if f.filename]
    zip_file = archive if archive is not None and archive.filename else None
    batch = submit_batch(
        svc,
        who,
        uploads=[(f.filename, f.file) for f in uploads],
        archive=(zip_file.filename, zip_file.file) if zip_file is not None else None,
        profile=None if cohort else chosen,
        learners=",".join(learners or []) if cohort else None,
        outputs=",".join(wanted),
        name=name or None,
    )
    return RedirectResponse(f"/web/staff?batch={batch.id}&done=batch", status_code=303)


@router.post("/web/staff/cohort")
def staff_cohort(
    request: Request,
    csrf_token: Annotated[str, Form()] = "",
    learners: Annotated[list[str] | None, Form()] = None,
    profile: Annotated[str, Form(max_length=64)] = "",
) -> Response:
    web.check_csrf(request, csrf_token)
    who = web.require_user(request, *STAFF_ROLES)
    svc = web.svc_of(request)
    chosen = resolve_profile(svc, _chosen_profile(profile))
    if not learners:
        error = NoLearnerChosen(
            "No student was ticked: tick the students whose profile you are setting, then send the form again.",
            message_fr="Aucun·e étudiant·e n'a été coché·e : cochez les étudiant·e·s dont vous changez le profil, "
            "puis renvoyez le formulaire.",
        )
        return _staff_page(request, who, {"form": "cohort", "error": error.to_dict()})
    done = 0
    for learner in learners or []:
        user = svc.users.get(learner)
        if not can_manage_user(who, user) or user.role != "student":
            continue
        svc.users.set_profile(user.id, chosen.id)
        # that it changed, not to what: a profile id tells a disability
        svc.users.audit(
            actor_id=who.id, action="profile.write", subject_id=user.id, institution=user.institution
        )
        done += 1
    return RedirectResponse(
        f"/web/staff?done=cohort&profile={quote(chosen.id)}&n={done}#cohort-h", status_code=303
    )


# -- the review workspace ------------------------------------------------------------------------------


def _state(adaptation: Any) -> str:
    if adaptation.provenance.reviewed_by:
        return "approved"
    return "edited" if adaptation.provenance.engine == "human" else "draft"


def _flags(adaptation: Any, lang: str) -> list[dict[str, str]]:
    """The adaptation's flag reasons in the page's language (the English one, marked so, when no French was given)."""
    if lang == "fr":
        return [
            {"text": flag.reason_fr, "lang": "fr"} if flag.reason_fr else {"text": flag.reason, "lang": "en"}
            for flag in adaptation.flags
        ]
    return [{"text": flag.reason, "lang": "en"} for flag in adaptation.flags]


def review_blocks(doc: Any, job_id: str, lang: str = "fr") -> list[dict[str, Any]]:
    """The blocks a reviewer looks at: those with an adaptation, and every image (its alt text).

    Blocks with a flagged adaptation no person has reviewed come first (``flagged``), then the
    others in reading order; ``n`` stays the block's place in the reading order.
    """
    out = []
    for n, block in enumerate(doc.blocks, start=1):
        kinds = list(dict.fromkeys(a.kind for a in block.adaptations))
        if not kinds and not isinstance(block, Figure):
            continue
        adaptations = []
        for kind in kinds:
            adaptation = block.adaptation(kind)
            text = review.adaptation_text(adaptation)
            adaptations.append(
                {
                    "kind": kind,
                    "text": text,
                    "state": _state(adaptation),
                    "engine": adaptation.provenance.engine,
                    "notes": adaptation.notes,
                    "flags": _flags(adaptation, lang),
                    "flagged": adaptation.needs_review,
                    "reviewed_by": adaptation.provenance.reviewed_by,
                    "reviewed_at": (adaptation.provenance.reviewed_at or "")[:16].replace("T", " "),
                    "rows": min(14, max(3, text.count("\n") + 2 + len(text) // 70)),
                    "lang": adaptation.lang or doc.block_lang(block),
                }
            )
        image = None
        if isinstance(block, Figure):
            if block.image in doc.resources:
                image = f"/web/review/{job_id}/images/{block.id}"
            if "alt_text" not in kinds and not block.decorative:
                adaptations.append(
                    {
                        "kind": "alt_text",
                        "text": block.alt or "",
                        "state": "draft",
                        "engine": "—",
                        "notes": [],
                        "flags": [],
                        "flagged": False,
                        "reviewed_by": None,
                        "reviewed_at": "",
                        "rows": 3,
                        "lang": doc.block_lang(block),
                    }
                )
        page = block.source.page if block.source and block.source.page else None
        out.append(
            {
                "n": n,
                "id": block.id,
                "type": block.type,
                "page": page,
                "lang": doc.block_lang(block),
                "text": block.plain_text(),
                "image": image,
                "alt": block.alt if isinstance(block, Figure) else None,
                "adaptations": adaptations,
                "flagged": any(a["flagged"] for a in adaptations),
            }
        )
    return sorted(out, key=lambda b: not b["flagged"])  # stable: reading order within each group


def _term_state(entry: Any) -> str:
    if glossary_removed(entry):
        return "removed"
    if entry.provenance.reviewed_by:
        return "approved"
    if not (entry.definition or "").strip():
        return "to_define"
    return "flagged" if entry.flags else "draft"


def _translation(entry: Any, profile: Any | None) -> dict[str, Any]:
    """A bilingual glossary's translation field for ``entry``: its language (None: no field), the current
    translation, and whether it may be saved now (a definition reviewed or not flagged; not removed)."""
    langs = [] if glossary_removed(entry) else review.term_languages(entry, profile)
    code = langs[0] if langs else None
    return {
        "translation_lang": code,
        "translation": entry.translations.get(code, "") if code else "",
        "translatable": bool(code) and bool((entry.definition or "").strip()) and not entry.needs_review,
    }


def review_terms(doc: Any, lang: str = "fr", profile: Any | None = None) -> list[dict[str, Any]]:
    """The glossary's entries as the reviewer sees them: those a person must look at (to define, or
    flagged, and not reviewed) first, each with its reasons; then the others, by term. ``n`` is the
    entry's place in the glossary sorted by term (its anchor on the page). With the job's ``profile``, a
    bilingual glossary's entries carry their translation field (:func:`_translation`)."""
    out = []
    for n, entry in enumerate(sorted(doc.glossary, key=lambda e: e.term.lower()), start=1):
        made = entry.provenance
        out.append(
            {
                "n": n,
                "term": entry.term,
                "lang": entry.lang or doc.lang,
                "definition": entry.definition or "",
                "state": _term_state(entry),
                "flagged": entry.needs_review,
                "flags": _flags(entry, lang),
                "engine": made.engine,
                "reviewed_by": made.reviewed_by,
                "reviewed_at": (made.reviewed_at or "")[:16].replace("T", " "),
                "origin": entry.origin,
                **_translation(entry, profile),
            }
        )
    return sorted(out, key=lambda e: not e["flagged"])  # stable: by term within each group


def bulk_choices(doc: Any, t: Any) -> list[dict[str, Any]]:
    """The bulk actions the glossary offers now (:func:`inclusio.api.review.bulk_terms`): remove every term
    to define; approve the machine definitions of each origin that has some. Each with its terms, how many
    are flagged, and the words of its confirmation and button."""
    out = []
    for action, origin in [("remove_undefined", None), *(("approve", o) for o in review.APPROVABLE_ORIGINS)]:
        terms = review.bulk_terms(doc, action, origin)
        if not terms:
            continue
        n, flagged = len(terms), sum(bool(e.flags) for e in terms)
        if action == "remove_undefined":
            legend = t("bulk_legend_remove")
            confirm, button = t("bulk_remove_confirm", n=n), t("bulk_remove_button", n=n)
        else:
            name = t(f"origin_{origin}") if f"origin_{origin}" in TEXT else str(origin)
            legend = t("bulk_legend_approve", origin=name)
            confirm = t("bulk_approve_confirm", n=n, origin=name, f=flagged)
            button = t("bulk_approve_button", n=n, origin=name)
        out.append(
            {
                "key": f"{action}-{origin or 'all'}",
                "action": action,
                "origin": origin or "",
                "count": n,
                "terms": sorted(e.term for e in terms),
                "legend": legend,
                "confirm": confirm,
                "button": button,
            }
        )
    return out


def _notice(t: Any, notice: str | None, n: str, terms: list[dict[str, Any]]) -> str | None:
    """The page's notice after a change (a block's, a term's, or many terms')."""
    if not (n.isascii() and n.isdigit()):
        return None
    if notice in ("saved", "approved", "regenerated", "regenerated_same"):
        return str(t(notice, n=n))
    if notice in ("bulk_removed", "bulk_approved", "unflagged_approved"):
        return str(t(f"{notice}_notice", n=n))
    names = {
        "term_saved": "term_saved",
        "term_approved": "term_approved_notice",
        "term_removed": "term_removed_notice",
        "term_translated": "term_translated_notice",
    }
    term = next((e["term"] for e in terms if e["n"] == int(n)), None)
    return str(t(names[notice], term=term)) if notice in names and term else None


def _profile_or_none(svc: Any, profile_id: str) -> Any | None:
    """The job's profile (for its bilingual glossary), or None when it is no longer in the catalogue."""
    try:
        return resolve_profile(svc, profile_id)
    except ProfileNotFound:
        return None


def review_counts(blocks: list[dict[str, Any]]) -> dict[str, int]:
    """``{"adaptations", "reviewed"}`` over what the workspace shows to review (:func:`review_blocks`): every
    adaptation, and each image's alt text still waiting without one, so the count says what actually waits."""
    shown = [a for b in blocks for a in b["adaptations"]]
    return {"adaptations": len(shown), "reviewed": sum(a["state"] == "approved" for a in shown)}


def _audit_approval(svc: Any, job: Any, who: Any, action: str, count: int) -> None:
    """The audit log's entry of approvals in the review workspace (how many; never which text)."""
    review.audit_approval(svc.users, job, who, action, count)


@router.post("/web/review/{job_id}/approve-unflagged")
def review_approve_unflagged(
    request: Request, job_id: str, csrf_token: Annotated[str, Form()] = ""
) -> Response:
    """Approve every adaptation the verifier did not flag and no person reviewed yet, in one request (each as a
    single approval: stamped with the reviewer's name; one audit entry with the count); flagged blocks stay for
    a person to read. Back to the workspace (post/redirect/get) with the number approved."""
    web.check_csrf(request, csrf_token)
    who = web.require_user(request, *STAFF_ROLES)
    svc = web.svc_of(request)
    job = visible_job(svc, who, job_id)
    with review.locked():
        doc = review.load_document(svc.files, job)
        count = review.approve_unflagged(doc, who)
        if count:
            review.save_document(svc.files, job, doc)
    _audit_approval(svc, job, who, "review.approve_unflagged", count)
    return RedirectResponse(
        f"/web/review/{job.id}?done=unflagged_approved&n={count}#review-state", status_code=303
    )


@router.get("/web/review/{job_id}")
def review_page(request: Request, job_id: str) -> Response:
    who = web.require_user(request, *STAFF_ROLES)
    svc = web.svc_of(request)
    job = visible_job(svc, who, job_id)
    doc = review.load_document(svc.files, job)
    notice = request.query_params.get("done")
    t = translator(web.lang_of(request))
    n = request.query_params.get("n", "")
    blocks = review_blocks(doc, job.id, web.lang_of(request))
    terms = review_terms(doc, web.lang_of(request), _profile_or_none(svc, job.profile_id))
    message = _notice(t, notice, n, terms)
    bulk_problem = t(notice) if notice in BULK_REFUSALS else None
    refused = request.query_params.get("refused", "")
    return web.render(
        request,
        "review.html",
        {
            "job": job,
            "blocks": blocks,
            "notice": message,
            "flagged": [b for b in blocks if b["flagged"]],
            "terms": terms,
            "pending_terms": [e for e in terms if e["flagged"]],
            "bulk": bulk_choices(doc, t),
            "bulk_problem": bulk_problem,
            "refused": ReviewUnreviewedFlags.code if (refused.isascii() and refused.isdigit()) else None,
            "release_text": release_text(job, release_state(job, svc.settings), t),
            "state": review_counts(blocks),
            "unflagged": len(review.unflagged_pending(doc)),
            "regenerable": review.REGENERABLE,
            "type_keys": tuple(k for k in TEXT if k.startswith("type_")),
        },
        who=who,
    )


@router.get("/web/review/{job_id}/images/{block_id}")
def review_image(request: Request, job_id: str, block_id: str) -> Response:
    who = web.require_user(request, *STAFF_ROLES)
    svc = web.svc_of(request)
    doc = review.load_document(svc.files, visible_job(svc, who, job_id))
    block = next((b for b in doc.blocks if b.id == block_id), None)
    if not isinstance(block, Figure) or block.image not in doc.resources:
        raise RequestInvalid(details={"block": block_id[:80]})
    resource = doc.resources[block.image]
    # A raster picture inline; an SVG (or anything else) as a sandboxed attachment, never run in our origin.
    return picture_response(resource.data, resource.media_type, filename=f"{block.id}.{resource.extension}")


@router.post("/web/review/{job_id}/blocks/{block_id}")
def review_block(
    request: Request,
    job_id: str,
    block_id: str,
    csrf_token: Annotated[str, Form()] = "",
    kind: Annotated[str, Form(max_length=32)] = "",
    text: Annotated[str, Form(max_length=review.MAX_EDIT_CHARS)] = "",
    action: Annotated[str, Form(max_length=16)] = "save",
    n: Annotated[str, Form(max_length=8)] = "",
) -> Response:
    web.check_csrf(request, csrf_token)
    who = web.require_user(request, *STAFF_ROLES)
    svc = web.svc_of(request)
    job = visible_job(svc, who, job_id)
    with review.locked():
        doc = review.load_document(svc.files, job)
        block = doc.find(block_id) if any(b.id == block_id for b in doc.blocks) else None
        if (
            action == "approve"
            and block is not None
            and block.adaptation(kind) is None
            and isinstance(block, Figure)
            and kind == "alt_text"
        ):
            # An image whose alt text came with the source: approving it records the reviewer's text.
            review.edit_block(doc, block_id, kind, text, who, approve=True)
        elif action == "approve":
            review.approve_block(doc, block_id, kind, who)
        elif action == "regenerate":
            changed = review.regenerate_changed(
                doc, block_id, kind, resolve_profile(svc, job.profile_id), svc.settings
            )
            if not changed:
                action = "regenerate_same"
        elif action in ("save", "save_approve"):
            review.edit_block(doc, block_id, kind, text, who, approve=action == "save_approve")
        else:
            raise RequestInvalid(details={"field": "action"})
        if action != "regenerate_same":
            review.save_document(svc.files, job, doc)
    if action in ("approve", "save_approve"):
        _audit_approval(svc, job, who, "review.approve", 1)
    done = {"approve": "approved", "regenerate": "regenerated", "regenerate_same": "regenerated_same"}.get(
        action, "saved"
    )
    anchor = f"b-{n}" if (n.isascii() and n.isdigit()) else "main"
    return RedirectResponse(
        f"/web/review/{job.id}?done={done}&n={n if (n.isascii() and n.isdigit()) else ''}#{anchor}",
        status_code=303,
    )


@router.post("/web/review/{job_id}/glossary")
def review_term(
    request: Request,
    job_id: str,
    csrf_token: Annotated[str, Form()] = "",
    term: Annotated[str, Form(max_length=200)] = "",
    definition: Annotated[str, Form(max_length=review.MAX_DEFINITION_CHARS * 2)] = "",
    translation: Annotated[str, Form(max_length=review.MAX_TRANSLATION_CHARS * 2)] = "",
    action: Annotated[str, Form(max_length=16)] = "define",
    n: Annotated[str, Form(max_length=8)] = "",
) -> Response:
    """Define (or correct), translate, approve or remove a glossary term; back to the review page at the term."""
    web.check_csrf(request, csrf_token)
    who = web.require_user(request, *STAFF_ROLES)
    svc = web.svc_of(request)
    job = visible_job(svc, who, job_id)
    with review.locked():
        doc = review.load_document(svc.files, job)
        if action == "define":
            review.define_term(doc, term, definition, who)
            if translation.strip():  # the form's translation field is saved with the definition
                profile = _profile_or_none(svc, job.profile_id)
                review.translate_term(doc, term, translation, who, lang=None, profile=profile)
        elif action == "approve":
            review.approve_term(doc, term, who)
        elif action == "remove":
            review.remove_term(doc, term, who)
        elif action == "translate":
            profile = _profile_or_none(svc, job.profile_id)
            review.translate_term(doc, term, translation, who, lang=None, profile=profile)
        else:
            raise RequestInvalid(details={"field": "action"})
        review.save_document(svc.files, job, doc)
    done = {
        "define": "term_saved",
        "approve": "term_approved",
        "remove": "term_removed",
        "translate": "term_translated",
    }[action]
    number = n if (n.isascii() and n.isdigit()) else ""
    return RedirectResponse(
        f"/web/review/{job.id}?done={done}&n={number}#{f'g-{number}' if number else 'glossary-h'}",
        status_code=303,
    )


@router.post("/web/review/{job_id}/glossary/bulk")
def review_terms_bulk(
    request: Request,
    job_id: str,
    csrf_token: Annotated[str, Form()] = "",
    action: Annotated[str, Form(max_length=24)] = "",
    origin: Annotated[str, Form(max_length=32)] = "",
    count: Annotated[str, Form(max_length=8)] = "",
    confirm: Annotated[str, Form(max_length=8)] = "",
) -> Response:
    """Remove every term to define, or approve every machine definition of one origin, once the reviewer
    ticked the confirmation naming how many (``count``); back to the glossary with the number done. Without
    the box ticked, or when the glossary changed since the page was shown, nothing changes and the page
    says so."""
    web.check_csrf(request, csrf_token)
    who = web.require_user(request, *STAFF_ROLES)
    svc = web.svc_of(request)
    job = visible_job(svc, who, job_id)
    back = f"/web/review/{job.id}"
    if confirm != "yes" or not (count.isascii() and count.isdigit()):
        return RedirectResponse(f"{back}?done=bulk_unconfirmed#glossary-bulk", status_code=303)
    try:
        changed, _ = review.bulk_review(
            svc.files, svc.users, job, who, action, origin=origin or None, confirm=True, count=int(count)
        )
    except RequestInvalid as refused:
        if refused.details.get("field") != "count":
            raise
        return RedirectResponse(f"{back}?done=bulk_changed#glossary-bulk", status_code=303)
    done = "bulk_removed" if action == "remove_undefined" else "bulk_approved"
    return RedirectResponse(f"{back}?done={done}&n={len(changed)}#glossary-h", status_code=303)


@router.post("/web/review/{job_id}/release")
def review_release(
    request: Request,
    job_id: str,
    csrf_token: Annotated[str, Form()] = "",
    accept_unreviewed: Annotated[str, Form(max_length=8)] = "",
) -> Response:
    """Queue the release (a worker renders it); the job page follows it and keeps the old files until then.

    Refused while flagged blocks or glossary terms are unreviewed, unless the confirmation box is ticked: the review page
    comes back with the refusal (its code) next to the release button."""
    web.check_csrf(request, csrf_token)
    who = web.require_user(request, *STAFF_ROLES)
    svc = web.svc_of(request)
    try:
        job = request_release(
            svc, visible_job(svc, who, job_id), who, accept_unreviewed=accept_unreviewed == "yes"
        )
    except ReviewUnreviewedFlags as refused:
        n = int(refused.details.get("flagged_blocks", 0)) + int(refused.details.get("glossary_terms", 0))
        return RedirectResponse(f"/web/review/{job_id}?refused={n}#release-h", status_code=303)
    return RedirectResponse(f"/web/jobs/{job.id}", status_code=303)
