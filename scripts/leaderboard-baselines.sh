#!/usr/bin/env bash
# Regenerates the baseline rows of LEADERBOARD.md (results under leaderboard/), then the report.
# Usage: bash scripts/leaderboard-baselines.sh [apps|torture|all]
set -euo pipefail
cd "$(dirname "$0")/.."
CLI="node dist/scripts/cli.js"
which="${1:-all}"
run() { # dataset name agent budget-args...
  local dataset=$1 name=$2 agent=$3; shift 3
  $CLI leaderboard run --agent "$agent" --dataset "$dataset" --out "leaderboard/$dataset/$name.csv" "$@"
  $CLI leaderboard validate "leaderboard/$dataset/$name.csv" | tail -1
}
if [[ $which == apps || $which == all ]]; then
  run apps-v0 oz oz --step-budget 1
  run apps-v0 o3 o3 --step-budget 1
  run apps-v0 random-t10 random --time-budget 10
  run apps-v0 greedy-t20 greedy --time-budget 20
fi
if [[ $which == torture || $which == all ]]; then
  run torture-v0 oz oz --step-budget 1
  run torture-v0 o3 o3 --step-budget 1
  run torture-v0 greedy-t2 greedy --time-budget 2
fi
$CLI leaderboard report
