#!/usr/bin/env bash
# Install, then run the whole test suite (slow and browser tests included).
set -euo pipefail
cd "$(dirname "$0")/.."
bash scripts/install.sh
venv="${IEI_KG_VENV:-.venv}"
"$venv/bin/python" -m pytest "$@"
