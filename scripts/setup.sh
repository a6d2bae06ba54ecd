#!/usr/bin/env bash
# Installs what a fresh Debian 12 machine with Swift lacks for aiotwin. Idempotent: when every
# package is present it only checks (well under a second).
set -euo pipefail

# librsvg2-bin converts the SVG plots to PNG (rsvg-convert); fonts-dejavu-core renders their text.
packages=(liblua5.4-dev libopenblas-dev libhdf5-dev hdf5-tools zlib1g-dev pkg-config dataset-fashion-mnist
          librsvg2-bin fonts-dejavu-core)

missing=()
for p in "${packages[@]}"; do
  dpkg-query -W -f='${Status}' "$p" 2>/dev/null | grep -q "install ok installed" || missing+=("$p")
done

if [ ${#missing[@]} -gt 0 ]; then
  echo "setup: installing ${missing[*]}" >&2
  sudo=""
  if [ "$(id -u)" -ne 0 ]; then
    command -v sudo >/dev/null || { echo "setup: run as root or install sudo to install: ${missing[*]}" >&2; exit 1; }
    sudo="sudo"
  fi
  # Refresh the package lists only when a package is unknown to them.
  if ! apt-cache show "${missing[@]}" >/dev/null 2>&1; then
    $sudo apt-get update -qq
  fi
  DEBIAN_FRONTEND=noninteractive $sudo apt-get install -y -qq "${missing[@]}" >/dev/null
fi

command -v swift >/dev/null || { echo "setup: swift is not on PATH (Swift 6.0 or later is required)" >&2; exit 1; }
