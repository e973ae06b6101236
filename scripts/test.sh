#!/usr/bin/env bash
# The test suite, in two builds:
#  1. release (with testability): everything — unit, parity (when ../shared is present), golden
#     scripts, fuzz, end-to-end and the REPL under tmux (Tests/EndToEndTests/REPLTests). Release
#     because the parity tests run the real algorithms on 70 000 × 128 features; it keeps bounds
#     checks and preconditions (no -Ounchecked).
#     Then the Jupyter kernel of that build, driven by real clients (scripts/test-jupyter.sh:
#     jupyter_kernel_test, interrupts, queries through stdin, bad messages, nbclient on
#     examples/tour.ipynb), in a venv the script makes.
#  2. debug (assertions on, unoptimised): the core's and the language's tests on the embedded
#     data. The t-SNE suite is left out there: unoptimised, its SIMD loops need more than 5 minutes
#     (measured), against seconds for every other core suite.
# Serial (--no-parallel): OpenBLAS is not entered from two test threads at once.
set -euo pipefail
cd "$(dirname "$0")/.."
swift build -c release -Xswiftc -enable-testing --build-tests
swift test -c release -Xswiftc -enable-testing --skip-build --no-parallel "$@"
if [ $# -eq 0 ]; then
  echo "test.sh: the Jupyter kernel against jupyter_client, jupyter_kernel_test and nbclient"
  scripts/test-jupyter.sh "$PWD/.build/release/idc"
  echo "test.sh: core and language tests in a debug build"
  swift build --build-tests
  IDC_SHARED_DATA=/nonexistent IDC_GOLDEN=/nonexistent \
    swift test --skip-build --no-parallel --filter 'IDCCoreTests|IDCLangTests' --skip 'IDCCoreTests.TSNETests'
fi
