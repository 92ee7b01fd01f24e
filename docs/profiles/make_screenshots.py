"""Regenerate docs/profiles/*.png: one page of each profile's HTML and EPUB, in headless Chromium.

    .venv/bin/python docs/profiles/make_screenshots.py

Converts ``samples/cours-photosynthese-fr.pdf`` for every profile of ``profiles/``, writes the
HTML page and the EPUB, and screenshots the top of the HTML page and the second XHTML file of the
EPUB (with the book's own style sheet) at 1000 x 1250 CSS pixels, kept at half size.
"""

from __future__ import annotations

import shutil
import subprocess
import tempfile
import zipfile
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]
OUT = Path(__file__).resolve().parent
SAMPLE = ROOT / "samples" / "cours-photosynthese-fr.pdf"


def screenshot(url: str, png: Path, tmp: Path) -> None:
    chromium = shutil.which("chromium") or shutil.which("chromium-browser")
    assert chromium, "Chromium is needed (apt-get install chromium)"
    full = tmp / "full.png"
    subprocess.run([chromium, "--headless", "--no-sandbox", "--disable-gpu", "--disable-quic", "--no-first-run",
                    "--disable-background-networking", "--disable-component-update", "--disable-sync",
                    "--hide-scrollbars", f"--user-data-dir={tmp / 'profile'}", "--window-size=1000,1250",
                    f"--screenshot={full}", url], check=True, capture_output=True, timeout=120)
    import pymupdf

    pixmap = pymupdf.Pixmap(str(full))
    pixmap.shrink(1)  # half size: enough to see the type, the spacing and the colours
    pixmap.save(str(png))


def main() -> None:
    from inclusio.config import Settings
    from inclusio.converters.base import ConvertContext
    from inclusio.converters.registry import convert
    from inclusio.model import adapted_document
    from inclusio.profiles import list_profiles
    from inclusio.writers.base import RenderContext
    from inclusio.writers.epub3 import Epub3Writer
    from inclusio.writers.html import HtmlWriter

    settings = Settings()
    source = convert(SAMPLE, ConvertContext(filename=SAMPLE.name))
    for profile in list_profiles(settings.profiles_dir):
        with tempfile.TemporaryDirectory() as name:
            tmp = Path(name)
            profile = profile.model_copy(update={"outputs": ["epub", "html"]})  # no read-along audio needed
            view = adapted_document(source, profile.adaptation_kinds)
            ctx = RenderContext(out_dir=tmp, basename="cours", profile=profile, settings=settings, source=source)
            [html] = HtmlWriter().write(view, ctx)
            [epub] = Epub3Writer().write(view, ctx)
            screenshot(html.path.as_uri(), OUT / f"{profile.id}-html.png", tmp)
            with zipfile.ZipFile(epub.path) as book:
                book.extractall(tmp / "book")
            screenshot((tmp / "book" / "EPUB" / "part-002.xhtml").as_uri(), OUT / f"{profile.id}-epub.png", tmp)
            print(profile.id)


if __name__ == "__main__":
    main()
