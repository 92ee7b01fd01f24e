"""The learner-profile schema. A profile says how to adapt and render a document for one reader.

Profiles live as YAML in the top-level ``profiles/`` folder (one file per profile, the file
name is the profile's id). Unknown keys are refused, so a typo never silently does nothing.
"""

from __future__ import annotations

import re
from typing import Literal

from pydantic import BaseModel, ConfigDict, Field, field_validator

from inclusio.profiles.reading import FONT_CHOICES, normalise_font_stack

OutputName = Literal["epub", "html", "mp3", "report", "json", "brf", "large-print"]
ALL_OUTPUTS: tuple[OutputName, ...] = ("epub", "html", "mp3", "report", "json", "brf", "large-print")


class _Strict(BaseModel):
    model_config = ConfigDict(extra="forbid", frozen=True)


class LocalizedText(_Strict):
    """A short text in French (first) and English."""

    fr: str
    en: str


LEVEL_ALIASES = {"a2": "easy_read", "b1": "plain", "falc": "easy_read", "easy-read": "easy_read"}
"""CEFR-style names accepted for ``adaptation.level`` (easy-to-read ~ A2, plain language ~ B1)."""


class AdaptationSettings(_Strict):
    level: Literal["easy_read", "plain", "original"] = "original"
    """``easy_read`` (~A2): easy-to-read draft (FALC rules); ``plain`` (~B1): plain language;
    ``original``: no rewrite. ``A2`` and ``B1`` are accepted as names for the first two."""
    max_sentence_words: int = Field(default=15, ge=5, le=60)
    """Sentences longer than this are split where a safe split point exists."""
    one_sentence_per_line: bool = False
    enumerations_as_lists: bool = False
    expand_acronyms: bool = False
    """Write out acronyms the document defines itself ("OMS" -> "Organisation mondiale de la santé (OMS)")."""

    @field_validator("level", mode="before")
    @classmethod
    def _level_alias(cls, value: object) -> object:
        if isinstance(value, str):
            return LEVEL_ALIASES.get(value.strip().lower(), value)
        return value


class Colors(_Strict):
    text: str = Field(default="#1a1a1a", pattern=r"^#[0-9a-fA-F]{6}$")
    background: str = Field(default="#ffffff", pattern=r"^#[0-9a-fA-F]{6}$")
    link: str = Field(default="#0b4f9c", pattern=r"^#[0-9a-fA-F]{6}$")


class ReadingSettings(_Strict):
    """Visual settings. Always a default the reader can override, never a locked font.

    Values only, never CSS (:mod:`inclusio.profiles.reading`): ``font_family`` is a list of names
    from a closed catalogue, stored in canonical spelling; numbers are bounded; colours are ``#rrggbb``.
    """

    font_family: str = Field(
        default="system-ui, -apple-system, Segoe UI, Roboto, Arial, sans-serif",
        description="comma list of font names, each one of: " + ", ".join(FONT_CHOICES),
    )
    font_size_rem: float = Field(default=1.0, ge=0.8, le=4.0)
    line_height: float = Field(default=1.5, ge=1.0, le=3.0)
    letter_spacing_em: float = Field(default=0.0, ge=0.0, le=0.5)
    word_spacing_em: float = Field(default=0.0, ge=0.0, le=1.0)
    paragraph_spacing_em: float = Field(default=1.0, ge=0.0, le=4.0)
    text_align: Literal["left", "start"] = "start"
    max_line_chars: int = Field(default=70, ge=20, le=200)
    hyphens: bool = False
    colors: Colors = Colors()

    @field_validator("font_family", mode="before")
    @classmethod
    def _known_fonts(cls, value: object) -> object:
        if not isinstance(value, str):
            raise ValueError("font_family must be a comma list of font names")
        return normalise_font_stack(value)


_LANG_KEY = re.compile(r"[a-z]{2,3}")
_VOICE_ID = re.compile(r"[A-Za-z0-9][A-Za-z0-9_.+-]{0,99}")


class SpeechSettings(_Strict):
    voice: str | None = None
    """espeak-ng voice for the document's language (default: ``INCLUSIO_SPEECH_VOICE_<LANG>``)."""
    voices: dict[str, str] = Field(default_factory=dict, max_length=32)
    """Piper voice per language (``{fr: fr_FR-siwis-medium}``, primary language subtag -> voice id), among
    those ``inclusio voices list`` shows; used when ``INCLUSIO_TTS_ENGINE=piper``. A voice that is not
    installed is reported (``tts.voice_not_installed``) and the language's best installed voice reads."""
    rate_wpm: int = Field(default=165, ge=80, le=450)
    """Words per minute (espeak-ng's rate)."""
    read_page_numbers: bool = False
    """Announce "page 12" at page changes (blind readers following a printed copy)."""
    read_code: bool = False
    """Read program code aloud line by line (a programming course for blind learners). False: each
    code block is announced ("Exemple de code, 4 lignes, non lu.") and skipped."""
    read_along: bool | None = None
    """EPUB media overlays (the sentence being spoken is highlighted). None: whenever the profile asks
    for audio (``mp3`` in its outputs). The EPUB then synthesises its own audio."""

    @field_validator("voices")
    @classmethod
    def _voice_ids(cls, value: dict[str, str]) -> dict[str, str]:
        for lang, voice in value.items():
            if not _LANG_KEY.fullmatch(lang):
                raise ValueError(f"speech.voices: '{lang}' is not a primary language subtag (fr, en, de...)")
            if not _VOICE_ID.fullmatch(voice):
                raise ValueError(
                    f"speech.voices.{lang}: '{voice}' is not a voice id (a file stem such as fr_FR-siwis-medium)"
                )
        return value


class ImageSettings(_Strict):
    alt_text: Literal["short", "extended"] = "short"
    """``short``: an alt text; ``extended``: also a long description of charts and diagrams (read aloud)."""
    generate: bool = True
    """Write an alt text (marked for review) for images the author left without one."""


class SummarySettings(_Strict):
    """Key points at the top of each section (ADHD and cognitive profiles)."""

    enabled: bool = False
    max_points: int = Field(default=3, ge=1, le=8)
    min_section_words: int = Field(default=60, ge=0)
    """Sections shorter than this get no summary (it would repeat them)."""


class GlossarySettings(_Strict):
    """A glossary of hard words (rare by word frequency) and course terms, with simple definitions."""

    enabled: bool = False
    zipf_threshold: float = Field(default=3.5, ge=0.0, le=8.0)
    """Words rarer than this (wordfreq Zipf scale; 3.5 = about 3 per million words) are hard."""
    max_terms: int = Field(default=40, ge=1, le=500)
    course_terms: list[str] = Field(default_factory=list)
    """Terms always in the glossary and never paraphrased away by a rewrite."""


class TranslationSettings(_Strict):
    """Translation for learners of French as a foreign language (needs the Mistral engine)."""

    target: str | None = Field(default=None, pattern=r"^[a-z]{2,3}(-[A-Za-z0-9]{2,8})*$")
    """BCP 47 language of the translation (``en``, ``es``, ``ar``...); None: no translation."""
    mode: Literal["parallel", "replace"] = "parallel"
    """``parallel``: the translation is kept beside the text (the learner reads French);
    ``replace``: the reader's view shows the translation instead."""
    bilingual_glossary: bool = True
    """Give each glossary term in the target language too."""


class Profile(_Strict):
    """One learner profile, as stored in ``profiles/<id>.yaml``."""

    id: str = Field(pattern=r"^[a-z0-9][a-z0-9-]*$")
    base: str | None = None
    """The profile this one was derived from (``base: dyslexia`` + overrides), for the record."""
    name: LocalizedText
    description: LocalizedText
    adaptation: AdaptationSettings = AdaptationSettings()
    outputs: list[OutputName] = Field(default_factory=lambda: ["epub", "html", "mp3", "report"])
    reading: ReadingSettings = ReadingSettings()
    speech: SpeechSettings = SpeechSettings()
    images: ImageSettings = ImageSettings()
    summaries: SummarySettings = SummarySettings()
    glossary: GlossarySettings = GlossarySettings()
    translation: TranslationSettings = TranslationSettings()

    @property
    def adaptation_kinds(self) -> tuple[str, ...]:
        """Which adaptations writers should apply for this profile (see :func:`inclusio.model.reading_blocks`)."""
        kinds: list[str] = []
        if self.translation.target and self.translation.mode == "replace":
            kinds.append("translation")
        if self.adaptation.level in ("easy_read", "plain"):
            kinds.append(self.adaptation.level)
        if self.summaries.enabled:
            kinds.append("summary")
        if self.images.generate:
            kinds.append("alt_text")
        return tuple(kinds)

    @property
    def parallel_kinds(self) -> tuple[str, ...]:
        """Adaptations the reader's view shows *beside* the text rather than instead of it (the
        ``parallel`` translation; see :func:`inclusio.model.view.reading_blocks`)."""
        if self.translation.target and self.translation.mode == "parallel":
            return ("translation",)
        return ()
