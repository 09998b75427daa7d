# digitd — see README.md.
SWIFT ?= swift
CONFIG ?= release
BUILD_FLAGS = -c $(CONFIG)

PREFIX ?= /usr/local
DESTDIR ?=

.PHONY: all bootstrap build test run bench bench-imaging bench-network bench-pipeline bench-finetune install systemd-check clean

all: build

bootstrap:
	@scripts/bootstrap.sh

build: bootstrap
	$(SWIFT) build $(BUILD_FLAGS)

# Tests run optimized: the MNIST checks touch thousands of images. The test build
# has the fault switch (Sources/DigitdCore/FaultInjection.swift) compiled in.
TEST_FLAGS = -Xswiftc -DDIGITD_FAULT_INJECTION
test: bootstrap
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

# Release build with the Swift runtime linked statically (.build-install), then
# binaries, model, unit, default config (never overwritten) under $(DESTDIR)$(PREFIX)
# and /etc; see scripts/install.sh and README "Installing".
install: bootstrap
	PREFIX="$(PREFIX)" DESTDIR="$(DESTDIR)" SWIFT="$(SWIFT)" scripts/install.sh

# `make install` into a Debian 12 container booted with systemd
# (../shared/tools/systemd-sandbox.sh): start, classify, watchdog, stop. Needs root.
systemd-check: bootstrap
	SWIFT="$(SWIFT)" scripts/systemd-check.sh

clean:
	rm -rf .build .build-install run
