"""Fonts the EPUB can embed and the reader serves, from packages, with their licences.

Only fonts whose licence allows embedding and that a package the project installs provides are listed;
nothing is ever downloaded. A font is embedded when the profile's ``reading.font_family`` names it: it is then
one entry of the font stack, a default the reader's own font setting overrides (no
``!important``, STANDARDS R9). The licence text travels in the book next to the font files.

| family | package | files | licence |
|---|---|---|---|
| OpenDyslexic | Debian ``fonts-opendyslexic`` | OTF regular, bold | CC-BY-3.0 and Bitstream Vera licence |
| Atkinson Hyperlegible | Python ``fontpkg-atkinson-hyperlegible`` (a dependency in pyproject.toml) | TTF regular, italic, bold, bold italic | SIL OFL 1.1 |

Luciole is packaged by neither: profiles may name it (a reader who installed it gets it), it is not embedded.
"""

from __future__ import annotations

import importlib.util
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

    @property
    def media_type(self) -> str:
        """The file's media type (EPUB 3's core media types: ``font/otf``, ``font/ttf``)."""
        return MEDIA_TYPES.get(self.path.suffix.lower(), "font/otf")


MEDIA_TYPES = {".otf": "font/otf", ".ttf": "font/ttf", ".woff": "font/woff", ".woff2": "font/woff2"}


@dataclass(frozen=True)
class FontFamily:
    name: str
    package: str
    """Where the files come from: ``fonts-opendyslexic (Debian)``, ``fontpkg-atkinson-hyperlegible (Python)``."""
    licence: str
    licence_file: Path
    faces: tuple[FontFace, ...]

    def installed(self) -> bool:
        return self.licence_file.is_file() and all(face.path.is_file() for face in self.faces)


def python_package_dir(module: str) -> Path:
    """The folder of an installed Python package holding font files (found, not imported); a path that does
    not exist when the package is not installed (its family is then not installed either)."""
    try:
        spec = importlib.util.find_spec(module)
    except (ImportError, ValueError):
        spec = None
    locations = list(spec.submodule_search_locations or []) if spec is not None else []
    return Path(locations[0]) if locations else Path("/nonexistent") / module


_OD = Path("/usr/share/fonts/opentype/opendyslexic")
_AH = python_package_dir("fontpkg_atkinson_hyperlegible")
CATALOGUE: dict[str, FontFamily] = {
    "opendyslexic": FontFamily(
        name="OpenDyslexic",
        package="fonts-opendyslexic (Debian)",
        licence="CC-BY-3.0 and Bitstream Vera licence",
        licence_file=Path("/usr/share/doc/fonts-opendyslexic/copyright"),
        faces=(FontFace(_OD / "OpenDyslexic-Regular.otf"), FontFace(_OD / "OpenDyslexic-Bold.otf", "bold")),
    ),
    "atkinsonhyperlegible": FontFamily(
        name="Atkinson Hyperlegible",
        package="fontpkg-atkinson-hyperlegible (Python)",
        licence="SIL Open Font License 1.1",
        licence_file=_AH / "LICENSE",
        faces=(
            FontFace(_AH / "files" / "AtkinsonHyperlegible-Regular.ttf"),
            FontFace(_AH / "files" / "AtkinsonHyperlegible-Italic.ttf", style="italic"),
            FontFace(_AH / "files" / "AtkinsonHyperlegible-Bold.ttf", "bold"),
            FontFace(_AH / "files" / "AtkinsonHyperlegible-BoldItalic.ttf", "bold", "italic"),
        ),
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
