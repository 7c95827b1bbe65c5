# Wegwijzer Jeugd & Gezin. `make run` serves the site; `make test` runs every test.
PYTHON ?= python3
VENV   := .venv
BIN    := $(VENV)/bin
HOST   ?= 127.0.0.1
PORT   ?= 5000
export FLASK_APP := finder

.PHONY: run test bench setup translations messages vendor clean

$(BIN)/.installed: requirements.txt requirements-dev.txt
	$(PYTHON) -m venv $(VENV)
	$(BIN)/pip install --quiet --upgrade pip
	$(BIN)/pip install --quiet -r requirements-dev.txt
	touch $@

# Front-end libraries (Leaflet) from the npm registry, pinned in package-lock.json; not committed.
node_modules/.package-lock.json: package.json package-lock.json
	npm ci --no-audit --no-fund --loglevel=error
	touch $@

vendor: node_modules/.package-lock.json

# Compile the UI catalogues (.po → .mo; the .mo files are not committed).
translations: $(BIN)/.installed
	@if ls translations/*/LC_MESSAGES/messages.po >/dev/null 2>&1; then \
		$(BIN)/pybabel compile --statistics -d translations; fi

# Extract UI texts and update every catalogue (run after changing texts).
messages: $(BIN)/.installed
	$(BIN)/pybabel extract -F babel.cfg -k _l -k lazy_gettext --ignore-dirs=".*" --no-location --sort-output -o translations/messages.pot .
	@if ls translations/*/LC_MESSAGES/messages.po >/dev/null 2>&1; then \
		$(BIN)/pybabel update -i translations/messages.pot -d translations --no-fuzzy-matching --ignore-obsolete; fi

setup: $(BIN)/.installed translations vendor
	$(BIN)/flask db upgrade
	$(BIN)/flask load-content

run: setup
	$(BIN)/flask run --host $(HOST) --port $(PORT)

test: $(BIN)/.installed translations vendor
	$(BIN)/ruff check finder tests tools bench
	$(BIN)/python -m pytest $(PYTEST_ARGS)

bench: $(BIN)/.installed translations
	$(BIN)/python -m bench.run $(BENCH_ARGS)

clean:
	rm -rf instance search_index bench/_work
