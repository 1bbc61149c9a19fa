# imgbuild: set-up, tests and the demo.
#
# `make demo` and `make test` each do all set-up from zero on a fresh Debian 12 machine (root):
# system packages (scripts/install.sh), the virtual environment .venv with the package and its
# dev tools, then the engine, the loopback registry and the local base images
# (scripts/services.sh start). `make stop` stops what that started; nothing else does.

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

.PHONY: demo test stop check bench clean system services

demo: $(STAMP) services
	scripts/demo.sh

# IMGBUILD_REQUIRE_ENGINE=1: a missing engine, registry or keyring fails the tests that need
# it instead of skipping them.
test: $(STAMP) services
	$(WITH_SERVICES) IMGBUILD_REQUIRE_ENGINE=1 \
		scripts/with-keyring.sh $(BIN)/python -m pytest $(PYTEST_ARGS)

stop:
	scripts/services.sh stop

check: $(STAMP) | system
	$(BIN)/ruff check builder tests benchmarks
	$(BIN)/mypy
	shellcheck scripts/*.sh .ci/run

bench: $(STAMP) services
	$(WITH_SERVICES) for bench in benchmarks/*.py; do $(BIN)/python "$$bench"; done

clean:
	rm -rf build dist ./*.egg-info .pytest_cache .mypy_cache .ruff_cache
	find builder tests benchmarks -name __pycache__ -type d -prune -exec rm -rf {} +

system:
	scripts/install.sh

services: | system
	scripts/services.sh start

$(STAMP): pyproject.toml | system
	test -x $(BIN)/python || $(PYTHON) -m venv $(VENV)
	$(BIN)/python -m pip install -q -e '.[dev]'
	touch $@
