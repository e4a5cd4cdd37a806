# swift-rdkafka: the whole set-up is `make run` and `make test`.
SWIFT ?= swift
SUDO := $(shell [ "$$(id -u)" = "0" ] || echo sudo)
APT_PACKAGES := librdkafka-dev pkg-config
SWIFT_FLAGS ?=

.PHONY: deps build test run bench check clean

# Installs librdkafka's headers and pkg-config file when pkg-config cannot find them.
deps:
	@if ! pkg-config --exists rdkafka 2>/dev/null; then \
		echo "Installing $(APT_PACKAGES) (librdkafka not found by pkg-config)"; \
		$(SUDO) apt-get update -qq && DEBIAN_FRONTEND=noninteractive $(SUDO) apt-get install -y -qq $(APT_PACKAGES); \
	fi
	@pkg-config --atleast-version=2.0 rdkafka || { echo "swift-rdkafka needs librdkafka >= 2.0, found $$(pkg-config --modversion rdkafka)"; exit 1; }

build: deps
	$(SWIFT) build $(SWIFT_FLAGS)

# The whole suite, on the embedded broker unless KAFKA_BOOTSTRAP_SERVERS names a cluster.
test: deps
	$(SWIFT) build --build-tests $(SWIFT_FLAGS)
	$(SWIFT) test --skip-build $(SWIFT_FLAGS)

# A short benchmark on the embedded broker: Swift against raw C, one table.
run: deps
	$(SWIFT) build -c release --product rdkafka-bench $(SWIFT_FLAGS)
	$$($(SWIFT) build -c release --show-bin-path)/rdkafka-bench

# The full benchmark suite (minutes).
bench: deps
	$(SWIFT) build -c release --product rdkafka-bench $(SWIFT_FLAGS)
	$$($(SWIFT) build -c release --show-bin-path)/rdkafka-bench --full

clean:
	rm -rf .build
