#!/usr/bin/env bash
# One fuzz campaign over every target, one process at a time (the machine has 2 shared cores).
# Usage: bash fuzz/campaign.sh [WORKDIR] [SECONDS_SYSTEM SECONDS_PANEL SECONDS_DATA SECONDS_PIPELINE]
# Needs a Python with atheris (e.g. /work/venv-fuzz); set PYTHON to choose it. Not run in CI.
set -uo pipefail
cd "$(dirname "$0")/.."
workdir=${1:-/tmp/renoscore-fuzz}
python=${PYTHON:-python}
mkdir -p "$workdir"
i=0
budgets=("${2:-480}" "${3:-420}" "${4:-420}" "${5:-720}")
for target in system panel data pipeline; do
  secs=${budgets[$i]}
  i=$((i + 1))
  echo "== $target for $secs s"
  PYTHONPATH=src "$python" fuzz/fuzz_loaders.py "$target" --seconds "$secs" --workdir "$workdir" \
    > "$workdir/log-$target.txt" 2>&1
  grep -E "^Done|\[finding\]" "$workdir/log-$target.txt"
  cat "$workdir/stats-$target.json"
done
