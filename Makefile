VENV ?= .venv
PY := $(VENV)/bin/python
STAMP := $(VENV)/.installed

.PHONY: demo test eval bench lint clean-data

$(STAMP): pyproject.toml
	python3 -m venv $(VENV)
	$(PY) -m pip install -q --upgrade pip
	# torch first and exactly pinned: the CPU wheel on disk, not gigabytes of CUDA.
	$(PY) -m pip install -q torch==2.13.0
	$(PY) -m pip install -q -e '.[dev]'
	touch $(STAMP)

demo: $(STAMP)
	$(VENV)/bin/rightsbot ingest knowledge
	$(VENV)/bin/rightsbot ask "I'm on a fixed-term contract. Can they make me redundant first?"

test: $(STAMP)
	$(VENV)/bin/pytest

eval: $(STAMP)
	$(PY) -m evals.run

bench: $(STAMP)
	$(PY) -m evals.bench

lint: $(STAMP)
	$(VENV)/bin/ruff check .
	$(VENV)/bin/mypy bot ingest knowledge evals
