# Browser tests (tests/e2e): Debian's Chromium and axe-core from npm. Never a downloaded browser build.
TEST_PREREQS += e2e-deps
CHROMIUM ?= /usr/bin/chromium
export PLAYWRIGHT_SKIP_BROWSER_DOWNLOAD := 1

.PHONY: e2e-deps test-e2e vendor-htmx

e2e-deps: $(CHROMIUM) node_modules/axe-core/axe.min.js

$(CHROMIUM):
	@command -v apt-get >/dev/null || (echo "e2e-deps: install Chromium at $(CHROMIUM)" && exit 2)
	DEBIAN_FRONTEND=noninteractive apt-get update -qq
	DEBIAN_FRONTEND=noninteractive apt-get install -y -qq chromium >/dev/null

node_modules/axe-core/axe.min.js: package.json package-lock.json
	npm ci --no-audit --no-fund --loglevel=error
	touch $@

# Refresh the vendored htmx from the npm package after changing its version in package.json.
vendor-htmx: node_modules/axe-core/axe.min.js
	cp node_modules/htmx.org/dist/htmx.min.js tila/web/static/web/vendor/htmx.min.js
	cp node_modules/htmx.org/LICENSE tila/web/static/web/vendor/htmx.LICENSE.txt

test-e2e: $(VENV)/.dev e2e-deps | var
	DATABASE_URL=$${DATABASE_URL:-$(SQLITE_URL)} $(BIN)/pytest tests/e2e -m e2e $(PYTEST_ARGS)
