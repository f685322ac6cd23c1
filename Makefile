# Single entry point. Every target creates .venv (pinned requirements + the project kernel) if missing.
PYTHON ?= python3
# Python may cache compiled modules (pytest's rewritten test modules and plugins too): where the
# environment forbids it, every run compiles them again (make test-fast: ~35 s instead of ~27 s here).
unexport PYTHONDONTWRITEBYTECODE
VENV   := .venv
BIN    := $(VENV)/bin
KERNEL := sochi-stances
STAMP  := $(VENV)/.installed
# The study the targets work on; another: make report DATA=../mine/data NOTEBOOKS=../mine/notebooks OUT=../mine/report
DATA      ?= data
NOTEBOOKS ?= notebooks
OUT       ?= report

.PHONY: help report pdf test test-fast lab bench notebooks validate lint clean mutation

$(STAMP): requirements.txt pyproject.toml setup.cfg
	test -x $(BIN)/python || $(PYTHON) -m venv $(VENV)
	$(BIN)/python -m pip install --quiet --upgrade pip
	mkdir -p build  # setup.cfg puts the editable install's egg-info there; setuptools will not create it
	$(BIN)/python -m pip install --quiet -r requirements.txt
	rm -rf lib/stances.egg-info  # left by installs before setup.cfg moved it to build/
	$(BIN)/python -m ipykernel install --sys-prefix --name $(KERNEL) --display-name "Python (sochi-stances)" >/dev/null
	touch $(STAMP)

help:               ## list the targets (the first run of any other creates .venv; `. .venv/bin/activate` then gives the `stances` command)
	@grep -E '^[a-z-]+:.*## ' $(MAKEFILE_LIST) | sed -E 's/:[^#]*## /\t/' | expand -t 12

report: $(STAMP)    ## re-execute the notebooks (2 at a time here: one per CPU) and render report/index.html
	$(BIN)/python -m stances report --notebooks $(NOTEBOOKS) --data-dir $(DATA) --out $(OUT) \
	  --commit "$$(git describe --always --dirty 2>/dev/null)" \
	  --data-date "$$(git log -1 --format=%cs -- $(DATA) 2>/dev/null)"

pdf: report        ## the report as one PDF, $(OUT).pdf, printed by the system's headless Chromium
	$(BIN)/python -m stances pdf --report $(OUT) --out $(OUT).pdf

test: $(STAMP)      ## the whole test suite: lint, unit/property/bad-input tests, nbval, browser check; one worker per CPU
	$(BIN)/ruff check lib tests benchmarks
	$(BIN)/python -m pytest -n auto --dist loadfile --no-loadscope-reorder  # a file's tests share a worker: module fixtures run once

# The fast tier collects tests/ only: no notebook is run.
test-fast: $(STAMP) ## lint and every test but the browser, kernel and slow tiers (markers browser, notebooks, slow), one worker per CPU
	$(BIN)/ruff check lib tests benchmarks
	$(BIN)/python -m pytest -m "not browser and not notebooks and not slow" -n auto --dist loadfile --no-loadscope-reorder tests  # a file's tests share a worker: module fixtures run once

lab: $(STAMP)       ## open JupyterLab on the notebooks (kernel: Python (sochi-stances))
	$(BIN)/jupyter lab $(NOTEBOOKS)/ $(if $(filter 0,$(shell id -u)),--allow-root) $(LAB_ARGS)

bench: $(STAMP)     ## time stances.load: 100k statements, growth with the statements, 1M against a plain pyarrow read
	$(BIN)/python benchmarks/bench_load.py $(BENCH_ARGS)

notebooks: $(STAMP) ## re-execute every notebook in place (outputs are committed)
	$(BIN)/python -m stances execute $(NOTEBOOKS)/*.ipynb

MUTATION_STAMP := $(VENV)/.mutation-installed

$(MUTATION_STAMP): $(STAMP) requirements-mutation.txt
	$(BIN)/python -m pip install --quiet -r requirements-mutation.txt
	touch $(MUTATION_STAMP)

mutation: $(MUTATION_STAMP) ## cosmic-ray sessions (tests/mutation/*.toml), one at a time; not part of make test
	$(BIN)/python tests/mutation/run.py $(MUTATION_ARGS)

validate: $(STAMP)  ## check the annotated corpus
	$(BIN)/python -m stances validate $(DATA)

clean:
	rm -rf $(VENV) report report.pdf .pytest_cache .ruff_cache .hypothesis benchmarks/_corpus tests/mutation/sessions
