#!/usr/bin/env bash
# Runs the whole test suite (unit, gradient checks, integration tests on the real binary).
set -euo pipefail
cd "$(dirname "$0")/.."
./scripts/setup.sh
# h5py reads our run files in the interoperability tests (PyPI; only for tests).
python3 -c "import h5py" 2>/dev/null || python3 -m pip install --quiet h5py
swift build --build-tests
swift test --skip-build "$@"
