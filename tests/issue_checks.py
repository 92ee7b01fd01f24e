"""A check shared by converter tests: every conversion issue speaks from the warning catalogue."""

from __future__ import annotations

import re

from inclusio.model import Document
from inclusio.warning_codes import WARNINGS, fields_of


def _matches(template: str, text: str) -> bool:
    """Whether ``text`` is ``template`` with its fields filled in (its fixed parts, in order)."""
    parts = re.split(r"\{[a-z_]+\}", template)  # the fixed parts, between the fields
    return re.fullmatch(".*".join(re.escape(part) for part in parts), text, flags=re.DOTALL) is not None


def assert_catalogue_issues(doc: Document) -> None:
    """Each issue of ``doc`` has a code of :data:`WARNINGS` and its English and French messages are that
    code's templates filled in (so no converter wrote its own text, and French is never missing)."""
    for issue in doc.issues:
        assert issue.code in WARNINGS, f"{issue.code} is not in inclusio.warning_codes.WARNINGS"
        english, french = WARNINGS[issue.code]
        assert issue.message_fr, f"{issue.code}: no French message"
        assert _matches(english, issue.message), f"{issue.code}: {issue.message!r} is not {english!r}"
        assert _matches(french, issue.message_fr), f"{issue.code}: {issue.message_fr!r} is not {french!r}"
        if not fields_of(english):
            assert (issue.message, issue.message_fr) == (english, french)
