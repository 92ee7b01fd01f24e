"""Profiles: the shipped YAML files are valid, and errors name the file and the field."""

from __future__ import annotations

from pathlib import Path

import pytest

from inclusio.config import Settings
from inclusio.errors import ProfileInvalid, ProfileNotFound
from inclusio.profiles import Profile, list_profiles, load_profile

PROFILES = Path(__file__).resolve().parents[2] / "profiles"


def test_shipped_profiles_load() -> None:
    ids = {p.id for p in list_profiles(PROFILES)}
    assert {"easy-read", "dyslexia", "low-vision", "blind"} <= ids


def test_settings_find_the_profiles_folder_of_the_checkout() -> None:
    assert Settings().profiles_dir.resolve() == PROFILES.resolve()


def test_easy_read_profile_asks_for_the_easy_read_adaptation() -> None:
    profile = load_profile("easy-read", PROFILES)
    assert profile.adaptation.level == "easy_read"
    assert profile.adaptation_kinds == ("easy_read",)
    assert load_profile("dyslexia", PROFILES).adaptation_kinds == ()


def test_unknown_key_names_the_file_and_the_field(tmp_path: Path) -> None:
    (tmp_path / "mine.yaml").write_text(
        "name: {fr: Moi, en: Me}\ndescription: {fr: x, en: x}\nreading:\n  font_sise_rem: 2\n", encoding="utf-8")
    with pytest.raises(ProfileInvalid) as info:
        load_profile("mine", tmp_path)
    assert info.value.code == "profile.invalid"
    assert "mine.yaml" in info.value.message
    assert "reading.font_sise_rem" in info.value.message


def test_bad_value_names_the_field(tmp_path: Path) -> None:
    (tmp_path / "big.yaml").write_text(
        "name: {fr: G, en: B}\ndescription: {fr: x, en: x}\nreading: {font_size_rem: 12}\n", encoding="utf-8")
    with pytest.raises(ProfileInvalid, match=r"big\.yaml: reading\.font_size_rem"):
        load_profile("big", tmp_path)


def test_broken_yaml_is_a_profile_error(tmp_path: Path) -> None:
    (tmp_path / "broken.yaml").write_text("name: [unclosed\n", encoding="utf-8")
    with pytest.raises(ProfileInvalid, match="broken.yaml"):
        load_profile("broken", tmp_path)


def test_unknown_profile_lists_the_available_ones() -> None:
    with pytest.raises(ProfileNotFound) as info:
        load_profile("nope", PROFILES)
    assert "easy-read" in info.value.message


def test_path_like_names_are_not_followed() -> None:
    with pytest.raises(ProfileNotFound):
        load_profile("../pyproject", PROFILES)


def test_json_schema_exports_and_forbids_extra_keys() -> None:
    schema = Profile.model_json_schema()
    assert schema["additionalProperties"] is False
    assert "reading" in schema["properties"]
