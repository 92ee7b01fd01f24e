"""Load and list profiles from a folder of YAML files; errors name the file and the field."""

from __future__ import annotations

from pathlib import Path

import yaml
from pydantic import ValidationError

from inclusio.errors import ProfileInvalid, ProfileNotFound
from inclusio.profiles.schema import Profile


def _field_path(loc: tuple[int | str, ...]) -> str:
    return ".".join(str(part) for part in loc) or "(root)"


def load_profile_file(path: Path) -> Profile:
    """Parse one YAML file. The file name (without ``.yaml``) must equal the profile's ``id``."""
    try:
        data = yaml.safe_load(path.read_text(encoding="utf-8"))
    except yaml.YAMLError as exc:
        raise ProfileInvalid(f"{path.name}: not valid YAML ({exc}). Fix the syntax.",
                             message_fr=f"{path.name} : YAML invalide ({exc}). Corrigez la syntaxe.",
                             details={"file": str(path)}) from exc
    if not isinstance(data, dict):
        raise ProfileInvalid(f"{path.name}: the file must hold a mapping of settings.",
                             message_fr=f"{path.name} : le fichier doit contenir des réglages (clé: valeur).",
                             details={"file": str(path)})
    data.setdefault("id", path.stem)
    try:
        profile = Profile.model_validate(data)
    except ValidationError as exc:
        problems = [f"{_field_path(err['loc'])}: {err['msg']}" for err in exc.errors()]
        first = problems[0]
        raise ProfileInvalid(
            f"{path.name}: {first}" + (f" (and {len(problems) - 1} more)" if len(problems) > 1 else ""),
            message_fr=f"{path.name} : {first}",
            details={"file": str(path), "errors": problems},
        ) from exc
    if profile.id != path.stem:
        raise ProfileInvalid(f"{path.name}: id: '{profile.id}' must match the file name '{path.stem}'.",
                             message_fr=f"{path.name} : id : « {profile.id} » doit être le nom du fichier.",
                             details={"file": str(path)})
    return profile


def list_profiles(folder: Path) -> list[Profile]:
    """Every profile in ``folder``, sorted by id. An invalid file raises :class:`ProfileInvalid`."""
    return [load_profile_file(path) for path in sorted(folder.glob("*.yaml"))]


def load_profile(name: str, folder: Path) -> Profile:
    """The profile ``name`` (a file ``<name>.yaml`` in ``folder``), or a path to a YAML file."""
    candidate = Path(name)
    if candidate.suffix in {".yaml", ".yml"} and candidate.is_file():
        return load_profile_file(candidate)
    if not name or "/" in name or "\\" in name or name.startswith("."):
        raise ProfileNotFound(details={"profile": name})
    path = folder / f"{name}.yaml"
    if not path.is_file():
        available = ", ".join(p.stem for p in sorted(folder.glob("*.yaml"))) or "none"
        raise ProfileNotFound(
            f"No profile named '{name}'. Available: {available}.",
            message_fr=f"Aucun profil nommé « {name} ». Profils disponibles : {available}.",
            details={"profile": name},
        )
    return load_profile_file(path)
