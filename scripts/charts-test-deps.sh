#!/usr/bin/env bash
# Installs what the lib/charts tests need, idempotently; with everything
# already present it touches no network:
#   - Debian's chromium (headless browser tests), via apt when missing;
#   - ECharts 5.4.3 from npm into the npm prefix of lib/charts
#     ($FOUNDERLAB_ECHARTS_DIR, else $XDG_DATA_HOME/founderlab/echarts, else
#     ~/.local/share/founderlab/echarts), with charts.InstallECharts, the
#     same code as `founderlab install`;
#   - require.js from npm into .cache/requirejs (the nbconvert-like page of
#     the browser tests loads it); $FOUNDERLAB_REQUIREJS may name another
#     require.js instead.
# Nothing of it is committed to the repository.
set -euo pipefail
cd "$(dirname "$0")/.."

REQUIREJS_VERSION=2.3.7

if ! command -v chromium >/dev/null 2>&1; then
  echo "charts-test-deps: apt-get install chromium"
  export DEBIAN_FRONTEND=noninteractive
  apt-get update -qq
  apt-get install -y -qq --no-install-recommends chromium >/dev/null
fi

command -v node >/dev/null 2>&1 || { echo "charts-test-deps: node is required (Debian package nodejs)" >&2; exit 1; }

go run ./lib/charts/internal/installecharts

if [ -z "${FOUNDERLAB_REQUIREJS:-}" ] && [ ! -f .cache/requirejs/node_modules/requirejs/require.js ]; then
  echo "charts-test-deps: npm install requirejs@$REQUIREJS_VERSION into .cache/requirejs"
  mkdir -p .cache/requirejs
  npm install --prefix .cache/requirejs --no-audit --no-fund -s "requirejs@$REQUIREJS_VERSION"
fi
echo "charts-test-deps: ready"
