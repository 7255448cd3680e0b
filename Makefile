# Two commands:  `make lab` runs the labs,  `make test` runs the tests.
# Both create the environment in .venv on first use.

PYTHON ?= python3
VENV ?= .venv
# PyTorch is installed first, so nothing later pulls a different build.
# The default is the CPU build of 2.13.0. With an NVIDIA GPU, override it, e.g.
#   make lab TORCH_SPEC="torch>=2.4"
TORCH_SPEC ?= torch==2.13.0
KERNEL_NAME ?= genai-labs
PORT ?= 8888

BIN := $(VENV)/bin
STAMP := $(VENV)/.installed
OFFLINE := HF_HUB_OFFLINE=1 HF_DATASETS_OFFLINE=1 HF_EVALUATE_OFFLINE=1 \
	TRANSFORMERS_OFFLINE=1 LAB_PROFILE=tiny MPLBACKEND=Agg TQDM_MININTERVAL=5
NOTEBOOK_TESTS := --nbval-lax --nbval-current-env --nbval-cell-timeout=1200
# Trained models shared between test runs of the same training (see labsupport.finetune).
TEST_CACHE := .test-cache
# The graded run saves every learner lab as it ran into $(EXECUTED): `make site` renders them.
EXECUTED := $(TEST_CACHE)/executed
TEST_ENV := $(OFFLINE) LAB_TRAINING_CACHE=$(CURDIR)/$(TEST_CACHE)/training \
	LAB_EXECUTED_DIR=$(CURDIR)/$(EXECUTED)
# Serial by default: on two cores, two workers each running a lab slowed both past nbval's cell
# timeout. On a bigger machine: make test PARALLEL="-n 4 --dist loadscope" (see conftest.py).
PARALLEL ?=
# The labs that train nothing and run in seconds: the quick loop for developers.
QUICK_LABS := $(foreach n,00 01 02 03 05,$(wildcard masters/$(n)_*.ipynb))

.PHONY: lab test test-fast test-hub test-browser site env lint exercises grade clean-env bwrap chromium

env: $(STAMP)

$(STAMP): pyproject.toml
	$(PYTHON) -m venv $(VENV)
	$(BIN)/python -m pip install --quiet --upgrade pip
	$(BIN)/python -m pip install --quiet "$(TORCH_SPEC)"
	$(BIN)/python -m pip install --quiet -e ".[dev]"
	$(BIN)/python -m ipykernel install --user --name $(KERNEL_NAME) \
		--display-name "Python (GenAI labs)" >/dev/null
	@touch $@
	@echo "Environment ready in $(VENV) (Jupyter kernel: $(KERNEL_NAME))."

lab: $(STAMP)
	$(BIN)/python -m labsupport doctor || true
	$(BIN)/jupyter lab --notebook-dir=notebooks --port=$(PORT) --no-browser --ServerApp.ip=127.0.0.1

# Everything CI runs. The training cache starts empty, so every training runs at least once.
test: $(STAMP) bwrap chromium
	rm -rf $(TEST_CACHE)
	$(BIN)/ruff check .
	$(BIN)/python -m labinstructor.exercises check --no-run-tests
	@# tests/test_masters_graded.py runs each lab once: the learner notebook, then the master's
	@# solutions and every test in the same kernel (the full exercises check).
	$(TEST_ENV) $(BIN)/python -m pytest $(PARALLEL) --durations=25 tests
	@# The site from the labs the graded run executed (no third run): a page per lab, its figures.
	$(BIN)/python -m labinstructor.site --executed $(EXECUTED) --out $(TEST_CACHE)/site --check
	@# Last, every learner lab as a learner meets it: JupyterLab in headless Chromium.
	$(BROWSER_TEST)

# Unit tests without the slow ones (otter, grading boxes, subprocesses) and the quick labs,
# on two workers (each notebook stays on one: --dist loadscope).
FAST_PARALLEL ?= -n 2 --dist loadscope
test-fast: $(STAMP)
	$(BIN)/ruff check .
	$(TEST_ENV) $(BIN)/python -m pytest $(FAST_PARALLEL) -m "not slow and not hub and not browser" \
		--durations=15 tests \
		$(QUICK_LABS) $(NOTEBOOK_TESTS)

# Every learner lab in JupyterLab, driven by headless Chromium (tests/test_browser.py);
# screenshots in .test-cache/browser/. After `make test`, lab 07 loads its trained models
# from the test cache.
BROWSER_TEST = $(TEST_ENV) $(BIN)/python -m pytest -m browser tests/test_browser.py -v -s
test-browser: $(STAMP) chromium
	$(BROWSER_TEST)

# Static HTML of every lab, executed in the tiny profile, offline: site/index.html.
# Reuses the labs `make test` executed; runs (once) any lab it has no executed copy of.
site: $(STAMP)
	$(OFFLINE) $(BIN)/python -m labinstructor.site --executed $(EXECUTED) --out site \
		--execute-missing --check

# Tests that need the Hugging Face hub (real FLAN-T5 and DialogSum).
test-hub: $(STAMP)
	$(BIN)/python -m pytest tests -m hub

lint: $(STAMP)
	$(BIN)/ruff check .

# Regenerate the learner notebooks in notebooks/ from masters/ (never overwrites learner edits).
exercises: $(STAMP)
	$(BIN)/python -m labinstructor.exercises build

# Grade a folder of submitted notebooks:  make grade SUBMISSIONS=path/to/folder OUT=grades/NN.csv
grade: $(STAMP) bwrap
	$(BIN)/python -m labinstructor.grading $(SUBMISSIONS) --out $(OUT)

# Grading runs each submission in a bubblewrap box; install it (Debian/Ubuntu, as root) if missing.
bwrap:
	@command -v bwrap >/dev/null 2>&1 || { apt-get install -y bubblewrap || \
		{ apt-get update && apt-get install -y bubblewrap; }; }

# The browser test drives Debian's chromium; install it (as root) if missing.
chromium:
	@command -v chromium >/dev/null 2>&1 || { apt-get install -y chromium || \
		{ apt-get update && apt-get install -y chromium; }; }

clean-env:
	rm -rf $(VENV)
