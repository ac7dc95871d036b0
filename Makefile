# Herald — build, run and test. `make run` and `make test` install what they need on Debian 12.
SWIFT        ?= swift
CONFIGURATION ?= debug
BIN          := .build/$(CONFIGURATION)
SANDBOX      := ../shared/tools/systemd-sandbox
PYTHON       ?= python3
APT_PACKAGES := libsystemd-dev systemd curl iproute2 gcc
PIP_PACKAGES := pytest websockets websocket-client requests pusher python-socketio pysher
NCHAN_APT    := nginx libnginx-mod-nchan
LOAD_GEN     := .build/herald-load
LOAD_SRC     := Benchmarks/herald-load/main.c Benchmarks/herald-load/hist.c
# Extra arguments for Benchmarks/run.py: BENCH_ARGS=--quick (about a minute), --scenarios fanout,setup, --idle-50k
BENCH_ARGS   ?=

.PHONY: all deps build run test test-swift test-integration test-units test-load-gen fmt check units-verify bench bench-compare \
	bench-deps-nchan clean

all: build

# System packages and the Python clients the integration tests drive Herald with.
deps:
	@missing=""; for p in $(APT_PACKAGES); do dpkg -s $$p >/dev/null 2>&1 || missing="$$missing $$p"; done; \
	if [ -n "$$missing" ]; then \
		echo "installing:$$missing"; apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq $$missing; \
	fi
	@$(PYTHON) -c 'import pytest, websockets, websocket, requests, pusher, socketio, pysher' 2>/dev/null || $(PYTHON) -m pip install -q $(PIP_PACKAGES)

build: deps
	$(SWIFT) build -c $(CONFIGURATION)

# Herald in the foreground with the embedded development configuration; Ctrl-C stops it.
run: build
	$(BIN)/herald run $(if $(CONFIG),--config $(CONFIG))

test: build test-swift test-integration test-units test-load-gen

test-swift:
	$(SWIFT) test -c $(CONFIGURATION)

test-integration:
	BIN_DIR=$(abspath $(BIN)) $(PYTHON) -m pytest -q Tests/IntegrationTests

# Real systemd in a private namespace: units verify, socket activation, restarts, journald fields.
test-units:
	@[ -x $(SANDBOX) ] || { echo "$(SANDBOX) is missing: clone Herald beside shared/"; exit 1; }
	@command -v systemd-nspawn >/dev/null || $(SANDBOX) deps
	BIN_DIR=$(abspath $(BIN)) bash Tests/systemd/run-units-test.sh

units-verify:
	@command -v systemd-nspawn >/dev/null || $(SANDBOX) deps
	BIN_DIR=$(abspath $(BIN)) VERIFY_ONLY=1 bash Tests/systemd/run-units-test.sh

fmt:
	$(SWIFT) format --in-place --recursive Sources Tests Package.swift

check:
	$(SWIFT) format lint --strict --recursive Sources Tests Package.swift

# Decision and codec costs on one core, then the load scenarios against the whole pipeline, all in release
# mode; docs/performance.md records them. `make bench BENCH_ARGS=--quick` is the one-minute smoke test.
bench: deps $(LOAD_GEN)
	$(SWIFT) build -c release
	.build/release/herald-bench
	$(PYTHON) Benchmarks/run.py $(BENCH_ARGS)

# The same scenarios against Herald and against Nchan (Debian's nginx with its nchan module), with ratios.
bench-compare: deps bench-deps-nchan $(LOAD_GEN)
	$(SWIFT) build -c release
	$(PYTHON) Benchmarks/run.py --server both $(BENCH_ARGS)

bench-deps-nchan:
	@missing=""; for p in $(NCHAN_APT); do dpkg -s $$p >/dev/null 2>&1 || missing="$$missing $$p"; done; \
	if [ -n "$$missing" ]; then \
		echo "installing:$$missing"; apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq $$missing; \
	fi

# The load generator's own checks: each protocol's setup frames and the delivery parser, over a socketpair.
test-load-gen: $(LOAD_GEN)
	$(LOAD_GEN) --self-test

# The load generator: one C file and its histogram, no libraries.
$(LOAD_GEN): $(LOAD_SRC) Benchmarks/herald-load/hist.h
	@mkdir -p $(dir $@)
	$(CC) -O2 -Wall -Wextra -o $@ $(LOAD_SRC)

clean:
	rm -rf .build
