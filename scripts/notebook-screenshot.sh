#!/usr/bin/env bash
# The README's picture of idc in Jupyter: executes examples/tour.ipynb with the idc kernel
# (jupyter nbconvert --execute --to html, in the venv of scripts/test-jupyter.sh) and shows the
# HTML in headless Chromium (Debian's chromium), writing docs/jupyter-tour.png.
# Usage: scripts/notebook-screenshot.sh [PATH_TO_IDC]   (default: the release build)
set -euo pipefail
cd "$(dirname "$0")/.."
ROOT=$PWD
IDC=${1:-$ROOT/.build/release/idc}
VENV=$ROOT/.jupyter-venv
command -v chromium >/dev/null || { echo "notebook-screenshot: needs chromium (apt-get install chromium)" >&2; exit 1; }
[ -x "$VENV/bin/jupyter" ] || { echo "notebook-screenshot: run scripts/test-jupyter.sh first (it makes $VENV)" >&2; exit 1; }
"$IDC" kernel install --prefix "$VENV" >/dev/null
WORK=$(mktemp -d)
trap 'rm -rf "$WORK"' EXIT
cp examples/tour.ipynb "$WORK/"
(cd "$WORK" && IDC_SESSION_DIR="$WORK" "$VENV/bin/jupyter" nbconvert --execute --to html --ExecutePreprocessor.kernel_name=idc \
  --ExecutePreprocessor.timeout=600 tour.ipynb --output tour.html)
chromium --headless --no-sandbox --disable-gpu --hide-scrollbars --window-size=1100,3400 \
  --screenshot="$ROOT/docs/jupyter-tour.png" "file://$WORK/tour.html" 2>/dev/null
echo "wrote docs/jupyter-tour.png"
