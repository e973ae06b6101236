#!/usr/bin/env bash
# The Jupyter kernel against real clients: jupyter_kernel_test (the peer conformance suite),
# interrupts, heartbeats, queries through stdin, bad input, and nbclient running
# examples/tour.ipynb. Python is only the test client: this script makes a venv
# (.jupyter-venv), installs jupyter_client, jupyter_kernel_test, nbclient and nbformat from
# PyPI, installs the kernel spec of the given idc into the venv (idc kernel install --prefix),
# and runs Tests/Jupyter/test_idc_kernel.py.
#
# Usage: scripts/test-jupyter.sh [PATH_TO_IDC]   (default: the release build)
# Skips (exit 0, with a message) only when a Python venv cannot be made or the packages cannot
# be installed; any failing test fails the script.
set -euo pipefail
cd "$(dirname "$0")/.."
ROOT=$PWD
IDC=${1:-$ROOT/.build/release/idc}
VENV=$ROOT/.jupyter-venv
PACKAGES=(jupyter_client jupyter_kernel_test nbclient nbformat nbconvert)

if [ ! -x "$IDC" ]; then
  echo "test-jupyter: no idc at $IDC (build it first)" >&2
  exit 1
fi
if [ ! -x "$VENV/bin/python" ]; then
  if ! python3 -m venv "$VENV" >/dev/null 2>&1; then
    echo "test-jupyter: SKIPPED — python3 cannot make a venv here (python3-venv missing?)"
    rm -rf "$VENV"
    exit 0
  fi
fi
if ! "$VENV/bin/python" -c "import jupyter_client, jupyter_kernel_test, nbclient, nbformat, nbconvert" 2>/dev/null; then
  if ! "$VENV/bin/pip" install -q "${PACKAGES[@]}"; then
    echo "test-jupyter: SKIPPED — could not install ${PACKAGES[*]} from PyPI"
    exit 0
  fi
fi
"$IDC" kernel install --prefix "$VENV" --name idc-test --display-name "idc (test)"
export JUPYTER_PATH=$VENV/share/jupyter IDC_KERNEL_NAME=idc-test
# The kernels' session scripts go to a scratch directory, not ~/.idc.
IDC_SESSION_DIR=$(mktemp -d)
export IDC_SESSION_DIR
trap 'rm -rf "$IDC_SESSION_DIR"' EXIT
cd "$ROOT/Tests/Jupyter"
# IDC_JUPYTER_TESTS picks tests, e.g. "test_idc_kernel.Queries test_idc_kernel.BadInput".
# shellcheck disable=SC2086
"$VENV/bin/python" -m unittest -v ${IDC_JUPYTER_TESTS:-test_idc_kernel}
