.PHONY: demo test test-at lint schema bench vendor messages screenshots

demo:           ## install, seed and start the demo (web + worker) on SQLite
	bash scripts/demo.sh

test:           ## install test dependencies and run lint, checks and the whole suite (SQLite)
	bash scripts/test.sh

test-postgres:  ## the suite against the local PostgreSQL
	DATABASE_URL=postgres://postgres@127.0.0.1:5432/wijkpunt_ci bash scripts/test.sh --suite-only

test-at:        ## the suite with the clock at another moment: make test-at AT="2026-12-31 22:59:30" (UTC)
	bash scripts/test_at.sh "$(AT)"

lint:
	.venv/bin/ruff check .

schema:         ## regenerate the committed OpenAPI schema
	WIJKPUNT_ENV=test DJANGO_SETTINGS_MODULE=wijkpunt.settings.test .venv/bin/python manage.py spectacular --file docs/openapi.yaml --validate

bench:          ## benchmarks (figures go to docs/performance.md)
	.venv/bin/python benchmarks/intake_http.py --db sqlite
	.venv/bin/python benchmarks/intake_http.py --db postgres
	.venv/bin/python benchmarks/queue_latency.py --db sqlite
	.venv/bin/python benchmarks/queue_latency.py --db postgres
	.venv/bin/python benchmarks/escalation_sweep.py --db sqlite
	.venv/bin/python benchmarks/escalation_sweep.py --db postgres
	.venv/bin/python benchmarks/arrears_run.py --db sqlite --sizes 10000,100000
	.venv/bin/python benchmarks/arrears_run.py --db postgres --sizes 100000,500000
	.venv/bin/python benchmarks/case_access.py --db sqlite
	.venv/bin/python benchmarks/case_access.py --db postgres

vendor:         ## refresh vendored front-end libraries from npm
	bash scripts/vendor.sh

messages:       ## update the English translation file from the sources, then compile it
	cd src/wijkpunt && WIJKPUNT_ENV=development ../../.venv/bin/python ../../manage.py makemessages -l en --ignore "static/vendor/*" --ignore "*/tests/*"
	@echo "translate the new entries in src/wijkpunt/locale/en/LC_MESSAGES/django.po, then:"
	cd src/wijkpunt && ../../.venv/bin/django-admin compilemessages -l en

screenshots:    ## refresh docs/screenshots/ from the browser tests
	WIJKPUNT_SCREENSHOTS=docs .venv/bin/python -m pytest -p no:cacheprovider tests/browser/test_screenshots.py tests/browser/test_oncall.py -k screenshots -q
