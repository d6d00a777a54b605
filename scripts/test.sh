#!/usr/bin/env bash
# One command: install what the tests need (Python packages, Debian's Chromium) and run everything.
# With DATABASE_URL set the suite runs against that database; without, against SQLite.
set -euo pipefail
cd "$(dirname "$0")/.."
bash scripts/bootstrap.sh test
if [ ! -x /usr/bin/chromium ]; then
  echo "installing Debian's chromium for the browser tests" >&2
  if [ "$(id -u)" = 0 ]; then SUDO=""; else SUDO="sudo"; fi
  $SUDO apt-get update -qq && $SUDO apt-get install -y -qq chromium >/dev/null
fi
export PATH="$PWD/.venv/bin:$PATH"
export WIJKPUNT_ENV=test
if [ "${1:-}" != "--suite-only" ]; then
  ruff check .
  DJANGO_SETTINGS_MODULE=wijkpunt.settings.test python manage.py makemigrations --check --dry-run
  python scripts/check_messages.py
  DJANGO_SETTINGS_MODULE=wijkpunt.settings.test python manage.py spectacular --file var/openapi.check.yaml --validate --fail-on-warn
  if ! diff -q docs/openapi.yaml var/openapi.check.yaml >/dev/null; then
    echo "docs/openapi.yaml is stale: run 'make schema' and commit it" >&2
    diff docs/openapi.yaml var/openapi.check.yaml | head -40 >&2
    exit 1
  fi
fi
python -m pytest -p no:cacheprovider "${@:2}"
