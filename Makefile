# pybudget: the two commands of the README and the developer targets.
#   make demo   run the main job on a built-in default corpus (installs what it needs)
#   make test   run the whole test suite (installs what it needs)
PY ?= python3
SEEDS ?= ../shared/seeds

.PHONY: setup test test-python test-asan demo build clean

setup:
	@test -f /usr/include/zlib.h || (apt-get update -qq && apt-get install -y -qq zlib1g-dev)
	$(PY) -m pip install -q --disable-pip-version-check -e '.[test]'

build:
	$(PY) setup.py -q build_ext --inplace

test: setup test-python test-asan

test-python:
	$(PY) -m pytest

# The whole Python suite again on an AddressSanitizer + UBSan build of the
# extension, imported from build/asan so the regular build stays in place.
ASAN_LIB = $(shell gcc -print-file-name=libasan.so)
test-asan:
	rm -rf build/asan && mkdir -p build/asan
	cp -r pybudget build/asan/
	PYBUDGET_SANITIZE=1 $(PY) setup.py -q build_ext -f --build-lib build/asan --build-temp build/asan-tmp
	cd build/asan && LD_PRELOAD=$(ASAN_LIB) ASAN_OPTIONS=detect_leaks=0:abort_on_error=1 \
	  UBSAN_OPTIONS=print_stacktrace=1:halt_on_error=1 PYBUDGET_EXPECT_ASAN=1 \
	  $(PY) -m pytest -q -p no:cacheprovider $(CURDIR)/tests

demo: setup
	$(PY) -m pybudget demo

clean:
	rm -rf build pybudget/*.so tests/c/bin
