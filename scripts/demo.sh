#!/usr/bin/env bash
# `make demo`: the whole pipeline on the embedded (local) adapters. Generates a realistic 91-day CUR 2.0
# export with injected anomalies, ingests it, prints the facts, detects anomalies, renders the Slack / SNS
# messages it would send (to files, nothing leaves the machine), and writes the weekly chargeback digest and
# the quarterly provisioned-commitment review. Everything lands in out/demo/.
set -euo pipefail
cd "$(dirname "$0")/.."

OUT=out/demo
CLI=(node bin/bedrock-cost.js)
CONFIG=fixtures/config/demo.yaml
NOW=2026-07-05T00:00:00Z
STORE="$OUT/store"

rm -rf "$OUT"
mkdir -p "$OUT/reports"

section() { printf '\n\033[1m== %s ==\033[0m\n' "$1"; }

section "1. Generate a CUR 2.0 export (91 days, 5 accounts, 11 workloads, both billing paths, injected anomalies)"
"${CLI[@]}" fixtures generate --format cur2 --scenario anomalies --start 2026-04-01 --days 91 --accounts 5 \
  --workloads 11 --seed 42 --out "$OUT/cur"

section "2. Ingest: stage 1 on DuckDB, stage 2 normalisation, reconciliation, fact store"
"${CLI[@]}" ingest "$OUT/cur" --store "$STORE" --config "$CONFIG"

section "3. Facts: Bedrock spend by workload and by model (2026-Q2)"
"${CLI[@]}" facts --store "$STORE" --from 2026-04-01 --to 2026-06-30 --by cost_center,team,workload
echo
"${CLI[@]}" facts --store "$STORE" --from 2026-04-01 --to 2026-06-30 --by model,billing_path | head -14
"${CLI[@]}" facts --store "$STORE" --format csv > "$OUT/reports/facts.csv"

section "4. Detect anomalies (rules over final days; provisional days never page)"
"${CLI[@]}" detect --store "$STORE" --config "$CONFIG" --from 2026-04-01 --to 2026-06-30 --now "$NOW" \
  --format json > "$OUT/reports/findings.json"
"${CLI[@]}" detect --store "$STORE" --config "$CONFIG" --from 2026-04-01 --to 2026-06-30 --now "$NOW" \
  --dry-run --out "$OUT/notifications-rendered" | cut -c1-200

section "5. Weekly chargeback digest (2026-W26) and quarterly provisioned-commitment review (2026-Q2)"
"${CLI[@]}" digest weekly --store "$STORE" --config "$CONFIG" --week 2026-W26 --now "$NOW" --out "$OUT/reports"
# Utilization of the commitments: the generator writes what CloudWatch AWS/Bedrock would report for them.
"${CLI[@]}" review provisioned --store "$STORE" --config "$CONFIG" --quarter 2026-Q2 --now "$NOW" --out "$OUT/reports" \
  --utilization-file "$OUT/cur/bedrock-cost-cur2/utilization.json"

section "Outputs"
echo "facts (CSV, exact decimals):      $OUT/reports/facts.csv"
echo "findings (JSON):                  $OUT/reports/findings.json"
echo "rendered Slack / SNS messages:    $OUT/notifications-rendered/"
find "$OUT/reports" -maxdepth 1 -name '*.html' -printf 'report (HTML, open in a browser):  %p\n' | sort
find "$OUT/reports" -maxdepth 1 -name 'bedrock-*.csv' -printf 'report (CSV):                     %p\n' | sort
