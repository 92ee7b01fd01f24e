"""PyMuPDF as inclusio uses it: imported without its layout model and pymupdf4llm.

``import pymupdf`` (2.0) also imports ``pymupdf.layout`` (which reads an ONNX model) and
``pymupdf4llm`` (numpy, onnxruntime) when they are installed, and turns the layout model on for the
whole process: ~2 s and ~40-50 MiB in every process, for code inclusio never runs, and
``find_tables()`` / ``to_markdown()`` change behaviour. Every module of ours that needs PyMuPDF (the
PDF and OCR converters, PPTX images, the large-print writer, alt text from image OCR) calls
:func:`load` instead of ``import pymupdf``. Why the layout model stays off: the module docstring of
:mod:`inclusio.converters.pdf`.
"""

from __future__ import annotations

import sys
from typing import TYPE_CHECKING

if TYPE_CHECKING:
    import pymupdf as _pymupdf_module

NOT_LOADED = ("pymupdf.layout", "pymupdf4llm")
"""Optional packages ``import pymupdf`` loads when installed and inclusio never uses."""


def load() -> _pymupdf_module:
    """PyMuPDF, with the ONNX layout model switched off.

    The first import is made with the optional packages marked unimportable (``None`` in
    ``sys.modules``), and the marks are taken away right after: a later ``import pymupdf4llm``
    elsewhere (the extraction benchmark) still works.
    """
    if "pymupdf" not in sys.modules:
        blocked = [name for name in NOT_LOADED if name not in sys.modules]
        for name in blocked:
            sys.modules[name] = None  # type: ignore[assignment]
        try:
            import pymupdf
        finally:
            for name in blocked:
                if sys.modules.get(name, 0) is None:
                    del sys.modules[name]
    import pymupdf

    pymupdf._get_layout = None
    pymupdf.no_recommend_layout()  # no advice printed to stdout about the package we leave out
    # Text boxes as they have always been measured here (and as the golden files hold them): importing
    # pymupdf4llm switches MuPDF's quad corrections off for the whole process; say so ourselves, so the
    # boxes do not depend on what was imported first.
    pymupdf.TOOLS.unset_quad_corrections(True)
    return pymupdf
