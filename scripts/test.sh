#!/usr/bin/env bash
# Set up and run the whole test suite (slow checks included: EPUBCheck, real audio, real queue).
# Extra arguments go to pytest, e.g. scripts/test.sh -m "not slow" -x
set -euo pipefail
cd "$(dirname "$0")/.."
scripts/setup.sh --test
scripts/services.sh
.venv/bin/ruff check src workers tests bench samples
status=0
.venv/bin/python -m pytest --durations=25 "$@" || status=$?
# pytest exits 5 when it collected no test: that is a failure of the suite, not a success.
if [ "$status" -eq 5 ]; then echo "test: no test was collected" >&2; exit 1; fi
exit "$status"
