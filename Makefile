# FounderLab — see README.md.
SHELL := /bin/bash
ROOT := $(abspath .)
GO ?= go
TEST_TIMEOUT ?= 60m
# The packages test and unit run (make unit PKGS=./datasets/... for a few).
PKGS ?= ./...

# `make lab` and `make install` run with the user's own settings: nothing
# below is exported to them. The test targets (and the targets they call)
# get the test settings as target-specific variables:
#  - real data: the read-only copies in ../shared/datasets beside the
#    checkout, downloads off, when that directory exists (CI); otherwise
#    the user's data cache, where the tests download what is missing;
#  - ECharts from scripts/test-deps.sh, artifacts under artifacts/;
#  - FOUNDERLAB_SKIPS: the file the tests append a line to for each test
#    skipped for missing real data (internal/testenv), counted at the end.
SHARED_DATA := $(abspath $(ROOT)/../shared/datasets)
TEST_TARGETS := test unit test-deps vet lint
ifeq ($(origin FOUNDERLAB_DATA),undefined)
ifneq ($(wildcard $(SHARED_DATA)/.),)
$(TEST_TARGETS): export FOUNDERLAB_DATA := $(SHARED_DATA)
$(TEST_TARGETS): export FOUNDERLAB_OFFLINE := 1
endif
endif
$(TEST_TARGETS): export FOUNDERLAB_ECHARTS_DIR ?= $(ROOT)/.cache/echarts
$(TEST_TARGETS): export FOUNDERLAB_KATEX_DIR ?= $(ROOT)/.cache/katex
$(TEST_TARGETS): export FOUNDERLAB_ARTIFACTS ?= $(ROOT)/artifacts
$(TEST_TARGETS): export FOUNDERLAB_SKIPS = $(FOUNDERLAB_ARTIFACTS)/skipped-for-data.txt
# TensorBoard's own reader checks lib/tensorboard's event files.
$(TEST_TARGETS): export FOUNDERLAB_TENSORBOARD_PYTHON ?= $(ROOT)/.venv-tensorboard/bin/python
# Where the reference stack exists (scripts/ref-venv.sh), the export round
# trip is also checked with PyPI transformers.
ifneq ($(wildcard $(ROOT)/.venv-ref/bin/python),)
$(TEST_TARGETS): export FOUNDERLAB_REF_PYTHON ?= $(ROOT)/.venv-ref/bin/python
endif

# go-test runs go test with the arguments given, then lists the tests
# skipped for missing real data and closes with their count; it exits with
# go test's status.
define go-test
	@mkdir -p "$(FOUNDERLAB_ARTIFACTS)"; rm -f "$(FOUNDERLAB_SKIPS)"
	@echo "$(GO) test $(1)"; status=0; $(GO) test $(1) || status=$$?; \
	if [ -s "$(FOUNDERLAB_SKIPS)" ]; then \
	  sort -u "$(FOUNDERLAB_SKIPS)" | sed 's/^/  skipped: /'; \
	  n=$$(sort -u "$(FOUNDERLAB_SKIPS)" | wc -l | tr -d ' '); \
	  echo "make $@: $$n tests skipped for missing real data (set FOUNDERLAB_REQUIRE_DATA=1 to make this a failure)"; \
	fi; \
	exit $$status
endef

.PHONY: lab test test-deps unit vet lint install labextension docker-test docker-test-quick

## lab: install the kernel and start JupyterLab on the notebooks (the main job)
lab:
	$(GO) run ./kernel/cmd/founderlab lab

## install: build and install the kernel only
install:
	$(GO) run ./kernel/cmd/founderlab install

## labextension: rebuild the JupyterLab extension (kernel/labextension/prebuilt,
## committed) from its TypeScript source: npm packages pinned by its
## package-lock.json, built with jupyter-builder from .venv (JupyterLab's
## shared-package metadata); records the sources' sha256 in prebuilt.sha256.
LABEXT_SOURCES := package.json package-lock.json tsconfig.json src/index.ts
labextension:
	@test -x .venv/bin/jupyter-builder || { echo "make labextension: .venv/bin/jupyter-builder is missing (scripts/test-deps.sh or make lab creates .venv)"; exit 1; }
	cd kernel/labextension && npm ci --no-audit --no-fund && rm -rf lib prebuilt && \
	  npx tsc && PATH="$(ROOT)/.venv/bin:$$PATH" jupyter-builder build . && \
	  sha256sum $(LABEXT_SOURCES) > prebuilt.sha256

## test: install the test dependencies, then run every test (what CI runs)
test: test-deps vet lint
	$(call go-test,-p 1 -timeout $(TEST_TIMEOUT) $(PKGS))

## test-deps: Chromium, Jupyter venvs, ECharts (idempotent)
test-deps:
	scripts/test-deps.sh

## unit: the fast tests only (no kernel, no browser)
unit:
	$(call go-test,-short $(PKGS))

## lint: staticcheck, pinned in kernel/tools/staticcheck/go.mod
lint:
	cd kernel/tools/staticcheck && $(GO) build -o $(ROOT)/bin/staticcheck honnef.co/go/tools/cmd/staticcheck
	bin/staticcheck ./...

vet:
	@test -z "$$(gofmt -l $$(git ls-files '*.go'))" || (echo "gofmt needed:"; gofmt -l $$(git ls-files '*.go'); exit 1)
	$(GO) vet ./...

## docker-test: build the CPU image with podman and test it (docker/README.md; long)
docker-test:
	bash docker/test.sh

## docker-test-quick: the static checks of the images (pins, files, Go version)
docker-test-quick:
	bash docker/test.sh --quick
