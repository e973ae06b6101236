#!/usr/bin/env bash
# The test suite: unit, parity (when ../shared is present), golden scripts,
# fuzz, end-to-end and the REPL under tmux (Tests/EndToEndTests/REPLTests). Serial
# (--no-parallel): OpenBLAS is not entered from two test threads at once. Release mode, because the parity
# tests run the real algorithms on 70 000 × 128 features.
set -euo pipefail
cd "$(dirname "$0")/.."
swift build -c release -Xswiftc -enable-testing --build-tests
swift test -c release -Xswiftc -enable-testing --skip-build --no-parallel "$@"
