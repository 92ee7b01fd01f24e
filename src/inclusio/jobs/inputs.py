"""What a request for a job names, checked: outputs, reading adjustments, a profile, a learner, a job.

The API routes, the web pages and ``inclusio batch`` read their callers' choices through these (no
HTTP here). ``svc`` is anything with ``settings``, ``store`` and ``users`` (see :mod:`inclusio.jobs.enqueue`).
"""

from __future__ import annotations

from typing import Any

from inclusio.auth.policy import Principal, can_manage_user, can_see_job, require
from inclusio.errors import JobNotFound, ProfileNotFound, RequestInvalid
from inclusio.profiles import ALL_OUTPUTS, Profile, load_profile
from inclusio.profiles.reading import parse_reading_json
from inclusio.store.models import Job


def parse_outputs(raw: str | None) -> list[str] | None:
    """``epub, report,epub`` -> ``["epub", "report"]``; ``None``/blank: the profile's outputs."""
    if raw is None or not raw.strip():
        return None
    names = [part.strip() for part in raw.split(",") if part.strip()]
    unknown = [name for name in names if name not in ALL_OUTPUTS]
    if unknown or not names:
        raise RequestInvalid(
            f"Unknown output(s) {', '.join(unknown)}. Choose among: {', '.join(ALL_OUTPUTS)}.",
            message_fr=f"Sortie(s) inconnue(s) {', '.join(unknown)}. Choisissez parmi : {', '.join(ALL_OUTPUTS)}.",
            details={"field": "outputs", "allowed": list(ALL_OUTPUTS)},
        )
    return list(dict.fromkeys(names))


def resolve_profile(svc: Any, name: str) -> Profile:
    """A profile by name (never a path: ``load_profile`` also takes YAML paths, for the CLI)."""
    name = name.strip()
    if not name or "/" in name or "\\" in name or name.endswith((".yaml", ".yml")) or len(name) > 64:
        raise ProfileNotFound(details={"profile": name[:64]})
    return load_profile(name, svc.settings.profiles_dir)


def learner_profile(svc: Any, who: Principal, learner: str) -> tuple[str, str, Profile]:
    """``(learner id, institution, profile)`` for a cohort job; staff and admins only, audited."""
    require(who.is_staff, "submit for a learner")
    user = svc.users.by_username(learner) or svc.users.get(learner)
    require(can_manage_user(who, user), "submit for this learner")
    stored = svc.users.get_profile(user.id)
    svc.users.audit(
        actor_id=who.id,
        action="profile.used",
        subject_id=user.id,
        institution=user.institution,
        details={"found": stored is not None},
    )
    if stored is None:
        raise RequestInvalid(
            f"The learner {user.username} has no profile yet. Set it first (PUT /users/{{id}}/profile).",
            message_fr=(
                f"L'étudiant·e {user.username} n'a pas encore de profil. Définissez-le "
                "d'abord (PUT /users/{id}/profile)."
            ),
            details={"learner": user.id},
        )
    return user.id, user.institution, resolve_profile(svc, stored.profile_id)


def parse_reading(raw: str | None) -> dict[str, Any] | None:
    """The ``reading`` form field: a JSON object of reading settings, or nothing.

    Size and nesting are bounded before parsing (``request.reading_too_complex``); the values are
    checked by :func:`inclusio.profiles.with_reading` (font names from a list, numbers in ranges).
    """
    return parse_reading_json(raw)


def visible_job(svc: Any, who: Principal, job_id: str) -> Job:
    """The job if ``who`` may see it; ``job.not_found`` otherwise (never reveal that it exists)."""
    job = svc.store.get(job_id)
    if not can_see_job(who, job):
        raise JobNotFound(details={"job": job_id[:64]})
    return job
