# digitd — see README.md.
SWIFT ?= swift
CONFIG ?= release
BUILD_FLAGS = -c $(CONFIG)

PREFIX ?= /usr/local
DESTDIR ?=

.PHONY: all bootstrap build test run bench bench-imaging bench-network bench-pipeline bench-finetune bench-active install systemd-check \
	fuzz-build fuzz fuzz-smoke fuzz-seeds clean

all: build

bootstrap:
	@scripts/bootstrap.sh

build: bootstrap
	$(SWIFT) build $(BUILD_FLAGS)

# Tests run optimized: the MNIST checks touch thousands of images. The test build
# has the fault switch (Sources/DigitdCore/FaultInjection.swift) compiled in.
TEST_FLAGS = -Xswiftc -DDIGITD_FAULT_INJECTION
test:
	@scripts/bootstrap.sh --test
	$(SWIFT) test $(BUILD_FLAGS) -Xswiftc -enable-testing $(TEST_FLAGS)

# digitd in the foreground on ./run with the shipped model; samples/ are
# copied into its inbox and classified. Ctrl-C stops it.
run: build
	@mkdir -p run/inbox
	@cp samples/*.png samples/*.jpg run/inbox/
	@echo "results: $(CURDIR)/run/results/results-$$(date -u +%Y-%m-%d).csv"
	.build/$(CONFIG)/digitd --root run

# The benches build in their own scratch folder: their flags differ from `make test`'s,
# and sharing .build would rebuild everything at each switch.
BENCH_SCRATCH ?= .build-bench
export BENCH_SCRATCH

# The benches, one after the other (never side by side, even under make -j).
bench:
	$(MAKE) --no-print-directory bench-imaging
	$(MAKE) --no-print-directory bench-network
	$(MAKE) --no-print-directory bench-pipeline
	$(MAKE) --no-print-directory bench-finetune
	$(MAKE) --no-print-directory bench-active

# Imaging decode+normalize images/s beside Pillow, one core; writes bench-out/imaging.md.
bench-imaging: bootstrap
	SWIFT="$(SWIFT)" bench/imaging/imaging.sh

# Network engine beside PyTorch (same CNN, same run): img/s, fine-tune time, peak RSS,
# whole-process eval; writes bench-out/network.md.
bench-network: bootstrap
	SWIFT="$(SWIFT)" bench/network/network.sh

# digitd end to end (inbox to CSV row) beside a Python watcher (watchdog + Pillow + the
# same CNN in PyTorch), same files, same run: files/s, batch sizes, CPU, idle latency
# p50/p99, RSS idle and under a 100,000-file backlog; writes bench-out/pipeline.md.
bench-pipeline: bootstrap
	SWIFT="$(SWIFT)" bench/pipeline/pipeline.sh

# One fine-tune on 500 corrections (10 epochs, augmentation, replay, the gate) beside
# the same job in PyTorch, same run: seconds, ratio; and digitd's ingestion files/s
# during a fine-tune vs idle; writes bench-out/finetune.md.
bench-finetune: bootstrap
	SWIFT="$(SWIFT)" bench/finetune/finetune.sh

# Active learning: from the shipped model on wide form fields made from MNIST test digits,
# label budgets (50 100 200 400) spent in the review queue's order (`digitctl review
# --next`) vs random order, one fine-tune each, the error on an evaluation set nobody
# labelled; does the queue reach random order's error with at most half the labels?
# Writes bench-out/active.md.
bench-active: bootstrap
	SWIFT="$(SWIFT)" bench/active/active.sh

# Release build with the Swift runtime linked statically (.build-install), then
# binaries, model, unit, default config (never overwritten) under $(DESTDIR)$(PREFIX)
# and /etc; see scripts/install.sh and README "Installing".
install: bootstrap
	PREFIX="$(PREFIX)" DESTDIR="$(DESTDIR)" SWIFT="$(SWIFT)" scripts/install.sh

# `make install` into a Debian 12 container booted with systemd
# (../shared/tools/systemd-sandbox.sh): start, classify, watchdog, stop. Needs root.
systemd-check: bootstrap
	SWIFT="$(SWIFT)" scripts/systemd-check.sh

# Coverage-guided fuzzing of decode → normalize → classify (Fuzz/ScanFuzzer) under
# libFuzzer, AddressSanitizer and UndefinedBehaviorSanitizer; see README "Fuzzing".
# swiftc has no -sanitize=undefined on Linux, so UBSan checks the C targets (our codecs
# and kernels, and the libpng/libjpeg calls they make). The kernels are left out of
# coverage (Fuzz/coverage-ignorelist.txt): they branch on shapes, not on the scan.
FUZZ_SCRATCH ?= .build-fuzz
FUZZ_OUT ?= fuzz-out
FUZZ_SECONDS ?= 600
# More libFuzzer flags, e.g. FUZZ_ARGS="-fork=1 -ignore_crashes=1" to go on past a known crash.
FUZZ_ARGS ?=
# One --sanitize value only: given two, SwiftPM passes swiftc -sanitize=A -sanitize=B in a
# new order each run (a Set), which rebuilds everything, and swiftc keeps only the last
# (fuzzer last: no ASan in Swift; address last: no coverage). --sanitize=fuzzer is what
# makes SwiftPM link libFuzzer's main(); -sanitize=fuzzer,address after it is what swiftc uses.
FUZZ_BUILD_FLAGS = -c release --scratch-path $(FUZZ_SCRATCH) --product ScanFuzzer \
	--sanitize=fuzzer -Xswiftc -sanitize=fuzzer,address \
	-Xcc -fsanitize=address,undefined -Xcc -fno-sanitize-recover=undefined \
	-Xcc -fsanitize-coverage-ignorelist=$(CURDIR)/Fuzz/coverage-ignorelist.txt
FUZZER = $(FUZZ_SCRATCH)/release/ScanFuzzer
# 64 KB holds any small scan and keeps runs fast; a unit over 1 s is saved as slow-unit-*,
# one over 10 s fails as a timeout. Swift's own backtracer is off: under ASan it reports
# itself, and libFuzzer prints the trap's stack anyway.
FUZZ_RUN = SWIFT_BACKTRACE=enable=no UBSAN_OPTIONS=print_stacktrace=1 $(FUZZER) \
	-max_len=65536 -report_slow_units=1 -timeout=10 -rss_limit_mb=2048 -dict=Fuzz/scan.dict \
	-artifact_prefix=$(FUZZ_OUT)/artifacts/
FUZZ_REPLAY = $(wildcard Fuzz/corpus/seeds/* Fuzz/corpus/crashes/* samples/*.png samples/*.jpg)

fuzz-build: bootstrap
	$(SWIFT) build $(FUZZ_BUILD_FLAGS)

# Grows $(FUZZ_OUT)/corpus from the seeds, the crashes found so far and samples/;
# findings go to $(FUZZ_OUT)/artifacts (both git-ignored: commit crashes to Fuzz/corpus/crashes).
fuzz: fuzz-build
	@mkdir -p $(FUZZ_OUT)/corpus $(FUZZ_OUT)/artifacts
	$(FUZZ_RUN) -max_total_time=$(FUZZ_SECONDS) -print_final_stats=1 $(FUZZ_ARGS) \
		$(FUZZ_OUT)/corpus Fuzz/corpus/seeds Fuzz/corpus/crashes samples

# Each committed seed, crash and sample once under the sanitizers: CI's regression check.
fuzz-smoke: fuzz-build
	@mkdir -p $(FUZZ_OUT)/artifacts
	$(FUZZ_RUN) $(FUZZ_REPLAY)

# Rewrites Fuzz/corpus/seeds with the tests' fixture writers (Fuzz/make_seeds.c).
fuzz-seeds: bootstrap
	@mkdir -p $(FUZZ_SCRATCH) Fuzz/corpus/seeds
	cc -O1 -I Tests/CImageFixtures/include Fuzz/make_seeds.c Tests/CImageFixtures/*.c \
		$$(pkg-config --cflags --libs libpng16 libjpeg) -lm -o $(FUZZ_SCRATCH)/make_seeds
	$(FUZZ_SCRATCH)/make_seeds Fuzz/corpus/seeds

clean:
	rm -rf .build .build-install $(FUZZ_SCRATCH) run
