#!/usr/bin/env bash
# One command for a fresh machine: install what is missing, build idc in
# release mode, and run the main job — the IDC tour on the embedded digits data.
set -euo pipefail
cd "$(dirname "$0")/.."
scripts/install-deps.sh
swift build -c release
echo
echo "── running examples/tour.idc ──"
.build/release/idc examples/tour.idc
echo
echo "idc is at $(pwd)/.build/release/idc — run it without arguments for the interactive session."
