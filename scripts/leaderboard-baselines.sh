#!/usr/bin/env bash
# Regenerates the baseline rows of LEADERBOARD.md for the loaded LLVM (results under
# leaderboard/llvmN/), validates each with stock opt, then writes the report. Each row is written
# to a scratch folder first and moved under leaderboard/llvmN/ only when it is complete and validates.
# Usage: [PASSGYM_LLVM=N] bash scripts/leaderboard-baselines.sh [apps|torture|all] [ROW ...]
#   e.g. bash scripts/leaderboard-baselines.sh apps random-t60 beam-t20
#        PASSGYM_LLVM=22 bash scripts/leaderboard-baselines.sh all oz o3 random-t10 random-t2
set -euo pipefail
cd "$(dirname "$0")/.."
CLI="node dist/scripts/cli.js"
which="${1:-all}"
shift || true
only=" $* "
scratch=$(mktemp -d)
major=$(node -e "console.log(require('./dist/env/llvm/library').findLlvm().major)")
run() { # dataset name agent budget-args...
  local dataset=$1 name=$2 agent=$3; shift 3
  if [[ "$only" != "  " && "$only" != *" $name "* ]]; then return; fi
  $CLI leaderboard run --agent "$agent" --dataset "$dataset" --out "$scratch/$name.csv" "$@"
  if $CLI leaderboard validate "$scratch/$name.csv" | tail -1; then
    mkdir -p "leaderboard/llvm$major/$dataset"
    mv "$scratch/$name.csv" "$scratch/$name.json" "leaderboard/llvm$major/$dataset/"
  else
    echo "leaderboard-baselines: $dataset $name failed validation; kept in $scratch" >&2
  fi
}
if [[ $which == apps || $which == all ]]; then
  run apps-v0 oz oz --step-budget 1
  run apps-v0 o3 o3 --step-budget 1
  run apps-v0 random-t10 random --time-budget 10
  run apps-v0 random-t60 random --time-budget 60
  run apps-v0 greedy-t20 greedy --time-budget 20
  run apps-v0 beam-t20 beam --time-budget 20
fi
if [[ $which == torture || $which == all ]]; then
  # torture-v0's test split has 300 small programs: 2 s budgets.
  run torture-v0 oz oz --step-budget 1
  run torture-v0 o3 o3 --step-budget 1
  run torture-v0 random-t2 random --time-budget 2
  run torture-v0 greedy-t2 greedy --time-budget 2
  run torture-v0 beam-t2 beam --time-budget 2
fi
$CLI leaderboard report
