"""Review: the Document of a job, edit / approve / regenerate one block's adaptation, define / translate /
approve / remove a glossary term (or remove / approve many at once), release.

Reading the document is open to whoever may see the job; changing it and releasing it are for
staff and admins (the disability-services office reviews; teachers and students read). The
logic is :mod:`inclusio.api.review` (the web workspace calls the same functions). Release answers
at once (202): a worker renders the reviewed version (``workers/release_tasks.py``).
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any, Literal

from fastapi import APIRouter
from fastapi.responses import JSONResponse
from pydantic import BaseModel, Field

from inclusio import jobs
from inclusio.api import review
from inclusio.api.deps import Caller, StaffCaller, Svc
from inclusio.api.file_responses import document_json_headers
from inclusio.api.schemas import AUTH_ERRORS, JobView, errors
from inclusio.auth.policy import check_technical
from inclusio.jobs.inputs import visible_job
from inclusio.model.document import Adaptation, Document, Flag, GlossaryEntry

router = APIRouter(tags=["review"])


class BlockEdit(BaseModel):
    kind: str = Field(description="easy_read, plain, alt_text or translation")
    text: str = Field(
        max_length=review.MAX_EDIT_CHARS,
        description="one line per paragraph, '- ' before list items; for alt_text the alt text",
    )
    approve: bool = Field(
        default=False,
        description="kept for older callers: an edit is always recorded as "
        "reviewed by its author (it clears the block's flags)",
    )


class BlockKind(BaseModel):
    kind: str = Field(description="the adaptation kind: easy_read, plain, alt_text, translation, summary")


class ReleaseRequest(BaseModel):
    accept_unreviewed: bool = Field(
        default=False,
        description="release even though some flagged blocks or glossary terms are not "
        "reviewed (recorded in the audit log, the report and the student's copy); "
        "without it such a release is refused with review.unreviewed_flags (409)",
    )


class TermDefinition(BaseModel):
    definition: str = Field(
        max_length=review.MAX_DEFINITION_CHARS,
        description="the reviewer's definition of the term, in the document's language (verified like any "
        "generated text; a person's definition counts as reviewed)",
    )


class TermTranslation(BaseModel):
    translation: str = Field(
        max_length=review.MAX_TRANSLATION_CHARS,
        description="the term in the glossary's other language (a person's text: the entry counts as reviewed)",
    )
    lang: str | None = Field(
        default=None,
        max_length=35,
        pattern=r"^[A-Za-z]{2,3}(-[A-Za-z0-9]{1,8})*$",
        description="the translation's language (BCP 47); by default the profile's bilingual glossary's",
    )


class BulkRequest(BaseModel):
    action: Literal["remove_undefined", "approve"] = Field(
        description="remove_undefined: take every term still to define out of the student's glossary; "
        "approve: mark every machine definition no person reviewed as reviewed (flagged ones too)"
    )
    origin: str | None = Field(
        default=None,
        max_length=32,
        description="approve only: one origin of definitions (GlossaryEntry.origin: the document's own, "
        "the model's, the course's...; review.APPROVABLE_ORIGINS), all of them when absent",
    )
    confirm: bool = Field(
        default=False, description="false: change nothing, say which terms would change; true: do it"
    )
    count: int | None = Field(
        default=None,
        ge=0,
        le=10_000,
        description="with confirm: the number of terms the reviewer was shown; refused (request.invalid) "
        "when the glossary changed since",
    )


class BulkReview(BaseModel):
    action: str
    origin: str | None
    done: bool = Field(description="true when the terms were changed (confirm), false for a preview")
    terms: list[str] = Field(description="the terms changed (or that would be, without confirm)")
    flagged: int = Field(description="approve: how many of them the automatic check had flagged")
    glossary: dict[str, int] = Field(
        description="entries, unreviewed ones (they hold a release back), removed"
    )


class ReviewedTerm(BaseModel):
    term: str
    entry: dict[str, Any] = Field(description="the glossary entry as it now is")
    findings: list[dict[str, Any]] = Field(
        default_factory=list,
        description="the verifier's findings on the reviewer's definition (code, reason, reason_fr); kept "
        "on the entry, cleared by the review",
    )
    glossary: dict[str, int] = Field(
        description="entries, unreviewed ones (they hold a release back), removed"
    )


def _term_answer(entry: GlossaryEntry, doc: Any, findings: list[Flag] | None = None) -> ReviewedTerm:
    return ReviewedTerm(
        term=entry.term,
        entry=entry.model_dump(mode="json"),
        findings=[f.model_dump(mode="json") for f in findings or []],
        glossary=review.glossary_state(doc),
    )


class ReviewedAdaptation(BaseModel):
    block_id: str
    adaptation: dict[str, Any] | None
    text: str | None = Field(description="the adaptation as a reviewer edits it")
    review: dict[str, int] = Field(description="adaptations and reviewed ones, over the document")
    changed: bool = Field(
        True,
        description="regenerate: false when the engine gave the same text again; nothing was saved and the "
        "block keeps its adaptation, its review and its flags",
    )
    message: str | None = Field(None, description="what happened, in English (regenerate with no change)")
    message_fr: str | None = Field(None, description="the same in French")


UNCHANGED = (
    "The engine gave the same text again: nothing changed (the block keeps its state and no new version was "
    "saved). Edit the text yourself if it needs a change.",
    "Le moteur a redonné le même texte : rien n'a changé (le bloc garde son état et aucune nouvelle version "
    "n'a été enregistrée). Modifiez le texte vous-même s'il doit changer.",
)


def _answer(
    block_id: str, adaptation: Adaptation | None, state: dict[str, int], *, changed: bool = True
) -> ReviewedAdaptation:
    return ReviewedAdaptation(
        block_id=block_id,
        adaptation=adaptation.model_dump() if adaptation else None,
        text=review.adaptation_text(adaptation) if adaptation else None,
        review=state,
        changed=changed,
        message=None if changed else UNCHANGED[0],
        message_fr=None if changed else UNCHANGED[1],
    )


@router.get(
    "/jobs/{job_id}/document",
    responses={
        200: {"content": {"application/json": {}}, "description": "the Document model (JSON)"},
        **errors(404, *AUTH_ERRORS),
    },
    summary="The job's Document with its adaptations (the reviewed draft when there is one); teachers and "
    "staff only (a student: artifact.staff_only, as the document JSON file)",
)
def get_document(svc: Svc, who: Caller, job_id: str) -> JSONResponse:
    job = visible_job(svc, who, job_id)
    check_technical(who, job, "document")  # a reviewer's draft is never shown to the student
    doc = review.load_document(svc.files, job)
    return JSONResponse(doc.model_dump(mode="json"), headers=document_json_headers())


@router.put(
    "/jobs/{job_id}/blocks/{block_id}/adaptation",
    response_model=ReviewedAdaptation,
    responses=errors(400, 404, 422, *AUTH_ERRORS),
    summary="Staff: replace a block's adaptation with the reviewer's text (engine 'human')",
)
def edit(svc: Svc, who: StaffCaller, job_id: str, block_id: str, body: BlockEdit) -> ReviewedAdaptation:
    job = visible_job(svc, who, job_id)
    with review.locked():
        doc = review.load_document(svc.files, job)
        adaptation = review.edit_block(doc, block_id, body.kind, body.text, who, approve=body.approve)
        review.save_document(svc.files, job, doc)
    if body.approve:
        review.audit_approval(svc.users, job, who, "review.approve", 1)  # as the review workspace does
    return _answer(block_id, adaptation, review.review_state(doc, review.reviewable_kinds(doc)))


@router.post(
    "/jobs/{job_id}/blocks/{block_id}/approve",
    response_model=ReviewedAdaptation,
    responses=errors(400, 404, 422, *AUTH_ERRORS),
    summary="Staff: mark a block's adaptation as reviewed (reviewed_by, reviewed_at)",
)
def approve(svc: Svc, who: StaffCaller, job_id: str, block_id: str, body: BlockKind) -> ReviewedAdaptation:
    job = visible_job(svc, who, job_id)
    with review.locked():
        doc = review.load_document(svc.files, job)
        adaptation = review.approve_block(doc, block_id, body.kind, who)
        review.save_document(svc.files, job, doc)
    review.audit_approval(svc.users, job, who, "review.approve", 1)  # as the review workspace does
    return _answer(block_id, adaptation, review.review_state(doc, review.reviewable_kinds(doc)))


@router.post(
    "/jobs/{job_id}/blocks/{block_id}/regenerate",
    response_model=ReviewedAdaptation,
    responses=errors(400, 404, 422, *AUTH_ERRORS),
    summary="Staff: run the adaptation pass again on this block only (a new, unreviewed draft; when the engine "
    "gives the same text again, nothing changes: changed=false, no new version saved)",
)
def regenerate(svc: Svc, who: StaffCaller, job_id: str, block_id: str, body: BlockKind) -> ReviewedAdaptation:
    from inclusio.jobs.inputs import resolve_profile

    job = visible_job(svc, who, job_id)
    profile = resolve_profile(svc, job.profile_id)
    with review.locked():
        doc = review.load_document(svc.files, job)
        changed = review.regenerate_changed(doc, block_id, body.kind, profile, svc.settings)
        if changed:
            review.save_document(svc.files, job, doc)
    adaptation = doc.find(block_id).adaptation(body.kind)
    state = review.review_state(doc, review.reviewable_kinds(doc))
    return _answer(block_id, adaptation, state, changed=changed)


def _change_term(
    svc: Any, who: Any, job_id: str, change: Callable[[Document, Any], tuple[GlossaryEntry, list[Flag]]]
) -> ReviewedTerm:
    """One glossary route: the job's draft loaded under the lock, ``change(doc, job)`` applied (the entry and
    the verifier's findings on the reviewer's text), the draft saved; the entry and the glossary's counts."""
    job = visible_job(svc, who, job_id)
    with review.locked():
        doc = review.load_document(svc.files, job)
        entry, findings = change(doc, job)
        review.save_document(svc.files, job, doc)
    return _term_answer(entry, doc, findings)


@router.put(
    "/jobs/{job_id}/glossary/{term}",
    response_model=ReviewedTerm,
    responses=errors(400, 404, 422, *AUTH_ERRORS),
    summary="Staff: write or correct a glossary term's definition (verified; a person's text counts as "
    "reviewed and reaches the student's glossary on release)",
)
def define_term(svc: Svc, who: StaffCaller, job_id: str, term: str, body: TermDefinition) -> ReviewedTerm:
    return _change_term(svc, who, job_id, lambda doc, _: review.define_term(doc, term, body.definition, who))


@router.put(
    "/jobs/{job_id}/glossary/{term}/translation",
    response_model=ReviewedTerm,
    responses=errors(400, 404, 422, *AUTH_ERRORS),
    summary="Staff: write or correct a glossary term's translation (bilingual glossary); the entry counts as "
    "reviewed, its definition as it is (refused while the definition is missing or flagged and not reviewed)",
)
def translate_term(svc: Svc, who: StaffCaller, job_id: str, term: str, body: TermTranslation) -> ReviewedTerm:
    from inclusio.jobs.inputs import resolve_profile

    def change(doc: Document, job: Any) -> tuple[GlossaryEntry, list[Flag]]:
        profile = resolve_profile(svc, job.profile_id)
        return review.translate_term(doc, term, body.translation, who, lang=body.lang, profile=profile), []

    return _change_term(svc, who, job_id, change)


@router.post(
    "/jobs/{job_id}/glossary/{term}/approve",
    response_model=ReviewedTerm,
    responses=errors(400, 404, 422, *AUTH_ERRORS),
    summary="Staff: mark a glossary term's definition as reviewed as it is (a term without one is "
    "defined or removed)",
)
def approve_term(svc: Svc, who: StaffCaller, job_id: str, term: str) -> ReviewedTerm:
    return _change_term(svc, who, job_id, lambda doc, _: (review.approve_term(doc, term, who), []))


@router.delete(
    "/jobs/{job_id}/glossary/{term}",
    response_model=ReviewedTerm,
    responses=errors(400, 404, 422, *AUTH_ERRORS),
    summary="Staff: remove a term from the student's glossary (reviewed; the entry stays, without a "
    "definition, so the release does not bring it back)",
)
def remove_term(svc: Svc, who: StaffCaller, job_id: str, term: str) -> ReviewedTerm:
    return _change_term(svc, who, job_id, lambda doc, _: (review.remove_term(doc, term, who), []))


@router.post(
    "/jobs/{job_id}/glossary",
    response_model=BulkReview,
    responses=errors(400, 404, 422, *AUTH_ERRORS),
    summary="Staff: review many glossary terms at once: remove every term still to define, or approve every "
    "machine definition (of one origin). Without confirm, only says which terms it would change; with "
    "confirm (and count, the number the reviewer was shown) each is stamped as the single action does and "
    "the audit log records the number",
)
def review_glossary(svc: Svc, who: StaffCaller, job_id: str, body: BulkRequest) -> BulkReview:
    job = visible_job(svc, who, job_id)
    chosen, doc = review.bulk_review(
        svc.files,
        svc.users,
        job,
        who,
        body.action,
        origin=body.origin,
        confirm=body.confirm,
        count=body.count,
    )
    return BulkReview(
        action=body.action,
        origin=body.origin,
        done=body.confirm,
        terms=[e.term for e in chosen],
        flagged=sum(bool(e.flags) for e in chosen if body.action == "approve"),
        glossary=review.glossary_state(doc),
    )


@router.post(
    "/jobs/{job_id}/release",
    status_code=202,
    response_model=JobView,
    responses=errors(400, 404, 409, 503, *AUTH_ERRORS),
    summary="Staff: release the reviewed document: a worker renders it again and replaces the job's "
    "outputs (release.state: releasing, then released or failed); the old outputs stay "
    "until the new ones are complete. Refused (409 review.unreviewed_flags) while a flagged block "
    "or a glossary term flagged or to define is not reviewed, unless accept_unreviewed is true",
)
def release(svc: Svc, who: StaffCaller, job_id: str, body: ReleaseRequest | None = None) -> JSONResponse:
    accept = body is not None and body.accept_unreviewed
    job = jobs.request_release(svc, visible_job(svc, who, job_id), who, accept_unreviewed=accept)
    view = JobView.of(job, review=review.flag_counts(svc.files, job))
    return JSONResponse(view.model_dump(), status_code=202, headers={"Location": f"/jobs/{job.id}"})
