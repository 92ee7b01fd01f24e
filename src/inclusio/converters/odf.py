"""OpenDocument text and presentations (ODT, ODP) through LibreOffice, then the DOCX/PPTX converters.

``soffice --headless --convert-to docx|pptx`` runs in a temporary folder with its own
LibreOffice user profile (two conversions at once would otherwise fight over the profile's
lock and one would silently do nothing), under a time limit, with the process group killed on
timeout. The result goes through :class:`~inclusio.converters.docx.DocxConverter` or
:class:`~inclusio.converters.pptx.PptxConverter`; the Document's source then names the ODF file.

**LibreOffice fetches nothing a document names.** An ODT can link a picture or an OLE object to
``http://...`` (or a ``file:`` path), and LibreOffice loads linked pictures while converting: a hostile
upload would make the worker (or the API process, for the teacher's readability preview) send requests
wherever it likes. Two layers, both always applied when available:

* **no network**: ``soffice`` runs in a private network namespace (``unshare --net`` as root,
  ``unshare --map-root-user --net`` otherwise, where the kernel allows unprivileged user namespaces),
  which has only a loopback interface that is down: no address, not even 127.0.0.1, is reachable. The
  namespace is probed once per process (:func:`network_sandbox`); when neither works a warning is
  logged (``inclusio.converters.odf``) and only the second layer remains;
* **links off**: the temporary user profile is written with LibreOffice's own settings
  (:data:`NO_LINKS_XCU`): untrusted referer links blocked, link updates "never" in Writer and
  Impress, macros disabled.

One bad part: LibreOffice keeps a text document's picture whose bytes are broken as an empty frame (the
DOCX converter makes it a placeholder figure) and a chart whose data does not parse as an empty chart (a
figure to describe), but leaves such a picture out of a presentation, frame and alt text included: those
are found in the ODP before LibreOffice runs (:func:`dropped_pictures`) and reported as ``image.unreadable``
on their slide. A part LibreOffice needs (``content.xml``, ``styles.xml``) that does not parse makes it
refuse the file: ``input.corrupt``.

When LibreOffice is not installed the error is ``system.libreoffice_missing``, naming the Debian
packages (``libreoffice-writer-nogui`` for ODT, ``libreoffice-impress-nogui`` for ODP). Before
LibreOffice sees the file, the zip is checked like an Office file (zip bomb) and its XML parts
must not declare a DTD (``input.unsafe``).
"""

from __future__ import annotations

import functools
import logging
import os
import shutil
import signal
import subprocess
import tempfile
import zipfile
from pathlib import Path

from inclusio.converters.base import ConvertContext, file_sha256
from inclusio.converters.ooxml import ZIP_MAGIC, check_archive
from inclusio.converters.xml_safety import check_zip_xml
from inclusio.errors import InputCorrupt, LibreOfficeMissing, StageError
from inclusio.model import Document, DocumentBuilder, SourceRef

ODT = "application/vnd.oasis.opendocument.text"
ODP = "application/vnd.oasis.opendocument.presentation"
_TARGET = {ODT: ("docx", ".odt"), ODP: ("pptx", ".odp")}
TIMEOUT_SECONDS = 180
"""A 100-page ODT converts in a few seconds; a hung LibreOffice must not hold a worker forever."""
PROGRAMS = ("soffice", "libreoffice")


def odf_media_type(path: Path) -> str | None:
    """The ``mimetype`` member of an ODF zip (ODT or ODP only), else None."""
    try:
        with zipfile.ZipFile(path) as archive:
            info = archive.getinfo("mimetype")
            if info.file_size > 200:
                return None
            value = archive.read(info).decode("ascii", errors="replace").strip()
    except (KeyError, zipfile.BadZipFile, OSError, ValueError, EOFError):
        return None
    return value if value in _TARGET else None


_RASTER = (".png", ".jpg", ".jpeg", ".gif", ".bmp", ".tif", ".tiff", ".webp")
_DRAW = "urn:oasis:names:tc:opendocument:xmlns:drawing:1.0"
_XLINK = "http://www.w3.org/1999/xlink"


def dropped_pictures(path: Path) -> list[tuple[int, str, str]]:
    """The pictures of an ODP that LibreOffice will leave out without a word: (slide number, member, reason)
    for each ``draw:image`` whose member is missing, or is a raster picture whose header is not an image.
    Vector pictures (SVG, WMF, EMF) are not judged. The DTD check ran before: no entity is expanded."""
    from lxml import etree

    from inclusio.converters.ooxml import image_size

    found: list[tuple[int, str, str]] = []
    parser = etree.XMLParser(resolve_entities=False, no_network=True)
    try:
        with zipfile.ZipFile(path) as archive:
            names = set(archive.namelist())
            root = etree.fromstring(archive.read("content.xml"), parser)
            for number, page in enumerate(root.iter(f"{{{_DRAW}}}page"), start=1):
                for image in page.iter(f"{{{_DRAW}}}image"):
                    member = (image.get(f"{{{_XLINK}}}href") or "").removeprefix("./")
                    if not member or "://" in member:
                        continue  # a linked picture: never fetched (see the module)
                    if member not in names:
                        found.append((number, member, "no such picture in the file"))
                    elif member.lower().endswith(_RASTER) and image_size(archive.read(member)) is None:
                        found.append((number, member, "not an image"))
    except (KeyError, zipfile.BadZipFile, OSError, ValueError, etree.XMLSyntaxError):
        return found  # LibreOffice says what it thinks of the file
    return found


def find_soffice() -> str | None:
    """Path of LibreOffice's ``soffice`` on ``PATH``, or None."""
    for name in PROGRAMS:
        found = shutil.which(name)
        if found:
            return found
    return None


log = logging.getLogger("inclusio.converters.odf")

NO_LINKS_XCU = """<?xml version="1.0" encoding="UTF-8"?>
<oor:items xmlns:oor="http://openoffice.org/2001/registry" xmlns:xs="http://www.w3.org/2001/XMLSchema"
           xmlns:xsi="http://www.w3.org/2001/XMLSchema-instance">
<item oor:path="/org.openoffice.Office.Common/Security/Scripting"><prop oor:name="BlockUntrustedRefererLinks" \
oor:op="fuse"><value>true</value></prop></item>
<item oor:path="/org.openoffice.Office.Common/Security/Scripting"><prop oor:name="MacroSecurityLevel" \
oor:op="fuse"><value>3</value></prop></item>
<item oor:path="/org.openoffice.Office.Common/Security/Scripting"><prop oor:name="DisableMacrosExecution" \
oor:op="fuse"><value>true</value></prop></item>
<item oor:path="/org.openoffice.Office.Writer/Content/Update"><prop oor:name="Link" \
oor:op="fuse"><value>2</value></prop></item>
<item oor:path="/org.openoffice.Office.Impress/Content/Update"><prop oor:name="Link" \
oor:op="fuse"><value>2</value></prop></item>
</oor:items>
"""
"""LibreOffice's own settings in the conversion's user profile: linked content is never loaded or updated."""

_SANDBOXES = (["unshare", "--net"], ["unshare", "--map-root-user", "--net"])


@functools.cache
def network_sandbox() -> tuple[str, ...]:
    """The command prefix that runs a program without network (a private network namespace), or ``()``.

    Probed once per process: ``unshare --net`` (root), then ``unshare --map-root-user --net``
    (unprivileged user namespaces). ``()`` (with a logged warning) when neither works.
    """
    program = shutil.which("unshare")
    for prefix in _SANDBOXES if program else ():
        try:
            done = subprocess.run(
                [program, *prefix[1:], "true"], capture_output=True, timeout=10, check=False
            )
        except (OSError, subprocess.SubprocessError):
            continue
        if done.returncode == 0:
            return (program, *prefix[1:])
    log.warning(
        "LibreOffice runs WITH network access: no private network namespace is available here "
        "(unshare --net needs root, unshare --map-root-user --net needs unprivileged user namespaces). "
        "Linked content stays off by LibreOffice's own settings only."
    )
    return ()


def _run(command: list[str], cwd: Path, timeout: int) -> subprocess.CompletedProcess[bytes]:
    """Run LibreOffice in its own process group; on timeout kill the whole group (it forks)."""
    command = [*network_sandbox(), *command]
    process = subprocess.Popen(
        command,
        cwd=cwd,
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
        start_new_session=True,
        env={**os.environ, "HOME": str(cwd)},
    )
    try:
        out, err = process.communicate(timeout=timeout)
    except subprocess.TimeoutExpired:
        os.killpg(process.pid, signal.SIGKILL)
        process.communicate()
        raise
    return subprocess.CompletedProcess(command, process.returncode, out, err)


class OdfConverter:
    """ODT and ODP files, converted by LibreOffice when it is installed."""

    name = "odf"
    media_types = (ODT, ODP)
    suffixes = (".odt", ".odp")
    label = "ODT, ODP"

    def sniff(self, path: Path, head: bytes) -> bool:
        """A zip whose ``mimetype`` member says ODF text or presentation."""
        return head.startswith(ZIP_MAGIC) and odf_media_type(path) is not None

    def convert(self, path: Path, ctx: ConvertContext) -> Document:
        """Convert through LibreOffice. Raises ``system.libreoffice_missing``, ``input.corrupt``,
        ``input.too_large``, ``input.unsafe`` and ``stage.failed`` (LibreOffice timed out)."""
        path = Path(path)
        check_archive(path)
        media_type = odf_media_type(path)
        if media_type is None:
            raise InputCorrupt(details={"reason": "no ODF mimetype member"})
        check_zip_xml(path)
        soffice = find_soffice()
        target, suffix = _TARGET[media_type]
        if soffice is None:
            package = "libreoffice-writer-nogui" if media_type == ODT else "libreoffice-impress-nogui"
            raise LibreOfficeMissing(details={"program": "soffice", "debian_package": package})
        ctx.progress(0.05, "LibreOffice")
        with tempfile.TemporaryDirectory(prefix="inclusio-odf-") as tmp:
            work = Path(tmp)
            source = work / f"input{suffix}"
            shutil.copyfile(path, source)
            (work / "profile" / "user").mkdir(parents=True)
            (work / "profile" / "user" / "registrymodifications.xcu").write_text(
                NO_LINKS_XCU, encoding="utf-8"
            )
            command = [
                soffice,
                f"-env:UserInstallation={(work / 'profile').as_uri()}",
                "--headless",
                "--norestore",
                "--nolockcheck",
                "--convert-to",
                target,
                "--outdir",
                str(work / "out"),
                str(source),
            ]
            try:
                done = _run(command, work, TIMEOUT_SECONDS)
            except subprocess.TimeoutExpired as exc:
                raise StageError(
                    f"LibreOffice did not finish converting the file within {TIMEOUT_SECONDS} s. Try again later, "
                    "or save the document as DOCX/PPTX and upload that.",
                    message_fr=(
                        f"LibreOffice n'a pas terminé la conversion en {TIMEOUT_SECONDS} s. Réessayez plus "
                        "tard, ou enregistrez le document en DOCX/PPTX et déposez-le."
                    ),
                    details={"timeout_seconds": TIMEOUT_SECONDS},
                ) from exc
            result = work / "out" / f"input.{target}"
            if done.returncode != 0 or not result.is_file():
                raise InputCorrupt(
                    details={
                        "reason": "LibreOffice could not read the file",
                        "stderr": done.stderr.decode("utf-8", errors="replace")[-500:],
                    }
                )
            from inclusio.converters.docx import DocxConverter
            from inclusio.converters.pptx import PptxConverter

            converter = DocxConverter() if target == "docx" else PptxConverter()
            doc = converter.convert(result, ctx)
        if media_type == ODP:  # LibreOffice leaves a picture it cannot read out of the deck, frame and all
            builder = DocumentBuilder()
            for slide, member, reason in dropped_pictures(path):
                builder.issue("image.unreadable", reason=f"{member}: {reason}", source=SourceRef(slide=slide))
            doc.issues += builder.issues
        doc.source.media_type = media_type
        doc.source.sha256 = file_sha256(path)
        doc.source.converter = f"inclusio.odf (LibreOffice -> {target}) + {doc.source.converter}"
        return doc
