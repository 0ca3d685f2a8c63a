# Shortcuts for dev.py (which needs nothing but Python 3.11+).
PYTHON ?= python3

.PHONY: demo test
demo:
	$(PYTHON) dev.py demo
test:
	$(PYTHON) dev.py test
