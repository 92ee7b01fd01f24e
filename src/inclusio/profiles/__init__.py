"""Learner profiles: schema and loader (the YAML data lives in the top-level ``profiles/``)."""

from inclusio.profiles.loader import list_profiles, load_profile, load_profile_file, with_reading
from inclusio.profiles.schema import ALL_OUTPUTS, Profile

__all__ = ["ALL_OUTPUTS", "Profile", "list_profiles", "load_profile", "load_profile_file", "with_reading"]
