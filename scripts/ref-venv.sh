#!/usr/bin/env bash
# Creates .venv-ref: the Python reference stack used only to make golden
# fixtures and to run reference benchmarks (scikit-learn, Hugging Face,
# PyTorch). The product and its tests never need it.
set -euo pipefail
cd "$(dirname "$0")/.."
venv=${REF_VENV:-.venv-ref}
[ -x "$venv/bin/python" ] || python3 -m venv "$venv"
"$venv/bin/pip" install -q --upgrade pip
"$venv/bin/pip" install -q -r scripts/ref-requirements.txt
echo "reference venv ready: $venv"
