#!/usr/bin/env bash
# One command: install, prepare the SQLite demo database under var/, start web + worker.
set -euo pipefail
cd "$(dirname "$0")/.."
bash scripts/bootstrap.sh
export WIJKPUNT_ENV=development
export WIJKPUNT_EMAIL_BACKEND=${WIJKPUNT_EMAIL_BACKEND:-file}
export WIJKPUNT_BIND=${WIJKPUNT_BIND:-127.0.0.1:8000}
export WIJKPUNT_BASE_URL=${WIJKPUNT_BASE_URL:-http://${WIJKPUNT_BIND}}
export PATH="$PWD/.venv/bin:$PATH"
mkdir -p var
python manage.py migrate --noinput -v0
python manage.py collectstatic --noinput -v0
python manage.py seed_demo | tee var/demo-logins.txt
python manage.py train_classifier --skip-evaluation
cat <<TXT

Wijkpunt demo
  open:        ${WIJKPUNT_BASE_URL}/          (public reporting point, no account)
  staff:       ${WIJKPUNT_BASE_URL}/inloggen/ (accounts above; password wijkpunt-demo)
  admin:       ${WIJKPUNT_BASE_URL}/beheer/   (user: beheerder)
  API schema:  docs/openapi.yaml
  on call:     ${WIJKPUNT_BASE_URL}/werk/dienst/ (duty dashboard; a gas-smell report is being paged right now)
  help button: ${WIJKPUNT_BASE_URL}/werk/hulp/   (user: vrijwilliger)
  e-mail sent by the demo lands in var/mail/, text messages (on-call pages) in var/sms/:
  open the link in a page there to acknowledge it as the on-call person would
Stop with Ctrl-C.
TXT
exec honcho start -f Procfile
