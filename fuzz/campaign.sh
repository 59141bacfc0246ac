#!/usr/bin/env bash
# One fuzz campaign over every target, one process at a time (the machine has 2 shared cores).
# Usage: bash fuzz/campaign.sh [WORKDIR] [SECONDS_SYSTEM SECONDS_PANEL SECONDS_DATA
#                                          SECONDS_PIPELINE SECONDS_RESULT SECONDS_CLI]
# Needs a Python with atheris (e.g. /work/venv-fuzz); set PYTHON to choose it. Not run in CI.
# The defaults add up to 40 minutes.
set -uo pipefail
cd "$(dirname "$0")/.."
workdir=${1:-/tmp/renoscore-fuzz}
python=${PYTHON:-python}
mkdir -p "$workdir"
i=0
budgets=("${2:-300}" "${3:-300}" "${4:-300}" "${5:-600}" "${6:-420}" "${7:-480}")
for target in system panel data pipeline result cli; do
  secs=${budgets[$i]}
  i=$((i + 1))
  script=fuzz/fuzz_loaders.py
  case $target in result | cli) script=fuzz/fuzz_edges.py ;; esac
  echo "== $target for $secs s"
  PYTHONPATH=src "$python" "$script" "$target" --seconds "$secs" --workdir "$workdir" \
    > "$workdir/log-$target.txt" 2>&1
  grep -E "^Done|\[finding\]" "$workdir/log-$target.txt"
  cat "$workdir/stats-$target.json"
done
