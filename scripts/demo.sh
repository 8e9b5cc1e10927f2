#!/usr/bin/env bash
# Install, build the graph of the demo corpus, and answer the demo question with evidence.
set -euo pipefail
cd "$(dirname "$0")/.."
bash scripts/install.sh
venv="${IEI_KG_VENV:-.venv}"
"$venv/bin/iei-kg" build corpus --kg kg --quiet
"$venv/bin/iei-kg" ask "Which countermeasures address low enterprise motivation?" --kg kg
