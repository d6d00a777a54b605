#!/usr/bin/env bash
# Run the suite (SQLite, no browser or worker tests) with the clock set to another moment, to find
# tests that pass or fail depending on when CI happens to run: late evening across a daylight-saving
# change, across midnight or a new year, in office hours, weeks after a fixed date in a test.
#
#   bash scripts/test_at.sh "2026-12-31 22:59:30"            # UTC; the clock runs on from there
#   bash scripts/test_at.sh "2026-11-26 10:00:00" src/wijkpunt/oncall
#
# Needs Debian's faketime (apt-get install faketime). Pick moments after the newest fixed date in
# the tests (November 2026): fixtures such as on-call rosters start then. The browser tests (Chromium
# would get the fake clock too) and the worker-kill tests (huey's timers) are left out.
set -euo pipefail
cd "$(dirname "$0")/.."
if ! command -v faketime >/dev/null; then
  echo "faketime is missing: apt-get install -y faketime" >&2
  exit 2
fi
at=${1:?usage: scripts/test_at.sh "YYYY-MM-DD HH:MM:SS" [pytest arguments]}
shift
export PATH="$PWD/.venv/bin:$PATH" WIJKPUNT_ENV=test
if [ $# -eq 0 ]; then
  set -- --ignore=tests/browser --ignore=tests/worker
fi
exec faketime -f "@$at" python -m pytest -p no:cacheprovider -q "$@"
