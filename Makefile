# Two commands for a newcomer on a fresh Debian/Ubuntu machine:
#   make site   set up everything, then build every organisation (sites, PDFs, role cards, schoolgids)
#   make test   set up everything, then run the whole test suite
# Set-up is idempotent and fast when already done: the virtual environment is only rebuilt when
# pyproject.toml changes, and system packages are only installed when missing.

PYTHON ?= python3
VENV := .venv
BIN := $(VENV)/bin
STAMP := $(VENV)/.installed
SUDO := $(shell [ "$$(id -u)" = 0 ] || echo sudo)

.PHONY: site test setup system clean

site:
	@start=$$(date +%s) && $(MAKE) --no-print-directory setup && echo "tijd: set-up $$(( $$(date +%s) - start )) s"
	$(BIN)/rolwijzer build
	cd docs && ../$(BIN)/mkdocs build --strict --quiet

test: setup
	$(BIN)/python -m pytest -n auto --dist loadscope

setup: system $(STAMP)

system:
	@missing=""; \
	if ! command -v chromium >/dev/null 2>&1 && ! command -v chromium-browser >/dev/null 2>&1 && ! command -v google-chrome >/dev/null 2>&1; then missing="$$missing chromium"; fi; \
	command -v pdftoppm >/dev/null 2>&1 || missing="$$missing poppler-utils"; \
	[ -e /usr/share/fonts/truetype/dejavu/DejaVuSans.ttf ] || missing="$$missing fonts-dejavu-core"; \
	$(PYTHON) -c "import venv, ensurepip" >/dev/null 2>&1 || missing="$$missing python3-venv"; \
	if [ -n "$$missing" ]; then \
		echo "installeren:$$missing"; \
		$(SUDO) apt-get update -qq && DEBIAN_FRONTEND=noninteractive $(SUDO) apt-get install -y -qq $$missing; \
	fi

$(STAMP): pyproject.toml
	$(PYTHON) -m venv $(VENV)
	$(BIN)/python -m pip install --quiet --disable-pip-version-check -e '.[test]'
	touch $(STAMP)

clean:
	rm -rf build site $(VENV)
