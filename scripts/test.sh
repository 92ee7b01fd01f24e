#!/usr/bin/env bash
# Set up and run the whole test suite (slow checks included: EPUBCheck, real audio, real queue).
# It runs on two cores with pytest-xdist, one test file per worker at a time (--dist loadfile: a file's
# module fixtures, such as the web journeys' server and browser, are built once). The 25 slowest tests
# are printed at the end.
# Extra arguments go to pytest, e.g. scripts/test.sh -m "not slow" -x; scripts/test.sh -n 0 runs serially.
set -euo pipefail
cd "$(dirname "$0")/.."
scripts/setup.sh --test
scripts/services.sh
.venv/bin/ruff check src workers tests bench samples
.venv/bin/ruff format --check src workers tests bench samples
status=0
.venv/bin/python -m pytest -n "${INCLUSIO_TEST_WORKERS:-2}" --dist loadfile --durations=25 "$@" || status=$?
# pytest exits 5 when it collected no test: that is a failure of the suite, not a success.
if [ "$status" -eq 5 ]; then echo "test: no test was collected" >&2; exit 1; fi
exit "$status"
