# FounderLab — see README.md.
SHELL := /bin/bash
ROOT := $(abspath .)
# Real data for tests: the shared data sets beside the checkout, unless set.
FOUNDERLAB_DATA ?= $(abspath $(ROOT)/../shared/datasets)
FOUNDERLAB_ECHARTS_DIR ?= $(ROOT)/.cache/echarts
FOUNDERLAB_ARTIFACTS ?= $(ROOT)/artifacts
export FOUNDERLAB_DATA FOUNDERLAB_ECHARTS_DIR FOUNDERLAB_ARTIFACTS
export FOUNDERLAB_OFFLINE := 1
# Where the reference stack exists (scripts/ref-venv.sh), the export round
# trip is also checked with PyPI transformers.
ifneq ($(wildcard $(ROOT)/.venv-ref/bin/python),)
export FOUNDERLAB_REF_PYTHON ?= $(ROOT)/.venv-ref/bin/python
endif
GO ?= go
TEST_TIMEOUT ?= 60m

.PHONY: lab test test-deps unit vet lint install

## lab: install the kernel and start JupyterLab on the notebooks (the main job)
lab:
	$(GO) run ./kernel/cmd/founderlab lab

## install: build and install the kernel only
install:
	$(GO) run ./kernel/cmd/founderlab install

## test: install the test dependencies, then run every test (what CI runs)
test: test-deps vet lint
	mkdir -p $(FOUNDERLAB_ARTIFACTS)
	$(GO) test -p 1 -timeout $(TEST_TIMEOUT) ./...

## test-deps: Chromium, Jupyter venvs, ECharts (idempotent)
test-deps:
	scripts/test-deps.sh

## unit: the fast tests only (no kernel, no browser)
unit:
	$(GO) test -short ./...

## lint: staticcheck, pinned in kernel/tools/staticcheck/go.mod
lint:
	cd kernel/tools/staticcheck && $(GO) build -o $(ROOT)/bin/staticcheck honnef.co/go/tools/cmd/staticcheck
	bin/staticcheck ./...

vet:
	@test -z "$$(gofmt -l $$(git ls-files '*.go'))" || (echo "gofmt needed:"; gofmt -l $$(git ls-files '*.go'); exit 1)
	$(GO) vet ./...
