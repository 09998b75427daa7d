# digitd — see README.md.
SWIFT ?= swift
CONFIG ?= release
BUILD_FLAGS = -c $(CONFIG)

.PHONY: all bootstrap build test run bench clean

all: build

bootstrap:
	@scripts/bootstrap.sh

build: bootstrap
	$(SWIFT) build $(BUILD_FLAGS)

# Tests run optimized: the MNIST checks touch thousands of images.
test: bootstrap
	$(SWIFT) test $(BUILD_FLAGS) -Xswiftc -enable-testing

# digitd in the foreground on ./run with the shipped model; samples/ are
# copied into its inbox and classified. Ctrl-C stops it.
run: build
	@mkdir -p run/inbox
	@cp samples/*.png samples/*.jpg run/inbox/
	@echo "results: $(CURDIR)/run/results/results-$$(date -u +%Y-%m-%d).csv"
	.build/$(CONFIG)/digitd --root run

# Imaging decode+normalize images/s beside Pillow, one core; writes bench-out/imaging.md.
bench: bootstrap
	SWIFT="$(SWIFT)" bench/imaging.sh

clean:
	rm -rf .build run
