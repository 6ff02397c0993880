# Gauntlet: every target installs first (uv makes that a fast no-op when nothing changed).
VENV := .venv
PY := $(VENV)/bin/python
LINT_PATHS := gauntlet assets pipelines tests benchmarks

.PHONY: install system-deps run test ui bench

install:
	@test -x $(PY) || python3 -m venv $(VENV)
	@test -x $(VENV)/bin/uv || $(PY) -m pip install --quiet uv
	@$(VENV)/bin/uv pip install --quiet --python $(PY) -e '.[dev]'

# The browser tests/ui drives: Debian's chromium (never `playwright install`). Needs root.
system-deps:
	@command -v chromium >/dev/null 2>&1 || { apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq chromium; }

run: install
	$(PY) -m pipelines.run

test: install system-deps
	HF_HUB_OFFLINE=1 $(PY) -m pytest
	$(VENV)/bin/dagster definitions validate -w workspace.yaml
	$(VENV)/bin/ruff check $(LINT_PATHS)
	$(VENV)/bin/ruff format --check $(LINT_PATHS)

# The same DAGSTER_HOME as `make run` (default .dagster_home/), so its runs show up here.
ui: install
	DAGSTER_HOME="$$($(PY) -c 'from pipelines.run import dagster_home; print(dagster_home())')" \
		$(VENV)/bin/dagster dev -w workspace.yaml -p $${GAUNTLET_UI_PORT:-3000}

bench: install
	$(PY) benchmarks/pipeline.py
	$(PY) benchmarks/graph.py
	$(PY) benchmarks/llm.py
	$(PY) benchmarks/world.py
