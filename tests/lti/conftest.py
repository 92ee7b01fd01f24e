"""The LTI tests' platform (``platform.py``, loaded under another name: ``platform`` is a standard module)."""

from __future__ import annotations

import importlib.util
import sys
from pathlib import Path

_spec = importlib.util.spec_from_file_location("lti_test_platform", Path(__file__).with_name("platform.py"))
assert _spec and _spec.loader
lti_test_platform = importlib.util.module_from_spec(_spec)
sys.modules["lti_test_platform"] = lti_test_platform
_spec.loader.exec_module(lti_test_platform)
