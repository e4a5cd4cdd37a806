# swift-rdkafka: the whole set-up is `make run` and `make test`.
SWIFT ?= swift
SUDO := $(shell [ "$$(id -u)" = "0" ] || echo sudo)
APT_PACKAGES := librdkafka-dev pkg-config
SWIFT_FLAGS ?=
SHELL := /bin/bash

# Python tools for the tests (noida-db, the second broker, and what the suites list in
# Tests/python-requirements.txt) live in a virtual environment under an ignored folder.
TOOLS := .build-tools
VENV := $(TOOLS)/venv
# Deadlines (never assertions on speed) doubled: the suite runs its tests in parallel on
# few cores, beside brokers, compilers and child processes.
TEST_ENV := RDKAFKA_TEST_PYTHON=$(CURDIR)/$(VENV)/bin/python RDKAFKA_TEST_DEADLINE_SCALE=2
# The guides' snippets are compiled once, on their own: a compiler beside the suite takes
# the CPU its timing-sensitive tests need. The broker runs and the sanitizers skip them.
SNIPPETS := DocSnippetTopLevelTests
# Under a sanitizer's slowdown on few cores, the suites that run several group members and
# a producer for minutes (or a client process beside them) starve the timers of the rest:
# the sanitizer runs take them after the others, one test at a time.
SERIAL := CooperativeCommitTests|ConsumerSequenceCommitTests|ConsumerSettingsTests|OAuthBearerTests|ConsumerCloseTests
TEST_LOGS := $(TOOLS)/logs

.PHONY: deps test-tools build test test-embedded test-noida fuzz run bench check check-thread check-address clean

# Installs librdkafka's headers and pkg-config file when pkg-config cannot find them.
deps:
	@if ! pkg-config --exists rdkafka 2>/dev/null; then \
		echo "Installing $(APT_PACKAGES) (librdkafka not found by pkg-config)"; \
		$(SUDO) apt-get update -qq && DEBIAN_FRONTEND=noninteractive $(SUDO) apt-get install -y -qq $(APT_PACKAGES); \
	fi
	@pkg-config --atleast-version=2.0 rdkafka || { echo "swift-rdkafka needs librdkafka >= 2.0, found $$(pkg-config --modversion rdkafka)"; exit 1; }

build: deps
	$(SWIFT) build $(SWIFT_FLAGS)

# python3 with venv and pip come from Debian when missing; so does openssl, with which the
# security tests make their throwaway certificates.
test-tools: $(VENV)/.installed
	@if ! command -v openssl >/dev/null; then \
		echo "Installing openssl (the security tests make certificates with it)"; \
		$(SUDO) apt-get update -qq && DEBIAN_FRONTEND=noninteractive $(SUDO) apt-get install -y -qq openssl; \
	fi
$(VENV)/.installed: Tests/python-requirements.txt
	@if ! python3 -c 'import ensurepip, venv' 2>/dev/null; then \
		echo "Installing python3-venv and python3-pip (python3 cannot make a virtual environment)"; \
		$(SUDO) apt-get update -qq && DEBIAN_FRONTEND=noninteractive $(SUDO) apt-get install -y -qq python3 python3-venv python3-pip; \
	fi
	rm -rf $(VENV)
	python3 -m venv $(VENV)
	$(VENV)/bin/pip install -q --disable-pip-version-check -r Tests/python-requirements.txt
	@touch $@

# The whole suite twice: on the embedded cluster (librdkafka's mock, fault injection) and
# on noida-db, an independent broker in its own process. With KAFKA_BOOTSTRAP_SERVERS set,
# once, on that cluster.
ifdef KAFKA_BOOTSTRAP_SERVERS
test: deps test-tools
	$(SWIFT) build --build-tests $(SWIFT_FLAGS)
	@mkdir -p $(TEST_LOGS)
	set -o pipefail; $(TEST_ENV) $(SWIFT) test --skip-build $(SWIFT_FLAGS) 2>&1 | tee $(TEST_LOGS)/cluster.log
	@Tests/Brokers/suite-summary.sh $(TEST_LOGS)/cluster.log "$(KAFKA_BOOTSTRAP_SERVERS)"
else
test: deps test-tools
	$(SWIFT) build --build-tests $(SWIFT_FLAGS)
	@$(MAKE) --no-print-directory test-embedded test-noida
	@Tests/Brokers/suite-summary.sh $(TEST_LOGS)/embedded.log embedded
	@Tests/Brokers/suite-summary.sh $(TEST_LOGS)/noida-db.log noida-db
endif

test-embedded: test-tools
	@mkdir -p $(TEST_LOGS)
	@echo "== the suite on the embedded cluster (librdkafka mock) =="
	set -o pipefail; $(TEST_ENV) $(SWIFT) test --skip-build --skip $(SNIPPETS) $(SWIFT_FLAGS) 2>&1 | tee $(TEST_LOGS)/embedded.log
	@Tests/Brokers/suite-summary.sh $(TEST_LOGS)/embedded.log embedded
	@echo "== the guides' snippets as top-level code =="
	set -o pipefail; $(TEST_ENV) $(SWIFT) test --skip-build --filter $(SNIPPETS) $(SWIFT_FLAGS) 2>&1 | tee $(TEST_LOGS)/snippets.log

test-noida: test-tools
	@mkdir -p $(TEST_LOGS)
	@echo "== the suite on noida-db =="
	set -o pipefail; $(TEST_ENV) Tests/Brokers/noida-db.sh $(SWIFT) test --skip-build --skip $(SNIPPETS) $(SWIFT_FLAGS) 2>&1 | tee $(TEST_LOGS)/noida-db.log
	@Tests/Brokers/suite-summary.sh $(TEST_LOGS)/noida-db.log noida-db

# The fuzz suites with a million random inputs per target (deserializers, configuration
# values, statistics JSON, topic names, headers; JSON Schema validation; Avro schemas and binary data): no crash, no hang. `make test` runs the
# same suite with a few thousand. RDKAFKA_FUZZ_SEED=<seed> replays a reported failure.
FUZZ_ITERATIONS ?= 1000000
fuzz: deps
	$(SWIFT) build --build-tests $(SWIFT_FLAGS)
	RDKAFKA_FUZZ_ITERATIONS=$(FUZZ_ITERATIONS) timeout 3600 $(SWIFT) test --skip-build $(SWIFT_FLAGS) --filter FuzzTests
	RDKAFKA_AVRO_FUZZ_ITERATIONS=$(FUZZ_ITERATIONS) timeout 3600 $(SWIFT) test --skip-build $(SWIFT_FLAGS) --filter longFuzzRun

# A short benchmark (under a minute): Swift against raw C, one table, against an embedded
# 3-broker cluster that rdkafka-bench starts in a process of its own (docs/performance.md).
run: deps
	$(SWIFT) build -c release --product rdkafka-bench $(SWIFT_FLAGS)
	$$($(SWIFT) build -c release --show-bin-path)/rdkafka-bench

# The full benchmark suite (minutes), the consumer-group workloads included; the broker in
# its own process as for `make run`.
bench: deps
	$(SWIFT) build -c release --product rdkafka-bench $(SWIFT_FLAGS)
	$$($(SWIFT) build -c release --show-bin-path)/rdkafka-bench --full

# The suite under ThreadSanitizer and AddressSanitizer (with leak detection), run before a
# change lands (too long for CI's 90 minutes; docs/testing.md). Each sanitizer builds in its own folder.
check: check-thread check-address

# librdkafka's C11 threads and locks are invisible to ThreadSanitizer; the preloaded shim
# routes them through pthreads so TSan sees them (see Tests/Sanitizers/thrd_create_shim.c).
# Every suite runs, its deadlines (`eventually`, readRecords, pollRecords) three times
# longer for TSan's slowdown. A consumer close that cannot finish returns at its timeout
# (KafkaConsumer.close(timeout:)) and reports timedOut, so a stall shows as an error
# instead of hanging the run.
TSAN_TEST = $(TEST_ENV) RDKAFKA_TEST_DEADLINE_SCALE=3 TSAN_OPTIONS="halt_on_error=1 second_deadlock_stack=1 suppressions=$(CURDIR)/Tests/Sanitizers/tsan.supp" LD_PRELOAD=$(CURDIR)/.build-tsan/libthrd_shim.so \
	$(SWIFT) test --skip-build --disable-xctest --sanitize=thread --scratch-path .build-tsan $(SWIFT_FLAGS)
check-thread: deps test-tools
	$(SWIFT) build --build-tests --sanitize=thread --scratch-path .build-tsan $(SWIFT_FLAGS)
	cc -shared -fPIC -O1 -o .build-tsan/libthrd_shim.so Tests/Sanitizers/thrd_create_shim.c -lpthread
	$(TSAN_TEST) --skip $(SNIPPETS) --skip '$(SERIAL)'
	$(TSAN_TEST) --no-parallel --filter '$(SERIAL)'

# AddressSanitizer runs the suite on both brokers, so the suites only an external broker
# runs (transactions' visibility, admin, broker process faults) are covered too.
ASAN_TEST = $(SWIFT) test --skip-build --disable-xctest --sanitize=address --scratch-path .build-asan $(SWIFT_FLAGS)
check-address: deps test-tools
	$(SWIFT) build --build-tests --sanitize=address --scratch-path .build-asan $(SWIFT_FLAGS) 2>&1 | grep -v "Cannot export local symbol '__asan" ; test $${PIPESTATUS[0]} -eq 0
	$(TEST_ENV) $(ASAN_TEST) --skip $(SNIPPETS) --skip '$(SERIAL)'
	$(TEST_ENV) $(ASAN_TEST) --no-parallel --filter '$(SERIAL)'
	$(TEST_ENV) Tests/Brokers/noida-db.sh $(ASAN_TEST) --skip $(SNIPPETS) --skip '$(SERIAL)'
	$(TEST_ENV) Tests/Brokers/noida-db.sh $(ASAN_TEST) --no-parallel --filter '$(SERIAL)'

clean:
	rm -rf .build .build-tsan .build-asan $(TOOLS)
