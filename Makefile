# pybudget: the two commands of the README and the developer targets.
#   make demo   run the main job on a built-in default corpus (installs what it needs)
#   make test   run the whole test suite (installs what it needs)
PY ?= python3
SEEDS ?= ../shared/seeds

.PHONY: setup test test-python test-asan demo build clean

setup:
	@test -f /usr/include/zlib.h || (apt-get update -qq && apt-get install -y -qq zlib1g-dev)
	@fc-list :lang=zh 2>/dev/null | grep -q . || (apt-get update -qq && apt-get install -y -qq fonts-noto-cjk)
	@command -v pdftotext >/dev/null || (apt-get update -qq && apt-get install -y -qq poppler-utils)
	$(PY) -m pip install -q --disable-pip-version-check -e '.[test]'

build:
	$(PY) setup.py -q build_ext --inplace

test: setup test-python test-asan ctest-asan

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

# ---- C core: test program, sanitizers, valgrind, fuzzing ---------------------
#   make ctest         tests/c/test_core on $(SEEDS) (gcc + zlib headers), tests/c/test_fact_checks and test_restate
#   make ctest-full    the same with a two-chunk cut at every byte offset (minutes)
#   make ctest-asan    the same on an ASan + UBSan build (sampled cut offsets)
#   make valgrind      pb_dump under valgrind: every seed plain, gzipped and padded, every fuzz regression
#   make fuzz SECONDS=60   libFuzzer on pb_feed (clang with libFuzzer:
#                      apt-get install -y clang libclang-rt-14-dev, or any clang >= 6
#                      with its compiler-rt); corpus and crashes in $(FUZZ_DIR)
#   make fuzz-python SECONDS=60   atheris on pybudget._core (pip install atheris)
CC ?= cc
CORE_SRC = $(filter-out csrc/pb_python.c,$(wildcard csrc/pb_*.c))
CORE_DEPS = $(CORE_SRC) $(wildcard csrc/*.h) tests/c/pb_testlib.h
C_STD = -std=c99 -D_GNU_SOURCE
C_WARN = -Wall -Wextra -Werror
CBIN = tests/c/bin
REGRESSIONS = tests/fuzz/regressions
SECONDS ?= 60
FUZZ_DIR ?= /tmp/pybudget-fuzz
FUZZ_MAX_LEN ?= 4096
FUZZ_JOBS ?= 1
CLANG ?= clang
SANITIZE = -fsanitize=address,undefined -fno-sanitize-recover=all -fno-omit-frame-pointer

.PHONY: ctest ctest-full ctest-asan valgrind fuzz fuzz-python bench-core bench-core-count

$(CBIN)/test_core: tests/c/test_core.c $(CORE_DEPS)
	@mkdir -p $(CBIN)
	$(CC) $(C_STD) $(C_WARN) -O2 -g -o $@ tests/c/test_core.c $(CORE_SRC) -lz

$(CBIN)/test_core_asan: tests/c/test_core.c $(CORE_DEPS)
	@mkdir -p $(CBIN)
	$(CC) $(C_STD) $(C_WARN) -O1 -g $(SANITIZE) -o $@ tests/c/test_core.c $(CORE_SRC) -lz

$(CBIN)/test_fact_checks: tests/c/test_fact_checks.c $(CORE_DEPS)
	@mkdir -p $(CBIN)
	$(CC) $(C_STD) $(C_WARN) -O2 -g -o $@ tests/c/test_fact_checks.c $(CORE_SRC) -lz

$(CBIN)/test_fact_checks_asan: tests/c/test_fact_checks.c $(CORE_DEPS)
	@mkdir -p $(CBIN)
	$(CC) $(C_STD) $(C_WARN) -O1 -g $(SANITIZE) -o $@ tests/c/test_fact_checks.c $(CORE_SRC) -lz

$(CBIN)/test_restate: tests/c/test_restate.c $(CORE_DEPS)
	@mkdir -p $(CBIN)
	$(CC) $(C_STD) $(C_WARN) -O2 -g -o $@ tests/c/test_restate.c $(CORE_SRC) -lz

$(CBIN)/test_restate_asan: tests/c/test_restate.c $(CORE_DEPS)
	@mkdir -p $(CBIN)
	$(CC) $(C_STD) $(C_WARN) -O1 -g $(SANITIZE) -o $@ tests/c/test_restate.c $(CORE_SRC) -lz

$(CBIN)/pb_dump: tests/c/pb_dump.c $(CORE_DEPS)
	@mkdir -p $(CBIN)
	$(CC) $(C_STD) $(C_WARN) -O1 -g -o $@ tests/c/pb_dump.c $(CORE_SRC) -lz

ctest: $(CBIN)/test_core $(CBIN)/test_fact_checks $(CBIN)/test_restate
	$(CBIN)/test_core $(SEEDS) $(REGRESSIONS)
	$(CBIN)/test_fact_checks
	$(CBIN)/test_restate

ctest-full: $(CBIN)/test_core
	$(CBIN)/test_core $(SEEDS) $(REGRESSIONS) --full

ctest-asan: $(CBIN)/test_core_asan $(CBIN)/test_fact_checks_asan $(CBIN)/test_restate_asan
	ASAN_OPTIONS=detect_leaks=1:abort_on_error=1 UBSAN_OPTIONS=print_stacktrace=1 \
	  $(CBIN)/test_core_asan $(SEEDS) $(REGRESSIONS) --quick
	ASAN_OPTIONS=detect_leaks=1:abort_on_error=1 UBSAN_OPTIONS=print_stacktrace=1 $(CBIN)/test_fact_checks_asan
	ASAN_OPTIONS=detect_leaks=1:abort_on_error=1 UBSAN_OPTIONS=print_stacktrace=1 $(CBIN)/test_restate_asan

# Every seed, gzipped, and padded with a blank line bigger than the 64 KiB
# encoding probe (so that the 7-byte chunks reach the streaming decoder), and
# every fuzz regression input. pb_dump exits 1 when a document does not parse
# (some regression inputs), so valgrind reports its own errors with status 99.
valgrind: $(CBIN)/pb_dump
	@command -v valgrind >/dev/null || { echo "valgrind is not installed (apt-get install -y valgrind)"; exit 2; }
	@set -e; tmp=$$(mktemp -d); trap 'rm -rf "$$tmp"' EXIT; \
	for f in $(SEEDS)/*.txt; do \
	  b=$$(basename "$$f" .txt); gzip -c "$$f" > "$$tmp/$$b.gz"; \
	  { head -c 70000 /dev/zero | tr '\0' ' '; echo; cat "$$f"; } > "$$tmp/$$b.padded"; \
	done; \
	for f in $(SEEDS)/*.txt "$$tmp"/*.gz "$$tmp"/*.padded $(REGRESSIONS)/*; do \
	  for chunk in 65536 7; do \
	    rc=0; valgrind -q --leak-check=full --errors-for-leak-kinds=all --error-exitcode=99 \
	      $(CBIN)/pb_dump "$$f" $$chunk > /dev/null || rc=$$?; \
	    if [ $$rc -eq 99 ]; then echo "valgrind: errors in pb_dump $$f $$chunk"; exit 1; fi; \
	    echo "valgrind pb_dump $$(basename "$$f") $$chunk: clean (exit $$rc)"; \
	  done; \
	done

$(CBIN)/fuzz_feed: tests/fuzz/fuzz_feed.c tests/fuzz/coverage_ignorelist.txt $(CORE_DEPS)
	@mkdir -p $(CBIN)
	@command -v $(CLANG) >/dev/null || { echo "fuzz needs clang with libFuzzer: apt-get install -y clang libclang-rt-14-dev"; exit 2; }
	$(CLANG) $(C_STD) $(C_WARN) -O1 -g -fsanitize=fuzzer,address,undefined -fno-sanitize-recover=all \
	  -fsanitize-coverage-ignorelist=tests/fuzz/coverage_ignorelist.txt \
	  -fno-omit-frame-pointer -o $@ tests/fuzz/fuzz_feed.c $(CORE_SRC) -lz \
	  || { echo "fuzz needs libFuzzer's runtime: apt-get install -y libclang-rt-14-dev (or your clang's compiler-rt)"; exit 2; }

# The corpus is rebuilt from $(SEEDS) and the regression inputs at every run
# (seed files are never copied into the repository) and grows in $(FUZZ_DIR).
# Crashing inputs land in $(FUZZ_DIR)/artifacts: minimise them
# ($(CBIN)/fuzz_feed -minimize_crash=1 FILE), fix, and add them to $(REGRESSIONS).
fuzz: $(CBIN)/fuzz_feed
	@mkdir -p $(FUZZ_DIR)/corpus $(FUZZ_DIR)/artifacts
	tests/fuzz/seed_corpus.sh $(SEEDS) $(FUZZ_DIR)/corpus $(REGRESSIONS)
	$(CBIN)/fuzz_feed -max_total_time=$(SECONDS) -max_len=$(FUZZ_MAX_LEN) -timeout=30 -rss_limit_mb=3000 \
	  -print_final_stats=1 -artifact_prefix=$(FUZZ_DIR)/artifacts/ \
	  $(if $(filter-out 1,$(FUZZ_JOBS)),-fork=$(FUZZ_JOBS) -ignore_crashes=1) $(FUZZ_DIR)/corpus

# The extension is rebuilt with clang, ASan + UBSan and libFuzzer coverage into
# build/fuzz-py (the regular build stays in place) and run with atheris'
# ASan + libFuzzer runtime preloaded, so the fuzzer is guided by C coverage.
ATHERIS_PATH = $(shell $(PY) -c 'import atheris; print(atheris.path())' 2>/dev/null)
fuzz-python:
	@test -n "$(ATHERIS_PATH)" || { echo "fuzz-python needs atheris: pip install atheris"; exit 2; }
	@command -v $(CLANG) >/dev/null || { echo "fuzz-python needs clang: apt-get install -y clang"; exit 2; }
	@mkdir -p $(FUZZ_DIR)/py-corpus $(FUZZ_DIR)/py-artifacts
	rm -rf build/fuzz-py && mkdir -p build/fuzz-py && cp -r pybudget build/fuzz-py/ && rm -f build/fuzz-py/pybudget/*.so
	CC=$(CLANG) LDSHARED="$(CLANG) -shared" CFLAGS="-fsanitize=address,undefined,fuzzer-no-link -fno-sanitize-recover=all -g" \
	  $(PY) setup.py -q build_ext -f --build-lib build/fuzz-py --build-temp build/fuzz-py-tmp
	@for f in $(SEEDS)/*.txt; do b=$$(basename "$$f" .txt); \
	  { printf '\000\001'; cat "$$f"; } > $(FUZZ_DIR)/py-corpus/$$b.whole; \
	  { printf '\003\001'; cat "$$f"; } > $(FUZZ_DIR)/py-corpus/$$b.chunk2; \
	  { printf '\101\007'; cat "$$f"; } > $(FUZZ_DIR)/py-corpus/$$b.gzip; \
	done
	PYTHONPATH=$(CURDIR)/build/fuzz-py LD_PRELOAD=$(ATHERIS_PATH)/asan_with_fuzzer.so ASAN_OPTIONS=detect_leaks=0 \
	  $(PY) tests/fuzz/fuzz_python.py -max_total_time=$(SECONDS) -max_len=$(FUZZ_MAX_LEN) -timeout=30 \
	  -artifact_prefix=$(FUZZ_DIR)/py-artifacts/ $(FUZZ_DIR)/py-corpus

# ---- the C core's own speed (no Python) ---------------------------------------
#   make bench-core         MB/s of the core into item columns and of the tokenizer
#                           alone, on a generated corpus ($(BENCH_CORPUS), made once)
#   make bench-core-count   the same passes under callgrind: instructions per byte,
#                           a figure that does not move with the machine's load
BENCH_CORPUS ?= /tmp/pybudget-bench-corpus
BENCH_FILES = $(BENCH_CORPUS)/*.txt $(BENCH_CORPUS)/*.txt.gz

$(CBIN)/bench_core: benchmarks/bench_core.c $(CORE_DEPS)
	@mkdir -p $(CBIN)
	$(CC) $(C_STD) $(C_WARN) -O3 -g -o $@ benchmarks/bench_core.c $(CORE_SRC) -lz

$(BENCH_CORPUS):
	$(PY) benchmarks/make_corpus.py -n 200 $(BENCH_CORPUS)

bench-core: $(CBIN)/bench_core $(BENCH_CORPUS)
	$(CBIN)/bench_core $(BENCH_FILES)
	$(CBIN)/bench_core --tokenize $(BENCH_FILES)

bench-core-count: $(CBIN)/bench_core $(BENCH_CORPUS)
	@bytes=$$($(CBIN)/bench_core --tokenize --repeat 1 $(BENCH_FILES) | sed -n 's/.* \([0-9]*\) bytes of text.*/\1/p'); \
	for mode in "" --tokenize; do \
	  refs=$$(valgrind --tool=callgrind --callgrind-out-file=/dev/null $(CBIN)/bench_core $$mode --repeat 1 \
	    $(BENCH_FILES) 2>&1 | sed -n 's/.*refs: *//p' | tr -d ,); \
	  echo "$${mode:-core into columns}: $$refs instructions for $$bytes bytes of text: $$((refs / bytes)) per byte"; \
	done
