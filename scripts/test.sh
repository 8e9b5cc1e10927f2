#!/usr/bin/env bash
# Install, then run the whole test suite (slow and browser tests included).
set -euo pipefail
cd "$(dirname "$0")/.."
bash scripts/install.sh
# Headless Chromium and its driver for the browser tests (tests/maps): only when missing and apt-get exists;
# without them those tests skip.
if ! command -v chromium >/dev/null 2>&1 && command -v apt-get >/dev/null 2>&1; then
  sudo=""; [ "$(id -u)" -eq 0 ] || sudo="sudo"
  { $sudo apt-get update -qq && $sudo apt-get install -y -qq chromium chromium-driver >/dev/null; } \
    || echo "could not install chromium; the browser tests will skip" >&2
fi
# OpenLink Virtuoso for the push test (tests/serve/test_virtuoso.py, which runs its own instance on free loopback
# ports): only when missing and apt-get exists; without it that test skips.
if ! command -v virtuoso-t >/dev/null 2>&1 && command -v apt-get >/dev/null 2>&1; then
  sudo=""; [ "$(id -u)" -eq 0 ] || sudo="sudo"
  { $sudo apt-get update -qq \
      && $sudo env DEBIAN_FRONTEND=noninteractive apt-get install -y -qq virtuoso-opensource >/dev/null; } \
    || echo "could not install virtuoso-opensource; the Virtuoso push test will skip" >&2
fi
venv="${IEI_KG_VENV:-.venv}"
"$venv/bin/python" -m pytest "$@"
