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

# Until the daemon lands: show what the network will see for every sample.
run: build
	@mkdir -p run/preview
	$(SWIFT) run $(BUILD_FLAGS) digitctl preview samples/*.png samples/*.jpg --out run/preview

# Imaging decode+normalize images/s beside Pillow, one core; writes bench-out/imaging.md.
bench: bootstrap
	SWIFT="$(SWIFT)" bench/imaging.sh

clean:
	rm -rf .build run
