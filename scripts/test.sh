#!/usr/bin/env bash
# The test suite: unit, parity (when ../shared is present), golden scripts,
# fuzz, end-to-end and the REPL smoke test. Release mode, because the parity
# tests run the real algorithms on 70 000 × 128 features.
set -euo pipefail
cd "$(dirname "$0")/.."
swift build -c release -Xswiftc -enable-testing --build-tests
swift test -c release -Xswiftc -enable-testing --skip-build "$@"
if command -v tmux >/dev/null 2>&1; then
  scripts/repl-smoke.sh .build/release/idc
else
  echo "repl-smoke: tmux not installed, skipped"
fi
