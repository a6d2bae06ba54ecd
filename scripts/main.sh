#!/usr/bin/env bash
# The main job on the embedded default: set up, build (release), and train the pilot CNN on
# Fashion-MNIST for one epoch, printing the test accuracy. Extra arguments go to `aiotwin train`.
set -euo pipefail
cd "$(dirname "$0")/.."
./scripts/setup.sh
swift build -c release --product aiotwin
exec .build/release/aiotwin train --epochs 1 "$@"
