# pybudget: the two commands of the README and the developer targets.
#   make demo   run the main job on a built-in default corpus (installs what it needs)
#   make test   run the whole test suite (installs what it needs)
PY ?= python3
SEEDS ?= ../shared/seeds

.PHONY: setup test demo build clean

setup:
	@test -f /usr/include/zlib.h || (apt-get update -qq && apt-get install -y -qq zlib1g-dev)
	$(PY) -m pip install -q --disable-pip-version-check -e '.[test]'

build:
	$(PY) setup.py -q build_ext --inplace

test: setup
	$(PY) -m pytest

demo: setup
	$(PY) -m pybudget demo

clean:
	rm -rf build pybudget/*.so tests/c/bin
