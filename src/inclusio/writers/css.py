"""A learner profile's reading settings as a style sheet, shared by the EPUB and HTML writers.

Everything is a *default the reader can override* (STANDARDS R9): no ``!important``, relative
units (``rem``, ``em``, ``ch``) so the reading system's own font-size and font choices win.
Layout rules follow the easy-to-read layout checks (STANDARDS §3, L1-L8): left-aligned text,
no hyphenation unless the profile asks for it, no italics or all-caps added by the style
sheet, one column, a bounded line length. The one exception to "one column" is parallel text (a
block and its translation, ``.parallel``): side by side when both columns get at least 15em,
stacked (original first) otherwise, so large text and a 320 CSS px screen never scroll sideways.
"""

from __future__ import annotations

from inclusio.profiles import Profile
from inclusio.profiles.reading import css_font_stack


def _num(value: float) -> str:
    """``1.0`` -> ``1``, ``1.15`` -> ``1.15`` (short, stable CSS numbers)."""
    text = f"{value:.3f}".rstrip("0").rstrip(".")
    return text or "0"


def profile_css(profile: Profile) -> str:
    """The style sheet for ``profile``: fonts, sizes, spacing, colours, line length.

    Returns CSS text usable both as an EPUB style sheet and inside an HTML ``<style>``.
    The font family is a default (the reader's own font setting replaces it); the size is in
    ``rem``; the line length is bounded with ``max-width`` in ``ch``; text is left-aligned;
    hyphenation is ``none`` unless ``profile.reading.hyphens`` is true.
    """
    r = profile.reading
    colors = r.colors
    hyphens = "auto" if r.hyphens else "none"
    # Written from the catalogue's canonical names only (inclusio.profiles.reading), never from the
    # text a profile or a learner typed: nothing can close the declaration, the rule or the <style>.
    family = css_font_stack(r.font_family)
    return f"""/* inclusio profile: {profile.id} (defaults the reader can override) */
html {{
  color: {colors.text};
  background-color: {colors.background};
}}
body {{
  font-family: {family};
  font-size: {_num(r.font_size_rem)}rem;
  line-height: {_num(r.line_height)};
  letter-spacing: {_num(r.letter_spacing_em)}em;
  word-spacing: {_num(r.word_spacing_em)}em;
  text-align: {r.text_align};
  -webkit-hyphens: {hyphens};
  hyphens: {hyphens};
  overflow-wrap: break-word;
  max-width: {r.max_line_chars}ch;
  margin: 0 auto;
  padding: 0 1em;
  color: {colors.text};
  background-color: {colors.background};
}}
p, li, dd, figcaption, blockquote, pre, table, aside {{
  text-align: {r.text_align};
}}
p {{
  margin-top: 0;
  margin-bottom: {_num(r.paragraph_spacing_em)}em;
}}
h1, h2, h3, h4, h5, h6 {{
  line-height: 1.3;
  margin-top: {_num(max(r.paragraph_spacing_em, 1.0) * 1.5)}em;
  margin-bottom: {_num(max(r.paragraph_spacing_em, 0.5) * 0.5)}em;
  text-align: {r.text_align};
}}
h1 {{ font-size: 1.6em; }}
h2 {{ font-size: 1.4em; }}
h3 {{ font-size: 1.2em; }}
h4, h5, h6 {{ font-size: 1.05em; }}
a {{ color: {colors.link}; text-decoration: underline; }}
ul, ol {{
  margin-top: 0;
  margin-bottom: {_num(r.paragraph_spacing_em)}em;
  padding-left: 1.5em;
}}
li {{ margin-bottom: {_num(r.paragraph_spacing_em * 0.4)}em; }}
""" + _blocks_css(r.paragraph_spacing_em, r.text_align, colors.link)


def _blocks_css(spacing: float, align: str, link: str) -> str:
    """The rules for quotes, code, figures, tables, notes, formulas, page breaks and the parallel layout."""
    return f"""blockquote {{
  margin: 0 0 {_num(spacing)}em 0;
  padding-left: 1em;
  border-left: 0.25em solid currentColor;
}}
pre {{
  white-space: pre-wrap;
  overflow-wrap: anywhere;
  font-family: monospace, monospace;
  font-size: 0.95em;
}}
figure {{
  margin: 0 0 {_num(spacing)}em 0;
}}
figure img {{
  max-width: 100%;
  height: auto;
}}
figcaption {{ margin-top: 0.5em; }}
.image-missing {{
  border: 0.1em dashed currentColor;
  padding: 0.5em;
}}
table {{
  border-collapse: collapse;
  margin-bottom: {_num(spacing)}em;
  max-width: 100%;
}}
caption {{
  text-align: {align};
  font-weight: bold;
  margin-bottom: 0.5em;
}}
th, td {{
  border: 0.06em solid currentColor;
  padding: 0.3em 0.5em;
  vertical-align: top;
  text-align: {align};
}}
th {{ font-weight: bold; }}
aside {{
  margin: 0 0 {_num(spacing)}em 0;
  padding: 0.5em 1em;
  border-left: 0.25em solid currentColor;
}}
.note-label {{ font-weight: bold; }}
.unreviewed-note {{
  font-style: italic;
  border: 0.12em dashed currentColor;
  padding: 0.3em 0.6em;
}}
.formula {{ font-family: 'STIX Two Math', 'Cambria Math', serif; white-space: pre-wrap; }}
.pagebreak {{
  display: block;
  font-size: 0.8em;
  text-align: right;
  margin: 0.5em 0;
}}
.parallel {{
  display: grid;
  grid-template-columns: repeat(auto-fit, minmax(min(100%, 15em), 1fr));
  column-gap: 1.5em;
  align-items: start;
}}
.parallel-heading {{ align-items: baseline; }}
.parallel-original, .parallel-translation {{
  min-width: 0;
  overflow-wrap: break-word;
}}
.parallel-translation {{
  border-left: 0.2em solid {link};
  padding-left: 0.75em;
}}
.heading-translation {{
  font-size: 1.15em;
  line-height: 1.3;
}}
.glossary-translation .note-label {{ font-weight: normal; }}
.skip-link {{
  position: absolute;
  left: -999em;
}}
.skip-link:focus {{
  position: static;
  left: auto;
}}
"""
