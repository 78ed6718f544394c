# isotools.shop_sync tool chain. Needs only Python 3.11+, make and git: `make demo`, `make test`.
# See DEVELOPERS.md for what each target checks and how to run one check alone.

SHELL := bash
.SHELLFLAGS := -euo pipefail -c
.DEFAULT_GOAL := help
.DELETE_ON_ERROR:

PYTHON ?= python3
VENV := .venv
VENV_BIN := $(CURDIR)/$(VENV)/bin
VENV_PYTHON := $(VENV_BIN)/python
COLLECTION_LINK := build/collections/ansible_collections/isotools/shop_sync

# Only the test directories that exist; tests/tools tests the tool chain itself.
TEST_DIRS := $(wildcard tests/unit tests/contract tests/playbooks tests/tools)
PYTEST_ARGS ?=

# The ansible-core legs of `make cores`, CORE:PYTHON_VERSION: the oldest core meta/runtime.yml
# claims and the newest, each in its own venv .venv-core<CORE> from requirements-core<CORE>.txt
# (tests/tools/core_leg.sh; a leg whose Python is missing is skipped, saying so).
CORE_LEGS := 2.17:3.11 2.21:3.12
# The controller's suites; not the tool chain's (tests/tools), nor the two files that check
# development tools' output and use no ansible-core (the .ps1 parse, ansible-builder's context).
CORE_TEST_DIRS := $(wildcard tests/unit tests/contract tests/playbooks)
CORE_TEST_IGNORE := tests/unit/plugins/modules/test_win_sync_host_ps1.py tests/unit/test_execution_environment.py

export PATH := $(VENV_BIN):$(PATH)

.PHONY: help venv test demo unit cores sanity lint ruff mypy ansible-lint molecule bench docs clean distclean windows-acceptance

help:
	@echo "make demo       run playbooks/demo.yml against the offline demo host"
	@echo "make test       every check CI runs: $(CHECKS), then pytest (make unit)"
	@echo "make unit       pytest: $(TEST_DIRS)"
	@echo "make cores      pytest on each ansible-core leg ($(CORE_LEGS)): $(CORE_TEST_DIRS)"
	@echo "make lint       ruff + mypy + ansible-lint"
	@echo "make sanity     ansible-test sanity (tests/tools/sanity.sh)"
	@echo "make molecule   molecule test --all in each scenario directory"
	@echo "make windows-acceptance INVENTORY=...  contract suite + integration targets on one host, reports in build/acceptance"
	@echo "make bench      pytest-benchmark on tests/bench (not part of test)"
	@echo "make docs       regenerate the task options' docs from their table, then docs/reference from the plugins' and role's documentation"
	@echo "make venv       create/update .venv from requirements-dev.txt (the legs' venvs: make cores)"
	@echo "make clean      remove build/ and tool caches; distclean also removes .venv and .venv-core*"

venv:
	@if ! "$(VENV_PYTHON)" -c 'import sys; sys.exit(sys.version_info < (3, 11))' 2>/dev/null; then \
		"$(PYTHON)" -c 'import sys; sys.exit(0 if sys.version_info >= (3, 11) else \
			"Python 3.11+ is needed, $(PYTHON) is %d.%d: run make PYTHON=python3.11 ..." % sys.version_info[:2])'; \
		echo "== creating $(VENV) with $$("$(PYTHON)" --version)"; \
		rm -rf "$(VENV)"; \
		"$(PYTHON)" -m venv "$(VENV)"; \
	fi
	@tests/tools/install_requirements.sh "$(VENV)" requirements-dev.txt
	@if [ "$$(readlink "$(COLLECTION_LINK)" 2>/dev/null)" != "../../../.." ]; then \
		mkdir -p "$(dir $(COLLECTION_LINK))"; \
		rm -f "$(COLLECTION_LINK)"; \
		ln -s ../../../.. "$(COLLECTION_LINK)"; \
	fi

# Every check runs even when an earlier one fails, so one run shows all problems; pytest runs
# last so that its summary line closes the output of a green run.
CHECKS := ruff mypy ansible-lint sanity molecule cores

test: venv
	@failed=(); \
	for check in $(CHECKS); do \
		echo "== make $$check"; started=$$SECONDS; \
		if $(MAKE) --no-print-directory $$check; then verdict=passed; else verdict=FAILED; failed+=("$$check"); fi; \
		echo "== $$check $$verdict in $$((SECONDS - started))s"; \
	done; \
	echo "== make unit"; \
	$(MAKE) --no-print-directory unit || failed+=(unit); \
	if (( $${#failed[@]} )); then echo "== make test FAILED: $${failed[*]}"; exit 1; fi

demo: venv
	@tests/tools/demo.sh

unit: venv
	"$(VENV_PYTHON)" -m pytest $(TEST_DIRS) $(PYTEST_ARGS)

# Every leg runs even when an earlier one fails.
cores:
	@failed=(); \
	for leg in $(CORE_LEGS); do \
		tests/tools/core_leg.sh "$${leg%%:*}" "$${leg#*:}" $(CORE_TEST_DIRS) $(addprefix --ignore=,$(CORE_TEST_IGNORE)) $(PYTEST_ARGS) \
			|| failed+=("$${leg%%:*}"); \
	done; \
	if (( $${#failed[@]} )); then echo "== make cores FAILED on ansible-core $${failed[*]}"; exit 1; fi

lint: ruff mypy ansible-lint

ruff: venv
	"$(VENV_BIN)/ruff" check .
	"$(VENV_BIN)/ruff" format --check .

# mypy checks the files under the link (pyproject.toml); paths are shown relative to the repo.
mypy: venv
	"$(VENV_BIN)/mypy" | sed 's|^$(COLLECTION_LINK)/||'

ansible-lint: venv
	"$(VENV_BIN)/ansible-lint"

sanity: venv
	tests/tools/sanity.sh

# Scenarios may live at the repo root (molecule/ or extensions/molecule/) or inside a role.
molecule: venv
	@tests/tools/molecule.sh

docs: venv
	"$(VENV_PYTHON)" tests/tools/render_options.py
	"$(VENV_PYTHON)" tests/tools/render_reference.py

# The acceptance run on one host (docs/testing-windows.md): INVENTORY unset, the directory host.
windows-acceptance: venv
	"$(VENV_PYTHON)" tests/tools/windows_acceptance.py $(if $(INVENTORY),--inventory "$(INVENTORY)") $(if $(REPORTS),--reports "$(REPORTS)")

bench: venv
	@if [ -d tests/bench ]; then \
		"$(VENV_PYTHON)" -m pytest tests/bench -s $(PYTEST_ARGS); \
	else \
		echo "tests/bench does not exist: no benchmark to run"; exit 1; \
	fi

clean:
	rm -rf build tests/output .pytest_cache .mypy_cache .ruff_cache .hypothesis .benchmarks
	find . \( -path ./$(VENV) -o -path './.venv-core*' \) -prune -o -name __pycache__ -type d -prune -exec rm -rf {} +

distclean: clean
	rm -rf "$(VENV)" .venv-core*
