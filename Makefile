# journeybot — two commands: `make run` and `make test`.
PYTHON ?= python3
VENV := .venv
BIN := $(VENV)/bin
STAMP := $(VENV)/.installed

.PHONY: run test lint fuzz bench corpus-check clean bytecode

$(STAMP): pyproject.toml
	test -x $(BIN)/python || $(PYTHON) -m venv $(VENV)
	$(BIN)/python -m pip install --quiet --upgrade pip
	$(BIN)/python -m pip install --quiet -e '.[test]'
	$(MAKE) --no-print-directory bytecode
	touch $(STAMP)

## bytecode: compile bot/, nlp/ and storage/ ahead (pip does it for installed packages; an
## editable install leaves it to the first start, ~0.2 s more — and under PYTHONDONTWRITEBYTECODE
## to every start): the first answer after start comes that much sooner. Unchanged files are skipped.
bytecode:
	@$(BIN)/python -m compileall -q bot nlp storage

## run: the Telegram bot when TELEGRAM_BOT_TOKEN is set, otherwise the console chat
run: $(STAMP) bytecode
	@if [ -n "$$TELEGRAM_BOT_TOKEN" ]; then \
		exec $(BIN)/journeybot run; \
	else \
		echo "No TELEGRAM_BOT_TOKEN set: opening the console chat on $${JOURNEYBOT_DB:-journeybot.db}."; \
		exec $(BIN)/journeybot chat; \
	fi

## test: create the virtual environment, install everything, run the whole suite
test: $(STAMP)
	$(BIN)/ruff check --no-cache bot nlp storage tests bench
	$(BIN)/python -m pytest

## fuzz: a longer fuzzing campaign with a new seed (printed): FUZZ_UPDATES, FUZZ_SEED to change
fuzz: $(STAMP)
	FUZZ_UPDATES=$${FUZZ_UPDATES:-100000} FUZZ_SEED=$${FUZZ_SEED:-$$(date +%s)} \
		$(BIN)/python -m pytest tests/test_fuzz.py -s -p no:cacheprovider

lint: $(STAMP)
	$(BIN)/ruff check --no-cache bot nlp storage tests bench

## corpus-check: labels, duplicates, train notes that repeat dev/test, balance (nlp/data/GUIDE.md)
corpus-check: $(STAMP)
	$(BIN)/python -m nlp.training.corpus

bench: $(STAMP)
	@for b in bench/*.py; do echo "== $$b"; $(BIN)/python $$b || exit 1; done

clean:
	rm -rf $(VENV) .pytest_cache build *.egg-info
