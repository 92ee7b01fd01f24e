"""Code blocks in the outputs: ``<pre><code>`` with the text exactly, in the HTML page and the EPUB."""

from __future__ import annotations

import zipfile
from pathlib import Path

import pytest
from docfactory import MakeContext

from inclusio.model import Code, Document, Heading, Paragraph, SourceInfo
from inclusio.profiles import Profile
from inclusio.validate.epubcheck import check_epub
from inclusio.writers.epub3 import Epub3Writer
from inclusio.writers.html import HtmlWriter

CODE = 'def f(x):\n\tif x < 1 and x > -1:\n        return "<b>&amp;</b>"\n\n    return  x'


def _doc() -> Document:
    return Document(
        title="Code",
        lang="fr",
        source=SourceInfo(filename="code.md", media_type="text/markdown", sha256="0" * 64),
        blocks=[
            Heading(id="b1", level=1, text="Fonctions"),
            Paragraph(id="b2", text="La fonction f renvoie une chaîne."),
            Code(id="b3", text=CODE, language="Python"),
            Code(id="b4", text="ls -l", lang="en"),
        ],
    )


def _pre_blocks(markup: str) -> list[str]:
    out, pos = [], 0
    while (start := markup.find("<pre", pos)) != -1:
        end = markup.index("</pre>", start) + len("</pre>")
        out.append(markup[start:end])
        pos = end
    return out


def test_html_page_has_pre_code_with_the_text_exactly(
    tmp_path: Path, profiles: dict[str, Profile], make_ctx: MakeContext
) -> None:
    doc = _doc()
    [artifact, *_] = HtmlWriter().write(doc, make_ctx(tmp_path, profiles["easy-read"], doc))
    page = artifact.path.read_text(encoding="utf-8")
    first, second = _pre_blocks(page)
    assert first == (
        '<pre id="b3"><code class="language-python">def f(x):\n\tif x &lt; 1 and x &gt; -1:\n'
        "        return &quot;&lt;b&gt;&amp;amp;&lt;/b&gt;&quot;\n\n    return  x</code></pre>"
    )
    assert second.startswith('<pre id="b4" lang="en"') and second.endswith("<code>ls -l</code></pre>")


@pytest.mark.slow
def test_epub_code_passes_epubcheck(
    tmp_path: Path, profiles: dict[str, Profile], make_ctx: MakeContext
) -> None:
    doc = _doc()
    [artifact] = Epub3Writer().write(doc, make_ctx(tmp_path, profiles["dyslexia"], doc))
    with zipfile.ZipFile(artifact.path) as book:
        part = next(book.read(n).decode() for n in book.namelist() if n.endswith("part-001.xhtml"))
    assert '<code class="language-python">def f(x):\n\tif x &lt; 1' in part
    result = check_epub(artifact.path)
    assert (result.errors, result.fatals) == (0, 0), result.messages
