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

import re
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


_MUPDF_CODE = re.compile(r"^code=(\d+):")
_SYSTEM_CODE = 2
"""MuPDF's ``FZ_ERROR_SYSTEM``: out of memory, a failed read or write; not the document's fault."""


def is_document_error(exc: BaseException) -> bool:
    """True when ``exc`` is MuPDF refusing the document itself (its structure or syntax).

    MuPDF's errors reach Python either as ``pymupdf.mupdf.FzErrorBase`` subclasses (``FzErrorFormat:
    cycle in page tree``) or, re-raised by PyMuPDF, as a ``RuntimeError`` whose text starts with the
    MuPDF code (``code=7: Invalid number of pages``, ``code=7: cycle in parent chain``); opening an
    unreadable file raises ``pymupdf.FileDataError``. All of these mean a damaged or hostile file
    (``input.corrupt``), except MuPDF's system errors (code 2: memory, reading or writing a file),
    which are the machine's, and Python's own exceptions (a bug of ours stays ``internal.error``).
    """
    pymupdf = load()
    if isinstance(exc, pymupdf.FileDataError):
        return True
    if isinstance(exc, pymupdf.mupdf.FzErrorBase):
        return not isinstance(exc, pymupdf.mupdf.FzErrorSystem)
    if type(exc) is RuntimeError:
        match = _MUPDF_CODE.match(str(exc))
        return match is not None and int(match.group(1)) != _SYSTEM_CODE
    return False
