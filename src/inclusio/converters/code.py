"""What converters call program code: monospace fonts, code paragraph styles, code languages.

A whole paragraph (or line) set in a monospace font, or in a code paragraph style, is code; the
converter then adds its lines, exactly as written, to one :class:`~inclusio.model.Code` block
(consecutive code paragraphs form one block). A monospace word inside a sentence is *inline* code:
it stays in its paragraph.
"""

from __future__ import annotations

import functools
import re

_MONOSPACE = re.compile(
    r"(?i)courier|mono(?!type)|consol|menlo|monaco|inconsolata|source ?code|sourcecode|fira ?code|firacode|"
    r"andale|lucida ?console|lucidaconsole|lucida ?sans ?typewriter|cascadia|jetbrains|hack\b|"
    r"\bfixed|fixedsys|typewriter|\btt\b|^cmtt|^lmtt|ocr-?[ab]\b|letter ?gothic|prestige|pragmata|"
    r"iosevka|terminal"
)
"""Font names of monospace families (Courier, DejaVu Sans Mono, Consolas, Source Code Pro, Menlo,
Monaco, TeX's ``cmtt``/``lmtt`` typewriter fonts...), matched anywhere in the name so that a PDF's
subset prefix (``ABCDEF+Consolas-Bold``) does not hide it."""

_CODE_STYLES = {
    "code",
    "code block",
    "codeblock",
    "source code",
    "source text",
    "texte source",
    "code source",
    "html preformatted",
    "html préformaté",
    "préformaté html",
    "preformatted text",
    "texte préformaté",
    "preformatted",
    "plain text",
    "texte brut",
    "macro text",
    "texte de macro",
    "listing",
    "verbatim",
}
"""Paragraph style names (English and French display names, lower case) that mark code:
Word's "HTML Preformatted", "Plain Text", "Macro Text"; LibreOffice's "Preformatted Text" and
"Source Text"; the "Code" or "Source Code" styles of Pandoc and of many templates."""


@functools.lru_cache(maxsize=512)
def is_monospace_font(name: str | None) -> bool:
    """Whether a font name is that of a monospace family (see :data:`_MONOSPACE`); cached, as a PDF
    names the same few fonts on every span."""
    return bool(name) and _MONOSPACE.search(name.split("+", 1)[-1]) is not None


def is_code_style(name: str | None) -> bool:
    """Whether a paragraph style name is a code style (``Source_20_Text`` and ``Source Text`` alike)."""
    if not name:
        return False
    normal = " ".join(name.replace("_20_", " ").replace("_", " ").split()).lower()
    return normal in _CODE_STYLES or normal.startswith(("code ", "source code", "html preformatted"))


_LANGUAGE = re.compile(r"^[A-Za-z][A-Za-z0-9+#._-]{0,30}$")


def code_language(value: str | None) -> str | None:
    """A language name from a Markdown fence's info string or an HTML class (``language-python``,
    ``lang-js``, ``sourceCode python``); lower case; None when there is none."""
    if not value:
        return None
    for token in value.replace(",", " ").split():
        token = token.strip("{}.")
        for prefix in ("language-", "lang-"):
            if token.lower().startswith(prefix):
                token = token[len(prefix) :]
                break
        else:
            if token.lower() in ("sourcecode", "highlight", "code", "hljs", "notranslate"):
                continue
        if _LANGUAGE.match(token):
            return token.lower()
    return None
