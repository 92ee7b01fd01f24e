"""The learner-profile schema. A profile says how to adapt and render a document for one reader.

Profiles live as YAML in the top-level ``profiles/`` folder (one file per profile, the file
name is the profile's id). Unknown keys are refused, so a typo never silently does nothing.
"""

from __future__ import annotations

from typing import Literal

from pydantic import BaseModel, ConfigDict, Field

OutputName = Literal["epub", "html", "mp3", "report", "json", "brf", "large-print"]
ALL_OUTPUTS: tuple[OutputName, ...] = ("epub", "html", "mp3", "report", "json", "brf", "large-print")


class _Strict(BaseModel):
    model_config = ConfigDict(extra="forbid", frozen=True)


class LocalizedText(_Strict):
    """A short text in French (first) and English."""

    fr: str
    en: str


class AdaptationSettings(_Strict):
    level: Literal["easy_read", "plain", "original"] = "original"
    """``easy_read``: easy-to-read draft (FALC rules); ``plain``: plain language; ``original``: no rewrite."""
    max_sentence_words: int = Field(default=15, ge=5, le=60)
    """Sentences longer than this are split where a safe split point exists."""
    one_sentence_per_line: bool = False
    enumerations_as_lists: bool = False


class Colors(_Strict):
    text: str = Field(default="#1a1a1a", pattern=r"^#[0-9a-fA-F]{6}$")
    background: str = Field(default="#ffffff", pattern=r"^#[0-9a-fA-F]{6}$")
    link: str = Field(default="#0b4f9c", pattern=r"^#[0-9a-fA-F]{6}$")


class ReadingSettings(_Strict):
    """Visual settings. Always a default the reader can override, never a locked font."""

    font_family: str = "system-ui, -apple-system, 'Segoe UI', Roboto, Arial, sans-serif"
    font_size_rem: float = Field(default=1.0, ge=0.8, le=4.0)
    line_height: float = Field(default=1.5, ge=1.0, le=3.0)
    letter_spacing_em: float = Field(default=0.0, ge=0.0, le=0.5)
    word_spacing_em: float = Field(default=0.0, ge=0.0, le=1.0)
    paragraph_spacing_em: float = Field(default=1.0, ge=0.0, le=4.0)
    text_align: Literal["left", "start"] = "start"
    max_line_chars: int = Field(default=70, ge=20, le=200)
    hyphens: bool = False
    colors: Colors = Colors()


class SpeechSettings(_Strict):
    rate_wpm: int = Field(default=165, ge=80, le=450)
    """Words per minute (espeak-ng's rate)."""
    read_page_numbers: bool = False
    """Announce "page 12" at page changes (blind readers following a printed copy)."""


class ImageSettings(_Strict):
    alt_text: Literal["short", "extended"] = "short"


class Profile(_Strict):
    """One learner profile, as stored in ``profiles/<id>.yaml``."""

    id: str = Field(pattern=r"^[a-z0-9][a-z0-9-]*$")
    name: LocalizedText
    description: LocalizedText
    adaptation: AdaptationSettings = AdaptationSettings()
    outputs: list[OutputName] = Field(default_factory=lambda: ["epub", "html", "mp3", "report"])
    reading: ReadingSettings = ReadingSettings()
    speech: SpeechSettings = SpeechSettings()
    images: ImageSettings = ImageSettings()

    @property
    def adaptation_kinds(self) -> tuple[str, ...]:
        """Which adaptations writers should apply for this profile (see :func:`inclusio.model.reading_blocks`)."""
        return ("easy_read",) if self.adaptation.level == "easy_read" else ()
