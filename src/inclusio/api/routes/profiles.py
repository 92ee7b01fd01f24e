"""The profile catalogue: ``GET /profiles`` and ``GET /profiles/{id}`` (names in French and English)."""

from __future__ import annotations

from fastapi import APIRouter

from inclusio.api.deps import Svc
from inclusio.api.routes.jobs import resolve_profile
from inclusio.api.schemas import ProfileInfo, errors
from inclusio.profiles import Profile, list_profiles

router = APIRouter()


def _info(p: Profile) -> ProfileInfo:
    return ProfileInfo(
        id=p.id, name=p.name.model_dump(), description=p.description.model_dump(), outputs=list(p.outputs)
    )


@router.get(
    "/profiles",
    response_model=list[ProfileInfo],
    tags=["profiles"],
    summary="The profile catalogue (names in French and English; not personal data)",
)
def profiles(svc: Svc) -> list[ProfileInfo]:
    return [_info(p) for p in list_profiles(svc.settings.profiles_dir)]


@router.get("/profiles/{profile_id}", response_model=ProfileInfo, tags=["profiles"], responses=errors(404))
def profile(svc: Svc, profile_id: str) -> ProfileInfo:
    return _info(resolve_profile(svc, profile_id))
