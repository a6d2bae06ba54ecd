#!/usr/bin/env bash
# Runs the whole test suite (unit, gradient checks, integration tests on the real binary).
set -euo pipefail
cd "$(dirname "$0")/.."
./scripts/setup.sh
swift build --build-tests
swift test --skip-build "$@"
