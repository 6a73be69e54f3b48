#!/usr/bin/env bash
# scripts/setup.sh — installs the Debian 12 packages EdgeTwin builds and tests with, if missing.
# Idempotent and quick when everything is there (one dpkg query, no network).
set -euo pipefail

PACKAGES=(
  build-essential cmake ninja-build pkg-config
  libsimgrid-dev libboost-graph-dev nlohmann-json3-dev
  qt6-base-dev qt6-charts-dev
  libpaho-mqttpp-dev libpaho-mqtt-dev libssl-dev
  libgtest-dev
  libsqlite3-dev
  mosquitto mosquitto-clients
  xvfb xauth
  slurm-wlm munge
)

missing=()
for p in "${PACKAGES[@]}"; do
  if ! dpkg-query -W -f='${Status}' "$p" 2>/dev/null | grep -q "install ok installed"; then
    missing+=("$p")
  fi
done

if [ ${#missing[@]} -eq 0 ]; then
  exit 0
fi

SUDO=""
if [ "$(id -u)" -ne 0 ]; then
  if command -v sudo >/dev/null 2>&1; then SUDO="sudo"; else
    echo "setup: need root (or sudo) to install: ${missing[*]}" >&2
    exit 1
  fi
fi
echo "setup: installing ${missing[*]}" >&2
export DEBIAN_FRONTEND=noninteractive
$SUDO apt-get update -qq
$SUDO apt-get install -y -qq --no-install-recommends "${missing[@]}" >/dev/null
