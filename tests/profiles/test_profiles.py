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
    assert {"easy-read", "dyslexia", "low-vision", "blind", "adhd", "fle"} <= ids


def test_settings_find_the_profiles_folder_of_the_checkout() -> None:
    assert Settings().profiles_dir.resolve() == PROFILES.resolve()


def test_easy_read_profile_asks_for_the_easy_read_adaptation() -> None:
    profile = load_profile("easy-read", PROFILES)
    assert profile.adaptation.level == "easy_read"
    assert profile.adaptation_kinds[0] == "easy_read"
    assert "easy_read" not in load_profile("dyslexia", PROFILES).adaptation_kinds


def test_unknown_key_names_the_file_and_the_field(tmp_path: Path) -> None:
    (tmp_path / "mine.yaml").write_text(
        "name: {fr: Moi, en: Me}\ndescription: {fr: x, en: x}\nreading:\n  font_sise_rem: 2\n",
        encoding="utf-8",
    )
    with pytest.raises(ProfileInvalid) as info:
        load_profile("mine", tmp_path)
    assert info.value.code == "profile.invalid"
    assert "mine.yaml" in info.value.message
    assert "reading.font_sise_rem" in info.value.message


def test_bad_value_names_the_field(tmp_path: Path) -> None:
    (tmp_path / "big.yaml").write_text(
        "name: {fr: G, en: B}\ndescription: {fr: x, en: x}\nreading: {font_size_rem: 12}\n", encoding="utf-8"
    )
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


# -- schema extensions, learner profiles (base + overrides) -----------------------------------------


def test_adhd_profile_asks_for_summaries_and_plain_language() -> None:
    adhd = load_profile("adhd", PROFILES)
    assert adhd.summaries.enabled and adhd.adaptation.level == "plain"
    assert adhd.adaptation_kinds[:2] == ("plain", "summary")


def test_fle_profile_accepts_the_cefr_level_name_and_asks_for_a_translation() -> None:
    fle = load_profile("fle", PROFILES)
    assert fle.adaptation.level == "plain"  # written "B1" in the YAML
    assert fle.translation.target == "en" and fle.translation.bilingual_glossary
    # parallel mode: the learner reads French, the translation is not swapped in
    assert "translation" not in fle.adaptation_kinds


def _write(folder: Path, name: str, text: str) -> Path:
    path = folder / f"{name}.yaml"
    path.write_text(text, encoding="utf-8")
    return path


def test_learner_profile_is_its_base_plus_overrides(tmp_path: Path) -> None:
    _write(
        tmp_path,
        "lea",
        "base: dyslexia\nname: {fr: Léa, en: Léa}\nreading: {font_size_rem: 1.4}\n"
        "summaries: {enabled: true}\n",
    )
    lea = load_profile("lea", tmp_path)
    dyslexia = load_profile("dyslexia", PROFILES)
    assert lea.id == "lea" and lea.base == "dyslexia"
    assert lea.reading.font_size_rem == 1.4  # overridden
    assert lea.reading.line_height == dyslexia.reading.line_height  # merged from the base, not reset
    assert lea.reading.colors == dyslexia.reading.colors
    assert lea.description == dyslexia.description  # inherited
    assert lea.summaries.enabled and not dyslexia.summaries.enabled


def test_an_override_error_names_the_learner_file_and_the_field(tmp_path: Path) -> None:
    _write(tmp_path, "tom", "base: easy-read\nreading: {line_height: 9}\n")
    with pytest.raises(ProfileInvalid, match=r"tom\.yaml: reading\.line_height"):
        load_profile("tom", tmp_path)


def test_a_missing_or_looping_base_is_a_profile_error(tmp_path: Path) -> None:
    _write(tmp_path, "a", "base: nowhere\n")
    with pytest.raises(ProfileInvalid, match=r"a\.yaml: base: no profile named 'nowhere'"):
        load_profile("a", tmp_path)
    _write(tmp_path, "b", "base: c\nname: {fr: B, en: B}\ndescription: {fr: b, en: b}\n")
    _write(tmp_path, "c", "base: b\nname: {fr: C, en: C}\ndescription: {fr: c, en: c}\n")
    with pytest.raises(ProfileInvalid, match="loops"):
        load_profile("b", tmp_path)


def test_bases_chain(tmp_path: Path) -> None:
    _write(tmp_path, "mid", "base: low-vision\nname: {fr: M, en: M}\nspeech: {rate_wpm: 120}\n")
    _write(tmp_path, "top", "base: mid\nname: {fr: T, en: T}\nglossary: {enabled: true}\n")
    top = load_profile("top", tmp_path)
    assert top.speech.rate_wpm == 120
    assert top.reading.font_size_rem == load_profile("low-vision", PROFILES).reading.font_size_rem
    assert top.glossary.enabled and top.base == "mid"


def test_shipped_json_schema_file_is_up_to_date() -> None:
    """profiles/schema.json is for editors (yaml-language-server); regenerate it with
    ``inclusio profiles schema > profiles/schema.json`` when the schema changes."""
    import json

    shipped = json.loads((PROFILES / "schema.json").read_text(encoding="utf-8"))
    assert shipped == Profile.model_json_schema()
    assert {"summaries", "glossary", "translation", "base"} <= set(shipped["properties"])
