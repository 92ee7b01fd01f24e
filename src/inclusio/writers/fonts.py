"""Fonts the EPUB can embed, from Debian packages, with their licences.

Only fonts whose licence allows embedding and that Debian packages are listed; nothing is ever
downloaded. A font is embedded when the profile's ``reading.font_family`` names it: it is then
one entry of the font stack, a default the reader's own font setting overrides (no
``!important``, STANDARDS R9). The licence text travels in the book next to the font files.

| family | Debian package | licence |
|---|---|---|
| OpenDyslexic | ``fonts-opendyslexic`` | CC-BY-3.0 and Bitstream Vera licence |

Atkinson Hyperlegible and Luciole are not packaged by Debian 12: profiles may name them (a reader
who installed them gets them), they are not embedded.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from pathlib import Path

from inclusio.profiles import Profile


@dataclass(frozen=True)
class FontFace:
    """One file of a family: ``weight`` and ``style`` as CSS says them."""

    path: Path
    weight: str = "normal"
    style: str = "normal"


@dataclass(frozen=True)
class FontFamily:
    name: str
    debian_package: str
    licence: str
    licence_file: Path
    faces: tuple[FontFace, ...]

    def installed(self) -> bool:
        return self.licence_file.is_file() and all(face.path.is_file() for face in self.faces)


_OD = Path("/usr/share/fonts/opentype/opendyslexic")
CATALOGUE: dict[str, FontFamily] = {
    "opendyslexic": FontFamily(
        name="OpenDyslexic",
        debian_package="fonts-opendyslexic",
        licence="CC-BY-3.0 and Bitstream Vera licence",
        licence_file=Path("/usr/share/doc/fonts-opendyslexic/copyright"),
        faces=(FontFace(_OD / "OpenDyslexic-Regular.otf"), FontFace(_OD / "OpenDyslexic-Bold.otf", "bold")),
    ),
}


def stack_names(font_family: str) -> list[str]:
    """``"Verdana, 'Open Dyslexic', sans-serif"`` -> ``["verdana", "opendyslexic", "sans-serif"]``."""
    return [re.sub(r"[\s'\"]", "", name).lower() for name in font_family.split(",") if name.strip()]


def fonts_to_embed(profile: Profile) -> tuple[list[FontFamily], list[str]]:
    """Catalogue families named by the profile and installed; and the names of those not installed."""
    embed: list[FontFamily] = []
    missing: list[str] = []
    for key in stack_names(profile.reading.font_family):
        family = CATALOGUE.get(key)
        if family is None:
            continue
        if family.installed():
            embed.append(family)
        else:
            missing.append(family.name)
    return embed, missing


def font_face_css(family: FontFamily, href: str) -> str:
    """``@font-face`` rules for ``family``; ``href`` is the folder of the font files, relative to the CSS."""
    rules = []
    for face in family.faces:
        rules.append(
            f"@font-face {{\n  font-family: '{family.name}';\n  src: url('{href}/{face.path.name}');\n"
            f"  font-weight: {face.weight};\n  font-style: {face.style};\n}}\n"
        )
    return "".join(rules)
