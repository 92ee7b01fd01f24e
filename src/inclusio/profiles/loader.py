"""Load and list profiles from a folder of YAML files; errors name the file and the field.

A learner's own profile is a base profile plus overrides::

    base: dyslexia            # a profile of the same folder (or of the shipped profiles)
    id: lea-martin
    name: {fr: Léa, en: Léa}
    reading: {font_size_rem: 1.4}
    summaries: {enabled: true}

The base's settings are merged with the overrides key by key (nested mappings are merged,
lists and values replaced), then the result is validated as a whole, so an error names the
learner's file and the field. ``description`` and ``name`` come from the base when absent.
Bases may themselves have a base (at most :data:`MAX_BASE_DEPTH` levels, no cycles).
"""

from __future__ import annotations

from pathlib import Path
from typing import Any

import yaml
from pydantic import ValidationError

from inclusio.errors import ProfileInvalid, ProfileNotFound
from inclusio.profiles.schema import Profile

MAX_BASE_DEPTH = 4


def _field_path(loc: tuple[int | str, ...]) -> str:
    return ".".join(str(part) for part in loc) or "(root)"


def _read_yaml(path: Path) -> dict[str, Any]:
    try:
        data = yaml.safe_load(path.read_text(encoding="utf-8"))
    except yaml.YAMLError as exc:
        raise ProfileInvalid(
            f"{path.name}: not valid YAML ({exc}). Fix the syntax.",
            message_fr=f"{path.name} : YAML invalide ({exc}). Corrigez la syntaxe.",
            details={"file": str(path)},
        ) from exc
    if not isinstance(data, dict):
        raise ProfileInvalid(
            f"{path.name}: the file must hold a mapping of settings.",
            message_fr=f"{path.name} : le fichier doit contenir des réglages (clé: valeur).",
            details={"file": str(path)},
        )
    return data


def merge_settings(base: dict[str, Any], overrides: dict[str, Any]) -> dict[str, Any]:
    """``base`` updated by ``overrides``: nested mappings merged key by key, anything else replaced."""
    out = dict(base)
    for key, value in overrides.items():
        if isinstance(value, dict) and isinstance(out.get(key), dict):
            out[key] = merge_settings(out[key], value)
        else:
            out[key] = value
    return out


def _resolve_base(data: dict[str, Any], path: Path, folders: list[Path], seen: list[str]) -> dict[str, Any]:
    """``data`` merged over its ``base`` chain (raw mappings; validated by the caller)."""
    base_name = data.get("base")
    if base_name is None:
        return data
    if not isinstance(base_name, str) or not base_name or "/" in base_name or "\\" in base_name:
        raise ProfileInvalid(
            f"{path.name}: base: must be the name of a profile (like 'dyslexia').",
            message_fr=f"{path.name} : base : doit être le nom d'un profil (comme « dyslexia »).",
            details={"file": str(path), "field": "base"},
        )
    if base_name in seen or len(seen) > MAX_BASE_DEPTH:
        chain = " -> ".join([*seen, base_name])
        raise ProfileInvalid(
            f"{path.name}: base: the chain of bases loops or is too long ({chain}).",
            message_fr=f"{path.name} : base : la chaîne de profils de base boucle ou est trop "
            f"longue ({chain}).",
            details={"file": str(path), "field": "base"},
        )
    base_path = next((f / f"{base_name}.yaml" for f in folders if (f / f"{base_name}.yaml").is_file()), None)
    if base_path is None:
        raise ProfileInvalid(
            f"{path.name}: base: no profile named '{base_name}'.",
            message_fr=f"{path.name} : base : aucun profil nommé « {base_name} ».",
            details={"file": str(path), "field": "base"},
        )
    base_data = _resolve_base(_read_yaml(base_path), base_path, folders, [*seen, base_name])
    base_data = {key: value for key, value in base_data.items() if key not in ("id", "base")}
    return merge_settings(base_data, data)


def _default_bases() -> Path | None:
    from inclusio.config import _default_profiles_dir

    return _default_profiles_dir()


def load_profile_file(path: Path, *, base_folders: list[Path] | None = None) -> Profile:
    """Parse one YAML file. The file name (without ``.yaml``) must equal the profile's ``id``.

    A ``base:`` key is looked up in the file's own folder, then in ``base_folders`` (default:
    the shipped profiles folder), and merged under the file's settings (see the module doc).
    """
    data = _read_yaml(path)
    data.setdefault("id", path.stem)
    if "base" in data:
        shipped = _default_bases()
        folders = [path.parent, *(base_folders or ([shipped] if shipped else []))]
        data = _resolve_base(data, path, folders, [path.stem])
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
        raise ProfileInvalid(
            f"{path.name}: id: '{profile.id}' must match the file name '{path.stem}'.",
            message_fr=f"{path.name} : id : « {profile.id} » doit être le nom du fichier.",
            details={"file": str(path)},
        )
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


def with_reading(profile: Profile, reading: dict[str, Any] | None) -> Profile:
    """``profile`` with a learner's reading adjustments (font, size, spacing...) merged over its ``reading``.

    The result is validated like a profile file: an unknown key or a value out of range raises
    :class:`ProfileInvalid` naming the field (``reading.font_size_rem``).
    """
    if not reading:
        return profile
    data = profile.model_dump()
    data["reading"] = merge_settings(data["reading"], reading)
    try:
        return Profile.model_validate(data)
    except ValidationError as exc:
        problems = [f"{_field_path(err['loc'])}: {err['msg']}" for err in exc.errors()]
        raise ProfileInvalid(
            f"reading adjustments: {problems[0]}",
            message_fr=f"réglages de lecture : {problems[0]}",
            details={"errors": problems},
        ) from exc
