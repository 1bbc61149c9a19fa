# imgbuild: set-up, tests and the demo.
#
# `make demo` and `make test` each do all set-up from zero on a fresh Debian 12 machine (root):
# system packages (scripts/install.sh), the virtual environment .venv with the package and its
# dev tools, then the engine, the loopback registry and the local base images
# (scripts/services.sh start). `make stop` stops what that started; nothing else does.
#
# `make check`, `make unit` and `make coverage` need only python3 and the package registry:
# no root, no apt, no engine. Every tool they run is a pinned dev dependency in .venv.

SHELL := /bin/bash
.SHELLFLAGS := -euo pipefail -c
PYTHON ?= python3
VENV := .venv
BIN := $(VENV)/bin
# Reinstalled only when pyproject.toml changes.
STAMP := $(VENV)/.imgbuild-installed
# Extra pytest arguments, e.g. make test PYTEST_ARGS='-k registry -x'
PYTEST_ARGS ?=
# The environment services.sh reports (DOCKER_HOST, IMGBUILD_REGISTRY), for a recipe line.
WITH_SERVICES := eval "$$(scripts/services.sh env)";
# The tests that need no engine, registry or keyring (the markers conftest.py also adds).
UNIT_TESTS := -m "not engine and not registry and not keyring"

.PHONY: demo test unit coverage stop check bench clean system services

# Prerequisites are made in the order written: the system packages before the virtual
# environment (python3-venv) and the services.
.NOTPARALLEL:

demo: system $(STAMP) services
	scripts/demo.sh

# The whole suite. IMGBUILD_REQUIRE_ENGINE=1: a missing engine, registry, keyring or tool
# (hadolint, openssl...) fails the tests that need it instead of skipping them.
test: system $(STAMP) services
	$(WITH_SERVICES) IMGBUILD_REQUIRE_ENGINE=1 \
		scripts/with-keyring.sh $(BIN)/python -m pytest $(PYTEST_ARGS)

# The unit-only run: no services, nothing installed beyond .venv.
unit: $(STAMP)
	$(BIN)/python -m pytest $(UNIT_TESTS) $(PYTEST_ARGS)

# The unit-only run under coverage, then each module of builder/ from least to best covered
# (in-process only: the CLI run in a child process is not counted).
coverage: $(STAMP)
	$(BIN)/coverage erase
	$(BIN)/python -m coverage run --source builder -m pytest -q $(UNIT_TESTS) $(PYTEST_ARGS)
	$(BIN)/coverage report --include 'builder/*' --sort cover

stop:
	scripts/services.sh stop

check: $(STAMP)
	$(BIN)/ruff check builder tests benchmarks
	$(BIN)/ruff format --check builder tests benchmarks
	$(BIN)/mypy
	$(BIN)/shellcheck scripts/*.sh .ci/run

bench: system $(STAMP) services
	$(WITH_SERVICES) for bench in benchmarks/*.py; do $(BIN)/python "$$bench"; done

clean:
	rm -rf build dist ./*.egg-info .pytest_cache .mypy_cache .ruff_cache .coverage
	find builder tests benchmarks -name __pycache__ -type d -prune -exec rm -rf {} +

system:
	scripts/install.sh

services: system
	scripts/services.sh start

# No root and no apt: python3 with its venv module (Debian: python3-venv, which `system`
# installs for `make test` and `make demo`).
$(STAMP): pyproject.toml
	test -x $(BIN)/python || $(PYTHON) -m venv $(VENV)
	$(BIN)/python -m pip install -q -e '.[dev]'
	touch $@
