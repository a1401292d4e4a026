# Two entry points for a fresh machine: `make demo` and `make test`.
# Both create .venv and install marsad into it first (uv, with the light camel-tools override).
VENV := .venv
BIN := $(VENV)/bin
STAMP := $(VENV)/.installed

.PHONY: demo test lint format bench quality clean-es

$(STAMP): pyproject.toml constraints/light-camel.txt
	python3 -m pip install --quiet --disable-pip-version-check uv
	python3 -m uv venv --quiet --allow-existing $(VENV)
	python3 -m uv pip install --quiet --compile-bytecode --python $(BIN)/python --override constraints/light-camel.txt -e '.[dev]'
	# the editable package's own modules too: Python never writes them under PYTHONDONTWRITEBYTECODE
	$(BIN)/python -m compileall -q marsad extractors flows > /dev/null
	touch $(STAMP)

# headless Chromium renders the coverage page in the tests (Debian's package; CI runs as root)
CHROMIUM := /usr/bin/chromium
$(CHROMIUM):
	apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq chromium > /dev/null

demo: $(STAMP)
	$(BIN)/marsad demo

test: $(STAMP) $(CHROMIUM)
	$(BIN)/ruff check . && $(BIN)/ruff format --check . && $(BIN)/mypy && $(BIN)/python -m pytest

lint: $(STAMP)
	$(BIN)/ruff check . && $(BIN)/ruff format --check .

format: $(STAMP)
	$(BIN)/ruff format . && $(BIN)/ruff check --fix .

bench: $(STAMP)
	$(BIN)/python benchmarks/bench.py

quality: $(STAMP)
	$(BIN)/marsad quality

clean-es:
	-$(BIN)/marsad es stop
	rm -rf .marsad
